//! RSAES-OAEP key transport of the content key (RFC 7518 §4.2, §4.3): EME-OAEP (RFC 8017 §7.1)
//! with MGF1 and an empty label, SHA-1 for RSA-OAEP and SHA-256 for RSA-OAEP-256, over the
//! constant-time RSA kernel.

use super::algorithms::KeyManagementAlgorithm;
use crate::error::{Error, Result};
use crate::key::{Key, Material, PublicRef, RsaPrivateKey, RsaPublicKey};
use crate::random;
use sha2::Digest;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

/// `out ^= MGF1(seed)` (RFC 8017 B.2.1) with the hash `D`.
fn mgf1_xor<D: Digest>(seed: &[u8], out: &mut [u8]) {
    for (counter, chunk) in (0u32..).zip(out.chunks_mut(<D as Digest>::output_size())) {
        let mut hash = D::new();
        hash.update(seed);
        hash.update(counter.to_be_bytes());
        for (o, m) in chunk.iter_mut().zip(hash.finalize().iter()) {
            *o ^= m;
        }
    }
}

/// EME-OAEP encoding of `message` for a modulus of `k` bytes with the random `seed` (as long as
/// the hash): `00 ‖ maskedSeed ‖ maskedDB`. `None` when the message is too long.
fn encode<D: Digest>(message: &[u8], seed: &[u8], k: usize) -> Option<Vec<u8>> {
    let h_len = <D as Digest>::output_size();
    let db_len = k.checked_sub(h_len + 1)?;
    let padding = db_len.checked_sub(h_len + 1 + message.len())?;
    let mut em = Vec::with_capacity(k);
    em.push(0);
    em.extend_from_slice(seed);
    em.extend_from_slice(&D::digest(b""));
    em.resize(em.len() + padding, 0);
    em.push(1);
    em.extend_from_slice(message);
    let (masked_seed, masked_db) = em.get_mut(1..)?.split_at_mut(h_len);
    mgf1_xor::<D>(masked_seed, masked_db);
    mgf1_xor::<D>(masked_db, masked_seed);
    Some(em)
}

/// EME-OAEP decoding of `em` (`k` bytes). The first byte, the label hash, the zero padding and
/// the 0x01 separator are all checked without a branch on their values; one combined result
/// decides, so a failure does not tell which check failed. The message length (a JWE's CEK
/// length, fixed by its `enc`) is the one value the copy at the end depends on.
fn decode<D: Digest>(em: &mut [u8]) -> Option<Zeroizing<Vec<u8>>> {
    let h_len = <D as Digest>::output_size();
    if em.len() < 2 * h_len + 2 {
        return None;
    }
    let (y, rest) = em.split_first_mut()?;
    let (seed, db) = rest.split_at_mut(h_len);
    mgf1_xor::<D>(db, seed);
    mgf1_xor::<D>(seed, db);
    let (l_hash, padded) = db.split_at(h_len);
    let expected = D::digest(b"");
    let mut good = y.ct_eq(&0) & l_hash.ct_eq(expected.as_slice());
    let mut looking = Choice::from(1);
    let mut invalid = Choice::from(0);
    let mut separator = 0u32;
    for (i, byte) in (0u32..).zip(padded.iter()) {
        let is_one = byte.ct_eq(&1);
        let is_zero = byte.ct_eq(&0);
        separator.conditional_assign(&i, looking & is_one);
        invalid |= looking & !is_zero & !is_one;
        looking &= !is_one;
    }
    good &= !looking & !invalid;
    let message = Zeroizing::new(padded.get(separator as usize + 1..)?.to_vec());
    rest.fill(0);
    bool::from(good).then_some(message)
}

fn encrypt<D: Digest>(public: &RsaPublicKey, message: &[u8]) -> Result<Vec<u8>> {
    let mut seed = Zeroizing::new(vec![0u8; <D as Digest>::output_size()]);
    random::fill(&mut seed)?;
    let em = encode::<D>(message, &seed, public.size())
        .ok_or_else(|| Error::CryptoFailure("RSA-OAEP encryption failed: the message is too long".into()))?;
    public
        .public_op(&em)
        .ok_or_else(|| Error::CryptoFailure("RSA-OAEP encryption failed".into()))
}

fn decrypt<D: Digest>(private: &RsaPrivateKey, ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let mut em = private.private_op(ciphertext, "RSA-OAEP decryption").ok()?;
    decode::<D>(&mut em)
}

/// Encrypts `cek` to the RSA public half of `key`.
pub(crate) fn wrap(key: &Key, alg: KeyManagementAlgorithm, cek: &[u8]) -> Result<Vec<u8>> {
    let PublicRef::Rsa(public) = key.public_ref() else {
        return Err(Error::argument(format!("{alg} needs an RSA key")));
    };
    match alg {
        KeyManagementAlgorithm::RsaOaep => encrypt::<sha1::Sha1>(public, cek),
        _ => encrypt::<sha2::Sha256>(public, cek),
    }
}

/// Decrypts the encrypted key; `None` on any failure (the caller hides it, RFC 7516 §11.5).
pub(crate) fn unwrap(key: &Key, alg: KeyManagementAlgorithm, encrypted_key: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let Material::RsaPrivate(private) = key.material() else {
        return None;
    };
    match alg {
        KeyManagementAlgorithm::RsaOaep => decrypt::<sha1::Sha1>(private, encrypted_key),
        _ => decrypt::<sha2::Sha256>(private, encrypted_key),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn encoding_round_trips_and_every_tampered_field_fails() {
        let k = 256;
        let seed = [0x5au8; 32];
        let message = b"a 32-byte content encryption key";
        let em = encode::<sha2::Sha256>(message, &seed, k).unwrap();
        assert_eq!(em.len(), k);
        assert_eq!(&decode::<sha2::Sha256>(&mut em.clone()).unwrap()[..], message);
        assert!(decode::<sha1::Sha1>(&mut em.clone()).is_none(), "another hash");
        for position in [0, 1, 33, 34, 100, k - message.len() - 1, k - 1] {
            let mut tampered = em.clone();
            tampered[position] ^= 0x01;
            let decoded = decode::<sha2::Sha256>(&mut tampered);
            assert!(decoded.is_none_or(|m| m[..] != message[..]), "byte {position}");
        }
        assert!(
            encode::<sha2::Sha256>(&[0u8; 191], &seed, k).is_none(),
            "k − 2·hLen − 2 = 190"
        );
        let longest = encode::<sha2::Sha256>(&[7u8; 190], &seed, k).unwrap();
        assert_eq!(decode::<sha2::Sha256>(&mut longest.clone()).unwrap().len(), 190);
        let empty = encode::<sha1::Sha1>(&[], &[1u8; 20], k).unwrap();
        assert_eq!(decode::<sha1::Sha1>(&mut empty.clone()).unwrap().len(), 0);
    }

    /// Random keys of the `rsa` crate (a dev-dependency, the reference): what one side encrypts
    /// the other decrypts, both ways, both hashes; tampered ciphertexts fail.
    #[test]
    fn interoperates_with_the_rsa_crate_both_ways() {
        use rsa::pkcs8::EncodePrivateKey;
        for bits in [2048usize, 2051] {
            let theirs =
                rsa::PrivateKey::new_with_exp(&mut getrandom::SysRng, bits, rsa::BoxedUint::from(65537u64)).unwrap();
            let der = theirs.to_pkcs8_der().unwrap();
            let ours = Key::from_der(der.as_bytes(), &crate::ImportOptions::default()).unwrap();
            for alg in [KeyManagementAlgorithm::RsaOaep, KeyManagementAlgorithm::RsaOaep256] {
                for len in [0usize, 16, 32, 64] {
                    let mut cek = vec![0u8; len];
                    random::fill(&mut cek).unwrap();
                    let ours_encrypted = wrap(&ours, alg, &cek).unwrap();
                    let theirs_decrypted = match alg {
                        KeyManagementAlgorithm::RsaOaep => theirs.oaep_decrypt::<sha1::Sha1>(&ours_encrypted),
                        _ => theirs.oaep_decrypt::<sha2::Sha256>(&ours_encrypted),
                    };
                    assert_eq!(theirs_decrypted.unwrap(), cek, "{bits} {alg} {len}: rsa decrypts ours");
                    let theirs_encrypted = match alg {
                        KeyManagementAlgorithm::RsaOaep => theirs.as_public_key().oaep_encrypt::<sha1::Sha1>(&cek),
                        _ => theirs.as_public_key().oaep_encrypt::<sha2::Sha256>(&cek),
                    }
                    .unwrap();
                    assert_eq!(
                        unwrap(&ours, alg, &theirs_encrypted).unwrap()[..],
                        cek[..],
                        "{bits} {alg} {len}: we decrypt rsa's"
                    );
                    for at in [0, theirs_encrypted.len() / 2, theirs_encrypted.len() - 1] {
                        let mut tampered = theirs_encrypted.clone();
                        tampered[at] ^= 0x10;
                        assert!(
                            unwrap(&ours, alg, &tampered).is_none(),
                            "{bits} {alg}: tampered at {at}"
                        );
                    }
                    assert!(unwrap(&ours, alg, &theirs_encrypted[1..]).is_none(), "short ciphertext");
                }
            }
        }
    }
}
