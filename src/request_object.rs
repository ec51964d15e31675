//! Request objects (RFC 9101 JAR, OpenID Connect Core §6.1): building one for an authorization
//! request or a PAR (RFC 9126), and verifying one on the server side.

use crate::alg::Algorithm;
use crate::assertion::HeaderChoice;
use crate::assertion::build::{
    header_value, issued_at, jti_value, lifetime_within, refuse_reserved, require_client_and_audience, require_private,
    signing_alg,
};
use crate::error::{Error, Result};
use crate::json::Object;
use crate::json::Value;
use crate::jws::{self, DEFAULT_MAX_TOKEN_LENGTH};
use crate::key::Key;
use crate::replay::ReplayCache;
use crate::{claims, time};

/// The explicit type of a request object (RFC 9101 §10.8).
pub const REQUEST_OBJECT_TYP: &str = "oauth-authz-req+jwt";

/// The longest lifetime, in seconds, the builder accepts and the verifier's default maximum
/// (FAPI-style profiles cap `exp − nbf` at 60 minutes).
pub const MAX_REQUEST_OBJECT_LIFETIME: i64 = 3600;

/// The claims the builder sets itself; `params` cannot hold them.
const RESERVED_CLAIMS: [&str; 7] = ["iss", "aud", "client_id", "exp", "iat", "nbf", "jti"];

/// Parameters that never belong inside a request object (RFC 9101 §4).
const FORBIDDEN_PARAMS: [&str; 2] = ["request", "request_uri"];

/// Options for [`create_request_object`]. `client_id` and `audience` are required.
#[derive(Debug, Clone, Default)]
pub struct RequestObjectOptions {
    /// The client identifier: becomes `iss` and `client_id`.
    pub client_id: String,
    /// The one `aud` value: the authorization server's issuer identifier.
    pub audience: String,
    /// The authorization request parameters: `response_type`, `redirect_uri`, `scope`, `state`,
    /// `nonce`, … They cannot set `iss`, `aud`, `client_id`, `exp`, `iat`, `nbf` or `jti`, nor
    /// hold `request` / `request_uri`.
    pub params: Object,
    /// The algorithm; default the key's bound algorithm, else its family's default.
    pub alg: Option<Algorithm>,
    /// The `kid` header: default the key's kid.
    pub kid: HeaderChoice,
    /// The `typ` header: default `oauth-authz-req+jwt`; omit it for brokers whose examples do.
    pub typ: HeaderChoice,
    /// The `jti` claim: default 128 fresh random bits; omit it, or give one (tests).
    pub jti: HeaderChoice,
    /// Seconds from `iat` to `exp`: default 300, at most 3600.
    pub lifetime: Option<i64>,
    /// The current time in epoch seconds; default the system clock.
    pub now: Option<i64>,
}

/// Signs a request object with `key`.
///
/// Claims: the `params`, then `iss` = `client_id` = the client id, `aud` = the audience (one
/// string), `iat` = `nbf` = now, `exp` = now + lifetime, and `jti`. Header: `alg`, `kid` and
/// `typ: oauth-authz-req+jwt` unless told otherwise. Fails with [`Error::InvalidArgument`] for an
/// empty client id or audience, a reserved claim or `request`/`request_uri` among the params, a
/// lifetime outside 1..=3600, or a public key.
pub fn create_request_object(key: &Key, opts: &RequestObjectOptions) -> Result<String> {
    require_client_and_audience(&opts.client_id, &opts.audience, "the authorization server's issuer")?;
    require_private(key, "a request object")?;
    let lifetime = lifetime_within(opts.lifetime, 300, MAX_REQUEST_OBJECT_LIFETIME)?;
    refuse_reserved(&opts.params, &RESERVED_CLAIMS, "params")?;
    if let Some(name) = FORBIDDEN_PARAMS.iter().find(|name| opts.params.contains_key(name)) {
        return Err(Error::argument(format!(
            "\"{name}\" must not appear inside a request object (RFC 9101 §4)"
        )));
    }
    let alg = signing_alg(key, opts.alg)?;
    let jti = match &opts.jti {
        HeaderChoice::Default => Some(jti_value(None)?),
        HeaderChoice::Omit => None,
        HeaderChoice::Value(jti) => Some(jti_value(Some(jti))?),
    };
    let now = issued_at(opts.now)?;

    let mut header = Object::new();
    if let Some(kid) = header_value(&opts.kid, key.kid(), "kid")? {
        header.insert("kid".into(), Value::String(kid));
    }
    if let Some(typ) = header_value(&opts.typ, REQUEST_OBJECT_TYP, "typ")? {
        header.insert("typ".into(), Value::String(typ));
    }
    let mut payload = opts.params.clone();
    payload.insert("iss".into(), Value::String(opts.client_id.clone()));
    payload.insert("aud".into(), Value::String(opts.audience.clone()));
    payload.insert("client_id".into(), Value::String(opts.client_id.clone()));
    payload.insert("iat".into(), Value::from(now));
    payload.insert("nbf".into(), Value::from(now));
    payload.insert("exp".into(), Value::from(now + lifetime));
    if let Some(jti) = jti {
        payload.insert("jti".into(), Value::String(jti));
    }
    jws::encode(header, &payload, key, alg)
}

/// The server's policy for [`verify_request_object`]. `client_id` and `audiences` are required.
#[derive(Debug, Clone)]
pub struct RequestObjectVerifyOptions {
    /// The client id of the authorization request: `iss` and `client_id` must equal it.
    pub client_id: String,
    /// Accepted `aud` values: the server's issuer identifier. Compared byte for byte.
    pub audiences: Vec<String>,
    /// Accepted algorithms; default all of [`Algorithm::ALL`].
    pub algorithms: Vec<Algorithm>,
    /// Seconds of clock skew allowed; default 15.
    pub clock_tolerance: i64,
    /// The longest lifetime accepted (`exp − iat`); default 3600.
    pub max_lifetime: i64,
    /// Require `typ: oauth-authz-req+jwt`; default false (then also no `typ`, or `JWT`).
    pub require_typ: bool,
    /// Require `jti`; default false, but a replay cache always requires it.
    pub require_jti: bool,
    /// The current time in epoch seconds; default the system clock.
    pub now: Option<i64>,
    /// The longest token accepted, checked before decoding; default 16 KiB.
    pub max_token_length: usize,
}

impl Default for RequestObjectVerifyOptions {
    fn default() -> Self {
        RequestObjectVerifyOptions {
            client_id: String::new(),
            audiences: Vec::new(),
            algorithms: Algorithm::ALL.to_vec(),
            clock_tolerance: 15,
            max_lifetime: MAX_REQUEST_OBJECT_LIFETIME,
            require_typ: false,
            require_jti: false,
            now: None,
            max_token_length: DEFAULT_MAX_TOKEN_LENGTH,
        }
    }
}

/// A request object that passed every check.
#[derive(Debug, Clone)]
pub struct VerifiedRequestObject<'k> {
    /// The protected header.
    pub header: Object,
    /// The claims: the authorization request parameters.
    pub payload: Object,
    /// The key whose signature held.
    pub key: &'k Key,
    /// The `jti`, when present.
    pub jti: Option<String>,
}

/// Verifies a request object with the client's registered `keys`, and records `(iss, jti)` in
/// `replay` when one is given.
///
/// Checks, in order: size and compact form; `alg` in `algorithms` and the signature (key by
/// `kid`, as for client assertions); `typ`: `oauth-authz-req+jwt`, or unless `require_typ` none
/// or `JWT` (any other explicit type, such as `client-authentication+jwt`, is refused); `iss` and
/// `client_id` both equal to the client id; `aud` one accepted value; no `request` or
/// `request_uri` inside; `exp` required, `nbf`/`iat` in time, lifetime within `max_lifetime`;
/// `jti` (required with `require_jti` or a replay cache); then replay.
pub fn verify_request_object<'k>(
    token: &str,
    keys: &'k [Key],
    opts: &RequestObjectVerifyOptions,
    replay: Option<&ReplayCache>,
) -> Result<VerifiedRequestObject<'k>> {
    if opts.client_id.is_empty() {
        return Err(Error::argument("clientId must be a non-empty string"));
    }
    if opts.audiences.is_empty() || opts.audiences.iter().any(String::is_empty) {
        return Err(Error::argument(
            "audience must name the accepted issuer identifier, not empty",
        ));
    }
    claims::check_policy(&opts.algorithms, opts.clock_tolerance)?;
    if !(1..=86_400).contains(&opts.max_lifetime) {
        return Err(Error::argument("maxLifetime must be between 1 and 86400 seconds"));
    }
    let decoded = jws::decode(token, opts.max_token_length)?;
    let key = claims::verify_signature(&decoded, &opts.algorithms, keys)?;
    claims::check_explicit_typ(&decoded.header, REQUEST_OBJECT_TYP, opts.require_typ)?;

    let payload = &decoded.payload;
    claims::claim_equals(
        payload,
        "iss",
        &opts.client_id,
        "\"iss\" is not the client id of this request",
    )?;
    claims::claim_equals(
        payload,
        "client_id",
        &opts.client_id,
        "\"client_id\" is not the client id of this request",
    )?;
    claims::check_audience(payload, &opts.audiences, false, "this authorization server")?;
    if let Some(name) = FORBIDDEN_PARAMS.iter().find(|name| payload.contains_key(name)) {
        return Err(Error::claim_failed(
            name,
            "check_failed",
            format!("\"{name}\" must not appear inside a request object"),
        ));
    }
    let now = time::now_or(opts.now)?;
    let tolerance = opts.clock_tolerance;
    let times = claims::check_times(payload, now, tolerance, true)?;
    let exp = times.exp.unwrap_or_default();
    claims::check_lifetime(exp, times.iat, now, tolerance, opts.max_lifetime)?;
    let jti = claims::check_jti(payload, opts.require_jti || replay.is_some())?;
    if let (Some(cache), Some(jti)) = (replay, &jti) {
        cache.check_and_record(&opts.client_id, jti, exp.saturating_add(tolerance), now)?;
    }
    Ok(VerifiedRequestObject {
        header: decoded.header,
        payload: decoded.payload,
        key,
        jti,
    })
}
