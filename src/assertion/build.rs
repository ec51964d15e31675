//! The client side: building a signed client assertion with safe defaults.

use super::{CLIENT_ASSERTION_TYP, MAX_BUILD_LIFETIME, MAX_JTI_LENGTH};
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::json::Object;
use crate::json::Value;
use crate::key::{Certificate, Key};
use crate::{jws, random, time};

/// What to put in an optional header parameter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum HeaderChoice {
    /// The default: the key's `kid`, or `typ: client-authentication+jwt`.
    #[default]
    Default,
    /// Leave the parameter out.
    Omit,
    /// This exact value.
    Value(String),
}

/// Options for [`create_client_assertion`]. Only `client_id` and `audience` are required.
#[derive(Debug, Clone, Default)]
pub struct AssertionOptions {
    /// The client identifier: becomes both `iss` and `sub`.
    pub client_id: String,
    /// The one `aud` value: the authorization server's issuer identifier (rfc7523bis, FAPI 2.0),
    /// or its token endpoint where the server insists (Entra, Okta, OP ISB). Never guessed.
    pub audience: String,
    /// The algorithm; default the key's bound algorithm, else RS256 / ES256 / ES384 / EdDSA.
    pub alg: Option<Algorithm>,
    /// Seconds from `iat` to `exp`: default 60, at most 3600.
    pub lifetime: Option<i64>,
    /// The `kid` header: default the key's kid.
    pub kid: HeaderChoice,
    /// The `typ` header: default `client-authentication+jwt`.
    pub typ: HeaderChoice,
    /// A certificate of the signing key: adds `x5t#S256` (Entra-style servers).
    pub certificate: Option<Certificate>,
    /// With `certificate`, also add the legacy SHA-1 `x5t`.
    pub include_x5t: bool,
    /// The `jti`; default 128 fresh random bits, base64url. Supply one only for tests.
    pub jti: Option<String>,
    /// The current time in epoch seconds; default the system clock.
    pub now: Option<i64>,
    /// Extra claims. They cannot replace `iss`, `sub`, `aud`, `exp`, `iat` or `jti`.
    pub claims: Object,
}

const RESERVED_CLAIMS: [&str; 6] = ["iss", "sub", "aud", "exp", "iat", "jti"];

pub(crate) fn header_value(choice: &HeaderChoice, default: &str, name: &str) -> Result<Option<String>> {
    match choice {
        HeaderChoice::Default => Ok(Some(default.to_owned())),
        HeaderChoice::Omit => Ok(None),
        HeaderChoice::Value(v) if v.is_empty() => Err(Error::argument(format!("{name} must not be empty"))),
        HeaderChoice::Value(v) => Ok(Some(v.clone())),
    }
}

/// Refuses an empty client id or audience; `audience_hint` says what the audience should be.
pub(crate) fn require_client_and_audience(client_id: &str, audience: &str, audience_hint: &str) -> Result<()> {
    if client_id.is_empty() {
        return Err(Error::argument("clientId must be a non-empty string"));
    }
    if audience.is_empty() {
        return Err(Error::argument(format!(
            "audience must be a non-empty string: {audience_hint}"
        )));
    }
    Ok(())
}

/// Refuses the first of the `reserved` claims that `extras` (the option named `option`) holds.
pub(crate) fn refuse_reserved(extras: &Object, reserved: &[&str], option: &str) -> Result<()> {
    match reserved.iter().find(|name| extras.contains_key(name)) {
        Some(name) => Err(Error::argument(format!(
            "the claim \"{name}\" is set by pkjwt and cannot be overridden through {option}"
        ))),
        None => Ok(()),
    }
}

/// Refuses a public `key` for signing `what`.
pub(crate) fn require_private(key: &Key, what: &str) -> Result<()> {
    if !key.is_private() {
        return Err(Error::argument(format!(
            "{what} is signed with a private key; this key is public"
        )));
    }
    Ok(())
}

/// `lifetime`, or `default`, checked to lie within 1..=`max` seconds.
pub(crate) fn lifetime_within(lifetime: Option<i64>, default: i64, max: i64) -> Result<i64> {
    let lifetime = lifetime.unwrap_or(default);
    if !(1..=max).contains(&lifetime) {
        return Err(Error::argument(format!("lifetime must be between 1 and {max} seconds")));
    }
    Ok(lifetime)
}

/// The signing algorithm: `alg`, or the key's default; it must fit the key.
pub(crate) fn signing_alg(key: &Key, alg: Option<Algorithm>) -> Result<Algorithm> {
    let alg = alg.unwrap_or_else(|| key.default_alg());
    if !key.fits(alg) {
        return Err(Error::AlgNotAllowed(format!("{alg} does not fit this key")));
    }
    Ok(alg)
}

/// The given `jti`, checked, or 128 fresh random bits.
pub(crate) fn jti_value(jti: Option<&str>) -> Result<String> {
    match jti {
        Some(jti) if jti.is_empty() || jti.chars().count() > MAX_JTI_LENGTH => Err(Error::argument(format!(
            "jti must be a non-empty string of at most {MAX_JTI_LENGTH} characters"
        ))),
        Some(jti) => Ok(jti.to_owned()),
        None => random::token_id(16),
    }
}

/// `now`, or the clock, as the `iat` of a new token: never negative.
pub(crate) fn issued_at(now: Option<i64>) -> Result<i64> {
    let now = time::now_or(now)?;
    if now < 0 {
        return Err(Error::argument(
            "now must be a non-negative number of seconds since the epoch",
        ));
    }
    Ok(now)
}

/// Signs a client assertion with `key`.
///
/// The assertion carries `iss` = `sub` = client id, the given `aud` as a single string, a fresh
/// `jti`, `iat` = now and `exp` = now + lifetime; its header carries `alg`, `kid` and
/// `typ: client-authentication+jwt` unless told otherwise. Fails with
/// [`Error::InvalidArgument`] for an empty client id or audience, a lifetime outside 1..=3600,
/// a reserved claim among the extras, a public key, or a certificate of another key.
pub fn create_client_assertion(key: &Key, opts: &AssertionOptions) -> Result<String> {
    require_client_and_audience(
        &opts.client_id,
        &opts.audience,
        "the authorization server's issuer (or the token endpoint it requires)",
    )?;
    require_private(key, "a client assertion")?;
    let lifetime = lifetime_within(opts.lifetime, 60, MAX_BUILD_LIFETIME)?;
    refuse_reserved(&opts.claims, &RESERVED_CLAIMS, "claims")?;
    let alg = signing_alg(key, opts.alg)?;
    let jti = jti_value(opts.jti.as_deref())?;
    let now = issued_at(opts.now)?;

    let mut header = Object::new();
    if let Some(kid) = header_value(&opts.kid, key.kid(), "kid")? {
        header.insert("kid".into(), Value::String(kid));
    }
    if let Some(typ) = header_value(&opts.typ, CLIENT_ASSERTION_TYP, "typ")? {
        header.insert("typ".into(), Value::String(typ));
    }
    if let Some(cert) = &opts.certificate {
        if !cert.matches(key) {
            return Err(Error::argument("the certificate's public key is not the signing key"));
        }
        header.insert("x5t#S256".into(), Value::String(cert.x5t_s256()));
        if opts.include_x5t {
            header.insert("x5t".into(), Value::String(cert.x5t()));
        }
    } else if opts.include_x5t {
        return Err(Error::argument("x5t needs a certificate"));
    }

    let mut claims = opts.claims.clone();
    claims.insert("iss".into(), Value::String(opts.client_id.clone()));
    claims.insert("sub".into(), Value::String(opts.client_id.clone()));
    claims.insert("aud".into(), Value::String(opts.audience.clone()));
    claims.insert("jti".into(), Value::String(jti));
    claims.insert("iat".into(), Value::from(now));
    claims.insert("exp".into(), Value::from(now + lifetime));
    jws::encode(header, &claims, key, alg)
}
