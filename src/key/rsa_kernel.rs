//! RSA keys: their big-endian numbers (secrets zeroized) next to the constant-time kernel's
//! Montgomery parameters, CRT values and a reused blinding pair.

use super::{rsa_padding, rsa_policy, without_leading_zeros};
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::random;
use pkjwt_rsa_kernel as kernel;
use std::sync::{Arc, Mutex, PoisonError};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// An RSA public key with its cached Montgomery parameters.
#[derive(Clone)]
pub(crate) struct RsaPublicKey {
    n: Arc<[u8]>,
    e: u32,
    kernel: Arc<kernel::PublicKey>,
}

/// An RSA private key: its numbers, its CRT contexts and its blinding pair.
#[derive(Clone)]
pub(crate) struct RsaPrivateKey {
    public: RsaPublicKey,
    numbers: Arc<PrivateNumbers>,
    private: Arc<PrivateState>,
}

/// The private numbers of a two-prime key, big-endian without leading zeros.
pub(crate) struct PrivateNumbers {
    /// The private exponent, kept as given (the CRT kernel does not use it).
    pub(crate) d: Zeroizing<Vec<u8>>,
    /// The first prime factor.
    pub(crate) p: Zeroizing<Vec<u8>>,
    /// The second prime factor.
    pub(crate) q: Zeroizing<Vec<u8>>,
    /// `d mod (p − 1)`.
    pub(crate) dp: Zeroizing<Vec<u8>>,
    /// `d mod (q − 1)`.
    pub(crate) dq: Zeroizing<Vec<u8>>,
    /// `q⁻¹ mod p`.
    pub(crate) qinv: Zeroizing<Vec<u8>>,
}

/// The private numbers as found in a key format; the CRT values may be missing (a JWK may leave
/// them out) and are then computed.
pub(crate) struct PrivateParts<'a> {
    /// The private exponent.
    pub(crate) d: &'a [u8],
    /// The first prime factor.
    pub(crate) p: &'a [u8],
    /// The second prime factor.
    pub(crate) q: &'a [u8],
    /// `d mod (p − 1)`, when given.
    pub(crate) dp: Option<&'a [u8]>,
    /// `d mod (q − 1)`, when given.
    pub(crate) dq: Option<&'a [u8]>,
    /// `q⁻¹ mod p`, when given.
    pub(crate) qinv: Option<&'a [u8]>,
}

struct PrivateState {
    kernel: kernel::PrivateKey,
    blinding: Mutex<Option<kernel::Blinding>>,
}

fn kernel_error(e: kernel::Error) -> Error {
    Error::key(format!("RSA key rejected: {e}"))
}

fn is_pss(alg: Algorithm) -> bool {
    matches!(alg, Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512)
}

fn secret(bytes: &[u8]) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(without_leading_zeros(bytes).to_vec())
}

/// True when the big-endian integers `a` and `b` are equal, compared in constant time over the
/// length of the longer one.
fn same_number(a: &[u8], b: &[u8]) -> bool {
    let len = a.len().max(b.len());
    let padded = |v: &[u8]| {
        let mut out = Zeroizing::new(vec![0u8; len]);
        if let Some(tail) = out.get_mut(len - v.len()..) {
            tail.copy_from_slice(v);
        }
        out
    };
    bool::from(padded(a).ct_eq(&padded(b)))
}

impl RsaPublicKey {
    /// A key from its big-endian modulus and public exponent, checked against the RSA policy.
    pub(crate) fn new(n: &[u8], e: &[u8]) -> Result<RsaPublicKey> {
        let e = rsa_policy::check(n, e)?;
        let n = without_leading_zeros(n);
        let kernel = kernel::PublicKey::new(n, e).map_err(kernel_error)?;
        Ok(RsaPublicKey {
            n: n.into(),
            e,
            kernel: Arc::new(kernel),
        })
    }

    /// The modulus, big-endian without leading zeros.
    pub(crate) fn n_bytes(&self) -> &[u8] {
        &self.n
    }

    /// The public exponent, big-endian without leading zeros.
    pub(crate) fn e_bytes(&self) -> Vec<u8> {
        without_leading_zeros(&self.e.to_be_bytes()).to_vec()
    }

    /// The public exponent.
    pub(crate) fn exponent(&self) -> u32 {
        self.e
    }

    /// The modulus length in bits.
    pub(crate) fn bits(&self) -> usize {
        self.kernel.bits()
    }

    /// The modulus length in bytes.
    pub(crate) fn size(&self) -> usize {
        self.kernel.size()
    }

    /// `input^e mod n` for an input of [`RsaPublicKey::size`] bytes below `n`.
    pub(crate) fn public_op(&self, input: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0u8; self.kernel.size()];
        self.kernel.apply(input, &mut out).ok().map(|()| out)
    }

    /// True when `signature` is a valid `alg` signature of `message`.
    pub(crate) fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        let Some(em) = self.public_op(signature) else {
            return false;
        };
        if is_pss(alg) {
            rsa_padding::pss_verify(alg.hash(), message, &em, self.kernel.bits())
        } else {
            rsa_padding::pkcs1v15_encode(alg.hash(), message, em.len()).is_some_and(|expected| expected == em)
        }
    }
}

impl RsaPrivateKey {
    /// A two-prime key from its public half and private numbers.
    ///
    /// Checks `1 < d, p, q < n`, `e·(d mod (p − 1)) ≡ 1 (mod p − 1)` and the same for `q` (so `d`
    /// inverts `e`), that given `dp`, `dq` equal `d mod (p − 1)`, `d mod (q − 1)`, `n = p·q` and
    /// `q·qinv ≡ 1 (mod p)`; computes the CRT values a JWK left out. All in constant time in the
    /// secret values; no exponentiation unless `qinv` is missing.
    pub(crate) fn new(public: RsaPublicKey, parts: &PrivateParts<'_>) -> Result<RsaPrivateKey> {
        for (value, name) in [
            (parts.d, "private exponent d"),
            (parts.p, "prime p"),
            (parts.q, "prime q"),
        ] {
            if !super::import::is_between_one_and(value, &public.n) {
                return Err(Error::key(format!("RSA {name} must lie between 1 and n")));
            }
        }
        let exponent = |prime: &[u8], given: Option<&[u8]>, name: &str| -> Result<Zeroizing<Vec<u8>>> {
            let computed = kernel::crt_exponent(parts.d, prime, public.e).map_err(|_| {
                Error::key(format!(
                    "RSA private exponent does not invert e modulo {name} − 1 (wrong d, e or {name})"
                ))
            })?;
            match given {
                Some(given) if !same_number(given, &computed) => Err(Error::key(format!(
                    "RSA CRT exponent d{name} does not equal d mod ({name} − 1)"
                ))),
                _ => Ok(secret(&computed)),
            }
        };
        let dp = exponent(parts.p, parts.dp, "p")?;
        let dq = exponent(parts.q, parts.dq, "q")?;
        let qinv = match parts.qinv {
            Some(qinv) => secret(qinv),
            None => secret(&kernel::crt_coefficient(parts.p, parts.q).map_err(kernel_error)?),
        };
        let numbers = PrivateNumbers {
            d: secret(parts.d),
            p: secret(parts.p),
            q: secret(parts.q),
            dp,
            dq,
            qinv,
        };
        let kernel = kernel::PrivateKey::new(
            (*public.kernel).clone(),
            &numbers.p,
            &numbers.q,
            &numbers.dp,
            &numbers.dq,
            &numbers.qinv,
        )
        .map_err(kernel_error)?;
        Ok(RsaPrivateKey {
            public,
            numbers: Arc::new(numbers),
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

    /// The private numbers.
    pub(crate) fn numbers(&self) -> &PrivateNumbers {
        &self.numbers
    }

    /// `input^d mod n`, blinded, for an input of [`RsaPublicKey::size`] bytes below `n`; the
    /// result is checked with `e` before it is released. Errors name the operation `what`.
    pub(crate) fn private_op(&self, input: &[u8], what: &str) -> Result<Zeroizing<Vec<u8>>> {
        let failed = |e: kernel::Error| Error::CryptoFailure(format!("{what} failed: {e}"));
        let size = self.public.kernel.size();
        let state = &self.private;
        let taken = state.blinding.lock().unwrap_or_else(PoisonError::into_inner).take();
        let mut blinding = match taken {
            Some(blinding) => blinding,
            None => {
                let mut seed = Zeroizing::new(vec![0u8; size]);
                random::fill(&mut seed)?;
                state.kernel.blinding(&seed).map_err(failed)?
            }
        };
        let mut out = Zeroizing::new(vec![0u8; size]);
        state.kernel.apply(&mut blinding, input, &mut out).map_err(failed)?;
        *state.blinding.lock().unwrap_or_else(PoisonError::into_inner) = Some(blinding);
        Ok(out)
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
        Ok(self.private_op(&em, "signing")?.to_vec())
    }
}
