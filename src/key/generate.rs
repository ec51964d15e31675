//! Key generation from the platform's random source.

use super::{ImportOptions, Key, Material, rsa_keygen, rsa_policy};
use crate::alg::{Algorithm, KeyFamily};
use crate::error::{Error, Result};
use crate::random;
use zeroize::Zeroizing;

/// Options for [`Key::generate`].
#[derive(Debug, Clone, Default)]
pub struct GenerateOptions {
    /// RSA modulus length in bits: a multiple of 8 from 2048 to 8192; default 2048.
    pub modulus_bits: Option<usize>,
    /// The `kid`; default the RFC 7638 thumbprint.
    pub kid: Option<String>,
}

/// The modulus length [`Key::generate`] uses when none is given.
pub const DEFAULT_RSA_BITS: usize = 2048;

impl Key {
    /// Generates a new private key for `alg`, bound to it.
    pub fn generate(alg: Algorithm, opts: &GenerateOptions) -> Result<Key> {
        if opts.modulus_bits.is_some() && alg.key_family() != KeyFamily::Rsa {
            return Err(Error::argument("modulusLength applies to RSA keys only"));
        }
        let material = match alg.key_family() {
            KeyFamily::Rsa => {
                let bits = opts.modulus_bits.unwrap_or(DEFAULT_RSA_BITS);
                if !(rsa_policy::MIN_BITS..=rsa_policy::MAX_BITS).contains(&bits) || !bits.is_multiple_of(8) {
                    return Err(Error::argument(
                        "RSA modulus length must be a multiple of 8 from 2048 to 8192",
                    ));
                }
                Material::RsaPrivate(Box::new(rsa_keygen::generate(bits)?))
            }
            KeyFamily::P256 => Material::P256Private(Box::new(random_scalar(
                32,
                pkjwt_ec_kernel::ecdsa_p256::SigningKey::from_slice,
            )?)),
            KeyFamily::P384 => Material::P384Private(Box::new(random_scalar(48, p384::ecdsa::SigningKey::from_slice)?)),
            KeyFamily::Ed25519 => {
                let mut seed = Zeroizing::new([0u8; 32]);
                random::fill(seed.as_mut())?;
                Material::Ed25519Private(Box::new(pkjwt_ec_kernel::ed25519::SigningKey::from_bytes(&seed)))
            }
        };
        Key::from_material(
            material,
            &ImportOptions {
                alg: Some(alg),
                kid: opts.kid.clone(),
            },
        )
    }
}

/// Draws scalars until one is in [1, n−1]; for P-256 and P-384 a retry is needed with
/// probability below 2^-32.
fn random_scalar<K, E>(len: usize, from_slice: impl Fn(&[u8]) -> std::result::Result<K, E>) -> Result<K> {
    let mut bytes = Zeroizing::new(vec![0u8; len]);
    for _ in 0..64 {
        random::fill(&mut bytes)?;
        if let Ok(key) = from_slice(&bytes) {
            return Ok(key);
        }
    }
    Err(Error::CryptoFailure(
        "the random source keeps producing invalid scalars".into(),
    ))
}
