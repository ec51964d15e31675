//! Key import from PEM, DER and JWK, with validation on the way in.

use super::der::{self, AlgorithmIdentifier, EcPrivateKey, PrivateKeyInfo, SubjectPublicKeyInfo};
use super::rsa_kernel::{PrivateParts, RsaPrivateKey, RsaPublicKey};
use super::{ImportOptions, Key, Material, rsa_der, without_leading_zeros};
use crate::b64;
use crate::error::{Error, Result};
use crate::json::{Object, Value};
use zeroize::Zeroizing;

/// The largest PEM, DER or JWK input accepted (an 8192-bit RSA private key is about 6.5 KB).
pub const MAX_KEY_INPUT: usize = 64 * 1024;

fn bad(what: &str, e: impl std::fmt::Display) -> Error {
    Error::key(format!("{what}: {e}"))
}

fn unsupported_algorithm(oid: &[u8]) -> Error {
    let name = match oid {
        der::RSASSA_PSS => "RSASSA-PSS-restricted RSA keys (id-RSASSA-PSS)",
        der::X25519 => "X25519 keys (key agreement, not signatures)",
        der::ED448 => "Ed448 keys",
        der::P521 => "the P-521 curve (ES512)",
        der::SECP256K1 => "the secp256k1 curve (ES256K)",
        _ => {
            return Error::unsupported(format!("keys of algorithm {} are not supported", der::oid_dotted(oid)));
        }
    };
    Error::unsupported(format!("{name} are not supported"))
}

/// The two curves pkjwt implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Curve {
    P256,
    P384,
}

impl Curve {
    fn oid(self) -> &'static [u8] {
        match self {
            Curve::P256 => der::P256,
            Curve::P384 => der::P384,
        }
    }
}

/// The curve named by `oid`, a valid identifier.
fn curve_named(oid: &[u8]) -> Result<Curve> {
    match oid {
        der::P256 => Ok(Curve::P256),
        der::P384 => Ok(Curve::P384),
        other => Err(unsupported_algorithm(other)),
    }
}

/// The curve an `id-ecPublicKey` algorithm identifier names in its parameters.
fn curve_of(algorithm: &AlgorithmIdentifier<'_>) -> Result<Curve> {
    let oid = algorithm
        .parameters_oid()
        .map_err(|e| bad("EC key without a named curve", e))?;
    curve_named(oid)
}

fn rsa_private(key: RsaPrivateKey) -> Material {
    Material::RsaPrivate(Box::new(key))
}

fn rsa_public(key: RsaPublicKey) -> Material {
    Material::RsaPublic(Box::new(key))
}

/// A PKCS#8 `PrivateKeyInfo` (unencrypted), DER.
fn from_pkcs8_der(der: &[u8]) -> Result<Material> {
    let what = "invalid PKCS#8 private key";
    let info = PrivateKeyInfo::parse(der).map_err(|e| bad(what, e))?;
    match info.algorithm.oid {
        der::RSA_ENCRYPTION => Ok(rsa_private(rsa_der::private_from_pkcs8(&info, what)?)),
        der::EC_PUBLIC_KEY => {
            let curve = curve_of(&info.algorithm)?;
            let key = EcPrivateKey::parse(info.private_key).map_err(|e| bad(what, e))?;
            if key.named_curve.is_some_and(|named| named != curve.oid()) {
                return Err(Error::key(
                    "PKCS#8 EC private key: the curves of the two headers differ",
                ));
            }
            ec_private(curve, &key, what)
        }
        der::ED25519 => ed25519_private(&info, what),
        other => Err(unsupported_algorithm(other)),
    }
}

/// An Ed25519 `OneAsymmetricKey` (RFC 8410 §7): no parameters, the seed as an OCTET STRING
/// inside the `privateKey` one, and a version 2 public key (when whole bytes) that must be the
/// seed's.
fn ed25519_private(info: &PrivateKeyInfo<'_>, what: &str) -> Result<Material> {
    if info.algorithm.parameters.is_some() {
        return Err(Error::key(format!("{what}: Ed25519 parameters must be absent")));
    }
    let seed: &[u8; 32] = match info.private_key {
        [0x04, 0x20, seed @ ..] => seed.try_into().ok(),
        _ => None,
    }
    .ok_or_else(|| {
        Error::key(format!(
            "{what}: the Ed25519 private key must be a 32-byte OCTET STRING"
        ))
    })?;
    let sk = pkjwt_ec_kernel::ed25519::SigningKey::from_bytes(seed);
    if let Some(public) = info.public_key.and_then(|bits| bits.whole_bytes()) {
        let matches = <&[u8; 32]>::try_from(public)
            .ok()
            .and_then(|bytes| ed25519_dalek::VerifyingKey::from_bytes(bytes).ok())
            .is_some_and(|embedded| embedded == sk.verifying_key());
        if !matches {
            return Err(Error::key(format!(
                "{what}: the embedded Ed25519 public key is not the one of its seed"
            )));
        }
    }
    Ok(Material::Ed25519Private(Box::new(sk)))
}

/// A `SubjectPublicKeyInfo`, DER.
fn from_spki_der(der: &[u8]) -> Result<Material> {
    let what = "invalid public key";
    let info = SubjectPublicKeyInfo::parse(der).map_err(|e| bad(what, e))?;
    let point = || {
        info.public_key
            .whole_bytes()
            .ok_or_else(|| Error::key(format!("{what}: the key's BIT STRING has unused bits")))
    };
    match info.algorithm.oid {
        der::RSA_ENCRYPTION => Ok(rsa_public(rsa_der::public_from_spki(&info, what)?)),
        der::EC_PUBLIC_KEY => match curve_of(&info.algorithm)? {
            Curve::P256 => Ok(Material::P256Public(
                p256::ecdsa::VerifyingKey::from_sec1_bytes(point()?).map_err(|e| bad(what, e))?,
            )),
            Curve::P384 => Ok(Material::P384Public(
                p384::ecdsa::VerifyingKey::from_sec1_bytes(point()?).map_err(|e| bad(what, e))?,
            )),
        },
        der::ED25519 => {
            if info.algorithm.parameters.is_some() {
                return Err(Error::key(format!("{what}: Ed25519 parameters must be absent")));
            }
            let bytes = <&[u8; 32]>::try_from(point()?)
                .map_err(|_| Error::key(format!("{what}: an Ed25519 public key is 32 bytes")))?;
            ed25519_public(ed25519_dalek::VerifyingKey::from_bytes(bytes).map_err(|e| bad(what, e))?)
        }
        other => Err(unsupported_algorithm(other)),
    }
}

/// A SEC1 `ECPrivateKey` (RFC 5915), DER; the curve must be named in it.
fn from_sec1_der(der: &[u8]) -> Result<Material> {
    let what = "invalid SEC1 EC private key";
    let key = EcPrivateKey::parse(der).map_err(|e| bad(what, e))?;
    let curve = key
        .named_curve
        .ok_or_else(|| Error::key("SEC1 EC private key without a named curve"))?;
    ec_private(curve_named(curve)?, &key, what)
}

/// The private key of an `ECPrivateKey` on `curve` (P-256 or P-384): its public key is derived
/// once, and an embedded public key must be that point.
fn ec_private(curve: Curve, key: &EcPrivateKey<'_>, what: &str) -> Result<Material> {
    let material = match curve {
        Curve::P256 => {
            let sk = pkjwt_ec_kernel::ecdsa_p256::SigningKey::from_slice(key.private_key).map_err(|e| bad(what, e))?;
            if let Some(public) = key.public_key {
                let embedded = p256::ecdsa::VerifyingKey::from_sec1_bytes(public).map_err(|e| bad(what, e))?;
                if &embedded != sk.verifying_key() {
                    return Err(Error::key(
                        "EC private key: the embedded public key is not the one of its private scalar",
                    ));
                }
            }
            Material::P256Private(Box::new(sk))
        }
        Curve::P384 => {
            let sk = p384::ecdsa::SigningKey::from_slice(key.private_key).map_err(|e| bad(what, e))?;
            if let Some(public) = key.public_key {
                let embedded = p384::ecdsa::VerifyingKey::from_sec1_bytes(public).map_err(|e| bad(what, e))?;
                if &embedded != sk.verifying_key() {
                    return Err(Error::key(
                        "EC private key: the embedded public key is not the one of its private scalar",
                    ));
                }
            }
            Material::P384Private(Box::new(sk))
        }
    };
    Ok(material)
}

/// Finds the PEM blocks of `text`, in order.
fn pem_blocks(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let from_begin = &rest[start..];
        let Some(end_marker) = from_begin.find("-----END ") else {
            break;
        };
        let after_end = &from_begin[end_marker + 9..];
        let Some(close) = after_end.find("-----") else { break };
        let length = end_marker + 9 + close + 5;
        blocks.push(&from_begin[..length]);
        rest = &from_begin[length..];
    }
    blocks
}

impl Key {
    /// Imports a PEM key: PKCS#8 (`PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`, `RSA PUBLIC KEY`),
    /// SEC1 (`EC PRIVATE KEY`, an `EC PARAMETERS` block before it is skipped), SPKI
    /// (`PUBLIC KEY`) or an X.509 `CERTIFICATE` (its public key).
    pub fn from_pem(text: &str, opts: &ImportOptions) -> Result<Key> {
        if text.len() > MAX_KEY_INPUT {
            return Err(Error::key("PEM input too large"));
        }
        for block in pem_blocks(text) {
            let (label, der) = der::pem::decode(block).map_err(|e| bad("invalid PEM", e))?;
            let material = match label {
                "PRIVATE KEY" => from_pkcs8_der(&der)?,
                "PUBLIC KEY" => from_spki_der(&der)?,
                "RSA PRIVATE KEY" => rsa_private(rsa_der::private_from_pkcs1(&der, "invalid PKCS#1 RSA private key")?),
                "RSA PUBLIC KEY" => rsa_public(rsa_der::public_from_pkcs1(&der, "invalid PKCS#1 RSA public key")?),
                "EC PRIVATE KEY" => from_sec1_der(&der)?,
                "CERTIFICATE" => return super::Certificate::from_der(&der)?.public_key(opts),
                "EC PARAMETERS" => continue,
                "ENCRYPTED PRIVATE KEY" => {
                    return Err(Error::unsupported(
                        "encrypted private keys are not supported: decrypt it first",
                    ));
                }
                other => {
                    return Err(Error::unsupported(format!(
                        "PEM blocks labelled {other:?} are not supported"
                    )));
                }
            };
            return Key::from_material(material, opts);
        }
        Err(Error::key("no PEM block found"))
    }

    /// Imports a DER key: PKCS#8, SPKI, PKCS#1 (private or public), SEC1 or an X.509 certificate.
    pub fn from_der(der: &[u8], opts: &ImportOptions) -> Result<Key> {
        if der.len() > MAX_KEY_INPUT {
            return Err(Error::key("DER input too large"));
        }
        if PrivateKeyInfo::parse(der).is_ok() {
            return Key::from_material(from_pkcs8_der(der)?, opts);
        }
        if SubjectPublicKeyInfo::parse(der).is_ok() {
            return Key::from_material(from_spki_der(der)?, opts);
        }
        if der::RsaPrivateKeyDer::parse(der).is_ok() {
            let key = rsa_der::private_from_pkcs1(der, "invalid PKCS#1 RSA private key")?;
            return Key::from_material(rsa_private(key), opts);
        }
        if der::RsaPublicKeyDer::parse(der).is_ok() {
            let key = rsa_der::public_from_pkcs1(der, "invalid PKCS#1 RSA public key")?;
            return Key::from_material(rsa_public(key), opts);
        }
        if EcPrivateKey::parse(der).is_ok() {
            return Key::from_material(from_sec1_der(der)?, opts);
        }
        if let Ok(cert) = super::Certificate::from_der(der) {
            return cert.public_key(opts);
        }
        Err(Error::key(
            "DER input is not a PKCS#8, SPKI, PKCS#1, SEC1 key or an X.509 certificate",
        ))
    }

    /// Imports a key from its DER-encoded `SubjectPublicKeyInfo`.
    pub(crate) fn from_spki(der: &[u8], opts: &ImportOptions) -> Result<Key> {
        Key::from_material(from_spki_der(der)?, opts)
    }

    /// Imports a JWK given as JSON text.
    pub fn from_jwk_str(text: &str, opts: &ImportOptions) -> Result<Key> {
        if text.len() > MAX_KEY_INPUT {
            return Err(Error::key("JWK input too large"));
        }
        let object = crate::json::parse_object(text.as_bytes(), "JWK").map_err(Error::KeyInvalid)?;
        Key::from_jwk(&object, opts)
    }

    /// Imports a JWK (RFC 7517/7518/8037): RSA, EC P-256/P-384 or OKP Ed25519, public or private.
    ///
    /// Coordinates and the OKP key must have their exact lengths, EC points must lie on the curve,
    /// private parts must match the public ones. The JWK's `kid`, `alg` and `use` are kept;
    /// `opts` may override `kid` and must agree with `alg`.
    pub fn from_jwk(jwk: &Object, opts: &ImportOptions) -> Result<Key> {
        let kty = member_str(jwk, "kty")?.ok_or_else(|| Error::key("JWK without \"kty\""))?;
        let material = match kty {
            "RSA" => rsa_from_jwk(jwk)?,
            "EC" => ec_from_jwk(jwk)?,
            "OKP" => okp_from_jwk(jwk)?,
            "oct" => {
                return Err(Error::unsupported(
                    "symmetric (oct) keys are not supported: private_key_jwt needs an asymmetric key",
                ));
            }
            "AKP" => return Err(Error::unsupported("AKP (ML-DSA) keys are not supported")),
            other => {
                return Err(Error::unsupported(format!(
                    "JWK kty {} is not supported",
                    crate::alg::printable(other)
                )));
            }
        };
        let (jwk_alg, jwk_enc_alg) = match member_str(jwk, "alg")? {
            Some(name) => match name.parse::<crate::Algorithm>() {
                Ok(alg) => (Some(alg), None),
                Err(sig_error) => match name.parse::<crate::jwe::KeyManagementAlgorithm>() {
                    Ok(enc_alg) => (None, Some(enc_alg)),
                    Err(_) => return Err(Error::key(format!("JWK \"alg\": {sig_error}"))),
                },
            },
            None => (None, None),
        };
        if let (Some(given), Some(own)) = (opts.alg, jwk_enc_alg) {
            return Err(Error::key(format!("JWK \"alg\" is {own} but {given} was requested")));
        }
        let alg = match (opts.alg, jwk_alg) {
            (Some(given), Some(own)) if !given.is_equivalent(own) => {
                return Err(Error::key(format!("JWK \"alg\" is {own} but {given} was requested")));
            }
            (given, own) => given.or(own),
        };
        let kid = match (&opts.kid, member_str(jwk, "kid")?) {
            (Some(kid), _) => Some(kid.clone()),
            (None, Some(own)) if own.is_empty() || own.chars().count() > 256 => {
                return Err(Error::key(
                    "JWK \"kid\" must be a non-empty string of at most 256 characters",
                ));
            }
            (None, own) => own.map(str::to_owned),
        };
        let key_use = member_str(jwk, "use")?.map(str::to_owned);
        let mut key = Key::from_material(material, &ImportOptions { alg, kid })?.with_use(key_use);
        if let Some(enc_alg) = jwk_enc_alg {
            key = key.for_encryption(enc_alg)?;
        }
        Ok(key)
    }
}

fn ed25519_public(key: ed25519_dalek::VerifyingKey) -> Result<Material> {
    if key.is_weak() {
        return Err(Error::key("Ed25519 public key is a small-order point"));
    }
    Ok(Material::Ed25519Public(key))
}

fn member_str<'a>(jwk: &'a Object, name: &str) -> Result<Option<&'a str>> {
    match jwk.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::key(format!("JWK \"{name}\" must be a string"))),
    }
}

fn member_bytes(jwk: &Object, name: &str) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>> {
    match member_str(jwk, name)? {
        None => Ok(None),
        Some(text) => b64::decode(text)
            .map(|b| Some(zeroize::Zeroizing::new(b)))
            .map_err(|e| Error::key(format!("JWK \"{name}\" is not canonical base64url: {e}"))),
    }
}

fn required_bytes(jwk: &Object, name: &str) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    member_bytes(jwk, name)?.ok_or_else(|| Error::key(format!("JWK without \"{name}\"")))
}

fn exact_len(bytes: &[u8], len: usize, name: &str) -> Result<()> {
    if bytes.len() != len {
        return Err(Error::key(format!(
            "JWK \"{name}\" must be exactly {len} bytes, not {}",
            bytes.len()
        )));
    }
    Ok(())
}

fn rsa_from_jwk(jwk: &Object) -> Result<Material> {
    if jwk.contains_key("oth") {
        return Err(Error::unsupported("multi-prime RSA keys (\"oth\") are not supported"));
    }
    let n = required_bytes(jwk, "n")?;
    let e = required_bytes(jwk, "e")?;
    let public = RsaPublicKey::new(&n, &e)?;
    let Some(d) = member_bytes(jwk, "d")? else {
        return Ok(rsa_public(public));
    };
    let (p, q) = match (member_bytes(jwk, "p")?, member_bytes(jwk, "q")?) {
        (Some(p), Some(q)) => (p, q),
        (None, None) => {
            let [p, q] = recovered_primes(&public, &d)?;
            (p, q)
        }
        _ => return Err(Error::key("RSA JWK has only one of \"p\" and \"q\"")),
    };
    let (dp, dq, qi) = (
        member_bytes(jwk, "dp")?,
        member_bytes(jwk, "dq")?,
        member_bytes(jwk, "qi")?,
    );
    let key = RsaPrivateKey::new(
        public,
        &PrivateParts {
            d: &d,
            p: &p,
            q: &q,
            dp: dp.as_deref().map(Vec::as_slice),
            dq: dq.as_deref().map(Vec::as_slice),
            qinv: qi.as_deref().map(Vec::as_slice),
        },
    )
    .map_err(|err| match err {
        Error::KeyInvalid(message) => Error::key(format!("invalid RSA private JWK: {message}")),
        other => other,
    })?;
    Ok(rsa_private(key))
}

/// The largest modulus whose primes are recovered from `n`, `e` and `d`.
const MAX_RECOVERY_BITS: usize = 4096;

/// The primes of a private JWK given by `n`, `e` and `d` alone (RFC 7518 §6.3.2 makes the
/// others optional; RFC 7516 A.1's key is such a one), recovered by the kernel.
/// Moduli above [`MAX_RECOVERY_BITS`] are refused: recovery costs a few, and for a crafted key up
/// to 40, exponentiations of the modulus' full size.
fn recovered_primes(public: &RsaPublicKey, d: &[u8]) -> Result<[Zeroizing<Vec<u8>>; 2]> {
    if public.bits() > MAX_RECOVERY_BITS {
        return Err(Error::key(
            "an RSA private JWK over 4096 bits must carry \"p\", \"q\", \"dp\", \"dq\" and \"qi\"",
        ));
    }
    if !is_between_one_and(d, public.n_bytes()) {
        return Err(Error::key("RSA JWK \"d\" must lie between 1 and n"));
    }
    let (p, q) = pkjwt_rsa_kernel::recover_primes(public.n_bytes(), public.exponent(), d)
        .map_err(|_| Error::key("invalid RSA private JWK: \"d\" does not match \"n\" and \"e\""))?;
    Ok([Zeroizing::new(p), Zeroizing::new(q)])
}

/// True when the big-endian integer `value` satisfies 1 < value < `limit` (variable time: lengths
/// and the bytes up to the first one that differs).
pub(super) fn is_between_one_and(value: &[u8], limit: &[u8]) -> bool {
    let (value, limit) = (without_leading_zeros(value), without_leading_zeros(limit));
    let above_one = value.len() > 1 || value.first().is_some_and(|&b| b > 1);
    let below_limit = value.len() < limit.len() || (value.len() == limit.len() && value < limit);
    above_one && below_limit
}

fn ec_from_jwk(jwk: &Object) -> Result<Material> {
    let crv = member_str(jwk, "crv")?.ok_or_else(|| Error::key("EC JWK without \"crv\""))?;
    let size = match crv {
        "P-256" => 32,
        "P-384" => 48,
        "P-521" => return Err(Error::unsupported("the P-521 curve (ES512) is not supported")),
        "secp256k1" => return Err(Error::unsupported("the secp256k1 curve (ES256K) is not supported")),
        other => {
            return Err(Error::unsupported(format!(
                "EC curve {} is not supported",
                crate::alg::printable(other)
            )));
        }
    };
    let x = required_bytes(jwk, "x")?;
    let y = required_bytes(jwk, "y")?;
    exact_len(&x, size, "x")?;
    exact_len(&y, size, "y")?;
    let mut point = Vec::with_capacity(1 + 2 * size);
    point.push(4u8);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    let d = member_bytes(jwk, "d")?;
    if let Some(d) = &d {
        exact_len(d, size, "d")?;
    }
    let not_on_curve = |e: signature::Error| bad("EC JWK point is not on the curve", e);
    let mismatch = || Error::key("EC JWK \"d\" does not match \"x\" and \"y\"");
    if size == 32 {
        let public = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(not_on_curve)?;
        match d {
            None => Ok(Material::P256Public(public)),
            Some(d) => {
                let sk = pkjwt_ec_kernel::ecdsa_p256::SigningKey::from_slice(&d)
                    .map_err(|e| bad("EC JWK \"d\" is invalid", e))?;
                if sk.verifying_key() != &public {
                    return Err(mismatch());
                }
                Ok(Material::P256Private(Box::new(sk)))
            }
        }
    } else {
        let public = p384::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(not_on_curve)?;
        match d {
            None => Ok(Material::P384Public(public)),
            Some(d) => {
                let sk = p384::ecdsa::SigningKey::from_slice(&d).map_err(|e| bad("EC JWK \"d\" is invalid", e))?;
                if sk.verifying_key() != &public {
                    return Err(mismatch());
                }
                Ok(Material::P384Private(Box::new(sk)))
            }
        }
    }
}

fn okp_from_jwk(jwk: &Object) -> Result<Material> {
    match member_str(jwk, "crv")? {
        Some("Ed25519") => {}
        Some("Ed448") => return Err(Error::unsupported("Ed448 keys are not supported")),
        Some("X25519") | Some("X448") => {
            return Err(Error::unsupported(
                "X25519/X448 keys are for key agreement, not signatures",
            ));
        }
        Some(other) => {
            return Err(Error::unsupported(format!(
                "OKP curve {} is not supported",
                crate::alg::printable(other)
            )));
        }
        None => return Err(Error::key("OKP JWK without \"crv\"")),
    }
    let x = required_bytes(jwk, "x")?;
    let x: [u8; 32] = x
        .as_slice()
        .try_into()
        .map_err(|_| Error::key("Ed25519 JWK \"x\" must be exactly 32 bytes"))?;
    let public =
        ed25519_dalek::VerifyingKey::from_bytes(&x).map_err(|e| bad("Ed25519 JWK \"x\" is not a valid point", e))?;
    let Some(d) = member_bytes(jwk, "d")? else {
        return ed25519_public(public);
    };
    let seed: zeroize::Zeroizing<[u8; 32]> = zeroize::Zeroizing::new(
        d.as_slice()
            .try_into()
            .map_err(|_| Error::key("Ed25519 JWK \"d\" must be exactly 32 bytes"))?,
    );
    let sk = pkjwt_ec_kernel::ed25519::SigningKey::from_bytes(&seed);
    if sk.verifying_key() != public {
        return Err(Error::key("Ed25519 JWK \"d\" does not match \"x\""));
    }
    Ok(Material::Ed25519Private(Box::new(sk)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_check_orders_big_endian_integers() {
        assert!(is_between_one_and(&[2], &[3]));
        assert!(is_between_one_and(&[0, 0, 2], &[1, 0]));
        assert!(!is_between_one_and(&[], &[3]));
        assert!(!is_between_one_and(&[0, 0], &[3]));
        assert!(!is_between_one_and(&[1], &[3]));
        assert!(!is_between_one_and(&[3], &[3]));
        assert!(!is_between_one_and(&[1, 0], &[0, 0xff]));
    }

    fn fixture_private_rsa_jwk() -> Object {
        crate::json::parse_object(include_str!("../../tests/keys/jwk/rsa2048.priv.json").as_bytes(), "JWK").unwrap()
    }

    /// The JWK with `n`, `e` and `d` only.
    fn without_crt_members(jwk: &Object) -> Object {
        let mut jwk = jwk.clone();
        for member in ["p", "q", "dp", "dq", "qi"] {
            jwk.remove(member);
        }
        jwk
    }

    /// Found by the fuzzer (fuzz/regressions/decode_verify/rsa-jwk-d-inconsistent): a JWK with `n`,
    /// `e` and a `d` that does not belong to them made the prime recovery try 64 bases, one
    /// full-size exponentiation each (seconds). It is refused at the first base now.
    #[test]
    fn rsa_jwk_without_primes_and_a_wrong_d_is_refused() {
        let mut jwk = without_crt_members(&fixture_private_rsa_jwk());
        assert!(Key::from_jwk(&jwk, &ImportOptions::default()).unwrap().is_private());
        let mut d = b64::decode(jwk["d"].as_str().unwrap()).unwrap();
        d[100] ^= 0x40;
        jwk.insert("d".into(), b64::encode(&d).into());
        let error = Key::from_jwk(&jwk, &ImportOptions::default()).unwrap_err();
        assert_eq!(error.code(), "ERR_JWK_INVALID");
    }

    /// Prime recovery is work a caller asks for with one key, never work a JWK Set (a client's,
    /// fetched by a verifier) can cause, and never for moduli over 4096 bits.
    #[test]
    fn rsa_prime_recovery_is_only_for_a_single_key_up_to_4096_bits() {
        let private = fixture_private_rsa_jwk();
        let mut jwk = without_crt_members(&private);
        assert!(Key::from_jwk(&jwk, &ImportOptions::default()).is_ok());
        let set = crate::json!({ "keys": [Value::Object(jwk.clone())] });
        let error = crate::from_jwks(&set).unwrap_err();
        assert_eq!(error.code(), "ERR_JWK_INVALID");
        assert!(error.to_string().contains("must carry \"p\" and \"q\""), "{error}");
        let with_primes = crate::json!({ "keys": [Value::Object(private)] });
        assert!(crate::from_jwks(&with_primes).unwrap()[0].is_private());

        let mut big = vec![0xC5u8; 1024];
        big[1023] |= 1;
        jwk.insert("n".into(), b64::encode(&big).into());
        jwk.insert("d".into(), b64::encode(&big[..1000]).into());
        let error = Key::from_jwk(&jwk, &ImportOptions::default()).unwrap_err();
        assert_eq!(error.code(), "ERR_JWK_INVALID");
        assert!(error.to_string().contains("over 4096 bits"), "{error}");
    }

    /// Found by the fuzzer: `d` = 0 without primes made rsa 0.10's prime recovery panic
    /// (fuzz/regressions/decode_verify/rsa-jwk-d-zero); the kernel's recovery is never reached
    /// with an out-of-range `d` either.
    #[test]
    fn rsa_jwk_private_members_out_of_range_are_errors_not_panics() {
        let public: Object =
            crate::json::parse_object(include_str!("../../tests/keys/jwk/rsa2048.pub.json").as_bytes(), "JWK").unwrap();
        let n = public["n"].as_str().unwrap().to_owned();
        for d in ["AA", "AAAAAA", "AQ", n.as_str()] {
            let mut jwk = public.clone();
            jwk.insert("d".into(), d.into());
            let error = Key::from_jwk(&jwk, &ImportOptions::default()).unwrap_err();
            assert_eq!(error.code(), "ERR_JWK_INVALID", "d = {d}");
        }
        let private: Object =
            crate::json::parse_object(include_str!("../../tests/keys/jwk/rsa2048.priv.json").as_bytes(), "JWK")
                .unwrap();
        for member in ["p", "q"] {
            let mut jwk = private.clone();
            jwk.insert(member.into(), "AA".into());
            assert_eq!(
                Key::from_jwk(&jwk, &ImportOptions::default()).unwrap_err().code(),
                "ERR_JWK_INVALID"
            );
        }
    }
}
