//! Key export: JWK, PEM, the RFC 7638 thumbprint and JWKS.

use super::der::{self, EcPrivateKey, PrivateKeyInfo, SubjectPublicKeyInfo, pem};
use super::rsa_der;
use super::{Key, Material, PublicRef};
use crate::b64;
use crate::error::{Error, Result};
use crate::json::{Object, Value};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// `crv`, `kty`, `x`, `y` of an EC key from its uncompressed SEC1 point (`04 ‖ x ‖ y`).
fn ec_members(crv: &'static str, uncompressed: &[u8]) -> Vec<(&'static str, String)> {
    let xy = uncompressed.get(1..).unwrap_or_default();
    let (x, y) = xy.split_at(xy.len() / 2);
    vec![
        ("crv", crv.into()),
        ("kty", "EC".into()),
        ("x", b64::encode(x)),
        ("y", b64::encode(y)),
    ]
}

/// The required public members of a key, in the lexicographic order RFC 7638 §3.2 asks for.
fn required_members(key: &Key) -> Vec<(&'static str, String)> {
    match key.public_ref() {
        PublicRef::Rsa(k) => vec![
            ("e", b64::encode(&k.e_bytes())),
            ("kty", "RSA".into()),
            ("n", b64::encode(k.n_bytes())),
        ],
        PublicRef::P256(k) => ec_members("P-256", k.to_sec1_point(false).as_bytes()),
        PublicRef::P384(k) => ec_members("P-384", k.to_sec1_point(false).as_bytes()),
        PublicRef::Ed25519(k) => {
            vec![
                ("crv", "Ed25519".into()),
                ("kty", "OKP".into()),
                ("x", b64::encode(&k.to_bytes())),
            ]
        }
    }
}

fn private_members(key: &Key) -> Result<Vec<(&'static str, String)>> {
    Ok(match key.material() {
        Material::RsaPrivate(k) => {
            let numbers = k.numbers();
            vec![
                ("d", b64::encode(&numbers.d)),
                ("p", b64::encode(&numbers.p)),
                ("q", b64::encode(&numbers.q)),
                ("dp", b64::encode(&numbers.dp)),
                ("dq", b64::encode(&numbers.dq)),
                ("qi", b64::encode(&numbers.qinv)),
            ]
        }
        Material::P256Private(k) => vec![("d", b64::encode(&k.to_bytes()))],
        Material::P384Private(k) => vec![("d", b64::encode(&k.to_bytes()))],
        Material::Ed25519Private(k) => vec![("d", b64::encode(k.as_bytes()))],
        _ => {
            return Err(Error::argument(
                "this is a public key: it has no private members to export",
            ));
        }
    })
}

impl Key {
    /// The RFC 7638 JWK thumbprint with SHA-256, base64url.
    pub fn thumbprint(&self) -> String {
        let mut canonical = String::from("{");
        for (i, (name, value)) in required_members(self).iter().enumerate() {
            if i > 0 {
                canonical.push(',');
            }
            canonical.push_str(&format!("\"{name}\":\"{value}\""));
        }
        canonical.push('}');
        b64::encode(&Sha256::digest(canonical.as_bytes()))
    }

    /// The key as a JWK: public members, `kid`, `alg` when bound (a signature or a JWE
    /// algorithm), and `use: "sig"` (or the `use` it was imported with, `"enc"` for an encryption
    /// key). With `private`, the private members too (the key must be private).
    pub fn to_jwk(&self, private: bool) -> Result<Object> {
        let mut jwk = Object::new();
        for (name, value) in required_members(self) {
            jwk.insert(name.into(), Value::String(value));
        }
        if private {
            for (name, value) in private_members(self)? {
                jwk.insert(name.into(), Value::String(value));
            }
        }
        jwk.insert("kid".into(), Value::String(self.kid().to_owned()));
        if let Some(alg) = self.alg() {
            jwk.insert("alg".into(), Value::String(alg.as_str().into()));
        } else if let Some(alg) = self.encryption_alg() {
            jwk.insert("alg".into(), Value::String(alg.as_str().into()));
        }
        jwk.insert("use".into(), Value::String(self.key_use().unwrap_or("sig").to_owned()));
        Ok(jwk)
    }

    /// PEM: PKCS#8 `PRIVATE KEY` for a private key, SPKI `PUBLIC KEY` for a public one.
    pub fn to_pem(&self) -> Result<String> {
        match self.to_pkcs8_der() {
            Some(pkcs8) => Ok(pem::encode("PRIVATE KEY", &pkcs8)),
            None => Ok(pem::encode("PUBLIC KEY", &self.to_spki_der()?)),
        }
    }

    /// The DER PKCS#8 `PrivateKeyInfo` of a private key: version 1 for RSA and EC (the EC
    /// `ECPrivateKey` with its public key, without parameters), version 2 with the public key for
    /// Ed25519 (the encodings RustCrypto's `pkcs8` crates write).
    fn to_pkcs8_der(&self) -> Option<Zeroizing<Vec<u8>>> {
        let ec = |curve: &[u8], scalar: &[u8], point: &[u8]| {
            let inner = EcPrivateKey::encode(scalar, point);
            PrivateKeyInfo::encode(der::EC_PUBLIC_KEY, &oid_element(curve), &inner, None)
        };
        Some(match self.material() {
            Material::RsaPrivate(k) => rsa_der::private_to_pkcs8(k),
            Material::P256Private(k) => ec(
                der::P256,
                &k.to_bytes(),
                k.verifying_key().to_sec1_point(false).as_bytes(),
            ),
            Material::P384Private(k) => ec(
                der::P384,
                &k.to_bytes(),
                k.verifying_key().to_sec1_point(false).as_bytes(),
            ),
            Material::Ed25519Private(k) => {
                let mut seed = Zeroizing::new(vec![0x04, 0x20]);
                seed.extend_from_slice(k.as_bytes());
                PrivateKeyInfo::encode(der::ED25519, &[], &seed, Some(k.verifying_key().as_bytes()))
            }
            _ => return None,
        })
    }

    /// The DER `SubjectPublicKeyInfo` of the public half.
    pub fn to_spki_der(&self) -> Result<Vec<u8>> {
        Ok(match self.public_ref() {
            PublicRef::Rsa(k) => rsa_der::public_to_spki(k),
            PublicRef::P256(k) => SubjectPublicKeyInfo::encode(
                der::EC_PUBLIC_KEY,
                &oid_element(der::P256),
                k.to_sec1_point(false).as_bytes(),
            ),
            PublicRef::P384(k) => SubjectPublicKeyInfo::encode(
                der::EC_PUBLIC_KEY,
                &oid_element(der::P384),
                k.to_sec1_point(false).as_bytes(),
            ),
            PublicRef::Ed25519(k) => SubjectPublicKeyInfo::encode(der::ED25519, &[], k.as_bytes()),
        })
    }
}

/// The encoded `OBJECT IDENTIFIER` element of a (short) identifier's contents.
fn oid_element(contents: &[u8]) -> Vec<u8> {
    let mut element = vec![0x06, contents.len() as u8];
    element.extend_from_slice(contents);
    element
}

/// A JWK Set of the public halves of `keys`, ready to register with an authorization server.
pub fn to_jwks(keys: &[Key]) -> Result<Value> {
    let mut list = Vec::with_capacity(keys.len());
    for key in keys {
        list.push(Value::Object(key.to_jwk(false)?));
    }
    let mut set = Object::new();
    set.insert("keys".into(), Value::Array(list));
    Ok(Value::Object(set))
}

/// Options for [`to_jwks_with`].
#[derive(Debug, Clone, Default)]
pub struct JwksOptions {
    /// Refuse a set where one key pair (same RFC 7638 thumbprint) appears for both signing and
    /// encryption, or a key has no `use` (Idura's FTN rules need separate keys).
    pub require_separate_keys: bool,
}

/// [`to_jwks`] with checks: see [`JwksOptions`]. Failures are [`Error::InvalidArgument`].
pub fn to_jwks_with(keys: &[Key], opts: &JwksOptions) -> Result<Value> {
    if opts.require_separate_keys {
        let mut seen: Vec<(String, &str)> = Vec::with_capacity(keys.len());
        for key in keys {
            let Some(key_use) = key.effective_use() else {
                return Err(Error::argument(format!(
                    "key {:?} has no use: separate signing and encryption keys need use \"sig\" or \"enc\"",
                    key.kid()
                )));
            };
            let thumbprint = key.thumbprint();
            if seen.iter().any(|(t, u)| *t == thumbprint && *u != key_use) {
                return Err(Error::argument(format!(
                    "key {:?} appears for both signing and encryption; use separate key pairs",
                    key.kid()
                )));
            }
            seen.push((thumbprint, key_use));
        }
    }
    to_jwks(keys)
}

/// JWE key-management algorithms: a JWK carrying one of these is an encryption key.
const ENCRYPTION_ALGS: [&str; 14] = [
    "RSA1_5",
    "RSA-OAEP",
    "RSA-OAEP-256",
    "RSA-OAEP-384",
    "RSA-OAEP-512",
    "ECDH-ES",
    "ECDH-ES+A128KW",
    "ECDH-ES+A192KW",
    "ECDH-ES+A256KW",
    "A128KW",
    "A192KW",
    "A256KW",
    "dir",
    "PBES2-HS256+A128KW",
];

/// The signature keys of a JWK Set (`{"keys":[…]}`), each validated as [`Key::from_jwk`] does.
///
/// A client's JWKS often also holds encryption keys (FTN requires separate ones) or keys of
/// types pkjwt does not implement; those are skipped: keys with `use: "enc"`, with a JWE `alg`,
/// with `key_ops` lacking `verify`, or of an unsupported type or curve. A malformed key that
/// claims to be a signature key is an error, not skipped.
pub fn from_jwks(jwks: &Value) -> Result<Vec<Key>> {
    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::key("a JWK Set must be an object with a \"keys\" array"))?;
    let mut usable = Vec::with_capacity(keys.len());
    for jwk in keys {
        let Value::Object(object) = jwk else {
            return Err(Error::key("every member of \"keys\" must be a JWK object"));
        };
        if is_encryption_key(object) {
            continue;
        }
        if needs_prime_recovery(object) {
            return Err(Error::key(
                "a private RSA JWK in a JWK Set must carry \"p\" and \"q\" (primes are recovered from \"d\" only for a single key)",
            ));
        }
        match Key::from_jwk(object, &super::ImportOptions::default()) {
            Ok(key) => usable.push(key),
            Err(Error::NotSupported(_)) => continue,
            Err(error) => return Err(error),
        }
    }
    Ok(usable)
}

/// An RSA JWK with `d` but neither `p` nor `q`: importing it means recovering the primes, up to
/// 40 exponentiations for a crafted key — work a JWK Set fetched from a client must not cause.
fn needs_prime_recovery(jwk: &Object) -> bool {
    jwk.get("kty").and_then(Value::as_str) == Some("RSA")
        && jwk.contains_key("d")
        && !jwk.contains_key("p")
        && !jwk.contains_key("q")
}

fn is_encryption_key(jwk: &Object) -> bool {
    let use_enc = jwk.get("use").and_then(Value::as_str) == Some("enc");
    let enc_alg = jwk
        .get("alg")
        .and_then(Value::as_str)
        .is_some_and(|alg| ENCRYPTION_ALGS.contains(&alg) || alg.starts_with("PBES2"));
    let no_verify = jwk
        .get("key_ops")
        .and_then(Value::as_array)
        .is_some_and(|ops| !ops.iter().any(|op| op.as_str() == Some("verify")));
    use_enc || enc_alg || no_verify
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Algorithm, GenerateOptions};

    #[test]
    fn jwks_skips_encryption_and_unsupported_keys_but_not_malformed_ones() {
        let sig = Key::generate(Algorithm::ES256, &GenerateOptions::default()).unwrap();
        let mut enc = Value::Object(sig.to_jwk(false).unwrap());
        enc["use"] = "enc".into();
        enc["kid"] = "enc-1".into();
        let mut oaep = Value::Object(sig.to_jwk(false).unwrap());
        oaep["alg"] = "RSA-OAEP-256".into();
        oaep.as_object_mut().unwrap().remove("use");
        let mut wrap_only = Value::Object(sig.to_jwk(false).unwrap());
        wrap_only["key_ops"] = crate::json!(["wrapKey"]);
        let x25519 = crate::json!({"kty": "OKP", "crv": "X25519", "x": "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"});
        let p521 = crate::json!({"kty": "EC", "crv": "P-521", "x": "AA", "y": "AA"});
        let signing = Value::Object(sig.to_jwk(false).unwrap());
        let set = crate::json!({"keys": [enc, oaep, wrap_only, x25519, p521, signing]});
        let keys = from_jwks(&set).unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].kid(), sig.kid());

        let mut broken = sig.to_jwk(false).unwrap();
        broken.insert("x".into(), "AAAA".into());
        let bad = crate::json!({"keys": [Value::Object(broken)]});
        assert_eq!(from_jwks(&bad).unwrap_err().code(), "ERR_JWK_INVALID");
    }
}
