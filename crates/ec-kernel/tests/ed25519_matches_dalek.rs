//! The kernel's Ed25519 verifier against ed25519-dalek's `verify_strict`, on keys, messages and
//! signatures derived from a counter: valid signatures, bit flips, S + L (non-canonical S),
//! non-canonical and small-order R, small-order keys.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use curve25519_dalek::constants::EIGHT_TORSION;
use curve25519_dalek::scalar::Scalar;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use pkjwt_ec_kernel::ed25519::{VerifyingTable, sign, verify};
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

#[test]
fn signer_is_dalek_and_verdicts_match_on_tampering() {
    for i in 0..24 {
        let sk = SigningKey::from_bytes(&bytes("key", i));
        let message = bytes("message", i);
        let message = &message[..i as usize % 32];
        let sig = sign(&sk, message);
        assert_eq!(sig, sk.sign(message).to_bytes());
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
