//! The checks every verifier of a signed JWT shares: choosing the key and verifying the
//! signature, reading claims strictly, the time window, `aud`, `jti` and explicit `typ`.
//!
//! Client assertions, request objects, signed JWK Sets, ID tokens and signed userinfo each add
//! their own rules on top of these.

use crate::alg::Algorithm;
use crate::assertion::{MAX_JTI_LENGTH, MAX_KEYS_TRIED};
use crate::error::{Error, Result};
use crate::json::Object;
use crate::json::Value;
use crate::jws::DecodedJws;
use crate::key::Key;

/// Checks `alg` against `algorithms`, then verifies the signature with a key chosen by exact
/// `kid` (without `kid`: at most [`MAX_KEYS_TRIED`] keys that fit the alg). Encryption keys are
/// never used.
pub(crate) fn verify_signature<'k>(decoded: &DecodedJws, algorithms: &[Algorithm], keys: &'k [Key]) -> Result<&'k Key> {
    let alg = decoded.alg()?;
    if !algorithms.contains(&alg) {
        return Err(Error::AlgNotAllowed(alg.to_string()));
    }
    let kid = decoded.kid()?;
    let usable = |key: &&Key| key.key_use() != Some("enc");
    let candidates: Vec<&Key> = match kid {
        Some(kid) => {
            let same_kid: Vec<&Key> = keys.iter().filter(|k| k.kid() == kid).filter(usable).collect();
            if same_kid.is_empty() {
                return Err(Error::NoMatchingKey);
            }
            let fitting: Vec<&Key> = same_kid.into_iter().filter(|k| k.fits(alg)).collect();
            if fitting.is_empty() {
                return Err(Error::AlgNotAllowed(format!(
                    "{alg} does not fit the key with this kid"
                )));
            }
            fitting.into_iter().take(MAX_KEYS_TRIED).collect()
        }
        None => keys
            .iter()
            .filter(usable)
            .filter(|k| k.fits(alg))
            .take(MAX_KEYS_TRIED)
            .collect(),
    };
    if candidates.is_empty() {
        return Err(Error::NoMatchingKey);
    }
    let message = decoded.signing_input.as_bytes();
    candidates
        .into_iter()
        .find(|key| key.verify(alg, message, &decoded.signature).is_ok())
        .ok_or(Error::SignatureVerificationFailed)
}

/// The `typ` header as a media type: lower-cased, without an `application/` prefix; `None`
/// when absent.
pub(crate) fn typ_media(header: &Object) -> Result<Option<String>> {
    match header.get("typ") {
        None => Ok(None),
        Some(Value::String(typ)) => {
            let typ = typ.to_ascii_lowercase();
            Ok(Some(typ.strip_prefix("application/").unwrap_or(&typ).to_owned()))
        }
        Some(_) => Err(Error::claim_failed(
            "typ",
            "invalid",
            "the \"typ\" header must be a string",
        )),
    }
}

/// Checks an explicit `typ`: `expected`, or (unless `required`) the generic `JWT`. Without
/// `typ`, passes unless `required`. Any other explicit type is refused, so that one kind of
/// token can never pass for another.
pub(crate) fn check_explicit_typ(header: &Object, expected: &str, required: bool) -> Result<()> {
    match typ_media(header)? {
        None if required => Err(Error::claim_failed(
            "typ",
            "missing",
            format!("the \"typ\" header must be {expected}"),
        )),
        None => Ok(()),
        Some(media) if media == expected || (!required && media == "jwt") => Ok(()),
        Some(media) => Err(Error::claim_failed(
            "typ",
            "check_failed",
            format!("\"typ\" {} is not {expected}", crate::alg::printable(&media)),
        )),
    }
}

/// A required claim that must be a non-empty string.
pub(crate) fn string_claim<'a>(claims: &'a Object, name: &str) -> Result<&'a str> {
    match claims.get(name) {
        None => Err(Error::claim_failed(
            name,
            "missing",
            format!("the \"{name}\" claim is required"),
        )),
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(_) => Err(Error::claim_failed(
            name,
            "invalid",
            format!("the \"{name}\" claim must be a non-empty string"),
        )),
    }
}

/// A required string claim that must equal `expected` byte for byte.
pub(crate) fn claim_equals(claims: &Object, name: &str, expected: &str, message: &str) -> Result<()> {
    if string_claim(claims, name)? != expected {
        return Err(Error::claim_failed(name, "mismatch", message));
    }
    Ok(())
}

/// An optional NumericDate claim: a non-negative integer.
pub(crate) fn numeric_date(claims: &Object, name: &str) -> Result<Option<i64>> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(v) if v >= 0 => Ok(Some(v)),
            _ => Err(Error::claim_failed(
                name,
                "invalid",
                format!("\"{name}\" must be a non-negative integer NumericDate"),
            )),
        },
        Some(_) => Err(Error::claim_failed(
            name,
            "invalid",
            format!("\"{name}\" must be a number"),
        )),
    }
}

/// A required NumericDate claim.
pub(crate) fn required_date(claims: &Object, name: &str) -> Result<i64> {
    numeric_date(claims, name)?
        .ok_or_else(|| Error::claim_failed(name, "missing", format!("the \"{name}\" claim is required")))
}

/// The time claims of a token, after [`check_times`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Times {
    pub exp: Option<i64>,
    pub iat: Option<i64>,
}

/// Checks `exp` (required when `require_exp`), `nbf` and `iat` against `now`, each with
/// `tolerance` seconds of skew: `exp` not passed, `nbf` reached, `iat` not in the future.
pub(crate) fn check_times(claims: &Object, now: i64, tolerance: i64, require_exp: bool) -> Result<Times> {
    let exp = if require_exp {
        Some(required_date(claims, "exp")?)
    } else {
        numeric_date(claims, "exp")?
    };
    let nbf = numeric_date(claims, "nbf")?;
    let iat = numeric_date(claims, "iat")?;
    if exp.is_some_and(|exp| now >= exp.saturating_add(tolerance)) {
        return Err(Error::Expired);
    }
    if nbf.is_some_and(|nbf| nbf > now.saturating_add(tolerance)) {
        return Err(Error::claim_failed(
            "nbf",
            "check_failed",
            "\"nbf\" claim timestamp check failed: not yet valid",
        ));
    }
    if iat.is_some_and(|iat| iat > now.saturating_add(tolerance)) {
        return Err(Error::claim_failed(
            "iat",
            "check_failed",
            "\"iat\" claim timestamp check failed: issued in the future",
        ));
    }
    Ok(Times { exp, iat })
}

/// Refuses a lifetime above `max`: `exp − iat`, or without `iat` `exp − (now + tolerance)`.
pub(crate) fn check_lifetime(exp: i64, iat: Option<i64>, now: i64, tolerance: i64, max: i64) -> Result<()> {
    let lifetime = match iat {
        Some(iat) => exp.saturating_sub(iat),
        None => exp.saturating_sub(now).saturating_sub(tolerance),
    };
    if lifetime > max {
        return Err(Error::claim_failed(
            "exp",
            "check_failed",
            format!("the token's lifetime of {lifetime} s exceeds the maximum of {max} s"),
        ));
    }
    Ok(())
}

/// Checks `aud` against the `accepted` values: a string, or an array of strings. An array of
/// several values passes only with `allow_multiple` and one accepted value among them. `whom`
/// names the intended audience in messages.
pub(crate) fn check_audience(claims: &Object, accepted: &[String], allow_multiple: bool, whom: &str) -> Result<()> {
    let is_accepted = |value: &str| accepted.iter().any(|a| a == value);
    let fail = |reason, message: String| Err(Error::claim_failed("aud", reason, message));
    match claims.get("aud") {
        None => fail("missing", "the \"aud\" claim is required".into()),
        Some(Value::String(aud)) if is_accepted(aud) => Ok(()),
        Some(Value::String(_)) => fail("mismatch", format!("\"aud\" is not {whom}")),
        Some(Value::Array(values)) => {
            let mut strings = Vec::with_capacity(values.len());
            for value in values {
                match value {
                    Value::String(s) => strings.push(s.as_str()),
                    _ => return fail("invalid", "every \"aud\" value must be a string".into()),
                }
            }
            match strings.as_slice() {
                [] => fail("invalid", "\"aud\" must not be an empty array".into()),
                [one] if is_accepted(one) => Ok(()),
                [_] => fail("mismatch", format!("\"aud\" is not {whom}")),
                _ if !allow_multiple => fail("invalid", "\"aud\" must hold exactly one value".into()),
                several if several.iter().any(|s| is_accepted(s)) => Ok(()),
                _ => fail("mismatch", format!("no \"aud\" value is {whom}")),
            }
        }
        Some(_) => fail("invalid", "\"aud\" must be a string or an array of strings".into()),
    }
}

/// How many values `aud` holds (1 for a string); call after [`check_audience`].
pub(crate) fn audience_count(claims: &Object) -> usize {
    match claims.get("aud") {
        Some(Value::Array(values)) => values.len(),
        Some(_) => 1,
        None => 0,
    }
}

/// The `jti`, required or not; when present, a non-empty string of bounded length.
pub(crate) fn check_jti(claims: &Object, required: bool) -> Result<Option<String>> {
    match claims.get("jti") {
        None if required => Err(Error::claim_failed("jti", "missing", "the \"jti\" claim is required")),
        None => Ok(None),
        Some(Value::String(jti)) if !jti.is_empty() && jti.chars().count() <= MAX_JTI_LENGTH => Ok(Some(jti.clone())),
        Some(_) => Err(Error::claim_failed(
            "jti",
            "invalid",
            format!("\"jti\" must be a non-empty string of at most {MAX_JTI_LENGTH} characters"),
        )),
    }
}

/// Checks the common option bounds of a verifier: a non-empty allowlist and a sane tolerance.
pub(crate) fn check_policy(algorithms: &[Algorithm], clock_tolerance: i64) -> Result<()> {
    if algorithms.is_empty() {
        return Err(Error::argument("algorithms must not be empty"));
    }
    if !(0..=600).contains(&clock_tolerance) {
        return Err(Error::argument("clockTolerance must be between 0 and 600 seconds"));
    }
    Ok(())
}
