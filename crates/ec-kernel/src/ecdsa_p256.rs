//! ES256: ECDSA over P-256 with SHA-256.

use crate::ecdsa_verify::{Table, verify as verify_with_tables};
use crate::p256_base;
use crate::p256_field::Fe;
use elliptic_curve::ops::{Invert, Reduce};
use elliptic_curve::point::AffineCoordinates;
use elliptic_curve::{Curve, FieldBytes, PrimeField};
use p256::ecdsa::{Signature, VerifyingKey};
use p256::{NistP256, NonZeroScalar, Scalar, U256};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use zeroize::Zeroize;

/// NAF width of the generator's table: 8 × 32 affine points (16 KiB), built once per process.
const G_WINDOW: u32 = 7;
/// NAF width of a key's table: 8 × 16 affine points (8 KiB), built once per key.
const KEY_WINDOW: u32 = 6;

static GENERATOR_TABLE: OnceLock<Table<Fe>> = OnceLock::new();

/// A P-256 private key: its secret scalar and its public key, derived with this crate's
/// constant-time k·G (the ecdsa crate's `SigningKey` derives it with p256's arithmetic, whose
/// base-point table then costs the first key import of a process).
#[derive(Clone)]
pub struct SigningKey {
    secret: NonZeroScalar,
    public: VerifyingKey,
}

impl SigningKey {
    /// The key of the big-endian scalar `bytes`: the same bytes the ecdsa crate's
    /// `SigningKey::from_slice` accepts (32 of them, or 24 to 31 left-padded with zeros), a
    /// scalar in [1, n − 1].
    pub fn from_slice(bytes: &[u8]) -> Result<SigningKey, signature::Error> {
        let secret = p256::SecretKey::from_slice(bytes)
            .map_err(|_| signature::Error::new())?
            .to_nonzero_scalar();
        let base = p256_base::table().ok_or_else(signature::Error::new)?;
        let (x, y) = base.mul_affine(&secret.to_repr().into());
        let sec1 = [[0x04].as_slice(), &x, &y].concat();
        let public = VerifyingKey::from_sec1_bytes(&sec1).map_err(|_| signature::Error::new())?;
        Ok(SigningKey { secret, public })
    }

    /// The secret scalar, big-endian.
    pub fn to_bytes(&self) -> FieldBytes<NistP256> {
        self.secret.to_repr()
    }

    /// The secret scalar.
    pub fn as_nonzero_scalar(&self) -> &NonZeroScalar {
        &self.secret
    }

    /// The public key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.public
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

/// Signs `message` (hashed with SHA-256 here) with RFC 6979 deterministic nonces, returning R‖S:
/// the signature the ecdsa crate's `SigningKey::try_sign` gives (the same nonce, equation and
/// checks), with R = k·G computed by [`p256_base`] instead of p256's own arithmetic (1.31–1.33× ES256
/// signing, issue 7).
pub fn sign(key: &SigningKey, message: &[u8]) -> Result<[u8; 64], signature::Error> {
    let base = p256_base::table().ok_or_else(signature::Error::new)?;
    let digest = Sha256::digest(message);
    let d = &key.secret;
    let z = <Scalar as Reduce<U256>>::reduce(&U256::from_be_slice(&digest));
    let order = NistP256::ORDER;
    let mut nonces = rfc6979::KGenerator::<Sha256, U256>::new(&d.to_repr(), &digest, &[], &order);
    loop {
        let mut k_bytes = FieldBytes::<NistP256>::default();
        nonces.fill_next_k(&mut k_bytes);
        let Some(k) = NonZeroScalar::from_repr(k_bytes).into_option() else {
            continue;
        };
        let x = base.mul_x(&k_bytes.into());
        let r = <Scalar as Reduce<U256>>::reduce(&U256::from_be_slice(&x));
        let s = *Invert::invert(&k) * (z + r * d.as_ref());
        if let Ok(signature) = Signature::from_scalars(r, s) {
            return Ok(signature.to_bytes().into());
        }
    }
}

/// A verifying key's precomputed multiples, for fast repeated [`verify`] calls.
#[derive(Clone)]
pub struct VerifyingTable(Option<Table<Fe>>);

impl VerifyingTable {
    /// Precomputes the table of `key` (a few hundred point operations).
    pub fn new(key: &VerifyingKey) -> Self {
        let point = key.as_affine();
        VerifyingTable(Table::new(&point.x(), &point.y(), KEY_WINDOW))
    }
}

/// True when `signature` (fixed-length R‖S) is a valid ES256 signature of `message` by the key of
/// `table`.
pub fn verify(table: &VerifyingTable, message: &[u8], signature: &[u8]) -> bool {
    verify_prehash(table, &Sha256::digest(message), signature)
}

/// True when `signature` (fixed-length R‖S) is a valid ECDSA signature of the 32-byte message
/// digest `digest` by the key of `table`; the same verdict as the RustCrypto crate's
/// `verify_prehash`.
pub fn verify_prehash(table: &VerifyingTable, digest: &[u8], signature: &[u8]) -> bool {
    let (Some(q), Some(g)) = (&table.0, generator_table()) else {
        return false;
    };
    let (Some((r, s)), Ok(z)) = (split(signature), FieldBytes::<NistP256>::try_from(digest)) else {
        return false;
    };
    verify_with_tables::<NistP256, Fe>(g, q, &z, &r, &s)
}

fn generator_table() -> Option<&'static Table<Fe>> {
    if let Some(table) = GENERATOR_TABLE.get() {
        return Some(table);
    }
    let g = p256::AffinePoint::GENERATOR;
    let table = Table::new(&g.x(), &g.y(), G_WINDOW)?;
    Some(GENERATOR_TABLE.get_or_init(|| table))
}

fn split(signature: &[u8]) -> Option<(FieldBytes<NistP256>, FieldBytes<NistP256>)> {
    if signature.len() != 64 {
        return None;
    }
    let (r, s) = signature.split_at(32);
    Some((
        FieldBytes::<NistP256>::try_from(r).ok()?,
        FieldBytes::<NistP256>::try_from(s).ok()?,
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::{SigningKey, sign};
    use p256::ecdsa::{Signature, SigningKey as CrateKey};
    use signature::Signer;

    /// Byte for byte the ecdsa crate's RFC 6979 signature and public key, over 2,000 keys and
    /// messages of every length from 0 to 199 bytes.
    #[test]
    fn signatures_are_the_ecdsa_crates() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut checked = 0;
        while checked < 2000 {
            let mut secret = [0u8; 32];
            for chunk in secret.chunks_exact_mut(8) {
                chunk.copy_from_slice(&next().to_be_bytes());
            }
            let Ok(reference) = CrateKey::from_bytes(&secret.into()) else {
                assert!(SigningKey::from_slice(&secret).is_err(), "{secret:02x?} is not a key");
                continue;
            };
            let key = SigningKey::from_slice(&secret).expect("the crate's key is a key");
            assert_eq!(key.verifying_key(), reference.verifying_key(), "key {secret:02x?}");
            assert_eq!(key.to_bytes(), reference.to_bytes());
            let message: Vec<u8> = (0..checked % 200).map(|_| next() as u8).collect();
            let expected: Signature = reference.try_sign(&message).expect("signs");
            let ours = sign(&key, &message).expect("signs");
            assert_eq!(ours, <[u8; 64]>::from(expected.to_bytes()), "key {secret:02x?}");
            checked += 1;
        }
    }

    /// The ecdsa crate's `from_slice` acceptance: 24 to 32 bytes (left-padded), a scalar in
    /// [1, n − 1].
    #[test]
    fn from_slice_accepts_what_the_crate_accepts() {
        let n_minus_one = hex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632550");
        let mut n = n_minus_one.clone();
        n[31] += 1;
        for bytes in [
            vec![],
            vec![1],
            vec![7; 23],
            vec![7; 24],
            vec![7; 31],
            vec![7; 32],
            vec![7; 33],
            vec![0; 32],
            n_minus_one,
            n,
            vec![0xFF; 32],
        ] {
            assert_eq!(
                SigningKey::from_slice(&bytes).map(|k| *k.verifying_key()).ok(),
                CrateKey::from_slice(&bytes).map(|k| *k.verifying_key()).ok(),
                "{bytes:02x?}"
            );
        }
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hexadecimal"))
            .collect()
    }

    /// RFC 6979 §A.2.5, P-256 with SHA-256, message "sample".
    #[test]
    fn rfc_6979_sample_vector() {
        let secret = hex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
        let key = SigningKey::from_slice(&secret).expect("a valid key");
        let expected = hex(concat!(
            "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
            "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"
        ));
        assert_eq!(sign(&key, b"sample").expect("signs").to_vec(), expected);
    }
}
