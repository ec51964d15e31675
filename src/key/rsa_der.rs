//! RSA key formats: PKCS#1 `RSAPrivateKey` and `RSAPublicKey` (RFC 8017 A.1), wrapped in PKCS#8
//! `PrivateKeyInfo` or `SubjectPublicKeyInfo` with the `rsaEncryption` algorithm identifier
//! (RFC 3279 §2.3.1), over pkjwt's DER codec.

use super::der::{self, AlgorithmIdentifier, PrivateKeyInfo, RsaPrivateKeyDer, RsaPublicKeyDer, SubjectPublicKeyInfo};
use super::rsa_kernel::{PrivateParts, RsaPrivateKey, RsaPublicKey};
use crate::error::{Error, Result};
use zeroize::Zeroizing;

/// The encoded `NULL` parameters of `rsaEncryption`.
const NULL_PARAMETERS: &[u8] = &[0x05, 0x00];

fn bad(what: &str, e: impl std::fmt::Display) -> Error {
    Error::key(format!("{what}: {e}"))
}

/// The `rsaEncryption` identifier must carry NULL parameters (RFC 3279 §2.3.1).
fn check_algorithm(algorithm: &AlgorithmIdentifier<'_>, what: &str) -> Result<()> {
    if algorithm.has_null_parameters() {
        Ok(())
    } else {
        Err(Error::key(format!("{what}: rsaEncryption parameters must be NULL")))
    }
}

/// A key from a DER PKCS#1 `RSAPrivateKey`; `what` names the input in errors.
pub(crate) fn private_from_pkcs1(der: &[u8], what: &str) -> Result<RsaPrivateKey> {
    let key = RsaPrivateKeyDer::parse(der).map_err(|e| bad(what, e))?;
    if key.multi_prime {
        return Err(Error::unsupported("multi-prime RSA keys are not supported"));
    }
    let public = RsaPublicKey::new(key.public.n, key.public.e)?;
    let [d, p, q, dp, dq, qinv] = key.private;
    RsaPrivateKey::new(
        public,
        &PrivateParts {
            d,
            p,
            q,
            dp: Some(dp),
            dq: Some(dq),
            qinv: Some(qinv),
        },
    )
}

/// A key from a DER PKCS#1 `RSAPublicKey`; `what` names the input in errors.
pub(crate) fn public_from_pkcs1(der: &[u8], what: &str) -> Result<RsaPublicKey> {
    let key = RsaPublicKeyDer::parse(der).map_err(|e| bad(what, e))?;
    RsaPublicKey::new(key.n, key.e)
}

/// A key from a decoded PKCS#8 `PrivateKeyInfo` of algorithm `rsaEncryption`.
pub(crate) fn private_from_pkcs8(info: &PrivateKeyInfo<'_>, what: &str) -> Result<RsaPrivateKey> {
    check_algorithm(&info.algorithm, what)?;
    private_from_pkcs1(info.private_key, what)
}

/// A key from a decoded `SubjectPublicKeyInfo` of algorithm `rsaEncryption`.
pub(crate) fn public_from_spki(info: &SubjectPublicKeyInfo<'_>, what: &str) -> Result<RsaPublicKey> {
    check_algorithm(&info.algorithm, what)?;
    let bytes = info
        .public_key
        .whole_bytes()
        .ok_or_else(|| Error::key(format!("{what}: the key's BIT STRING has unused bits")))?;
    public_from_pkcs1(bytes, what)
}

/// The DER PKCS#1 `RSAPrivateKey` (two primes).
pub(crate) fn private_to_pkcs1(key: &RsaPrivateKey) -> Zeroizing<Vec<u8>> {
    let public = key.public();
    let e = public.e_bytes();
    let numbers = key.numbers();
    RsaPrivateKeyDer {
        public: RsaPublicKeyDer {
            n: public.n_bytes(),
            e: &e,
        },
        private: [
            numbers.d.as_slice(),
            numbers.p.as_slice(),
            numbers.q.as_slice(),
            numbers.dp.as_slice(),
            numbers.dq.as_slice(),
            numbers.qinv.as_slice(),
        ],
        multi_prime: false,
    }
    .encode()
}

/// The DER PKCS#8 `PrivateKeyInfo`.
pub(crate) fn private_to_pkcs8(key: &RsaPrivateKey) -> Zeroizing<Vec<u8>> {
    PrivateKeyInfo::encode(der::RSA_ENCRYPTION, NULL_PARAMETERS, &private_to_pkcs1(key), None)
}

/// The DER `SubjectPublicKeyInfo`.
pub(crate) fn public_to_spki(key: &RsaPublicKey) -> Vec<u8> {
    let e = key.e_bytes();
    let pkcs1 = RsaPublicKeyDer {
        n: key.n_bytes(),
        e: &e,
    }
    .encode();
    SubjectPublicKeyInfo::encode(der::RSA_ENCRYPTION, NULL_PARAMETERS, &pkcs1)
}
