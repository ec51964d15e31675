//! PKCS#8 EC private keys: the public key embedded in the inner `ECPrivateKey` must be the point of
//! its private scalar, and a curve named inside must be the curve of the outer header. The keys are
//! the openssl-made fixtures of tests/keys/ (see tests/keys/README.md), re-wrapped here in
//! PKCS#8 with their parts changed one at a time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use pkjwt::{ImportOptions, Key};
use sec1::der::Decode;

const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match content.len() {
        n @ 0..=0x7f => out.push(n as u8),
        n @ 0x80..=0xff => out.extend([0x81, n as u8]),
        n => out.extend([0x82, (n >> 8) as u8, n as u8]),
    }
    out.extend_from_slice(content);
    out
}

fn ec_private_key(d: &[u8], curve: Option<&[u8]>, public: Option<&[u8]>) -> Vec<u8> {
    let mut body = [tlv(0x02, &[1]), tlv(0x04, d)].concat();
    if let Some(oid) = curve {
        body.extend(tlv(0xa0, &tlv(0x06, oid)));
    }
    if let Some(point) = public {
        body.extend(tlv(0xa1, &tlv(0x03, &[&[0u8][..], point].concat())));
    }
    tlv(0x30, &body)
}

fn pkcs8(curve: &[u8], inner: &[u8]) -> Vec<u8> {
    let algorithm = tlv(0x30, &[tlv(0x06, OID_EC_PUBLIC_KEY), tlv(0x06, curve)].concat());
    tlv(0x30, &[tlv(0x02, &[0]), algorithm, tlv(0x04, inner)].concat())
}

/// The fixture's private scalar and uncompressed public point (read from its SEC1 DER).
fn parts(sec1_pem: &str) -> (Vec<u8>, Vec<u8>) {
    let (_, der) = pem_rfc7468::decode_vec(sec1_pem.as_bytes()).unwrap();
    let key = sec1::EcPrivateKey::from_der(&der).unwrap();
    (key.private_key.to_vec(), key.public_key.unwrap().to_vec())
}

fn import(der: &[u8]) -> pkjwt::Result<Key> {
    Key::from_der(der, &ImportOptions::default())
}

fn check_curve(sec1_pem: &str, pkcs8_pem: &str, curve: &[u8], other_curve: &[u8]) {
    let reference = Key::from_pem(pkcs8_pem, &ImportOptions::default()).unwrap();
    let (d, public) = parts(sec1_pem);
    let (x, y) = public[1..].split_at(public.len() / 2);
    let compressed = [&[0x02 | (y[y.len() - 1] & 1)][..], x].concat();
    let negated = [&[compressed[0] ^ 1][..], x].concat();

    for accepted in [
        pkcs8(curve, &ec_private_key(&d, None, Some(&public))),
        pkcs8(curve, &ec_private_key(&d, Some(curve), Some(&public))),
        pkcs8(curve, &ec_private_key(&d, None, None)),
        pkcs8(curve, &ec_private_key(&d, None, Some(&compressed))),
    ] {
        let key = import(&accepted).unwrap();
        assert!(key.is_private());
        assert_eq!(key.thumbprint(), reference.thumbprint());
    }

    let mismatch = import(&pkcs8(curve, &ec_private_key(&d, None, Some(&negated)))).unwrap_err();
    assert!(mismatch.to_string().contains("embedded public key"), "{mismatch}");
    let mut off_curve = public.clone();
    let last = off_curve.len() - 1;
    off_curve[last] ^= 1;
    assert!(import(&pkcs8(curve, &ec_private_key(&d, None, Some(&off_curve)))).is_err());
    assert!(import(&pkcs8(curve, &ec_private_key(&d, Some(other_curve), Some(&public)))).is_err());
    assert!(import(&pkcs8(other_curve, &ec_private_key(&d, Some(curve), Some(&public)))).is_err());
}

#[test]
fn p256_pkcs8_embedded_public_key_and_curve_are_checked() {
    check_curve(
        include_str!("keys/p256.sec1.pem"),
        include_str!("keys/p256.pkcs8.pem"),
        OID_P256,
        OID_P384,
    );
}

#[test]
fn p384_pkcs8_embedded_public_key_and_curve_are_checked() {
    check_curve(
        include_str!("keys/p384.sec1.pem"),
        include_str!("keys/p384.pkcs8.pem"),
        OID_P384,
        OID_P256,
    );
}
