//! RSA keys with their arithmetic contexts cached: the `rsa` crate's key (formats, OAEP) next to
//! the constant-time kernel's Montgomery parameters, CRT values and a reused blinding pair.

use super::rsa_padding;
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::random;
use pkjwt_rsa_kernel as kernel;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use std::ops::Deref;
use std::sync::{Arc, Mutex, PoisonError};
use zeroize::Zeroizing;

/// An RSA public key with its cached Montgomery parameters.
#[derive(Clone)]
pub(crate) struct RsaPublicKey {
    key: rsa::PublicKey,
    kernel: Arc<kernel::PublicKey>,
}

/// An RSA private key with its cached CRT contexts and blinding pair.
#[derive(Clone)]
pub(crate) struct RsaPrivateKey {
    key: rsa::PrivateKey,
    public: RsaPublicKey,
    private: Arc<PrivateState>,
}

struct PrivateState {
    kernel: kernel::PrivateKey,
    blinding: Mutex<Option<kernel::Blinding>>,
}

fn kernel_error(e: kernel::Error) -> Error {
    Error::key(format!("RSA key rejected: {e}"))
}

fn public_exponent(key: &impl PublicKeyParts) -> Result<u32> {
    let e = key.e_bytes();
    let e = super::without_leading_zeros(&e);
    if e.len() > 4 {
        return Err(Error::key("RSA public exponent must be odd and between 3 and 2^32 - 1"));
    }
    Ok(e.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
}

fn is_pss(alg: Algorithm) -> bool {
    matches!(alg, Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512)
}

impl RsaPublicKey {
    /// Wraps a key that passed the RSA policy, computing its Montgomery parameters.
    pub(crate) fn new(key: rsa::PublicKey) -> Result<RsaPublicKey> {
        let kernel = kernel::PublicKey::new(&key.n_bytes(), public_exponent(&key)?).map_err(kernel_error)?;
        Ok(RsaPublicKey {
            key,
            kernel: Arc::new(kernel),
        })
    }

    /// True when `signature` is a valid `alg` signature of `message`.
    pub(crate) fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        let mut em = vec![0u8; self.kernel.size()];
        if self.kernel.apply(signature, &mut em).is_err() {
            return false;
        }
        if is_pss(alg) {
            rsa_padding::pss_verify(alg.hash(), message, &em, self.kernel.bits())
        } else {
            rsa_padding::pkcs1v15_encode(alg.hash(), message, em.len()).is_some_and(|expected| expected == em)
        }
    }
}

impl Deref for RsaPublicKey {
    type Target = rsa::PublicKey;

    fn deref(&self) -> &rsa::PublicKey {
        &self.key
    }
}

impl RsaPrivateKey {
    /// Wraps a two-prime key that passed the RSA policy, computing its CRT contexts.
    pub(crate) fn new(key: rsa::PrivateKey) -> Result<RsaPrivateKey> {
        let public = RsaPublicKey::new(key.to_public_key())?;
        let unsupported = || Error::unsupported("multi-prime RSA keys are not supported");
        let [p, q] = key.primes() else {
            return Err(unsupported());
        };
        let (dp, dq) = key.dp().zip(key.dq()).ok_or_else(unsupported)?;
        let qinv = key.crt_coefficient().ok_or_else(unsupported)?;
        let bytes = |v: &rsa::BoxedUint| Zeroizing::new(v.to_be_bytes());
        let kernel = kernel::PrivateKey::new(
            (*public.kernel).clone(),
            &bytes(p.as_ref()),
            &bytes(q.as_ref()),
            &bytes(dp),
            &bytes(dq),
            &bytes(&qinv),
        )
        .map_err(kernel_error)?;
        Ok(RsaPrivateKey {
            key,
            public,
            private: Arc::new(PrivateState {
                kernel,
                blinding: Mutex::new(None),
            }),
        })
    }

    /// The public half with its cached parameters.
    pub(crate) fn public(&self) -> &RsaPublicKey {
        &self.public
    }

    /// The `alg` signature of `message` (RS* or PS*).
    pub(crate) fn sign(&self, alg: Algorithm, message: &[u8]) -> Result<Vec<u8>> {
        let size = self.public.kernel.size();
        let too_short = || Error::CryptoFailure(format!("the RSA key is too short for {alg}"));
        let em = if is_pss(alg) {
            let mut salt = vec![0u8; rsa_padding::hash_len(alg.hash())];
            random::fill(&mut salt)?;
            let bits = self.public.kernel.bits();
            rsa_padding::pss_encode(alg.hash(), message, &salt, bits, size).ok_or_else(too_short)?
        } else {
            rsa_padding::pkcs1v15_encode(alg.hash(), message, size).ok_or_else(too_short)?
        };
        let state = &self.private;
        let taken = state.blinding.lock().unwrap_or_else(PoisonError::into_inner).take();
        let mut blinding = match taken {
            Some(blinding) => blinding,
            None => {
                let mut seed = Zeroizing::new(vec![0u8; size]);
                random::fill(&mut seed)?;
                state.kernel.blinding(&seed).map_err(signing_failed)?
            }
        };
        let mut signature = vec![0u8; size];
        state
            .kernel
            .apply(&mut blinding, &em, &mut signature)
            .map_err(signing_failed)?;
        *state.blinding.lock().unwrap_or_else(PoisonError::into_inner) = Some(blinding);
        Ok(signature)
    }
}

fn signing_failed(e: kernel::Error) -> Error {
    Error::CryptoFailure(format!("signing failed: {e}"))
}

impl Deref for RsaPrivateKey {
    type Target = rsa::PrivateKey;

    fn deref(&self) -> &rsa::PrivateKey {
        &self.key
    }
}
