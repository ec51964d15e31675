//! Keys: import, export, generation, thumbprints, signing and verification.
//!
//! A [`Key`] is one asymmetric key (public, or private with its public half) of a family pkjwt
//! implements: RSA 2048–8192 bits, EC P-256, EC P-384 or Ed25519. Every way in validates the key
//! (curve point, coordinate lengths, modulus size, exponent, lengths), so a `Key` that exists is
//! usable. Private material lives in the RustCrypto key types, which zeroize it on drop, and
//! `Debug` never prints it.

mod cert;
mod der;
mod encryption;
pub(crate) mod export;
mod generate;
mod import;
mod rsa_der;
mod rsa_kernel;
mod rsa_keygen;
mod rsa_padding;
mod rsa_policy;
mod sign;
mod verify_cache;

pub use cert::Certificate;
pub use generate::GenerateOptions;

use crate::alg::{Algorithm, KeyFamily};
use crate::error::{Error, Result};
use crate::jwe::KeyManagementAlgorithm;
pub(crate) use rsa_kernel::{RsaPrivateKey, RsaPublicKey};
use std::fmt;

#[derive(Clone)]
pub(crate) enum Material {
    RsaPrivate(Box<RsaPrivateKey>),
    RsaPublic(Box<RsaPublicKey>),
    P256Private(Box<pkjwt_ec_kernel::ecdsa_p256::SigningKey>),
    P256Public(p256::ecdsa::VerifyingKey),
    P384Private(Box<p384::ecdsa::SigningKey>),
    P384Public(p384::ecdsa::VerifyingKey),
    Ed25519Private(Box<pkjwt_ec_kernel::ed25519::SigningKey>),
    Ed25519Public(ed25519_dalek::VerifyingKey),
}

/// A borrowed view of the public half of a key.
pub(crate) enum PublicRef<'a> {
    Rsa(&'a RsaPublicKey),
    P256(&'a p256::ecdsa::VerifyingKey),
    P384(&'a p384::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

/// One signing or verification key, with its `kid` and optional algorithm binding.
#[derive(Clone)]
pub struct Key {
    material: Material,
    verify_cache: verify_cache::VerifyCache,
    kid: String,
    alg: Option<Algorithm>,
    key_use: Option<String>,
    enc_alg: Option<KeyManagementAlgorithm>,
}

/// The JWK key type of a [`Key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// `"RSA"`.
    Rsa,
    /// `"EC"` (P-256 or P-384).
    Ec,
    /// `"OKP"` (Ed25519).
    Okp,
}

impl KeyType {
    /// The JWK `kty` value.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::Rsa => "RSA",
            KeyType::Ec => "EC",
            KeyType::Okp => "OKP",
        }
    }
}

/// Options that import functions apply to the key they produce.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Bind the key to this algorithm; it must fit the key. A JWK's own `alg` must agree.
    pub alg: Option<Algorithm>,
    /// Use this `kid` instead of the JWK's `kid` or the RFC 7638 thumbprint.
    pub kid: Option<String>,
}

impl Key {
    pub(crate) fn from_material(material: Material, opts: &ImportOptions) -> Result<Key> {
        let mut key = Key {
            material,
            verify_cache: verify_cache::VerifyCache::default(),
            kid: String::new(),
            alg: None,
            key_use: None,
            enc_alg: None,
        };
        if let Some(alg) = opts.alg {
            key = key.with_alg(alg)?;
        }
        key.kid = match &opts.kid {
            Some(kid) => checked_kid(kid)?,
            None => key.thumbprint(),
        };
        Ok(key)
    }

    pub(crate) fn material(&self) -> &Material {
        &self.material
    }

    pub(crate) fn public_ref(&self) -> PublicRef<'_> {
        match &self.material {
            Material::RsaPrivate(k) => PublicRef::Rsa(k.public()),
            Material::RsaPublic(k) => PublicRef::Rsa(k),
            Material::P256Private(k) => PublicRef::P256(k.verifying_key()),
            Material::P256Public(k) => PublicRef::P256(k),
            Material::P384Private(k) => PublicRef::P384(k.verifying_key()),
            Material::P384Public(k) => PublicRef::P384(k),
            Material::Ed25519Private(k) => PublicRef::Ed25519(k.verifying_key()),
            Material::Ed25519Public(k) => PublicRef::Ed25519(*k),
        }
    }

    /// The JWK key type.
    pub fn key_type(&self) -> KeyType {
        match self.family() {
            KeyFamily::Rsa => KeyType::Rsa,
            KeyFamily::P256 | KeyFamily::P384 => KeyType::Ec,
            KeyFamily::Ed25519 => KeyType::Okp,
        }
    }

    /// The algorithm family the key belongs to.
    pub fn family(&self) -> KeyFamily {
        match &self.material {
            Material::RsaPrivate(_) | Material::RsaPublic(_) => KeyFamily::Rsa,
            Material::P256Private(_) | Material::P256Public(_) => KeyFamily::P256,
            Material::P384Private(_) | Material::P384Public(_) => KeyFamily::P384,
            Material::Ed25519Private(_) | Material::Ed25519Public(_) => KeyFamily::Ed25519,
        }
    }

    /// The key id: the one given at import or generation, else the JWK's `kid`, else the RFC 7638
    /// SHA-256 thumbprint.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The algorithm this key is bound to, if any.
    pub fn alg(&self) -> Option<Algorithm> {
        self.alg
    }

    /// The JWK `use` the key was imported with (`sig`, `enc`), if any.
    pub fn key_use(&self) -> Option<&str> {
        self.key_use.as_deref()
    }

    /// True when the key holds private material and can sign.
    pub fn is_private(&self) -> bool {
        matches!(
            self.material,
            Material::RsaPrivate(_) | Material::P256Private(_) | Material::P384Private(_) | Material::Ed25519Private(_)
        )
    }

    /// The modulus length in bits for RSA keys.
    pub fn rsa_bits(&self) -> Option<usize> {
        match &self.material {
            Material::RsaPrivate(k) => Some(k.public().bits()),
            Material::RsaPublic(k) => Some(k.bits()),
            _ => None,
        }
    }

    /// The public half of this key, with the same `kid` and `alg`.
    pub fn public_key(&self) -> Key {
        let material = match &self.material {
            Material::RsaPrivate(k) => Material::RsaPublic(Box::new(k.public().clone())),
            Material::P256Private(k) => Material::P256Public(*k.verifying_key()),
            Material::P384Private(k) => Material::P384Public(*k.verifying_key()),
            Material::Ed25519Private(k) => Material::Ed25519Public(k.verifying_key()),
            public => public.clone(),
        };
        Key {
            material,
            verify_cache: self.verify_cache.clone(),
            kid: self.kid.clone(),
            alg: self.alg,
            key_use: self.key_use.clone(),
            enc_alg: self.enc_alg,
        }
    }

    /// The same key with another `kid` (non-empty, at most 256 characters).
    pub fn with_kid(mut self, kid: &str) -> Result<Key> {
        self.kid = checked_kid(kid)?;
        Ok(self)
    }

    /// The same key bound to `alg`, which must fit the key.
    pub fn with_alg(mut self, alg: Algorithm) -> Result<Key> {
        if self.is_encryption_key() {
            return Err(Error::key(format!(
                "{alg} is a signature algorithm but this is an encryption key"
            )));
        }
        if alg.key_family() != self.family() {
            return Err(Error::key(format!(
                "algorithm {alg} does not fit a {} key",
                self.describe()
            )));
        }
        self.alg = Some(alg);
        Ok(self)
    }

    pub(crate) fn with_use(mut self, key_use: Option<String>) -> Key {
        self.key_use = key_use;
        self
    }

    /// The algorithm to sign with when none is given: the bound one, else RS256, ES256, ES384 or
    /// EdDSA by key family.
    pub fn default_alg(&self) -> Algorithm {
        self.alg.unwrap_or(match self.family() {
            KeyFamily::Rsa => Algorithm::RS256,
            KeyFamily::P256 => Algorithm::ES256,
            KeyFamily::P384 => Algorithm::ES384,
            KeyFamily::Ed25519 => Algorithm::EdDSA,
        })
    }

    /// True when this key may sign or verify with `alg`: not an encryption key, same family, and
    /// equivalent to the bound algorithm when there is one.
    pub fn fits(&self, alg: Algorithm) -> bool {
        !self.is_encryption_key()
            && alg.key_family() == self.family()
            && self.alg.is_none_or(|bound| bound.is_equivalent(alg))
    }

    /// A one-line description without secrets, such as `EC P-256 private key, kid "…", alg ES256`.
    pub fn summary(&self) -> String {
        let visibility = if self.is_private() { "private" } else { "public" };
        let alg = match (self.alg, self.enc_alg) {
            (Some(a), _) => format!(", alg {a}"),
            (None, Some(a)) => format!(", alg {a}, use enc"),
            (None, None) => String::new(),
        };
        format!(
            "{} {} {visibility} key, kid {:?}{alg}",
            self.key_type().as_str(),
            self.describe(),
            self.kid
        )
    }

    fn describe(&self) -> String {
        match self.rsa_bits() {
            Some(bits) => format!("RSA-{bits}"),
            None => match self.family() {
                KeyFamily::P256 => "P-256".into(),
                KeyFamily::P384 => "P-384".into(),
                _ => "Ed25519".into(),
            },
        }
    }
}

/// A big-endian unsigned integer without its leading zero bytes; zero stays one zero byte, its
/// minimal encoding (RFC 7518 §2, "Base64urlUInt").
pub(crate) fn without_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    bytes.get(first..).unwrap_or(bytes)
}

fn checked_kid(kid: &str) -> Result<String> {
    if kid.is_empty() || kid.chars().count() > 256 {
        return Err(Error::argument(
            "kid must be a non-empty string of at most 256 characters",
        ));
    }
    Ok(kid.to_owned())
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("kty", &self.key_type().as_str())
            .field("key", &self.describe())
            .field("kid", &self.kid)
            .field("alg", &self.alg.map(Algorithm::as_str))
            .field("private", &self.is_private())
            .finish_non_exhaustive()
    }
}
