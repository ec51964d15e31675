//! JWA signature algorithms (RFC 7518 §3, RFC 8037 §3.1, RFC 9864) that pkjwt implements.

use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// An asymmetric JWS algorithm, named exactly as in JWA.
///
/// `none` and the HMAC algorithms are not representable: a client assertion made with a shared
/// secret is not `private_key_jwt`, and accepting them is the root of the classic alg-confusion
/// attacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256, MGF1 with SHA-256, 32-byte salt.
    PS256,
    /// RSASSA-PSS with SHA-384, MGF1 with SHA-384, 48-byte salt.
    PS384,
    /// RSASSA-PSS with SHA-512, MGF1 with SHA-512, 64-byte salt.
    PS512,
    /// ECDSA on P-256 with SHA-256, signature as R‖S (64 bytes).
    ES256,
    /// ECDSA on P-384 with SHA-384, signature as R‖S (96 bytes).
    ES384,
    /// EdDSA (RFC 8037) — with pkjwt always Ed25519.
    EdDSA,
    /// Ed25519, the fully-specified name of RFC 9864.
    Ed25519,
}

/// The family of key an algorithm needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFamily {
    /// An RSA key (2048 to 8192 bits).
    Rsa,
    /// An EC key on P-256.
    P256,
    /// An EC key on P-384.
    P384,
    /// An OKP key on Ed25519.
    Ed25519,
}

/// The hash function an algorithm signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Algorithm {
    /// Every algorithm pkjwt implements, in the order servers usually list them.
    pub const ALL: [Algorithm; 10] = [
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::EdDSA,
        Algorithm::Ed25519,
    ];

    /// The JWA name, such as `"PS256"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::EdDSA => "EdDSA",
            Algorithm::Ed25519 => "Ed25519",
        }
    }

    /// The kind of key this algorithm signs with.
    pub fn key_family(self) -> KeyFamily {
        match self {
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => KeyFamily::Rsa,
            Algorithm::ES256 => KeyFamily::P256,
            Algorithm::ES384 => KeyFamily::P384,
            Algorithm::EdDSA | Algorithm::Ed25519 => KeyFamily::Ed25519,
        }
    }

    /// True when `self` and `other` name the same signature scheme (`EdDSA` and `Ed25519`).
    pub fn is_equivalent(self, other: Algorithm) -> bool {
        self == other || (self.key_family() == KeyFamily::Ed25519 && other.key_family() == KeyFamily::Ed25519)
    }

    pub(crate) fn hash(self) -> Hash {
        match self {
            Algorithm::RS256 | Algorithm::PS256 | Algorithm::ES256 => Hash::Sha256,
            Algorithm::RS384 | Algorithm::PS384 | Algorithm::ES384 => Hash::Sha384,
            Algorithm::RS512 | Algorithm::PS512 | Algorithm::EdDSA | Algorithm::Ed25519 => Hash::Sha512,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// JWA signature names that exist but that pkjwt deliberately does not implement.
const KNOWN_UNSUPPORTED: [&str; 4] = ["ES512", "ES256K", "Ed448", "RS1"];

impl FromStr for Algorithm {
    type Err = Error;

    /// Parses a JWA name exactly (case-sensitive).
    ///
    /// `none` (in any case) and `HS*` give [`Error::AlgNotAllowed`]; other names give
    /// [`Error::NotSupported`].
    fn from_str(name: &str) -> Result<Self> {
        if let Some(alg) = Algorithm::ALL.into_iter().find(|a| a.as_str() == name) {
            return Ok(alg);
        }
        if name.eq_ignore_ascii_case("none") || name.to_ascii_uppercase().starts_with("HS") {
            return Err(Error::AlgNotAllowed(printable(name)));
        }
        if KNOWN_UNSUPPORTED.contains(&name) {
            return Err(Error::unsupported(format!("algorithm {name} is not supported")));
        }
        Err(Error::unsupported(format!("unknown algorithm {}", printable(name))))
    }
}

/// A short, quoted, escaped form of untrusted text for error messages.
pub(crate) fn printable(text: &str) -> String {
    let mut shown: String = text.chars().take(32).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    format!("{shown:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_exactly() {
        for alg in Algorithm::ALL {
            assert_eq!(alg.as_str().parse::<Algorithm>().unwrap(), alg);
        }
        assert!("rs256".parse::<Algorithm>().is_err());
        assert!("EDDSA".parse::<Algorithm>().is_err());
    }

    #[test]
    fn refusals_have_stable_codes() {
        for name in ["none", "None", "NONE", "HS256", "HS384", "HS512", "hs256"] {
            assert_eq!(
                name.parse::<Algorithm>().unwrap_err().code(),
                "ERR_JOSE_ALG_NOT_ALLOWED",
                "{name}"
            );
        }
        for name in ["ES512", "ES256K", "RSA-OAEP", "", "X".repeat(5000).as_str()] {
            assert_eq!(
                name.parse::<Algorithm>().unwrap_err().code(),
                "ERR_JOSE_NOT_SUPPORTED",
                "{name}"
            );
        }
    }
}
