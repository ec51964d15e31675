//! The JWE algorithms pkjwt implements (RFC 7518 §4 and §5), and the ones it refuses by name.

use crate::alg::{KeyFamily, printable};
use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// A JWE key-management algorithm (`alg`): how the content encryption key reaches the recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyManagementAlgorithm {
    /// RSAES-OAEP with SHA-1 and MGF1 with SHA-1 (RFC 7518 §4.3).
    RsaOaep,
    /// RSAES-OAEP with SHA-256 and MGF1 with SHA-256 (RFC 7518 §4.3).
    RsaOaep256,
    /// ECDH-ES direct key agreement: the Concat KDF output is the content key (RFC 7518 §4.6).
    EcdhEs,
    /// ECDH-ES, then AES-128 Key Wrap of the content key.
    EcdhEsA128Kw,
    /// ECDH-ES, then AES-256 Key Wrap of the content key.
    EcdhEsA256Kw,
}

impl KeyManagementAlgorithm {
    /// Every key-management algorithm pkjwt implements.
    pub const ALL: [KeyManagementAlgorithm; 5] = [
        KeyManagementAlgorithm::RsaOaep,
        KeyManagementAlgorithm::RsaOaep256,
        KeyManagementAlgorithm::EcdhEs,
        KeyManagementAlgorithm::EcdhEsA128Kw,
        KeyManagementAlgorithm::EcdhEsA256Kw,
    ];

    /// The JWA name, such as `"RSA-OAEP-256"`.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyManagementAlgorithm::RsaOaep => "RSA-OAEP",
            KeyManagementAlgorithm::RsaOaep256 => "RSA-OAEP-256",
            KeyManagementAlgorithm::EcdhEs => "ECDH-ES",
            KeyManagementAlgorithm::EcdhEsA128Kw => "ECDH-ES+A128KW",
            KeyManagementAlgorithm::EcdhEsA256Kw => "ECDH-ES+A256KW",
        }
    }

    /// True for the RSA-OAEP algorithms, false for the ECDH-ES ones.
    pub fn is_rsa(self) -> bool {
        matches!(
            self,
            KeyManagementAlgorithm::RsaOaep | KeyManagementAlgorithm::RsaOaep256
        )
    }

    /// The AES Key Wrap key length in bytes for `ECDH-ES+A…KW`, `None` otherwise.
    pub fn key_wrap_len(self) -> Option<usize> {
        match self {
            KeyManagementAlgorithm::EcdhEsA128Kw => Some(16),
            KeyManagementAlgorithm::EcdhEsA256Kw => Some(32),
            _ => None,
        }
    }

    /// True when a key of `family` can be used with this algorithm: RSA for RSA-OAEP, an EC
    /// key on P-256 or P-384 for ECDH-ES.
    pub fn fits_family(self, family: KeyFamily) -> bool {
        if self.is_rsa() {
            family == KeyFamily::Rsa
        } else {
            matches!(family, KeyFamily::P256 | KeyFamily::P384)
        }
    }
}

/// A JWE content-encryption algorithm (`enc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentEncryption {
    /// AES-128-CBC with HMAC-SHA-256 truncated to 128 bits (RFC 7518 §5.2.3).
    A128CbcHs256,
    /// AES-256-CBC with HMAC-SHA-512 truncated to 256 bits (RFC 7518 §5.2.5).
    A256CbcHs512,
    /// AES-128-GCM (RFC 7518 §5.3).
    A128Gcm,
    /// AES-256-GCM (RFC 7518 §5.3).
    A256Gcm,
}

impl ContentEncryption {
    /// Every content-encryption algorithm pkjwt implements.
    pub const ALL: [ContentEncryption; 4] = [
        ContentEncryption::A128CbcHs256,
        ContentEncryption::A256CbcHs512,
        ContentEncryption::A128Gcm,
        ContentEncryption::A256Gcm,
    ];

    /// The JWA name, such as `"A256GCM"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ContentEncryption::A128CbcHs256 => "A128CBC-HS256",
            ContentEncryption::A256CbcHs512 => "A256CBC-HS512",
            ContentEncryption::A128Gcm => "A128GCM",
            ContentEncryption::A256Gcm => "A256GCM",
        }
    }

    /// The content encryption key length in bytes (for CBC-HMAC: MAC key and AES key together).
    pub fn key_len(self) -> usize {
        match self {
            ContentEncryption::A128Gcm => 16,
            ContentEncryption::A128CbcHs256 | ContentEncryption::A256Gcm => 32,
            ContentEncryption::A256CbcHs512 => 64,
        }
    }

    /// The initialization vector length in bytes.
    pub fn iv_len(self) -> usize {
        match self {
            ContentEncryption::A128CbcHs256 | ContentEncryption::A256CbcHs512 => 16,
            ContentEncryption::A128Gcm | ContentEncryption::A256Gcm => 12,
        }
    }

    /// The authentication tag length in bytes.
    pub fn tag_len(self) -> usize {
        match self {
            ContentEncryption::A256CbcHs512 => 32,
            _ => 16,
        }
    }
}

impl fmt::Display for KeyManagementAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for ContentEncryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Registered JWE `alg` names that pkjwt does not implement.
const UNSUPPORTED_KEY_MANAGEMENT: [&str; 11] = [
    "RSA-OAEP-384",
    "RSA-OAEP-512",
    "ECDH-ES+A192KW",
    "A128KW",
    "A192KW",
    "A256KW",
    "A128GCMKW",
    "A192GCMKW",
    "A256GCMKW",
    "dir",
    "ECDH-1PU",
];

impl FromStr for KeyManagementAlgorithm {
    type Err = Error;

    /// Parses a JWA name exactly. `RSA1_5` (RFC 8725 §3.2 advises against it; it invites
    /// Bleichenbacher padding oracles) is [`Error::AlgNotAllowed`]; other registered names that
    /// pkjwt does not implement (`dir`, `A…KW`, `PBES2…`) and unknown names are
    /// [`Error::NotSupported`].
    fn from_str(name: &str) -> Result<Self> {
        if let Some(alg) = KeyManagementAlgorithm::ALL.into_iter().find(|a| a.as_str() == name) {
            return Ok(alg);
        }
        if name == "RSA1_5" {
            return Err(Error::AlgNotAllowed(
                "RSA1_5 (RSAES-PKCS1-v1_5 key transport is refused)".into(),
            ));
        }
        if UNSUPPORTED_KEY_MANAGEMENT.contains(&name) || name.starts_with("PBES2-") {
            return Err(Error::unsupported(format!("JWE algorithm {name} is not supported")));
        }
        Err(Error::unsupported(format!("unknown JWE algorithm {}", printable(name))))
    }
}

impl FromStr for ContentEncryption {
    type Err = Error;

    /// Parses a JWA `enc` name exactly; others are [`Error::NotSupported`].
    fn from_str(name: &str) -> Result<Self> {
        ContentEncryption::ALL
            .into_iter()
            .find(|e| e.as_str() == name)
            .ok_or_else(|| Error::unsupported(format!("JWE content encryption {} is not supported", printable(name))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_refusals_have_codes() {
        for alg in KeyManagementAlgorithm::ALL {
            assert_eq!(alg.as_str().parse::<KeyManagementAlgorithm>().unwrap(), alg);
        }
        for enc in ContentEncryption::ALL {
            assert_eq!(enc.as_str().parse::<ContentEncryption>().unwrap(), enc);
        }
        assert_eq!(
            "RSA1_5".parse::<KeyManagementAlgorithm>().unwrap_err().code(),
            "ERR_JOSE_ALG_NOT_ALLOWED"
        );
        for name in ["dir", "A128KW", "PBES2-HS256+A128KW", "rsa-oaep", "RS256", ""] {
            assert_eq!(
                name.parse::<KeyManagementAlgorithm>().unwrap_err().code(),
                "ERR_JOSE_NOT_SUPPORTED",
                "{name}"
            );
        }
        for name in ["A192GCM", "A192CBC-HS384", "a256gcm"] {
            assert_eq!(
                name.parse::<ContentEncryption>().unwrap_err().code(),
                "ERR_JOSE_NOT_SUPPORTED"
            );
        }
    }
}
