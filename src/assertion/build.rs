//! The client side: building a signed client assertion with safe defaults.

use super::{CLIENT_ASSERTION_TYP, MAX_BUILD_LIFETIME, MAX_JTI_LENGTH};
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::json::Object;
use crate::key::{Certificate, Key};
use crate::{jws, random, time};
use serde_json::Value;

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

fn header_value(choice: &HeaderChoice, default: &str, name: &str) -> Result<Option<String>> {
    match choice {
        HeaderChoice::Default => Ok(Some(default.to_owned())),
        HeaderChoice::Omit => Ok(None),
        HeaderChoice::Value(v) if v.is_empty() => Err(Error::argument(format!("{name} must not be empty"))),
        HeaderChoice::Value(v) => Ok(Some(v.clone())),
    }
}

/// Signs a client assertion with `key`.
///
/// The assertion carries `iss` = `sub` = client id, the given `aud` as a single string, a fresh
/// `jti`, `iat` = now and `exp` = now + lifetime; its header carries `alg`, `kid` and
/// `typ: client-authentication+jwt` unless told otherwise. Fails with
/// [`Error::InvalidArgument`] for an empty client id or audience, a lifetime outside 1..=3600,
/// a reserved claim among the extras, a public key, or a certificate of another key.
pub fn create_client_assertion(key: &Key, opts: &AssertionOptions) -> Result<String> {
    if opts.client_id.is_empty() {
        return Err(Error::argument("clientId must be a non-empty string"));
    }
    if opts.audience.is_empty() {
        return Err(Error::argument(
            "audience must be a non-empty string: the authorization server's issuer (or the token endpoint it requires)",
        ));
    }
    if !key.is_private() {
        return Err(Error::argument(
            "a client assertion is signed with a private key; this key is public",
        ));
    }
    let lifetime = opts.lifetime.unwrap_or(60);
    if !(1..=MAX_BUILD_LIFETIME).contains(&lifetime) {
        return Err(Error::argument(format!(
            "lifetime must be between 1 and {MAX_BUILD_LIFETIME} seconds"
        )));
    }
    if let Some(name) = RESERVED_CLAIMS.iter().find(|name| opts.claims.contains_key(**name)) {
        return Err(Error::argument(format!(
            "the claim \"{name}\" is set by pkjwt and cannot be overridden through claims"
        )));
    }
    let alg = opts.alg.unwrap_or_else(|| key.default_alg());
    if !key.fits(alg) {
        return Err(Error::AlgNotAllowed(format!("{alg} does not fit this key")));
    }
    let jti = match &opts.jti {
        Some(jti) if jti.is_empty() || jti.chars().count() > MAX_JTI_LENGTH => {
            return Err(Error::argument(format!(
                "jti must be a non-empty string of at most {MAX_JTI_LENGTH} characters"
            )));
        }
        Some(jti) => jti.clone(),
        None => random::token_id(16)?,
    };
    let now = time::now_or(opts.now)?;
    if now < 0 {
        return Err(Error::argument(
            "now must be a non-negative number of seconds since the epoch",
        ));
    }

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
