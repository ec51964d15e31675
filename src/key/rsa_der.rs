//! RSA key formats over RustCrypto's `pkcs1`, `pkcs8` and `spki` crates: PKCS#1 `RSAPrivateKey`
//! and `RSAPublicKey` (RFC 8017 A.1), wrapped in PKCS#8 `PrivateKeyInfo` or
//! `SubjectPublicKeyInfo` with the `rsaEncryption` algorithm identifier (RFC 3279 §2.3.1).

use super::rsa_kernel::{PrivateParts, RsaPrivateKey, RsaPublicKey};
use crate::error::{Error, Result};
use der::asn1::{BitStringRef, OctetStringRef, UintRef};
use der::{Decode, Document, SecretDocument};
use pkcs8::LineEnding;

fn bad(what: &str, e: impl std::fmt::Display) -> Error {
    Error::key(format!("{what}: {e}"))
}

/// The `rsaEncryption` identifier must carry NULL parameters (RFC 3279 §2.3.1).
fn check_algorithm(algorithm: &spki::AlgorithmIdentifierRef<'_>, what: &str) -> Result<()> {
    if algorithm.parameters.is_some_and(|p| p.is_null()) {
        Ok(())
    } else {
        Err(Error::key(format!("{what}: rsaEncryption parameters must be NULL")))
    }
}

/// A key from a DER PKCS#1 `RSAPrivateKey`; `what` names the input in errors.
pub(crate) fn private_from_pkcs1(der: &[u8], what: &str) -> Result<RsaPrivateKey> {
    let key = pkcs1::RsaPrivateKeyRef::from_der(der).map_err(|e| bad(what, e))?;
    if key.version() != pkcs1::Version::TwoPrime || key.other_prime_infos.is_some() {
        return Err(Error::unsupported("multi-prime RSA keys are not supported"));
    }
    let public = RsaPublicKey::new(key.modulus.as_bytes(), key.public_exponent.as_bytes())?;
    RsaPrivateKey::new(
        public,
        &PrivateParts {
            d: key.private_exponent.as_bytes(),
            p: key.prime1.as_bytes(),
            q: key.prime2.as_bytes(),
            dp: Some(key.exponent1.as_bytes()),
            dq: Some(key.exponent2.as_bytes()),
            qinv: Some(key.coefficient.as_bytes()),
        },
    )
}

/// A key from a DER PKCS#1 `RSAPublicKey`; `what` names the input in errors.
pub(crate) fn public_from_pkcs1(der: &[u8], what: &str) -> Result<RsaPublicKey> {
    let key = pkcs1::RsaPublicKeyRef::from_der(der).map_err(|e| bad(what, e))?;
    RsaPublicKey::new(key.modulus.as_bytes(), key.public_exponent.as_bytes())
}

/// A key from a decoded PKCS#8 `PrivateKeyInfo` of algorithm `rsaEncryption`.
pub(crate) fn private_from_pkcs8(info: &pkcs8::PrivateKeyInfoRef<'_>, what: &str) -> Result<RsaPrivateKey> {
    check_algorithm(&info.algorithm, what)?;
    private_from_pkcs1(info.private_key.as_bytes(), what)
}

/// A key from a decoded `SubjectPublicKeyInfo` of algorithm `rsaEncryption`.
pub(crate) fn public_from_spki(info: &spki::SubjectPublicKeyInfoRef<'_>, what: &str) -> Result<RsaPublicKey> {
    check_algorithm(&info.algorithm, what)?;
    let bytes = info
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| Error::key(format!("{what}: the key's BIT STRING has unused bits")))?;
    public_from_pkcs1(bytes, what)
}

fn export_failed(e: impl std::fmt::Display) -> Error {
    Error::CryptoFailure(format!("RSA key export failed: {e}"))
}

fn uint(bytes: &[u8]) -> Result<UintRef<'_>> {
    UintRef::new(bytes).map_err(export_failed)
}

/// The DER PKCS#1 `RSAPrivateKey` (two primes).
pub(crate) fn private_to_pkcs1(key: &RsaPrivateKey) -> Result<SecretDocument> {
    let public = key.public();
    let e = public.e_bytes();
    let numbers = key.numbers();
    let encoded = pkcs1::RsaPrivateKey {
        modulus: uint(public.n_bytes())?,
        public_exponent: uint(&e)?,
        private_exponent: uint(&numbers.d)?,
        prime1: uint(&numbers.p)?,
        prime2: uint(&numbers.q)?,
        exponent1: uint(&numbers.dp)?,
        exponent2: uint(&numbers.dq)?,
        coefficient: uint(&numbers.qinv)?,
        other_prime_infos: None,
    };
    SecretDocument::encode_msg(&encoded).map_err(export_failed)
}

/// The PKCS#8 `PRIVATE KEY` PEM.
pub(crate) fn private_to_pkcs8_pem(key: &RsaPrivateKey) -> Result<String> {
    let pkcs1 = private_to_pkcs1(key)?;
    let info = pkcs8::PrivateKeyInfoRef::new(
        pkcs1::ALGORITHM_ID,
        OctetStringRef::new(pkcs1.as_bytes()).map_err(export_failed)?,
    );
    let doc = SecretDocument::encode_msg(&info).map_err(export_failed)?;
    doc.to_pem("PRIVATE KEY", LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(export_failed)
}

/// The DER `SubjectPublicKeyInfo`.
pub(crate) fn public_to_spki(key: &RsaPublicKey) -> Result<Document> {
    let e = key.e_bytes();
    let pkcs1 = Document::encode_msg(&pkcs1::RsaPublicKeyRef {
        modulus: uint(key.n_bytes())?,
        public_exponent: uint(&e)?,
    })
    .map_err(export_failed)?;
    let info = spki::SubjectPublicKeyInfoRef {
        algorithm: pkcs1::ALGORITHM_ID,
        subject_public_key: BitStringRef::new(0, pkcs1.as_bytes()).map_err(export_failed)?,
    };
    Document::encode_msg(&info).map_err(export_failed)
}

/// The SPKI `PUBLIC KEY` PEM.
pub(crate) fn public_to_spki_pem(key: &RsaPublicKey) -> Result<String> {
    public_to_spki(key)?
        .to_pem("PUBLIC KEY", LineEnding::LF)
        .map_err(export_failed)
}
