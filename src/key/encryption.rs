//! Encryption keys: a key bound to a JWE key-management algorithm (`use: "enc"`) decrypts and
//! encrypts and never signs or verifies; a signature key never decrypts.

use super::{GenerateOptions, Key};
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::jwe::KeyManagementAlgorithm;

impl Key {
    /// Generates a new private encryption key for `alg` (RSA: `modulus_bits`, default 2048;
    /// ECDH-ES: P-256), with `use: "enc"` and that `alg`.
    pub fn generate_for_encryption(alg: KeyManagementAlgorithm, opts: &GenerateOptions) -> Result<Key> {
        let family_alg = if alg.is_rsa() {
            Algorithm::RS256
        } else {
            Algorithm::ES256
        };
        let mut key = Key::generate(family_alg, opts)?;
        key.alg = None;
        key.for_encryption(alg)
    }

    /// The same key as an encryption key bound to `alg` (`use` becomes `"enc"`). Fails with
    /// [`Error::KeyInvalid`] when the key is bound to a signature algorithm, has `use: "sig"`,
    /// or does not fit `alg` (RSA for RSA-OAEP, EC P-256/P-384 for ECDH-ES).
    pub fn for_encryption(mut self, alg: KeyManagementAlgorithm) -> Result<Key> {
        if let Some(sig) = self.alg {
            return Err(Error::key(format!(
                "this key is bound to the signature algorithm {sig}, not {alg}"
            )));
        }
        if self.key_use.as_deref().is_some_and(|u| u != "enc") {
            return Err(Error::key(format!(
                "a key with use {:?} cannot be bound to {alg}",
                self.key_use.as_deref().unwrap_or_default()
            )));
        }
        if let Some(own) = self.enc_alg.filter(|own| *own != alg) {
            return Err(Error::key(format!("this key is bound to {own}, not {alg}")));
        }
        if !alg.fits_family(self.family()) {
            return Err(Error::key(format!("{alg} does not fit a {} key", self.describe())));
        }
        self.enc_alg = Some(alg);
        self.key_use = Some("enc".into());
        Ok(self)
    }

    /// The JWE key-management algorithm this key is bound to, if any.
    pub fn encryption_alg(&self) -> Option<KeyManagementAlgorithm> {
        self.enc_alg
    }

    /// True for an encryption key: `use: "enc"` or bound to a JWE algorithm.
    pub fn is_encryption_key(&self) -> bool {
        self.enc_alg.is_some() || self.key_use.as_deref() == Some("enc")
    }

    /// True when this key may encrypt or decrypt with `alg`: an encryption key of the right
    /// family (and curve: P-256 or P-384), bound to `alg` or to no algorithm.
    pub fn fits_encryption(&self, alg: KeyManagementAlgorithm) -> bool {
        self.is_encryption_key()
            && self.alg.is_none()
            && alg.fits_family(self.family())
            && self.enc_alg.is_none_or(|bound| bound == alg)
    }

    /// The `use` this key is registered with: its own, else `enc` for a key bound to a JWE
    /// algorithm, `sig` for one bound to a signature algorithm, else none.
    pub fn effective_use(&self) -> Option<&str> {
        match (&self.key_use, self.enc_alg, self.alg) {
            (Some(u), _, _) => Some(u),
            (None, Some(_), _) => Some("enc"),
            (None, None, Some(_)) => Some("sig"),
            (None, None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::KeyFamily;

    #[test]
    fn encryption_keys_never_sign_and_signature_keys_never_decrypt() {
        let enc = Key::generate_for_encryption(KeyManagementAlgorithm::EcdhEs, &GenerateOptions::default()).unwrap();
        assert_eq!(enc.key_use(), Some("enc"));
        assert_eq!(enc.family(), KeyFamily::P256);
        assert_eq!(
            enc.sign(Algorithm::ES256, b"x").unwrap_err().code(),
            "ERR_JOSE_ALG_NOT_ALLOWED"
        );
        assert!(!enc.fits(Algorithm::ES256));
        assert!(enc.fits_encryption(KeyManagementAlgorithm::EcdhEs));
        assert!(!enc.fits_encryption(KeyManagementAlgorithm::EcdhEsA128Kw));
        assert_eq!(
            enc.clone().with_alg(Algorithm::ES256).unwrap_err().code(),
            "ERR_JWK_INVALID"
        );

        let sig = Key::generate(Algorithm::ES256, &GenerateOptions::default()).unwrap();
        assert!(!sig.fits_encryption(KeyManagementAlgorithm::EcdhEs));
        assert_eq!(
            sig.for_encryption(KeyManagementAlgorithm::EcdhEs).unwrap_err().code(),
            "ERR_JWK_INVALID"
        );

        let ed = Key::generate(Algorithm::EdDSA, &GenerateOptions::default()).unwrap();
        let mut unbound = ed.clone();
        unbound.alg = None;
        assert_eq!(
            unbound
                .for_encryption(KeyManagementAlgorithm::EcdhEs)
                .unwrap_err()
                .code(),
            "ERR_JWK_INVALID"
        );
    }
}
