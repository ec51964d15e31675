//! The JavaScript binding: the only file that knows wasm-bindgen.
//!
//! The hand-written loaders in `pkg/` wrap these exports into the public API of DESIGN.md:
//! they turn thrown errors into `PkjwtError`, pull the `Key` out of option objects and pass it
//! as its own argument (wasm-bindgen hands class instances across only as typed arguments),
//! and build a [`KeySet`] from `Key | Key[] | JWKS`. Option objects are read field by field
//! here, except on the hot path: `createClientAssertion` and `verifyClientAssertion` take their
//! options as one array of values that the loader reads (no `Reflect.get` and no option name
//! crossing per call), and the verification answers one JSON text. JSON values cross the
//! boundary as JSON text so the strict parser sees them.

use crate::assertion::{AssertionOptions, HeaderChoice, VerifyOptions};
use crate::json::{Object, ToValue, Value};
use crate::jwe::{ContentEncryption, DecryptOptions, EncryptOptions, KeyManagementAlgorithm};
use crate::key::{Certificate, GenerateOptions, ImportOptions};
use crate::{Algorithm, Error};
use js_sys::{Array, JSON, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

fn to_js_error(error: Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name("PkjwtError");
    let object: &JsValue = js.as_ref();
    let _ = Reflect::set(object, &"code".into(), &error.code().into());
    if let Some(claim) = error.claim() {
        let _ = Reflect::set(object, &"claim".into(), &claim.into());
    }
    if let Some(reason) = error.reason() {
        let _ = Reflect::set(object, &"reason".into(), &reason.into());
    }
    js.into()
}

type JsResult<T> = Result<T, JsValue>;

trait IntoJs<T> {
    fn js(self) -> JsResult<T>;
}

impl<T> IntoJs<T> for crate::Result<T> {
    fn js(self) -> JsResult<T> {
        self.map_err(to_js_error)
    }
}

fn invalid(message: impl Into<String>) -> JsValue {
    to_js_error(Error::InvalidArgument(message.into()))
}

/// Reads the option `name` of `opts` (undefined when `opts` is not an object).
fn field(opts: &JsValue, name: &str) -> JsResult<JsValue> {
    if opts.is_undefined() || opts.is_null() {
        return Ok(JsValue::UNDEFINED);
    }
    if !opts.is_object() {
        return Err(invalid("options must be an object"));
    }
    Reflect::get(opts, &name.into()).map_err(|_| invalid(format!("cannot read option {name}")))
}

/// A string argument: the glue passes any JS value through, so a non-string is an
/// `ERR_INVALID_ARGUMENT` here instead of a glue `TypeError` or a trap (a `&str` parameter makes the
/// production glue trap on numbers, booleans, objects and symbols).
fn string_arg(value: &JsValue, name: &str) -> JsResult<String> {
    value
        .as_string()
        .ok_or_else(|| invalid(format!("{name} must be a string")))
}

fn absent(value: &JsValue) -> bool {
    value.is_undefined()
}

fn opt_string(opts: &JsValue, name: &str) -> JsResult<Option<String>> {
    string_value(&field(opts, name)?, name)
}

/// An optional string option given as its JS value.
fn string_value(value: &JsValue, name: &str) -> JsResult<Option<String>> {
    if absent(value) {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| invalid(format!("{name} must be a string")))
}

fn req_string(opts: &JsValue, name: &str) -> JsResult<String> {
    opt_string(opts, name)?.ok_or_else(|| invalid(format!("{name} is required")))
}

/// A required string option given as its JS value.
fn required_string_value(value: &JsValue, name: &str) -> JsResult<String> {
    string_value(value, name)?.ok_or_else(|| invalid(format!("{name} is required")))
}

fn opt_integer(opts: &JsValue, name: &str) -> JsResult<Option<i64>> {
    integer_value(&field(opts, name)?, name)
}

/// An optional integer option given as its JS value.
fn integer_value(value: &JsValue, name: &str) -> JsResult<Option<i64>> {
    if absent(value) {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.is_finite() && n.fract() == 0.0 && n.abs() < 9.0e15 => Ok(Some(n as i64)),
        _ => Err(invalid(format!("{name} must be an integer number"))),
    }
}

fn opt_bool(opts: &JsValue, name: &str) -> JsResult<Option<bool>> {
    bool_value(&field(opts, name)?, name)
}

/// An optional boolean option given as its JS value.
fn bool_value(value: &JsValue, name: &str) -> JsResult<Option<bool>> {
    if absent(value) {
        return Ok(None);
    }
    value
        .as_bool()
        .map(Some)
        .ok_or_else(|| invalid(format!("{name} must be a boolean")))
}

fn header_choice(opts: &JsValue, name: &str) -> JsResult<HeaderChoice> {
    header_choice_value(&field(opts, name)?, name)
}

/// A header option given as its JS value: undefined for the default, null to omit, or a string.
fn header_choice_value(value: &JsValue, name: &str) -> JsResult<HeaderChoice> {
    if absent(value) {
        Ok(HeaderChoice::Default)
    } else if value.is_null() {
        Ok(HeaderChoice::Omit)
    } else {
        value
            .as_string()
            .map(HeaderChoice::Value)
            .ok_or_else(|| invalid(format!("{name} must be a string or null")))
    }
}

fn parse_alg(name: &str) -> JsResult<Algorithm> {
    name.parse::<Algorithm>().js()
}

fn opt_alg(opts: &JsValue, name: &str) -> JsResult<Option<Algorithm>> {
    alg_value(&field(opts, name)?, name)
}

/// An optional algorithm option given as its JS value.
fn alg_value(value: &JsValue, name: &str) -> JsResult<Option<Algorithm>> {
    string_value(value, name)?.map(|n| parse_alg(&n)).transpose()
}

fn now_seconds(opts: &JsValue) -> JsResult<i64> {
    now_value(&field(opts, "now")?)
}

/// The `now` option given as its JS value (epoch seconds), or the clock's time when absent.
fn now_value(value: &JsValue) -> JsResult<i64> {
    match integer_value(value, "now")? {
        Some(now) => Ok(now),
        None => Ok((js_sys::Date::now() / 1000.0).floor() as i64),
    }
}

fn to_json_text(value: &JsValue, what: &str) -> JsResult<String> {
    JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| invalid(format!("{what} must be serialisable as JSON")))
}

fn object_from_js(value: &JsValue, what: &str) -> JsResult<Object> {
    let text = to_json_text(value, what)?;
    crate::json::parse_object(text.as_bytes(), what).map_err(invalid)
}

/// `value` as JSON text.
fn json_text<T: ToValue + ?Sized>(value: &T) -> String {
    value.to_value().to_json()
}

fn object_to_js(object: &Object) -> JsResult<JsValue> {
    JSON::parse(&object.to_json())
}

fn set(target: &JsValue, name: &str, value: &JsValue) -> JsResult<()> {
    Reflect::set(target, &name.into(), value).map(|_| ())
}

/// An asymmetric key for signing or verifying client assertions.
#[wasm_bindgen]
#[derive(Clone)]
pub struct Key {
    inner: crate::Key,
}

#[wasm_bindgen]
impl Key {
    /// `"RSA"`, `"EC"` or `"OKP"`.
    #[wasm_bindgen(getter)]
    pub fn kty(&self) -> String {
        self.inner.key_type().as_str().into()
    }

    /// The algorithm this key is bound to (a signature or a JWE key-management algorithm), if any.
    #[wasm_bindgen(getter)]
    pub fn alg(&self) -> Option<String> {
        match (self.inner.alg(), self.inner.encryption_alg()) {
            (Some(a), _) => Some(a.as_str().into()),
            (None, Some(a)) => Some(a.as_str().into()),
            (None, None) => None,
        }
    }

    /// `"sig"`, `"enc"` or undefined: the `use` the key is registered with.
    #[wasm_bindgen(getter, js_name = "use")]
    pub fn key_use(&self) -> Option<String> {
        self.inner.effective_use().map(str::to_owned)
    }

    /// The key id (default: the RFC 7638 thumbprint).
    #[wasm_bindgen(getter)]
    pub fn kid(&self) -> String {
        self.inner.kid().into()
    }

    /// True when the key can sign.
    #[wasm_bindgen(getter, js_name = isPrivate)]
    pub fn is_private(&self) -> bool {
        self.inner.is_private()
    }

    /// The public half of the key.
    #[wasm_bindgen(js_name = publicKey)]
    pub fn public_key(&self) -> Key {
        Key {
            inner: self.inner.public_key(),
        }
    }

    /// The key as a JWK; private members only with `{ private: true }`.
    #[wasm_bindgen(js_name = toJwk)]
    pub fn to_jwk(&self, opts: JsValue) -> JsResult<JsValue> {
        let private = opt_bool(&opts, "private")?.unwrap_or(false);
        object_to_js(&self.inner.to_jwk(private).js()?)
    }

    /// PKCS#8 PEM for a private key, SPKI PEM for a public one.
    #[wasm_bindgen(js_name = toPem)]
    pub fn to_pem(&self) -> JsResult<String> {
        self.inner.to_pem().js()
    }

    /// The RFC 7638 SHA-256 thumbprint, base64url.
    pub fn thumbprint(&self) -> String {
        self.inner.thumbprint()
    }

    /// What `JSON.stringify` shows: the public JWK, never private members.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsResult<JsValue> {
        object_to_js(&self.inner.to_jwk(false).js()?)
    }

    /// A description without secrets, such as `Key(EC P-256 private key, kid "…", alg ES256)`.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("Key({})", self.inner.summary())
    }
}

/// A set of verification keys, built by the loader from `Key | Key[] | { keys: JWK[] }`.
#[wasm_bindgen]
#[derive(Default)]
pub struct KeySet {
    keys: Vec<crate::Key>,
}

#[wasm_bindgen]
impl KeySet {
    /// An empty set.
    #[wasm_bindgen(constructor)]
    pub fn new() -> KeySet {
        KeySet::default()
    }

    /// Adds a copy of `key`.
    pub fn add(&mut self, key: &Key) {
        self.keys.push(key.inner.clone());
    }

    /// Adds every key of a JWK Set given as JSON text.
    #[wasm_bindgen(js_name = addJwks)]
    pub fn add_jwks(&mut self, #[wasm_bindgen(unchecked_param_type = "string")] jwks_json: JsValue) -> JsResult<()> {
        let jwks_json = string_arg(&jwks_json, "the JWK Set")?;
        let value = crate::json::parse_object(jwks_json.as_bytes(), "JWK Set")
            .map(Value::Object)
            .map_err(|m| to_js_error(Error::KeyInvalid(m)))?;
        self.keys.extend(crate::from_jwks(&value).js()?);
        Ok(())
    }

    /// Adds the encryption keys of a JWK Set given as JSON text (for decryption): every JWK is
    /// imported as [`crate::Key::from_jwk`] does, and those that are not encryption keys
    /// (`use: "enc"` or a JWE `alg`) are skipped.
    #[wasm_bindgen(js_name = addEncryptionJwks)]
    pub fn add_encryption_jwks(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] jwks_json: JsValue,
    ) -> JsResult<()> {
        let jwks_json = string_arg(&jwks_json, "the JWK Set")?;
        let set = crate::json::parse_object(jwks_json.as_bytes(), "JWK Set")
            .map_err(|m| to_js_error(Error::KeyInvalid(m)))?;
        let Some(Value::Array(keys)) = set.get("keys") else {
            return Err(to_js_error(Error::key(
                "a JWK Set must be an object with a \"keys\" array",
            )));
        };
        for jwk in keys {
            let Value::Object(jwk) = jwk else {
                return Err(to_js_error(Error::key("every member of \"keys\" must be a JWK object")));
            };
            let key = crate::Key::from_jwk(jwk, &ImportOptions::default()).js()?;
            if key.is_encryption_key() {
                self.keys.push(key);
            }
        }
        Ok(())
    }

    /// How many keys the set holds.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.keys.len()
    }

    /// A copy of the key at `index` (as `keyIndex` of a verification names it).
    #[wasm_bindgen(js_name = keyAt)]
    pub fn key_at(&self, index: usize) -> JsResult<Key> {
        self.keys
            .get(index)
            .map(|inner| Key { inner: inner.clone() })
            .ok_or_else(|| invalid("no key at this index"))
    }
}

/// A bounded in-memory replay cache keyed by (iss, jti).
#[wasm_bindgen]
pub struct ReplayCache {
    inner: crate::ReplayCache,
}

#[wasm_bindgen]
impl ReplayCache {
    /// `new ReplayCache({ maxEntries })`; default 100 000 entries.
    #[wasm_bindgen(constructor)]
    pub fn new(opts: JsValue) -> JsResult<ReplayCache> {
        let max = match opt_integer(&opts, "maxEntries")? {
            None => crate::replay::DEFAULT_MAX_ENTRIES,
            Some(n) if (1..=10_000_000).contains(&n) => n as usize,
            Some(_) => return Err(invalid("maxEntries must be between 1 and 10000000")),
        };
        Ok(ReplayCache {
            inner: crate::ReplayCache::new(max),
        })
    }

    /// The number of entries held.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.len()
    }

    /// The `ReplayStore` interface of `ClientAssertionVerifier`: records `key` until `expiresAtMs`
    /// (epoch milliseconds, rounded up to the second) unless it is held unexpired already. `true`
    /// when recorded, `false` when present; atomic, as one synchronous call. Full of unexpired
    /// entries, it throws `ERR_REPLAY_CACHE_FULL`. These keys live under the issuer `""`, which
    /// no verified assertion can have (`iss` must be non-empty), so they never meet the
    /// `(iss, jti)` pairs `verifyClientAssertion` records in the same cache.
    #[wasm_bindgen(js_name = setIfAbsent)]
    pub fn set_if_absent(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] expires_at_ms: JsValue,
    ) -> JsResult<bool> {
        let key = string_arg(&key, "key")?;
        let expires_at = match expires_at_ms.as_f64() {
            Some(ms) if (0.0..9.0e15).contains(&ms) => (ms / 1000.0).ceil() as i64,
            _ => return Err(invalid("expiresAtMs must be a finite number of epoch milliseconds")),
        };
        let now = (js_sys::Date::now() / 1000.0).floor() as i64;
        match self.inner.check_and_record("", &key, expires_at, now) {
            Ok(()) => Ok(true),
            Err(Error::Replayed) => Ok(false),
            Err(error) => Err(to_js_error(error)),
        }
    }
}

/// Generates a key for `alg`: `{ modulusLength?, kid? }`.
#[wasm_bindgen(js_name = generateKey)]
pub fn generate_key(#[wasm_bindgen(unchecked_param_type = "string")] alg: JsValue, opts: JsValue) -> JsResult<Key> {
    let alg = string_arg(&alg, "alg")?;
    let modulus_bits = match opt_integer(&opts, "modulusLength")? {
        Some(n) if n > 0 => Some(n as usize),
        Some(_) => return Err(invalid("modulusLength must be positive")),
        None => None,
    };
    let kid = opt_string(&opts, "kid")?;
    let options = GenerateOptions { modulus_bits, kid };
    let inner = match encryption_alg(&alg) {
        Some(enc_alg) => crate::Key::generate_for_encryption(enc_alg, &options).js()?,
        None => crate::Key::generate(parse_alg(&alg)?, &options).js()?,
    };
    Ok(Key { inner })
}

/// The JWE key-management algorithm `name` names, if it names one pkjwt implements.
fn encryption_alg(name: &str) -> Option<KeyManagementAlgorithm> {
    name.parse::<KeyManagementAlgorithm>().ok()
}

/// The import options, and the JWE algorithm to bind the key to when `alg` names one.
fn import_options(opts: &JsValue) -> JsResult<(ImportOptions, Option<KeyManagementAlgorithm>)> {
    let alg = opt_string(opts, "alg")?;
    let enc_alg = alg.as_deref().and_then(encryption_alg);
    let sig_alg = match (&alg, enc_alg) {
        (Some(name), None) => Some(parse_alg(name)?),
        _ => None,
    };
    let options = ImportOptions {
        alg: sig_alg,
        kid: opt_string(opts, "kid")?,
    };
    Ok((options, enc_alg))
}

/// Imports a key from PEM text, a JWK (object or JSON text) or DER bytes.
#[wasm_bindgen(js_name = importKey)]
pub fn import_key(input: JsValue, opts: JsValue) -> JsResult<Key> {
    let (options, enc_alg) = import_options(&opts)?;
    let inner = if let Some(text) = input.as_string() {
        if text.trim_start().starts_with('{') {
            crate::Key::from_jwk_str(&text, &options).js()?
        } else {
            crate::Key::from_pem(&text, &options).js()?
        }
    } else if input.is_instance_of::<Uint8Array>() {
        crate::Key::from_der(&Uint8Array::from(input).to_vec(), &options).js()?
    } else if input.is_object() && !Array::is_array(&input) {
        let jwk = object_from_js(&input, "JWK").map_err(|_| to_js_error(Error::key("the JWK is not a JSON object")))?;
        crate::Key::from_jwk(&jwk, &options).js()?
    } else {
        return Err(invalid(
            "importKey takes a PEM string, a JWK object or JSON string, or DER bytes in a Uint8Array",
        ));
    };
    let inner = match enc_alg {
        Some(alg) if inner.encryption_alg() == Some(alg) => inner,
        Some(alg) => inner.for_encryption(alg).js()?,
        None => inner,
    };
    Ok(Key { inner })
}

/// `{ keys: [public JWK…] }` of the given keys; `{ requireSeparateKeys }` refuses one key pair
/// used for both signing and encryption, or a key without `use`.
#[wasm_bindgen(js_name = toJwks)]
pub fn to_jwks(keys: &KeySet, opts: JsValue) -> JsResult<JsValue> {
    let options = crate::JwksOptions {
        require_separate_keys: opt_bool(&opts, "requireSeparateKeys")?.unwrap_or(false),
    };
    let value = crate::to_jwks_with(&keys.keys, &options).js()?;
    JSON::parse(&value.to_json())
}

/// The options of `createClientAssertion` as the JS values given for them, before validation,
/// in the order `createClientAssertion` takes them.
struct AssertionArgs {
    client_id: JsValue,
    audience: JsValue,
    alg: JsValue,
    lifetime: JsValue,
    kid: JsValue,
    typ: JsValue,
    certificate: JsValue,
    x5t: JsValue,
    jti: JsValue,
    now: JsValue,
    claims: JsValue,
}

impl AssertionArgs {
    /// The validated options; the first invalid one is the error.
    fn options(&self) -> JsResult<AssertionOptions> {
        let certificate = match string_value(&self.certificate, "certificate")? {
            Some(pem) => Some(Certificate::from_pem(&pem).js()?),
            None => None,
        };
        let claims = if absent(&self.claims) {
            Object::new()
        } else {
            object_from_js(&self.claims, "claims")?
        };
        Ok(AssertionOptions {
            client_id: required_string_value(&self.client_id, "clientId")?,
            audience: required_string_value(&self.audience, "audience")?,
            alg: alg_value(&self.alg, "alg")?,
            lifetime: integer_value(&self.lifetime, "lifetime")?,
            kid: header_choice_value(&self.kid, "kid")?,
            typ: header_choice_value(&self.typ, "typ")?,
            certificate,
            include_x5t: bool_value(&self.x5t, "x5t")?.unwrap_or(false),
            jti: string_value(&self.jti, "jti")?,
            now: Some(now_value(&self.now)?),
            claims,
        })
    }
}

/// Signs a client assertion with `key`, the options given in one array, in the order of
/// [`AssertionArgs`] (undefined when absent), as the package's `createClientAssertion` reads them:
/// no option object is read across the boundary, and one array keeps this export's shim small.
#[wasm_bindgen(js_name = createClientAssertion)]
pub fn create_client_assertion(key: &Key, args: Array) -> JsResult<String> {
    let args = AssertionArgs {
        client_id: args.get(0),
        audience: args.get(1),
        alg: args.get(2),
        lifetime: args.get(3),
        kid: args.get(4),
        typ: args.get(5),
        certificate: args.get(6),
        x5t: args.get(7),
        jti: args.get(8),
        now: args.get(9),
        claims: args.get(10),
    };
    crate::create_client_assertion(&key.inner, &args.options()?).js()
}

fn string_list(value: &JsValue, name: &str) -> JsResult<Vec<String>> {
    if let Some(one) = value.as_string() {
        return Ok(vec![one]);
    }
    if !Array::is_array(value) {
        return Err(invalid(format!("{name} must be a string or an array of strings")));
    }
    Array::from(value)
        .iter()
        .map(|item| {
            item.as_string()
                .ok_or_else(|| invalid(format!("{name} must hold only strings")))
        })
        .collect()
}

/// Verifies a client assertion against `keys` without replay detection, the options given in one
/// array in the order of [`VerifyArgs`] (undefined when absent), as the package's
/// `verifyClientAssertion` reads them. Returns JSON text of
/// `{ header, payload, keyIndex, clientId, jti, replayExpiresAt }` (`jti` null when absent): one
/// string to parse instead of objects assembled across the boundary.
#[wasm_bindgen(js_name = verifyClientAssertion)]
pub fn verify_client_assertion(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    keys: &KeySet,
    args: Array,
) -> JsResult<String> {
    verify_to_json(
        &string_arg(&token, "token")?,
        keys,
        &VerifyArgs::from_array(&args),
        None,
    )
}

/// [`verify_client_assertion`] that also records the assertion's (iss, jti) in `replay`.
#[wasm_bindgen(js_name = verifyClientAssertionWithReplay)]
pub fn verify_client_assertion_with_replay(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    keys: &KeySet,
    args: Array,
    replay: &ReplayCache,
) -> JsResult<String> {
    verify_to_json(
        &string_arg(&token, "token")?,
        keys,
        &VerifyArgs::from_array(&args),
        Some(replay),
    )
}

fn opt_algorithms(opts: &JsValue) -> JsResult<Option<Vec<Algorithm>>> {
    algorithms_value(&field(opts, "algorithms")?)
}

/// The `algorithms` option given as its JS value.
fn algorithms_value(value: &JsValue) -> JsResult<Option<Vec<Algorithm>>> {
    if absent(value) {
        return Ok(None);
    }
    string_list(value, "algorithms")?
        .iter()
        .map(|n| parse_alg(n))
        .collect::<JsResult<Vec<_>>>()
        .map(Some)
}

/// The verifying key's place in `keys`.
fn key_index(keys: &KeySet, key: &crate::Key) -> usize {
    keys.keys.iter().position(|k| std::ptr::eq(k, key)).unwrap_or(0)
}

/// `{ header, payload, keyIndex, key }` of a verified token; `keyIndex` is the verifying key's
/// place in `keys`.
fn verified_object(keys: &KeySet, header: &Object, payload: &Object, key: &crate::Key) -> JsResult<js_sys::Object> {
    let out = js_sys::Object::new();
    set(&out, "header", &object_to_js(header)?)?;
    set(&out, "payload", &object_to_js(payload)?)?;
    set(&out, "keyIndex", &JsValue::from(key_index(keys, key) as u32))?;
    set(&out, "key", &JsValue::from(Key { inner: key.clone() }))?;
    Ok(out)
}

/// The options of a client assertion's verification as the JS values given for them.
struct VerifyArgs {
    audience: JsValue,
    client_id: JsValue,
    algorithms: JsValue,
    clock_tolerance: JsValue,
    max_lifetime: JsValue,
    require_jti: JsValue,
    require_typ: JsValue,
    allow_multiple_audiences: JsValue,
    now: JsValue,
}

impl VerifyArgs {
    /// The options given in one array: audience, clientId, algorithms, clockTolerance,
    /// maxLifetime, requireJti, requireTyp, allowMultipleAudiences, now.
    fn from_array(args: &Array) -> VerifyArgs {
        VerifyArgs {
            audience: args.get(0),
            client_id: args.get(1),
            algorithms: args.get(2),
            clock_tolerance: args.get(3),
            max_lifetime: args.get(4),
            require_jti: args.get(5),
            require_typ: args.get(6),
            allow_multiple_audiences: args.get(7),
            now: args.get(8),
        }
    }

    /// The validated options; the first invalid one is the error.
    fn options(&self) -> JsResult<VerifyOptions> {
        let defaults = VerifyOptions::default();
        let algorithms = algorithms_value(&self.algorithms)?.unwrap_or_else(|| defaults.algorithms.clone());
        Ok(VerifyOptions {
            audiences: string_list(&self.audience, "audience")?,
            client_id: string_value(&self.client_id, "clientId")?,
            algorithms,
            clock_tolerance: integer_value(&self.clock_tolerance, "clockTolerance")?
                .unwrap_or(defaults.clock_tolerance),
            max_lifetime: integer_value(&self.max_lifetime, "maxLifetime")?.unwrap_or(defaults.max_lifetime),
            require_jti: bool_value(&self.require_jti, "requireJti")?.unwrap_or(defaults.require_jti),
            require_typ: bool_value(&self.require_typ, "requireTyp")?.unwrap_or(defaults.require_typ),
            allow_multiple_audiences: bool_value(&self.allow_multiple_audiences, "allowMultipleAudiences")?
                .unwrap_or(false),
            now: Some(now_value(&self.now)?),
            max_token_length: defaults.max_token_length,
        })
    }
}

#[inline(never)]
fn verify_to_json(token: &str, keys: &KeySet, args: &VerifyArgs, replay: Option<&ReplayCache>) -> JsResult<String> {
    let options = args.options()?;
    let verified = crate::verify_client_assertion(token, &keys.keys, &options, replay.map(|r| &r.inner)).js()?;
    Ok(format!(
        "{{\"header\":{},\"payload\":{},\"keyIndex\":{},\"clientId\":{},\"jti\":{},\"replayExpiresAt\":{}}}",
        verified.header.to_json(),
        verified.payload.to_json(),
        key_index(keys, verified.key),
        json_text(&verified.client_id),
        json_text(&verified.jti),
        verified.replay_expires_at,
    ))
}

// Issue 8 (FTN): request objects, signed JWK Sets, ID token and signed userinfo verification.

fn opt_object(opts: &JsValue, name: &str) -> JsResult<Object> {
    let value = field(opts, name)?;
    if absent(&value) {
        Ok(Object::new())
    } else {
        object_from_js(&value, name)
    }
}

/// Signs a request object (RFC 9101) with `key`; `opts` is the contract's options minus `key`.
#[wasm_bindgen(js_name = createRequestObject)]
pub fn create_request_object(key: &Key, opts: JsValue) -> JsResult<String> {
    if !opts.is_object() {
        return Err(invalid("createRequestObject takes an options object"));
    }
    let options = crate::RequestObjectOptions {
        client_id: req_string(&opts, "clientId")?,
        audience: req_string(&opts, "audience")?,
        params: opt_object(&opts, "params")?,
        alg: opt_alg(&opts, "alg")?,
        kid: header_choice(&opts, "kid")?,
        typ: header_choice(&opts, "typ")?,
        jti: header_choice(&opts, "jti")?,
        lifetime: opt_integer(&opts, "lifetime")?,
        now: Some(now_seconds(&opts)?),
    };
    crate::create_request_object(&key.inner, &options).js()
}

/// Verifies a request object against the client's `keys`, without replay detection.
/// Returns `{ header, payload, keyIndex, key, jti }`.
#[wasm_bindgen(js_name = verifyRequestObject)]
pub fn verify_request_object(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    keys: &KeySet,
    opts: JsValue,
) -> JsResult<JsValue> {
    request_object_inner(&string_arg(&token, "token")?, keys, &opts, None)
}

/// Verifies a request object and records its (iss, jti) in `replay`, as
/// [`verify_request_object`] otherwise.
#[wasm_bindgen(js_name = verifyRequestObjectWithReplay)]
pub fn verify_request_object_with_replay(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    keys: &KeySet,
    opts: JsValue,
    replay: &ReplayCache,
) -> JsResult<JsValue> {
    request_object_inner(&string_arg(&token, "token")?, keys, &opts, Some(replay))
}

fn request_object_inner(token: &str, keys: &KeySet, opts: &JsValue, replay: Option<&ReplayCache>) -> JsResult<JsValue> {
    let defaults = crate::RequestObjectVerifyOptions::default();
    let options = crate::RequestObjectVerifyOptions {
        client_id: req_string(opts, "clientId")?,
        audiences: string_list(&field(opts, "audience")?, "audience")?,
        algorithms: opt_algorithms(opts)?.unwrap_or(defaults.algorithms),
        clock_tolerance: opt_integer(opts, "clockTolerance")?.unwrap_or(defaults.clock_tolerance),
        max_lifetime: opt_integer(opts, "maxLifetime")?.unwrap_or(defaults.max_lifetime),
        require_typ: opt_bool(opts, "requireTyp")?.unwrap_or(defaults.require_typ),
        require_jti: opt_bool(opts, "requireJti")?.unwrap_or(defaults.require_jti),
        now: Some(now_seconds(opts)?),
        max_token_length: defaults.max_token_length,
    };
    let verified = crate::verify_request_object(token, &keys.keys, &options, replay.map(|r| &r.inner)).js()?;
    let out = verified_object(keys, &verified.header, &verified.payload, verified.key)?;
    set(&out, "jti", &verified.jti.map_or(JsValue::UNDEFINED, |j| j.into()))?;
    Ok(out.into())
}

fn signed_jwks_format(opts: &JsValue) -> JsResult<crate::SignedJwksFormat> {
    match opt_string(opts, "format")?.as_deref() {
        None | Some("jwk-set") => Ok(crate::SignedJwksFormat::JwkSet),
        Some("entity-statement") => Ok(crate::SignedJwksFormat::EntityStatement),
        Some(_) => Err(invalid("format must be 'jwk-set' or 'entity-statement'")),
    }
}

/// Signs the JWK Set given as JSON text with `signing_key`: a `jwk-set+jwt` or an
/// `entity-statement+jwt`.
#[wasm_bindgen(js_name = createSignedJwks)]
pub fn create_signed_jwks(
    signing_key: &Key,
    #[wasm_bindgen(unchecked_param_type = "string")] jwks_json: JsValue,
    opts: JsValue,
) -> JsResult<String> {
    let text = string_arg(&jwks_json, "the JWK Set")?;
    let jwks = crate::json::parse_object(text.as_bytes(), "JWK Set")
        .map(Value::Object)
        .map_err(|m| to_js_error(Error::KeyInvalid(m)))?;
    let options = crate::SignedJwksOptions {
        iss: req_string(&opts, "iss")?,
        sub: opt_string(&opts, "sub")?,
        lifetime: opt_integer(&opts, "lifetime")?,
        kid: header_choice(&opts, "kid")?,
        alg: opt_alg(&opts, "alg")?,
        now: Some(now_seconds(&opts)?),
        format: signed_jwks_format(&opts)?,
        signed_jwks_uri: opt_string(&opts, "signedJwksUri")?,
    };
    crate::create_signed_jwks(&jwks, &signing_key.inner, &options).js()
}

/// Verifies a signed JWK Set or entity statement with the entity's `keys`:
/// `{ header, payload, keys, format, signedJwksUri }`.
#[wasm_bindgen(js_name = verifySignedJwks)]
pub fn verify_signed_jwks(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    keys: &KeySet,
    opts: JsValue,
) -> JsResult<JsValue> {
    let token = string_arg(&token, "token")?;
    let defaults = crate::SignedJwksVerifyOptions::default();
    let options = crate::SignedJwksVerifyOptions {
        issuer: req_string(&opts, "issuer")?,
        subject: opt_string(&opts, "subject")?,
        algorithms: opt_algorithms(&opts)?.unwrap_or(defaults.algorithms),
        clock_tolerance: opt_integer(&opts, "clockTolerance")?.unwrap_or(defaults.clock_tolerance),
        now: Some(now_seconds(&opts)?),
    };
    let verified = crate::verify_signed_jwks(&token, &keys.keys, &options).js()?;
    let out = js_sys::Object::new();
    set(&out, "header", &object_to_js(&verified.header)?)?;
    set(&out, "payload", &object_to_js(&verified.payload)?)?;
    set(&out, "keys", &JSON::parse(&json_text(&verified.keys))?)?;
    let format = match verified.format {
        crate::SignedJwksFormat::JwkSet => "jwk-set",
        crate::SignedJwksFormat::EntityStatement => "entity-statement",
    };
    set(&out, "format", &format.into())?;
    set(
        &out,
        "signedJwksUri",
        &verified.signed_jwks_uri.map_or(JsValue::UNDEFINED, |u| u.into()),
    )?;
    Ok(out.into())
}

/// Verifies a signed ID token (OpenID Connect Core §3.1.3.7): `{ header, payload, keyIndex, key }`.
#[wasm_bindgen(js_name = verifyIdToken)]
pub fn verify_id_token(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    keys: &KeySet,
    opts: JsValue,
) -> JsResult<JsValue> {
    let token = string_arg(&token, "idToken")?;
    let defaults = crate::IdTokenOptions::default();
    let options = crate::IdTokenOptions {
        issuer: req_string(&opts, "issuer")?,
        client_id: req_string(&opts, "clientId")?,
        nonce: opt_string(&opts, "nonce")?,
        max_age: opt_integer(&opts, "maxAge")?,
        require_auth_time: opt_bool(&opts, "requireAuthTime")?.unwrap_or(false),
        algorithms: opt_algorithms(&opts)?.unwrap_or(defaults.algorithms),
        clock_tolerance: opt_integer(&opts, "clockTolerance")?.unwrap_or(defaults.clock_tolerance),
        now: Some(now_seconds(&opts)?),
    };
    let verified = crate::verify_id_token(&token, &keys.keys, &options).js()?;
    Ok(verified_object(keys, &verified.header, &verified.payload, verified.key)?.into())
}

/// Verifies a signed userinfo response (OpenID Connect Core §5.3.2):
/// `{ header, payload, keyIndex, key }`.
#[wasm_bindgen(js_name = verifyUserinfo)]
pub fn verify_userinfo(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    keys: &KeySet,
    opts: JsValue,
) -> JsResult<JsValue> {
    let token = string_arg(&token, "userinfo")?;
    let defaults = crate::UserinfoOptions::default();
    let options = crate::UserinfoOptions {
        issuer: req_string(&opts, "issuer")?,
        client_id: req_string(&opts, "clientId")?,
        subject: req_string(&opts, "subject")?,
        algorithms: opt_algorithms(&opts)?.unwrap_or(defaults.algorithms),
        clock_tolerance: opt_integer(&opts, "clockTolerance")?.unwrap_or(defaults.clock_tolerance),
        now: Some(now_seconds(&opts)?),
    };
    let verified = crate::verify_userinfo(&token, &keys.keys, &options).js()?;
    Ok(verified_object(keys, &verified.header, &verified.payload, verified.key)?.into())
}

/// Decodes a compact JWS strictly without verifying it:
/// `{ header, payload, signature, signingInput }`.
#[wasm_bindgen(js_name = decodeJwt)]
pub fn decode_jwt(#[wasm_bindgen(unchecked_param_type = "string")] token: JsValue) -> JsResult<JsValue> {
    let decoded = crate::decode_unverified(&string_arg(&token, "token")?).js()?;
    let out = js_sys::Object::new();
    set(&out, "header", &object_to_js(&decoded.header)?)?;
    set(&out, "payload", &object_to_js(&decoded.payload)?)?;
    set(&out, "signature", &crate::b64::encode(&decoded.signature).into())?;
    set(&out, "signingInput", &decoded.signing_input.into())?;
    Ok(out.into())
}

/// `{ x5t, "x5t#S256" }` of a PEM certificate.
#[wasm_bindgen(js_name = certificateThumbprints)]
pub fn certificate_thumbprints(#[wasm_bindgen(unchecked_param_type = "string")] pem: JsValue) -> JsResult<JsValue> {
    let cert = Certificate::from_pem(&string_arg(&pem, "the certificate")?).js()?;
    let out = js_sys::Object::new();
    set(&out, "x5t", &cert.x5t().into())?;
    set(&out, "x5t#S256", &cert.x5t_s256().into())?;
    Ok(out.into())
}

// --- JWE (issue 8): decryptJwt / encryptJwt -------------------------------------------------

fn list_option<T: std::str::FromStr<Err = Error> + Clone>(
    opts: &JsValue,
    name: &str,
    default: &[T],
) -> JsResult<Vec<T>> {
    let value = field(opts, name)?;
    if absent(&value) {
        return Ok(default.to_vec());
    }
    string_list(&value, name)?.iter().map(|n| n.parse::<T>().js()).collect()
}

/// Decrypts a compact JWE with `keys` (private encryption keys):
/// `{ algorithms?, encryptions?, maxSize? }` → `{ header, plaintext, text, keyIndex }`.
#[wasm_bindgen(js_name = decryptJwt)]
pub fn decrypt_jwt(
    #[wasm_bindgen(unchecked_param_type = "string")] jwe: JsValue,
    keys: &KeySet,
    opts: JsValue,
) -> JsResult<JsValue> {
    let jwe = string_arg(&jwe, "the JWE")?;
    let max_size = match opt_integer(&opts, "maxSize")? {
        None => crate::jwe::DEFAULT_MAX_JWE_SIZE,
        Some(n) if (1..=16 * 1024 * 1024).contains(&n) => n as usize,
        Some(_) => return Err(invalid("maxSize must be between 1 and 16777216")),
    };
    let options = DecryptOptions {
        algorithms: list_option(&opts, "algorithms", &KeyManagementAlgorithm::ALL)?,
        encryptions: list_option(&opts, "encryptions", &ContentEncryption::ALL)?,
        max_size,
    };
    let decrypted = crate::jwe::decrypt(&jwe, &keys.keys, &options).js()?;
    let out = js_sys::Object::new();
    set(&out, "header", &object_to_js(&decrypted.header)?)?;
    set(
        &out,
        "plaintext",
        &Uint8Array::from(decrypted.plaintext.as_slice()).into(),
    )?;
    set(
        &out,
        "text",
        &decrypted.text().map_or(JsValue::UNDEFINED, JsValue::from),
    )?;
    set(&out, "keyIndex", &JsValue::from(decrypted.key_index as u32))?;
    Ok(out.into())
}

/// Encrypts `plaintext` (a string or bytes) to `key`: `{ alg?, enc?, cty?, kid?, typ? }` → compact JWE.
#[wasm_bindgen(js_name = encryptJwt)]
pub fn encrypt_jwt(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] plaintext: JsValue,
    key: &Key,
    opts: JsValue,
) -> JsResult<String> {
    let bytes = if let Some(text) = plaintext.as_string() {
        text.into_bytes()
    } else if plaintext.is_instance_of::<Uint8Array>() {
        Uint8Array::from(plaintext).to_vec()
    } else {
        return Err(invalid("plaintext must be a string or a Uint8Array"));
    };
    let options = EncryptOptions {
        alg: opt_string(&opts, "alg")?
            .map(|n| n.parse::<KeyManagementAlgorithm>().js())
            .transpose()?,
        enc: opt_string(&opts, "enc")?
            .map(|n| n.parse::<ContentEncryption>().js())
            .transpose()?
            .unwrap_or(ContentEncryption::A256Gcm),
        cty: opt_string(&opts, "cty")?,
        kid: header_choice(&opts, "kid")?,
        typ: opt_string(&opts, "typ")?,
    };
    crate::jwe::encrypt(&bytes, &key.inner, &options).js()
}
