//! The relying party's checks of a signed ID token (OpenID Connect Core §3.1.3.7) and of a
//! signed userinfo response (§5.3.2), on the signed JWT itself: decrypt a nested JWT first.

use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::json::Object;
use crate::json::Value;
use crate::jws;
use crate::key::Key;
use crate::{claims, time};

/// The cap on an ID token or userinfo JWT before decoding: 64 KiB.
pub const MAX_ID_TOKEN_LENGTH: usize = 64 * 1024;

/// The relying party's expectations for [`verify_id_token`]. `issuer` and `client_id` are required.
#[derive(Debug, Clone)]
pub struct IdTokenOptions {
    /// The provider's issuer identifier: `iss` must equal it exactly.
    pub issuer: String,
    /// The client id: `aud` must contain it, and `azp` (when present) equal it.
    pub client_id: String,
    /// The `nonce` sent in the authentication request: then required and equal.
    pub nonce: Option<String>,
    /// The `max_age` sent: `auth_time` is then required and `auth_time + max_age` not passed.
    pub max_age: Option<i64>,
    /// Require `auth_time` even without `max_age`.
    pub require_auth_time: bool,
    /// Accepted algorithms; default every asymmetric one pkjwt implements (never `none`/`HS*`).
    pub algorithms: Vec<Algorithm>,
    /// Seconds of clock skew allowed; default 15.
    pub clock_tolerance: i64,
    /// The current time in epoch seconds; default the system clock.
    pub now: Option<i64>,
}

impl Default for IdTokenOptions {
    fn default() -> Self {
        IdTokenOptions {
            issuer: String::new(),
            client_id: String::new(),
            nonce: None,
            max_age: None,
            require_auth_time: false,
            algorithms: Algorithm::ALL.to_vec(),
            clock_tolerance: 15,
            now: None,
        }
    }
}

/// A signed JWT that passed every check: its header, its claims and the key that verified it.
#[derive(Debug, Clone)]
pub struct VerifiedJwt<'k> {
    /// The protected header.
    pub header: Object,
    /// The claims.
    pub payload: Object,
    /// The key whose signature held.
    pub key: &'k Key,
}

fn check_relying_party(issuer: &str, client_id: &str, algorithms: &[Algorithm], tolerance: i64) -> Result<()> {
    if issuer.is_empty() {
        return Err(Error::argument("issuer must be a non-empty string"));
    }
    if client_id.is_empty() {
        return Err(Error::argument("clientId must be a non-empty string"));
    }
    claims::check_policy(algorithms, tolerance)
}

fn verified_jwt<'k>(token: &str, keys: &'k [Key], algorithms: &[Algorithm]) -> Result<(jws::DecodedJws, &'k Key)> {
    let decoded = jws::decode(token, MAX_ID_TOKEN_LENGTH)?;
    let key = claims::verify_signature(&decoded, algorithms, keys)?;
    claims::check_explicit_typ(&decoded.header, "jwt", false)?;
    Ok((decoded, key))
}

fn check_issuer_and_audience(payload: &Object, issuer: &str, client_id: &str) -> Result<()> {
    claims::claim_equals(payload, "iss", issuer, "\"iss\" is not the expected issuer")?;
    claims::check_audience(payload, &[client_id.to_owned()], true, "this client")?;
    let azp = match payload.get("azp") {
        None => None,
        Some(Value::String(azp)) => Some(azp.as_str()),
        Some(_) => return Err(Error::claim_failed("azp", "invalid", "\"azp\" must be a string")),
    };
    match azp {
        None if claims::audience_count(payload) > 1 => Err(Error::claim_failed(
            "azp",
            "missing",
            "\"azp\" is required when \"aud\" holds several values",
        )),
        Some(azp) if azp != client_id => Err(Error::claim_failed("azp", "mismatch", "\"azp\" is not this client")),
        _ => Ok(()),
    }
}

/// Verifies a signed ID token with the provider's `keys` (OpenID Connect Core §3.1.3.7).
///
/// Checks: size and form; `alg` in the allowlist and the signature (key by `kid`); `typ`
/// absent or `JWT` (another explicit type is refused); `iss` exactly the issuer; `sub` present;
/// `aud` contains the client id; several `aud` values need `azp`; `azp`, when present, is the
/// client id; `exp` required and not passed; `iat` required and not in the future; `nbf` if
/// present; `nonce` required and equal when one was sent; `auth_time` required with `max_age`
/// or `require_auth_time`, and `auth_time + max_age` not passed. Each time check allows
/// `clock_tolerance` seconds.
pub fn verify_id_token<'k>(token: &str, keys: &'k [Key], opts: &IdTokenOptions) -> Result<VerifiedJwt<'k>> {
    check_relying_party(&opts.issuer, &opts.client_id, &opts.algorithms, opts.clock_tolerance)?;
    if opts.max_age.is_some_and(|age| age < 0) {
        return Err(Error::argument("maxAge must not be negative"));
    }
    let (decoded, key) = verified_jwt(token, keys, &opts.algorithms)?;
    let payload = &decoded.payload;
    check_issuer_and_audience(payload, &opts.issuer, &opts.client_id)?;
    claims::string_claim(payload, "sub")?;
    let now = time::now_or(opts.now)?;
    let tolerance = opts.clock_tolerance;
    claims::check_times(payload, now, tolerance, true)?;
    claims::required_date(payload, "iat")?;
    if let Some(nonce) = &opts.nonce {
        claims::claim_equals(payload, "nonce", nonce, "\"nonce\" is not the nonce of this request")?;
    }
    let auth_time = if opts.max_age.is_some() || opts.require_auth_time {
        Some(claims::required_date(payload, "auth_time")?)
    } else {
        claims::numeric_date(payload, "auth_time")?
    };
    if let (Some(auth_time), Some(max_age)) = (auth_time, opts.max_age) {
        if now > auth_time.saturating_add(max_age).saturating_add(tolerance) {
            return Err(Error::claim_failed(
                "auth_time",
                "check_failed",
                "\"auth_time\" is older than max_age allows: the user must authenticate again",
            ));
        }
    }
    if auth_time.is_some_and(|t| t > now.saturating_add(tolerance)) {
        return Err(Error::claim_failed(
            "auth_time",
            "check_failed",
            "\"auth_time\" is in the future",
        ));
    }
    Ok(VerifiedJwt {
        header: decoded.header,
        payload: decoded.payload,
        key,
    })
}

/// The relying party's expectations for [`verify_userinfo`]. All but the defaults are required.
#[derive(Debug, Clone)]
pub struct UserinfoOptions {
    /// The provider's issuer identifier: `iss` is required and must equal it.
    pub issuer: String,
    /// The client id: `aud` is required and must contain it.
    pub client_id: String,
    /// The `sub` of the verified ID token: the userinfo's `sub` must equal it.
    pub subject: String,
    /// Accepted algorithms; default every asymmetric one pkjwt implements.
    pub algorithms: Vec<Algorithm>,
    /// Seconds of clock skew allowed; default 15.
    pub clock_tolerance: i64,
    /// The current time in epoch seconds; default the system clock.
    pub now: Option<i64>,
}

impl Default for UserinfoOptions {
    fn default() -> Self {
        UserinfoOptions {
            issuer: String::new(),
            client_id: String::new(),
            subject: String::new(),
            algorithms: Algorithm::ALL.to_vec(),
            clock_tolerance: 15,
            now: None,
        }
    }
}

/// Verifies a signed userinfo response (OpenID Connect Core §5.3.2) with the provider's `keys`.
///
/// §5.3.2 says a signed response SHOULD carry `iss` and `aud`; pkjwt requires them, so a
/// userinfo JWT minted for another client or by another issuer is never accepted. Checks the
/// signature and `typ` as [`verify_id_token`]; `iss` exactly the issuer; `aud` contains the
/// client id (`azp` as for ID tokens); `sub` equal to the ID token's; `exp`, `nbf` and `iat`
/// when present.
pub fn verify_userinfo<'k>(token: &str, keys: &'k [Key], opts: &UserinfoOptions) -> Result<VerifiedJwt<'k>> {
    check_relying_party(&opts.issuer, &opts.client_id, &opts.algorithms, opts.clock_tolerance)?;
    if opts.subject.is_empty() {
        return Err(Error::argument(
            "subject must be the non-empty sub of the verified ID token",
        ));
    }
    let (decoded, key) = verified_jwt(token, keys, &opts.algorithms)?;
    let payload = &decoded.payload;
    check_issuer_and_audience(payload, &opts.issuer, &opts.client_id)?;
    claims::claim_equals(
        payload,
        "sub",
        &opts.subject,
        "\"sub\" is not the subject of the ID token",
    )?;
    claims::check_times(payload, time::now_or(opts.now)?, opts.clock_tolerance, false)?;
    Ok(VerifiedJwt {
        header: decoded.header,
        payload: decoded.payload,
        key,
    })
}
