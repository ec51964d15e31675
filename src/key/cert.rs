//! X.509 certificates: their public key and the `x5t` / `x5t#S256` thumbprints (RFC 7515 §4.1.7–8).

use super::{ImportOptions, Key};
use crate::b64;
use crate::error::{Error, Result};
use sha2::Digest;

/// A parsed X.509 certificate.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    spki: Vec<u8>,
}

impl Certificate {
    /// Parses a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Certificate> {
        let spki = super::der::certificate_public_key_info(der)
            .map_err(|e| Error::key(format!("invalid X.509 certificate: {e}")))?
            .to_vec();
        Ok(Certificate {
            der: der.to_vec(),
            spki,
        })
    }

    /// Parses the first `CERTIFICATE` block of a PEM text.
    pub fn from_pem(text: &str) -> Result<Certificate> {
        let start = text
            .find("-----BEGIN CERTIFICATE-----")
            .ok_or_else(|| Error::key("no PEM CERTIFICATE block found"))?;
        let block = &text[start..];
        let end = block
            .find("-----END CERTIFICATE-----")
            .ok_or_else(|| Error::key("unterminated PEM CERTIFICATE block"))?;
        let pem = &block[..end + "-----END CERTIFICATE-----".len()];
        let (_, der) = super::der::pem::decode(pem).map_err(|e| Error::key(format!("invalid PEM: {e}")))?;
        Certificate::from_der(&der)
    }

    /// The certificate's DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// `x5t`: base64url of the SHA-1 digest of the DER certificate (legacy; Entra with RS256).
    pub fn x5t(&self) -> String {
        b64::encode(&sha1::Sha1::digest(&self.der))
    }

    /// `x5t#S256`: base64url of the SHA-256 digest of the DER certificate.
    pub fn x5t_s256(&self) -> String {
        b64::encode(&sha2::Sha256::digest(&self.der))
    }

    /// The certificate's subject public key, validated like any imported key.
    pub fn public_key(&self, opts: &ImportOptions) -> Result<Key> {
        Key::from_spki(&self.spki, opts)
    }

    /// True when `key` (public or private) is the certificate's subject key.
    pub fn matches(&self, key: &Key) -> bool {
        key.to_spki_der().is_ok_and(|spki| spki == self.spki)
    }
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("x5t#S256", &self.x5t_s256())
            .finish()
    }
}
