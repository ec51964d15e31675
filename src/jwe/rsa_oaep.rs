//! RSAES-OAEP key transport of the content key (RFC 7518 §4.3), over the `rsa` crate.

use super::algorithms::KeyManagementAlgorithm;
use crate::error::{Error, Result};
use crate::key::{Key, Material, PublicRef};
use zeroize::Zeroizing;

/// Encrypts `cek` to the RSA public half of `key`.
pub(crate) fn wrap(key: &Key, alg: KeyManagementAlgorithm, cek: &[u8]) -> Result<Vec<u8>> {
    let PublicRef::Rsa(public) = key.public_ref() else {
        return Err(Error::argument(format!("{alg} needs an RSA key")));
    };
    let encrypted = match alg {
        KeyManagementAlgorithm::RsaOaep => public.oaep_encrypt::<sha1::Sha1>(cek),
        _ => public.oaep_encrypt::<sha2::Sha256>(cek),
    };
    encrypted.map_err(|e| Error::CryptoFailure(format!("RSA-OAEP encryption failed: {e}")))
}

/// Decrypts the encrypted key; `None` on any failure (the caller hides it, RFC 7516 §11.5).
pub(crate) fn unwrap(key: &Key, alg: KeyManagementAlgorithm, encrypted_key: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let Material::RsaPrivate(private) = key.material() else {
        return None;
    };
    let decrypted = match alg {
        KeyManagementAlgorithm::RsaOaep => private.oaep_decrypt::<sha1::Sha1>(encrypted_key),
        _ => private.oaep_decrypt::<sha2::Sha256>(encrypted_key),
    };
    decrypted.ok().map(Zeroizing::new)
}
