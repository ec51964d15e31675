//! Signed JWK Sets for brokers that refresh a client's keys automatically: the
//! `application/jwk-set+jwt` document (OP Identity Service Broker, Telia) and the OpenID
//! Federation entity statement that points to it (Telia's `entity-statement+jwt`).
//!
//! Telia's example (`telia-oss/tunnistus`, `files/entity-statement-example/`): the signed JWKS
//! carries `iss`, `sub`, `iat` and `keys` (no `exp`); the entity statement carries `iss`, `sub`,
//! `iat`, `exp`, `jwks` (the entity key) and `metadata.openid_relying_party.signed_jwks_uri`.

use crate::alg::Algorithm;
use crate::assertion::HeaderChoice;
use crate::assertion::build::{header_value, issued_at, lifetime_within, require_private, signing_alg};
use crate::error::{Error, Result};
use crate::json::Object;
use crate::json::Value;
use crate::jws;
use crate::key::Key;
use crate::{claims, time};

/// The explicit type of a signed JWK Set.
pub const JWK_SET_TYP: &str = "jwk-set+jwt";

/// The explicit type of an OpenID Federation entity statement.
pub const ENTITY_STATEMENT_TYP: &str = "entity-statement+jwt";

/// The longest lifetime, in seconds, of a signed JWK Set or entity statement: one year.
pub const MAX_SIGNED_JWKS_LIFETIME: i64 = 366 * 86_400;

/// The cap on a signed JWK Set before decoding: 64 KiB.
pub const MAX_SIGNED_JWKS_LENGTH: usize = 64 * 1024;

/// Which document to sign.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SignedJwksFormat {
    /// `typ: jwk-set+jwt`; claims `iss`, `sub`, `iat`, `exp`, `keys`.
    #[default]
    JwkSet,
    /// `typ: entity-statement+jwt`; claims `iss`, `sub`, `iat`, `exp`, `jwks` (the signing key's
    /// public JWK) and `metadata.openid_relying_party` holding `jwks` and/or `signed_jwks_uri`.
    EntityStatement,
}

/// Options for [`create_signed_jwks`]. `iss` is required.
#[derive(Debug, Clone, Default)]
pub struct SignedJwksOptions {
    /// The issuer: the client's entity identifier.
    pub iss: String,
    /// The subject; default `iss`.
    pub sub: Option<String>,
    /// Seconds from `iat` to `exp`: default 86400, at most one year.
    pub lifetime: Option<i64>,
    /// The `kid` header: default the signing key's kid.
    pub kid: HeaderChoice,
    /// The algorithm; default the signing key's.
    pub alg: Option<Algorithm>,
    /// The current time in epoch seconds; default the system clock.
    pub now: Option<i64>,
    /// The document to sign.
    pub format: SignedJwksFormat,
    /// Entity statement only: the `signed_jwks_uri` to put in the relying party's metadata
    /// (Telia's form).
    pub signed_jwks_uri: Option<String>,
}

const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "k"];

/// Checks that `keys` is an array of public JWKs (objects with a string `kty`, no private or
/// symmetric members) and returns it.
fn public_jwk_list(keys: &Value) -> Result<&Vec<Value>> {
    let Value::Array(list) = keys else {
        return Err(Error::key("\"keys\" must be an array of JWKs"));
    };
    for jwk in list {
        let Value::Object(members) = jwk else {
            return Err(Error::key("every JWK must be a JSON object"));
        };
        if !matches!(members.get("kty"), Some(Value::String(_))) {
            return Err(Error::key("every JWK needs a string \"kty\""));
        }
        if let Some(name) = PRIVATE_MEMBERS.iter().find(|name| members.contains_key(name)) {
            return Err(Error::key(format!(
                "a published JWK must not hold the private or secret member \"{name}\""
            )));
        }
    }
    Ok(list)
}

fn jwk_set(keys: Vec<Value>) -> Value {
    let mut set = Object::new();
    set.insert("keys".into(), Value::Array(keys));
    Value::Object(set)
}

/// Signs `jwks` (a JWK Set `{"keys":[…]}` of public keys) with the long-lived `signing_key`.
///
/// Fails with [`Error::InvalidArgument`] for an empty `iss`, a lifetime outside its range, a
/// public signing key, `signed_jwks_uri` with the JWK Set format, or an entity statement with
/// neither keys nor `signed_jwks_uri`; with [`Error::KeyInvalid`] when a JWK is not public.
pub fn create_signed_jwks(jwks: &Value, signing_key: &Key, opts: &SignedJwksOptions) -> Result<String> {
    if opts.iss.is_empty() {
        return Err(Error::argument("iss must be a non-empty string"));
    }
    if opts.sub.as_ref().is_some_and(String::is_empty) {
        return Err(Error::argument("sub must be a non-empty string"));
    }
    require_private(signing_key, "a signed JWK Set")?;
    let lifetime = lifetime_within(opts.lifetime, 86_400, MAX_SIGNED_JWKS_LIFETIME)?;
    let keys = public_jwk_list(jwks.get("keys").unwrap_or(&Value::Null))?.clone();
    let alg = signing_alg(signing_key, opts.alg)?;
    let now = issued_at(opts.now)?;

    let (typ, body) = match opts.format {
        SignedJwksFormat::JwkSet => {
            if opts.signed_jwks_uri.is_some() {
                return Err(Error::argument("signedJwksUri belongs to the entity-statement format"));
            }
            let mut body = Object::new();
            body.insert("keys".into(), Value::Array(keys));
            (JWK_SET_TYP, body)
        }
        SignedJwksFormat::EntityStatement => (ENTITY_STATEMENT_TYP, entity_body(keys, signing_key, opts)?),
    };
    let mut header = Object::new();
    if let Some(kid) = header_value(&opts.kid, signing_key.kid(), "kid")? {
        header.insert("kid".into(), Value::String(kid));
    }
    header.insert("typ".into(), Value::String(typ.into()));
    let mut payload = Object::new();
    payload.insert("iss".into(), Value::String(opts.iss.clone()));
    payload.insert(
        "sub".into(),
        Value::String(opts.sub.clone().unwrap_or_else(|| opts.iss.clone())),
    );
    payload.insert("iat".into(), Value::from(now));
    payload.insert("exp".into(), Value::from(now + lifetime));
    payload.extend(body);
    jws::encode(header, &payload, signing_key, alg)
}

fn entity_body(keys: Vec<Value>, signing_key: &Key, opts: &SignedJwksOptions) -> Result<Object> {
    let mut relying_party = Object::new();
    match &opts.signed_jwks_uri {
        Some(uri) if uri.is_empty() => return Err(Error::argument("signedJwksUri must not be empty")),
        Some(uri) => {
            relying_party.insert("signed_jwks_uri".into(), Value::String(uri.clone()));
        }
        None if keys.is_empty() => {
            return Err(Error::argument("an entity statement needs keys or a signedJwksUri"));
        }
        None => {}
    }
    if !keys.is_empty() {
        relying_party.insert("jwks".into(), jwk_set(keys));
    }
    let mut metadata = Object::new();
    metadata.insert("openid_relying_party".into(), Value::Object(relying_party));
    let mut entity_key = signing_key.to_jwk(false)?;
    entity_key.insert("use".into(), Value::String("sig".into()));
    let mut body = Object::new();
    body.insert("jwks".into(), jwk_set(vec![Value::Object(entity_key)]));
    body.insert("metadata".into(), Value::Object(metadata));
    Ok(body)
}

/// The verifier's expectations for [`verify_signed_jwks`]. `issuer` is required.
#[derive(Debug, Clone)]
pub struct SignedJwksVerifyOptions {
    /// The expected `iss`.
    pub issuer: String,
    /// The expected `sub`; default the issuer.
    pub subject: Option<String>,
    /// Accepted algorithms; default all of [`Algorithm::ALL`].
    pub algorithms: Vec<Algorithm>,
    /// Seconds of clock skew allowed; default 15.
    pub clock_tolerance: i64,
    /// The current time in epoch seconds; default the system clock.
    pub now: Option<i64>,
}

impl Default for SignedJwksVerifyOptions {
    fn default() -> Self {
        SignedJwksVerifyOptions {
            issuer: String::new(),
            subject: None,
            algorithms: Algorithm::ALL.to_vec(),
            clock_tolerance: 15,
            now: None,
        }
    }
}

/// A signed JWK Set or entity statement that passed every check.
#[derive(Debug, Clone)]
pub struct VerifiedSignedJwks {
    /// Which document it was, by its `typ`.
    pub format: SignedJwksFormat,
    /// The protected header.
    pub header: Object,
    /// The claims.
    pub payload: Object,
    /// The published JWKs (for an entity statement: those of its relying-party metadata; empty
    /// when it only names a `signed_jwks_uri`).
    pub keys: Vec<Value>,
    /// An entity statement's `signed_jwks_uri`, when it names one.
    pub signed_jwks_uri: Option<String>,
}

/// Verifies a signed JWK Set (`typ: jwk-set+jwt`) or an entity statement
/// (`typ: entity-statement+jwt`) with the entity's `keys`.
///
/// The `typ` is required and decides the format; `iss` and `sub` must equal the expected values;
/// `exp` is required for entity statements (OpenID Federation) and checked when present on a
/// JWK Set (Telia's example has none); `iat`/`nbf` must not be in the future. The published keys
/// must be public JWKs.
pub fn verify_signed_jwks(token: &str, keys: &[Key], opts: &SignedJwksVerifyOptions) -> Result<VerifiedSignedJwks> {
    if opts.issuer.is_empty() {
        return Err(Error::argument("issuer must be a non-empty string"));
    }
    claims::check_policy(&opts.algorithms, opts.clock_tolerance)?;
    let decoded = jws::decode(token, MAX_SIGNED_JWKS_LENGTH)?;
    claims::verify_signature(&decoded, &opts.algorithms, keys)?;
    let format = match claims::typ_media(&decoded.header)?.as_deref() {
        Some(JWK_SET_TYP) => SignedJwksFormat::JwkSet,
        Some(ENTITY_STATEMENT_TYP) => SignedJwksFormat::EntityStatement,
        Some(_) => {
            return Err(Error::claim_failed(
                "typ",
                "check_failed",
                "\"typ\" must be jwk-set+jwt or entity-statement+jwt",
            ));
        }
        None => {
            return Err(Error::claim_failed(
                "typ",
                "missing",
                "the \"typ\" header must be jwk-set+jwt or entity-statement+jwt",
            ));
        }
    };
    let payload = &decoded.payload;
    claims::claim_equals(payload, "iss", &opts.issuer, "\"iss\" is not the expected issuer")?;
    claims::claim_equals(
        payload,
        "sub",
        opts.subject.as_deref().unwrap_or(&opts.issuer),
        "\"sub\" is not the expected subject",
    )?;
    let now = time::now_or(opts.now)?;
    let entity = format == SignedJwksFormat::EntityStatement;
    claims::check_times(payload, now, opts.clock_tolerance, entity)?;

    let (published, signed_jwks_uri) = if entity {
        entity_keys(payload)?
    } else {
        let keys = payload
            .get("keys")
            .ok_or_else(|| Error::claim_failed("keys", "missing", "the \"keys\" claim is required"))?;
        (keys_claim(keys, "keys")?, None)
    };
    Ok(VerifiedSignedJwks {
        format,
        header: decoded.header,
        payload: decoded.payload,
        keys: published,
        signed_jwks_uri,
    })
}

fn keys_claim(value: &Value, claim: &str) -> Result<Vec<Value>> {
    public_jwk_list(value)
        .cloned()
        .map_err(|e| Error::claim_failed(claim, "invalid", e.to_string()))
}

fn entity_keys(payload: &Object) -> Result<(Vec<Value>, Option<String>)> {
    let jwks = payload
        .get("jwks")
        .ok_or_else(|| Error::claim_failed("jwks", "missing", "the \"jwks\" claim is required"))?;
    keys_claim(jwks.get("keys").unwrap_or(&Value::Null), "jwks")?;
    let relying_party = payload
        .get("metadata")
        .and_then(|m| m.get("openid_relying_party"))
        .and_then(Value::as_object)
        .ok_or_else(|| {
            Error::claim_failed(
                "metadata",
                "missing",
                "the \"metadata.openid_relying_party\" claim is required",
            )
        })?;
    let keys = match relying_party.get("jwks") {
        Some(jwks) => keys_claim(jwks.get("keys").unwrap_or(&Value::Null), "metadata")?,
        None => Vec::new(),
    };
    let uri = match relying_party.get("signed_jwks_uri") {
        None => None,
        Some(Value::String(uri)) if !uri.is_empty() => Some(uri.clone()),
        Some(_) => {
            return Err(Error::claim_failed(
                "metadata",
                "invalid",
                "\"signed_jwks_uri\" must be a non-empty string",
            ));
        }
    };
    if keys.is_empty() && uri.is_none() {
        return Err(Error::claim_failed(
            "metadata",
            "missing",
            "the relying party metadata holds neither jwks nor signed_jwks_uri",
        ));
    }
    Ok((keys, uri))
}
