//! ECDH-ES key agreement on P-256 and P-384 (RFC 7518 §4.6): the ephemeral public key (`epk`)
//! and the shared secret Z (the x-coordinate of the shared point).

use crate::b64;
use crate::error::{Error, Result};
use crate::json::{Object, Value};
use crate::key::{Key, Material, PublicRef};
use crate::random;
use p256::elliptic_curve::point::AffineCoordinates;
use zeroize::Zeroizing;

/// A validated ephemeral public key: a point on the curve it names.
pub(crate) enum Epk {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
}

/// Reads the `epk` header member. Its shape (an object of strings) is checked here as
/// [`Error::JweInvalid`]; its values (curve, lengths, a point off the curve) are
/// [`Error::DecryptionFailed`], like every other failure an attacker could probe.
pub(crate) fn parse_epk(value: Option<&Value>) -> Result<Epk> {
    let Some(Value::Object(epk)) = value else {
        return Err(Error::JweInvalid(
            "ECDH-ES needs an \"epk\" header parameter that is a JWK object".into(),
        ));
    };
    let member = |name: &str| match epk.get(name) {
        Some(Value::String(s)) => Ok(s.as_str()),
        _ => Err(Error::JweInvalid(format!("\"epk\" needs a string \"{name}\""))),
    };
    let (kty, crv, x, y) = (member("kty")?, member("crv")?, member("x")?, member("y")?);
    if epk.contains_key("d") {
        return Err(Error::JweInvalid("\"epk\" must not contain a private key".into()));
    }
    let size = match (kty, crv) {
        ("EC", "P-256") => 32,
        ("EC", "P-384") => 48,
        _ => return Err(Error::DecryptionFailed),
    };
    let x = b64::decode(x).map_err(|_| Error::DecryptionFailed)?;
    let y = b64::decode(y).map_err(|_| Error::DecryptionFailed)?;
    if x.len() != size || y.len() != size {
        return Err(Error::DecryptionFailed);
    }
    let mut point = Vec::with_capacity(1 + 2 * size);
    point.push(4u8);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    if size == 32 {
        p256::ecdsa::VerifyingKey::from_sec1_bytes(&point)
            .map(Epk::P256)
            .map_err(|_| Error::DecryptionFailed)
    } else {
        p384::ecdsa::VerifyingKey::from_sec1_bytes(&point)
            .map(Epk::P384)
            .map_err(|_| Error::DecryptionFailed)
    }
}

/// Z for the recipient's private `key` and the sender's `epk`; a curve mismatch or a key that
/// is not a private EC key is [`Error::DecryptionFailed`].
pub(crate) fn shared_secret(key: &Key, epk: &Epk) -> Result<Zeroizing<Vec<u8>>> {
    match (key.material(), epk) {
        (Material::P256Private(sk), Epk::P256(pk)) => {
            let point = (p256::ProjectivePoint::from(*pk.as_affine()) * sk.as_nonzero_scalar().as_ref()).to_affine();
            Ok(Zeroizing::new(point.x().to_vec()))
        }
        (Material::P384Private(sk), Epk::P384(pk)) => {
            let point = (p384::ProjectivePoint::from(*pk.as_affine()) * sk.as_nonzero_scalar().as_ref()).to_affine();
            Ok(Zeroizing::new(point.x().to_vec()))
        }
        _ => Err(Error::DecryptionFailed),
    }
}

/// The shared secret Z and the `epk` JWK that lets the recipient compute it.
pub(crate) type Ephemeral = (Zeroizing<Vec<u8>>, Object);

/// A fresh ephemeral key on the recipient's curve: Z and the `epk` JWK to send.
pub(crate) fn ephemeral(recipient: &Key) -> Result<Ephemeral> {
    match recipient.public_ref() {
        PublicRef::P256(pk) => {
            let mut seed = Zeroizing::new(vec![0u8; 32]);
            let sk = loop_scalar(&mut seed, pkjwt_ec_kernel::ecdsa_p256::SigningKey::from_slice)?;
            let point = (p256::ProjectivePoint::from(*pk.as_affine()) * sk.as_nonzero_scalar().as_ref()).to_affine();
            let epk = epk_jwk("P-256", sk.verifying_key().to_sec1_point(false).as_bytes());
            Ok((Zeroizing::new(point.x().to_vec()), epk))
        }
        PublicRef::P384(pk) => {
            let mut seed = Zeroizing::new(vec![0u8; 48]);
            let sk = loop_scalar(&mut seed, p384::ecdsa::SigningKey::from_slice)?;
            let point = (p384::ProjectivePoint::from(*pk.as_affine()) * sk.as_nonzero_scalar().as_ref()).to_affine();
            let epk = epk_jwk("P-384", sk.verifying_key().to_sec1_point(false).as_bytes());
            Ok((Zeroizing::new(point.x().to_vec()), epk))
        }
        _ => Err(Error::argument("ECDH-ES needs an EC P-256 or P-384 key")),
    }
}

fn loop_scalar<K, E>(bytes: &mut [u8], from_slice: impl Fn(&[u8]) -> std::result::Result<K, E>) -> Result<K> {
    for _ in 0..64 {
        random::fill(bytes)?;
        if let Ok(key) = from_slice(bytes) {
            return Ok(key);
        }
    }
    Err(Error::CryptoFailure(
        "the random source keeps producing invalid scalars".into(),
    ))
}

fn epk_jwk(crv: &str, uncompressed: &[u8]) -> Object {
    let xy = uncompressed.get(1..).unwrap_or_default();
    let (x, y) = xy.split_at(xy.len() / 2);
    let mut jwk = Object::new();
    jwk.insert("kty".into(), "EC".into());
    jwk.insert("crv".into(), crv.into());
    jwk.insert("x".into(), b64::encode(x).into());
    jwk.insert("y".into(), b64::encode(y).into());
    jwk
}
