//! The server side: verifying a client assertion under pkjwt's strict policy.

use super::CLIENT_ASSERTION_TYP;
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::json::Object;
use crate::jws::{self, DEFAULT_MAX_TOKEN_LENGTH};
use crate::key::Key;
use crate::replay::ReplayCache;
use crate::{claims, time};

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
        claims::check_policy(&self.algorithms, self.clock_tolerance)?;
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
    let key = claims::verify_signature(&decoded, &opts.algorithms, keys)?;
    claims::check_explicit_typ(&decoded.header, CLIENT_ASSERTION_TYP, opts.require_typ)?;

    let payload = &decoded.payload;
    let now = time::now_or(opts.now)?;
    let tolerance = opts.clock_tolerance;
    let client_id = check_issuer(payload, opts.client_id.as_deref())?;
    claims::check_audience(
        payload,
        &opts.audiences,
        opts.allow_multiple_audiences,
        "this authorization server",
    )?;
    let times = claims::check_times(payload, now, tolerance, true)?;
    let exp = times.exp.unwrap_or_default();
    claims::check_lifetime(exp, times.iat, now, tolerance, opts.max_lifetime)?;
    let jti = claims::check_jti(payload, opts.require_jti)?;
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

fn check_issuer(payload: &Object, client_id: Option<&str>) -> Result<String> {
    let iss = claims::string_claim(payload, "iss")?;
    let sub = claims::string_claim(payload, "sub")?;
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
