//! Content encryption (RFC 7518 §5): AES-GCM, and AES-CBC with HMAC-SHA-2 (§5.2).
//!
//! Decryption fails with the one opaque [`Error::DecryptionFailed`] whatever went wrong (tag,
//! padding, lengths); the CBC-HMAC tag is checked in constant time before anything is decrypted.

use super::aes_cbc::{self, AesKey};
use super::algorithms::ContentEncryption;
use crate::error::{Error, Result};
use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes128Gcm, Aes256Gcm};
use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha512};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// Ciphertext and authentication tag.
pub type Sealed = (Vec<u8>, Vec<u8>);

impl ContentEncryption {
    /// Encrypts `plaintext` under the content key `cek` and `iv`, authenticating `aad`.
    ///
    /// `cek` and `iv` must have the lengths [`ContentEncryption::key_len`] and
    /// [`ContentEncryption::iv_len`] give ([`Error::InvalidArgument`] otherwise).
    pub fn seal(self, cek: &[u8], iv: &[u8], aad: &[u8], plaintext: &[u8]) -> Result<Sealed> {
        if cek.len() != self.key_len() || iv.len() != self.iv_len() {
            return Err(Error::argument(format!(
                "{self} needs a {}-byte key and a {}-byte IV",
                self.key_len(),
                self.iv_len()
            )));
        }
        match self {
            ContentEncryption::A128Gcm => gcm_seal::<Aes128Gcm>(cek, iv, aad, plaintext),
            ContentEncryption::A256Gcm => gcm_seal::<Aes256Gcm>(cek, iv, aad, plaintext),
            ContentEncryption::A128CbcHs256 | ContentEncryption::A256CbcHs512 => {
                let (mac_key, enc_key) = cek.split_at(cek.len() / 2);
                let aes = AesKey::new(enc_key).ok_or_else(|| Error::argument("bad AES key length"))?;
                let iv: &[u8; 16] = iv.try_into().map_err(|_| Error::argument("bad IV length"))?;
                let ciphertext = aes_cbc::encrypt(&aes, iv, plaintext);
                let tag = self.cbc_tag(mac_key, aad, iv, &ciphertext);
                Ok((ciphertext, tag))
            }
        }
    }

    /// Decrypts and authenticates; every failure, including a wrong key, IV or tag length, is
    /// [`Error::DecryptionFailed`].
    pub fn open(self, cek: &[u8], iv: &[u8], aad: &[u8], ciphertext: &[u8], tag: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        if cek.len() != self.key_len() || iv.len() != self.iv_len() || tag.len() != self.tag_len() {
            return Err(Error::DecryptionFailed);
        }
        let plaintext = match self {
            ContentEncryption::A128Gcm => gcm_open::<Aes128Gcm>(cek, iv, aad, ciphertext, tag),
            ContentEncryption::A256Gcm => gcm_open::<Aes256Gcm>(cek, iv, aad, ciphertext, tag),
            ContentEncryption::A128CbcHs256 | ContentEncryption::A256CbcHs512 => {
                let (mac_key, enc_key) = cek.split_at(cek.len() / 2);
                let iv: &[u8; 16] = iv.try_into().map_err(|_| Error::DecryptionFailed)?;
                let expected = Zeroizing::new(self.cbc_tag(mac_key, aad, iv, ciphertext));
                if !bool::from(expected.as_slice().ct_eq(tag)) {
                    return Err(Error::DecryptionFailed);
                }
                let aes = AesKey::new(enc_key).ok_or(Error::DecryptionFailed)?;
                aes_cbc::decrypt(&aes, iv, ciphertext)
            }
        };
        plaintext.map(Zeroizing::new).ok_or(Error::DecryptionFailed)
    }

    /// HMAC over `AAD ‖ IV ‖ ciphertext ‖ AL` (AL = the AAD length in bits, 64-bit big-endian),
    /// truncated to the tag length (RFC 7518 §5.2.2.1 step 5–6).
    fn cbc_tag(self, mac_key: &[u8], aad: &[u8], iv: &[u8], ciphertext: &[u8]) -> Vec<u8> {
        let al = ((aad.len() as u64).wrapping_mul(8)).to_be_bytes();
        let full = match self {
            ContentEncryption::A256CbcHs512 => mac::<Hmac<Sha512>>(mac_key, &[aad, iv, ciphertext, &al]),
            _ => mac::<Hmac<Sha256>>(mac_key, &[aad, iv, ciphertext, &al]),
        };
        full.get(..self.tag_len()).unwrap_or_default().to_vec()
    }
}

fn mac<M: Mac + hmac::KeyInit>(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let Ok(mut m) = <M as hmac::KeyInit>::new_from_slice(key) else {
        return Vec::new();
    };
    for part in parts {
        m.update(part);
    }
    m.finalize().into_bytes().to_vec()
}

fn gcm_seal<C: AeadInOut + KeyInit>(cek: &[u8], iv: &[u8], aad: &[u8], plaintext: &[u8]) -> Result<Sealed> {
    let failed = || Error::CryptoFailure("AES-GCM encryption failed".into());
    let cipher = <C as KeyInit>::new_from_slice(cek).map_err(|_| failed())?;
    let nonce = iv.try_into().map_err(|_| failed())?;
    let mut buffer = plaintext.to_vec();
    let tag = cipher
        .encrypt_inout_detached(nonce, aad, buffer.as_mut_slice().into())
        .map_err(|_| failed())?;
    Ok((buffer, tag.to_vec()))
}

fn gcm_open<C: AeadInOut + KeyInit>(
    cek: &[u8],
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Option<Vec<u8>> {
    let cipher = <C as KeyInit>::new_from_slice(cek).ok()?;
    let nonce = iv.try_into().ok()?;
    let tag = tag.try_into().ok()?;
    let mut buffer = ciphertext.to_vec();
    match cipher.decrypt_inout_detached(nonce, aad, buffer.as_mut_slice().into(), tag) {
        Ok(()) => Some(buffer),
        Err(_) => {
            zeroize::Zeroize::zeroize(&mut buffer);
            None
        }
    }
}
