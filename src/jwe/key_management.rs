//! Key management (RFC 7516 §5.1 step 3–6, §5.2 step 10): how the content key is obtained from,
//! or sent to, the recipient's key.

use super::algorithms::{ContentEncryption, KeyManagementAlgorithm};
use super::concat_kdf::concat_kdf;
use super::ecdh;
use super::header::ParsedHeader;
use super::{key_wrap, rsa_oaep};
use crate::error::{Error, Result};
use crate::json::{Object, Value};
use crate::key::Key;
use crate::random;
use zeroize::Zeroizing;

/// The content key for `key`. A failed RSA-OAEP decryption or a key of the wrong length gives a
/// random key instead (RFC 7516 §11.5), so the failure surfaces later, at the tag, as the same
/// [`Error::DecryptionFailed`] with no earlier exit to time.
pub(crate) fn recover_cek(key: &Key, header: &ParsedHeader, encrypted_key: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let (alg, enc) = (header.alg, header.enc);
    if alg.is_rsa() {
        let mut random_cek = Zeroizing::new(vec![0u8; enc.key_len()]);
        random::fill(&mut random_cek)?;
        return Ok(match rsa_oaep::unwrap(key, alg, encrypted_key) {
            Some(cek) if cek.len() == enc.key_len() => cek,
            _ => random_cek,
        });
    }
    let epk = header.epk.as_ref().ok_or(Error::DecryptionFailed)?;
    let z = ecdh::shared_secret(key, epk)?;
    match alg.key_wrap_len() {
        None => Ok(concat_kdf(&z, enc.key_len(), enc.as_str(), &header.apu, &header.apv)),
        Some(kek_len) => {
            let kek = concat_kdf(&z, kek_len, alg.as_str(), &header.apu, &header.apv);
            let cek = key_wrap::unwrap(&kek, encrypted_key)?;
            if cek.len() != enc.key_len() {
                return Err(Error::DecryptionFailed);
            }
            Ok(cek)
        }
    }
}

/// A fresh content key for `enc`, its encrypted form for `key`, and the header members the
/// recipient needs (`epk` for ECDH-ES).
pub(crate) fn new_cek(
    key: &Key,
    alg: KeyManagementAlgorithm,
    enc: ContentEncryption,
    header: &mut Object,
) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>)> {
    if alg.is_rsa() {
        let mut cek = Zeroizing::new(vec![0u8; enc.key_len()]);
        random::fill(&mut cek)?;
        let encrypted = rsa_oaep::wrap(key, alg, &cek)?;
        return Ok((cek, encrypted));
    }
    let (z, epk) = ecdh::ephemeral(key)?;
    header.insert("epk".into(), Value::Object(epk));
    match alg.key_wrap_len() {
        None => Ok((concat_kdf(&z, enc.key_len(), enc.as_str(), &[], &[]), Vec::new())),
        Some(kek_len) => {
            let kek = concat_kdf(&z, kek_len, alg.as_str(), &[], &[]);
            let mut cek = Zeroizing::new(vec![0u8; enc.key_len()]);
            random::fill(&mut cek)?;
            let wrapped = key_wrap::wrap(&kek, &cek)?;
            Ok((cek, wrapped))
        }
    }
}
