//! The server side: verifying a client assertion under pkjwt's strict policy.

use super::MAX_JTI_LENGTH;
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::json::Object;
use crate::jws::{self, DEFAULT_MAX_TOKEN_LENGTH, DecodedJws};
use crate::key::Key;
use crate::replay::ReplayCache;
use crate::time;
use serde_json::Value;

/// How many keys are tried, at most, for one token (without `kid`: those that fit its alg).
pub const MAX_KEYS_TRIED: usize = 8;

/// The verifier policy. `audiences` is required; every other field has a strict default.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Accepted `aud` values: the server's issuer identifier first, and any legacy ones
    /// (the token endpoint) after it. Compared byte for byte.
    pub audiences: Vec<String>,
    /// The client id, when the request names it: `iss` and `sub` must equal it.
    pub client_id: Option<String>,
    /// Accepted algorithms; default all of [`Algorithm::ALL`].
    pub algorithms: Vec<Algorithm>,
    /// Seconds of clock skew allowed, applied once to each time check; default 15.
    pub clock_tolerance: i64,
    /// The longest lifetime accepted: `exp − iat`, or without `iat` `exp − (now + clock_tolerance)`
    /// (the same bound, since `iat` may be up to `now + clock_tolerance`); default 300.
    pub max_lifetime: i64,
    /// Require `jti` (OpenID Connect Core §9); default true.
    pub require_jti: bool,
    /// Require the `typ` header (`client-authentication+jwt`); default false, as rfc7523bis
    /// recommends servers not reject untyped assertions.
    pub require_typ: bool,
    /// Accept an `aud` array of several values when one of them is accepted; default false.
    pub allow_multiple_audiences: bool,
    /// The current time in epoch seconds; default the system clock.
    pub now: Option<i64>,
    /// The longest token accepted, checked before decoding; default 16 KiB.
    pub max_token_length: usize,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            audiences: Vec::new(),
            client_id: None,
            algorithms: Algorithm::ALL.to_vec(),
            clock_tolerance: 15,
            max_lifetime: 300,
            require_jti: true,
            require_typ: false,
            allow_multiple_audiences: false,
            now: None,
            max_token_length: DEFAULT_MAX_TOKEN_LENGTH,
        }
    }
}

/// A client assertion that passed every check.
#[derive(Debug, Clone)]
pub struct VerifiedAssertion<'k> {
    /// The protected header.
    pub header: Object,
    /// The claims.
    pub payload: Object,
    /// The key whose signature held.
    pub key: &'k Key,
    /// The authenticated client: `iss` (= `sub`).
    pub client_id: String,
    /// The `jti`, when present.
    pub jti: Option<String>,
    /// Until when (epoch seconds) the `(client_id, jti)` pair must be remembered: `exp` + tolerance.
    pub replay_expires_at: i64,
}

impl VerifyOptions {
    fn check(&self) -> Result<()> {
        if self.audiences.is_empty() || self.audiences.iter().any(String::is_empty) {
            return Err(Error::argument(
                "audience must name at least one accepted value (the issuer identifier), none empty",
            ));
        }
        if self.algorithms.is_empty() {
            return Err(Error::argument("algorithms must not be empty"));
        }
        if !(0..=600).contains(&self.clock_tolerance) {
            return Err(Error::argument("clockTolerance must be between 0 and 600 seconds"));
        }
        if !(1..=86_400).contains(&self.max_lifetime) {
            return Err(Error::argument("maxLifetime must be between 1 and 86400 seconds"));
        }
        Ok(())
    }
}

/// Verifies a client assertion with the client's registered `keys`, and records its `jti` in
/// `replay` when one is given.
///
/// Checks, in order: the token's size and compact form ([`jws::decode`]); `alg` parsed, in
/// `algorithms`, and fitting a key chosen by exact `kid` (without `kid`, at most
/// [`MAX_KEYS_TRIED`] keys that fit the alg are tried); the signature (opaque failure); `typ`;
/// `iss` = `sub` (= `client_id` when given), byte for byte; `aud` a single accepted value (a
/// string or a one-element array); `exp` (required), `nbf` and `iat` non-negative integers, in
/// time, and a lifetime within `max_lifetime`; `jti`; then, only after all of that, replay.
pub fn verify_client_assertion<'k>(
    token: &str,
    keys: &'k [Key],
    opts: &VerifyOptions,
    replay: Option<&ReplayCache>,
) -> Result<VerifiedAssertion<'k>> {
    opts.check()?;
    let decoded = jws::decode(token, opts.max_token_length)?;
    let alg = decoded.alg()?;
    if !opts.algorithms.contains(&alg) {
        return Err(Error::AlgNotAllowed(alg.to_string()));
    }
    let key = verify_with_keys(&decoded, alg, keys)?;
    check_typ(&decoded.header, opts.require_typ)?;

    let claims = &decoded.payload;
    let now = time::now_or(opts.now)?;
    let tolerance = opts.clock_tolerance;
    let client_id = check_issuer(claims, opts.client_id.as_deref())?;
    check_audience(claims, &opts.audiences, opts.allow_multiple_audiences)?;

    let exp = numeric_date(claims, "exp")?
        .ok_or_else(|| Error::claim_failed("exp", "missing", "the \"exp\" claim is required"))?;
    let nbf = numeric_date(claims, "nbf")?;
    let iat = numeric_date(claims, "iat")?;
    if now >= exp.saturating_add(tolerance) {
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
    let lifetime = match iat {
        Some(iat) => exp.saturating_sub(iat),
        None => exp.saturating_sub(now).saturating_sub(tolerance),
    };
    if lifetime > opts.max_lifetime {
        return Err(Error::claim_failed(
            "exp",
            "check_failed",
            format!(
                "the assertion's lifetime of {lifetime} s exceeds the maximum of {} s",
                opts.max_lifetime
            ),
        ));
    }
    let jti = check_jti(claims, opts.require_jti)?;
    let replay_expires_at = exp.saturating_add(tolerance);
    if let (Some(cache), Some(jti)) = (replay, &jti) {
        cache.check_and_record(&client_id, jti, replay_expires_at, now)?;
    }
    Ok(VerifiedAssertion {
        header: decoded.header,
        payload: decoded.payload,
        key,
        client_id,
        jti,
        replay_expires_at,
    })
}

fn verify_with_keys<'k>(decoded: &DecodedJws, alg: Algorithm, keys: &'k [Key]) -> Result<&'k Key> {
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

fn check_typ(header: &Object, required: bool) -> Result<()> {
    let typ = match header.get("typ") {
        None if required => {
            return Err(Error::claim_failed(
                "typ",
                "missing",
                "the \"typ\" header must be client-authentication+jwt",
            ));
        }
        None => return Ok(()),
        Some(Value::String(typ)) => typ.to_ascii_lowercase(),
        Some(_) => {
            return Err(Error::claim_failed(
                "typ",
                "invalid",
                "the \"typ\" header must be a string",
            ));
        }
    };
    let media = typ.strip_prefix("application/").unwrap_or(&typ);
    let accepted = media == "client-authentication+jwt" || (!required && media == "jwt");
    if !accepted {
        return Err(Error::claim_failed(
            "typ",
            "check_failed",
            format!("\"typ\" {} is not a client assertion type", crate::alg::printable(&typ)),
        ));
    }
    Ok(())
}

fn string_claim<'a>(claims: &'a Object, name: &str) -> Result<&'a str> {
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

fn check_issuer(claims: &Object, client_id: Option<&str>) -> Result<String> {
    let iss = string_claim(claims, "iss")?;
    let sub = string_claim(claims, "sub")?;
    if iss != sub {
        return Err(Error::claim_failed(
            "sub",
            "mismatch",
            "\"iss\" and \"sub\" must both be the client id",
        ));
    }
    if let Some(expected) = client_id {
        if iss != expected {
            return Err(Error::claim_failed(
                "iss",
                "mismatch",
                "\"iss\" is not the client id of this request",
            ));
        }
    }
    Ok(iss.to_owned())
}

fn check_audience(claims: &Object, accepted: &[String], allow_multiple: bool) -> Result<()> {
    let is_accepted = |value: &str| accepted.iter().any(|a| a == value);
    let fail = |reason, message: &str| Err(Error::claim_failed("aud", reason, message));
    match claims.get("aud") {
        None => fail("missing", "the \"aud\" claim is required"),
        Some(Value::String(aud)) if is_accepted(aud) => Ok(()),
        Some(Value::String(_)) => fail("mismatch", "\"aud\" is not this authorization server"),
        Some(Value::Array(values)) => {
            let mut strings = Vec::with_capacity(values.len());
            for value in values {
                match value {
                    Value::String(s) => strings.push(s.as_str()),
                    _ => return fail("invalid", "every \"aud\" value must be a string"),
                }
            }
            match strings.as_slice() {
                [] => fail("invalid", "\"aud\" must not be an empty array"),
                [one] if is_accepted(one) => Ok(()),
                [_] => fail("mismatch", "\"aud\" is not this authorization server"),
                _ if !allow_multiple => fail("invalid", "\"aud\" must hold exactly one value"),
                several if several.iter().any(|s| is_accepted(s)) => Ok(()),
                _ => fail("mismatch", "no \"aud\" value is this authorization server"),
            }
        }
        Some(_) => fail("invalid", "\"aud\" must be a string or an array of strings"),
    }
}

fn numeric_date(claims: &Object, name: &str) -> Result<Option<i64>> {
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

fn check_jti(claims: &Object, required: bool) -> Result<Option<String>> {
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
