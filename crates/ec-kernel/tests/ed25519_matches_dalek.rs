//! The kernel's Ed25519 signer against ed25519-dalek's (the same public keys, byte-identical
//! signatures on the RFC 8032 §7.1 vectors and on keys and messages derived from a counter), and
//! its verifier against
//! ed25519-dalek's `verify_strict`: valid signatures, bit flips, S + L (non-canonical S),
//! non-canonical and small-order R, small-order keys.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use curve25519_dalek::constants::EIGHT_TORSION;
use curve25519_dalek::scalar::Scalar;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use pkjwt_ec_kernel::ed25519::{self as ours, VerifyingTable, sign, verify};
use sha2::{Digest, Sha512};

fn bytes(label: &str, i: u32) -> [u8; 32] {
    let wide = Sha512::digest(format!("{label} {i}").as_bytes());
    <[u8; 32]>::try_from(&wide[..32]).unwrap()
}

/// L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 §5.1), little-endian.
const ORDER_L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

fn same_verdict(key: &VerifyingKey, table: &VerifyingTable, message: &[u8], sig: &[u8]) -> bool {
    let ours = verify(table, message, sig);
    let theirs = Signature::from_slice(sig).is_ok_and(|s| key.verify_strict(message, &s).is_ok());
    assert_eq!(ours, theirs, "sig {sig:02x?}");
    ours
}

fn add_le(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for i in 0..32 {
        let sum = u16::from(a[i]) + u16::from(b[i]) + carry;
        out[i] = sum as u8;
        carry = sum >> 8;
    }
    out
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// RFC 8032 §7.1, "Test Vectors for Ed25519": TEST 1, 2, 3 and SHA(abc) (secret key, public key,
/// message, signature); the message of SHA(abc) is SHA-512("abc"), computed here.
const RFC8032: [(&str, &str, &str, &str); 4] = [
    (
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
    (
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ),
    (
        "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
        "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
        "SHA-512(abc)",
        "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704",
    ),
];

#[test]
fn signer_gives_the_rfc8032_signatures() {
    for (secret, public, message, signature) in RFC8032 {
        let sk = ours::SigningKey::from_bytes(&hex(secret).try_into().unwrap());
        assert_eq!(sk.verifying_key().as_bytes().to_vec(), hex(public));
        assert_eq!(sk.as_bytes().to_vec(), hex(secret));
        let message = match message {
            "SHA-512(abc)" => Sha512::digest(b"abc").to_vec(),
            other => hex(other),
        };
        assert_eq!(sign(&sk, &message).to_vec(), hex(signature), "key {public}");
    }
}

#[test]
fn signer_is_dalek_byte_for_byte_on_many_keys_and_lengths() {
    for i in 0..600u32 {
        let seed = bytes("signing key", i);
        let (sk, dalek) = (ours::SigningKey::from_bytes(&seed), SigningKey::from_bytes(&seed));
        assert_eq!(sk.verifying_key(), dalek.verifying_key(), "key {i}");
        let message: Vec<u8> = (0..i % 300).map(|j| bytes("m", i ^ j)[0]).collect();
        assert_eq!(sign(&sk, &message), dalek.sign(&message).to_bytes(), "key {i}");
    }
}

#[test]
fn signer_is_dalek_and_verdicts_match_on_tampering() {
    for i in 0..24 {
        let sk = ours::SigningKey::from_bytes(&bytes("key", i));
        let message = bytes("message", i);
        let message = &message[..i as usize % 32];
        let sig = sign(&sk, message);
        assert_eq!(sig, SigningKey::from_bytes(&bytes("key", i)).sign(message).to_bytes());
        let vk = sk.verifying_key();
        let table = VerifyingTable::new(&vk);
        assert!(same_verdict(&vk, &table, message, &sig));
        assert!(!same_verdict(&vk, &table, b"another message", &sig));
        for bit in (0..512).step_by(5 + i as usize) {
            let mut bad = sig;
            bad[bit / 8] ^= 1 << (bit % 8);
            assert!(!same_verdict(&vk, &table, message, &bad));
        }
        let s = <[u8; 32]>::try_from(&sig[32..]).unwrap();
        let s_plus_l = add_le(&s, &ORDER_L);
        assert!(!same_verdict(
            &vk,
            &table,
            message,
            &[&sig[..32], &s_plus_l[..]].concat()
        ));
        let mut r_sign_flipped = sig;
        r_sign_flipped[31] ^= 0x80;
        assert!(!same_verdict(&vk, &table, message, &r_sign_flipped));
        assert!(!same_verdict(&vk, &table, message, &sig[..63]));
    }
}

#[test]
fn small_order_keys_and_r_are_refused_like_dalek() {
    let sk = SigningKey::from_bytes(&bytes("key", 99));
    let vk = sk.verifying_key();
    let table = VerifyingTable::new(&vk);
    for (j, torsion) in EIGHT_TORSION.iter().enumerate() {
        let sig = [
            &torsion.compress().to_bytes()[..],
            &Scalar::from(j as u64).to_bytes()[..],
        ]
        .concat();
        assert!(!same_verdict(&vk, &table, b"m", &sig));
        if let Ok(weak) = VerifyingKey::from_bytes(&torsion.compress().to_bytes()) {
            let weak_table = VerifyingTable::new(&weak);
            let sig = sk.sign(b"m").to_bytes();
            assert!(!same_verdict(&weak, &weak_table, b"m", &sig));
            let identity_r = [&EIGHT_TORSION[0].compress().to_bytes()[..], &[0u8; 32][..]].concat();
            assert!(!same_verdict(&weak, &weak_table, b"m", &identity_r));
        }
    }
}

#[test]
fn non_canonical_r_encoding_is_refused_like_dalek() {
    let sk = SigningKey::from_bytes(&bytes("key", 7));
    let vk = sk.verifying_key();
    let table = VerifyingTable::new(&vk);
    let mut y_ge_p = [0xffu8; 32];
    y_ge_p[0] = 0xee;
    y_ge_p[31] = 0x7f;
    for r in [y_ge_p, [0xff; 32]] {
        let sig = [&r[..], &[1u8; 32][..]].concat();
        same_verdict(&vk, &table, b"m", &sig);
    }
}
