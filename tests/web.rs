//! The JavaScript boundary of `src/wasm.rs`, tested the way JavaScript uses it.
//!
//! Every call goes through the wasm-bindgen JS glue that `wasm-bindgen-test-runner` generates for
//! this test binary (`generateKey`, `importKey`, `Key`, `KeySet`, `ReplayCache`, …), with
//! `Function.prototype.apply`, `Reflect.get` and `Reflect.construct`: the same path a JS caller
//! takes, glue type checks included. Rust cannot call the binding directly (`mod wasm` is
//! private), and that is the point: what is tested is what crosses the boundary.
//!
//! Run with `bash scripts/test-wasm.sh`, which runs this one binary twice:
//!
//! * `wasm-pack test --release --node -- --test web`
//! * `WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --release --headless --chrome --chromedriver … -- --test web`
//!
//! There is deliberately no `wasm_bindgen_test_configure!(run_in_browser)`: without it the
//! runner uses Node.js, and `WASM_BINDGEN_USE_BROWSER=1` switches the same binary to the browser
//! (documented in the wasm-bindgen guide, "Testing in Headless Browsers"), so one build serves
//! both runs. `wasm-pack test --chrome` without that variable skips this file.
//!
//! `--release` is required, not a speed choice: `pkjwt`'s `#[wasm_bindgen]` exports live in the
//! `pkjwt` rlib, and nothing in this test crate references their object file, so in a debug build
//! the linker leaves them out and the glue has no `generateKey`. The release profile's fat LTO
//! merges the whole crate and keeps every exported symbol. [`glue`] fails with an explanation if
//! the exports are missing.
//!
//! The tests run against the production (non-debug) JS glue, the one `wasm-pack build --release`
//! ships (`WASM_BINDGEN_NO_DEBUG=1` in scripts/test-wasm.sh): a non-string where the binding
//! expects a string must be `ERR_INVALID_ARGUMENT`, never a trap.

#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use js_sys::{Array, Function, JSON, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

// Links the pkjwt rlib into this binary, so that its `#[wasm_bindgen]` exports are part of it.
use pkjwt as _;

// ---------------------------------------------------------------------------------------------
// Fixtures (tests/keys; see its README). Expected thumbprints and x5t values are read from the
// JSON files there, never hard-coded, because regenerating the fixtures changes them.
// ---------------------------------------------------------------------------------------------

const RSA2048_PKCS8: &str = include_str!("keys/rsa2048.pkcs8.pem");
const RSA2048_PKCS1: &str = include_str!("keys/rsa2048.pkcs1.pem");
const RSA2048_SPKI: &str = include_str!("keys/rsa2048.spki.pem");
const RSA2048_PKCS1_PUB: &str = include_str!("keys/rsa2048.pkcs1-pub.pem");
const RSA2048_CERT: &str = include_str!("keys/rsa2048.cert.pem");
const RSA2048_PKCS8_DER: &[u8] = include_bytes!("keys/rsa2048.pkcs8.der");
const RSA2048_SPKI_DER: &[u8] = include_bytes!("keys/rsa2048.spki.der");
const RSA2048_PRIV_JWK: &str = include_str!("keys/jwk/rsa2048.priv.json");
const RSA2048_PUB_JWK: &str = include_str!("keys/jwk/rsa2048.pub.json");
const RSA3072_SPKI: &str = include_str!("keys/rsa3072.spki.pem");
const RSA1024_PKCS8: &str = include_str!("keys/rsa1024.pkcs8.pem");
const RSA1024_PUB_JWK: &str = include_str!("keys/jwk/rsa1024.pub.json");

const P256_PKCS8: &str = include_str!("keys/p256.pkcs8.pem");
const P256_SEC1: &str = include_str!("keys/p256.sec1.pem");
const P256_SPKI: &str = include_str!("keys/p256.spki.pem");
const P256_CERT: &str = include_str!("keys/p256.cert.pem");
const P256_PKCS8_DER: &[u8] = include_bytes!("keys/p256.pkcs8.der");
const P256_SPKI_DER: &[u8] = include_bytes!("keys/p256.spki.der");
const P256_PRIV_JWK: &str = include_str!("keys/jwk/p256.priv.json");
const P256_PUB_JWK: &str = include_str!("keys/jwk/p256.pub.json");

const P384_PKCS8: &str = include_str!("keys/p384.pkcs8.pem");
const P384_SEC1: &str = include_str!("keys/p384.sec1.pem");
const P384_SPKI: &str = include_str!("keys/p384.spki.pem");
const P384_CERT: &str = include_str!("keys/p384.cert.pem");
const P384_PKCS8_DER: &[u8] = include_bytes!("keys/p384.pkcs8.der");
const P384_PRIV_JWK: &str = include_str!("keys/jwk/p384.priv.json");

const ED25519_PKCS8: &str = include_str!("keys/ed25519.pkcs8.pem");
const ED25519_SPKI: &str = include_str!("keys/ed25519.spki.pem");
const ED25519_CERT: &str = include_str!("keys/ed25519.cert.pem");
const ED25519_PKCS8_DER: &[u8] = include_bytes!("keys/ed25519.pkcs8.der");
const ED25519_SPKI_DER: &[u8] = include_bytes!("keys/ed25519.spki.der");
const ED25519_PRIV_JWK: &str = include_str!("keys/jwk/ed25519.priv.json");
const ED25519_PUB_JWK: &str = include_str!("keys/jwk/ed25519.pub.json");

const P521_PKCS8: &str = include_str!("keys/p521.pkcs8.pem");
const P521_PUB_JWK: &str = include_str!("keys/jwk/p521.pub.json");
const SECP256K1_PKCS8: &str = include_str!("keys/secp256k1.pkcs8.pem");
const SECP256K1_PUB_JWK: &str = include_str!("keys/jwk/secp256k1.pub.json");

const THUMBPRINTS: &str = include_str!("keys/thumbprints.json");
const CERTS: &str = include_str!("keys/certs.json");

/// The fixed clock of every test (2023-11-14T22:13:20Z), as the JS number the binding receives.
const NOW: f64 = 1_700_000_000.0;
const AUD: &str = "https://as.example.com";
const TOKEN_ENDPOINT: &str = "https://as.example.com/oauth2/token";
const CLIENT: &str = "client-123";

const INVALID_ARGUMENT: &str = "ERR_INVALID_ARGUMENT";
const JWK_INVALID: &str = "ERR_JWK_INVALID";
const NOT_SUPPORTED: &str = "ERR_JOSE_NOT_SUPPORTED";
const ALG_NOT_ALLOWED: &str = "ERR_JOSE_ALG_NOT_ALLOWED";
const JWS_INVALID: &str = "ERR_JWS_INVALID";
const SIGNATURE_FAILED: &str = "ERR_JWS_SIGNATURE_VERIFICATION_FAILED";
const CLAIM_FAILED: &str = "ERR_JWT_CLAIM_VALIDATION_FAILED";
const EXPIRED: &str = "ERR_JWT_EXPIRED";
const NO_MATCHING_KEY: &str = "ERR_JWKS_NO_MATCHING_KEY";
const REPLAYED: &str = "ERR_JWT_REPLAYED";
const REPLAY_CACHE_FULL: &str = "ERR_REPLAY_CACHE_FULL";

const ALL_ALGS: [&str; 10] = [
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "Ed25519",
];

// ---------------------------------------------------------------------------------------------
// Reaching the glue.
// ---------------------------------------------------------------------------------------------

/// Finds the glue module of this very wasm instance and caches it on `globalThis`.
///
/// * Node.js (CommonJS, the runner's default): `run.cjs` is the main module and required
///   `./wasm-bindgen-test.js`; requiring it again through the main module gives the cached
///   exports, bound to the same instance.
/// * Browser: the page's `run.js` imported `./wasm-bindgen-test` (no extension) and initialised
///   it; a dynamic import of the same URL yields the same, initialised module record. A
///   candidate whose `KeySet` cannot be constructed is a second, uninitialised copy and is skipped.
const LOAD_GLUE: &str = r#"(async () => {
  if (globalThis.__pkjwtTestGlue) return globalThis.__pkjwtTestGlue;
  const usable = (m) => {
    if (!m || typeof m.generateKey !== 'function' || typeof m.KeySet !== 'function') return false;
    try { new m.KeySet().free(); return true; } catch (e) { return false; }
  };
  const seen = [];
  let found = null;
  const node = typeof process !== 'undefined' && process.versions && process.versions.node;
  if (node && process.mainModule) {
    // CommonJS (the runner's default for Node.js): the main module is run.cjs.
    const m = process.mainModule.require('./wasm-bindgen-test.js');
    seen.push('node: ' + Object.keys(m).join(','));
    if (usable(m)) found = m;
  } else {
    // ES modules: the browser page (run.js imports './wasm-bindgen-test') or Node.js's
    // run.mjs (WASM_BINDGEN_USE_NODE_EXPERIMENTAL, imports './wasm-bindgen-test.js').
    const base = node ? 'file://' + process.argv[1] : document.baseURI;
    const specs = node ? ['./wasm-bindgen-test.js'] : ['./wasm-bindgen-test', './wasm-bindgen-test.js'];
    for (const spec of specs) {
      try {
        const m = await import(new URL(spec, base).href);
        seen.push(spec + ': ' + Object.keys(m).join(','));
        if (usable(m)) { found = m; break; }
      } catch (e) { seen.push(spec + ': ' + e); }
    }
  }
  if (!found) {
    throw new Error('the pkjwt exports (generateKey, KeySet, ...) are not in the test glue. ' +
      'Build with --release: only the release profile (fat LTO) keeps the rlib\'s #[wasm_bindgen] exports ' +
      'in a test binary. Seen: ' + seen.join(' | '));
  }
  globalThis.__pkjwtTestGlue = found;
  return found;
})"#;

/// The glue module: `generateKey`, `importKey`, …, `Key`, `KeySet`, `ReplayCache`.
#[derive(Clone)]
struct Glue(JsValue);

async fn glue() -> Glue {
    let loader: Function = js_sys::eval(LOAD_GLUE)
        .expect("the glue loader compiles")
        .unchecked_into();
    let promise: Promise = loader
        .call0(&JsValue::UNDEFINED)
        .expect("the glue loader runs")
        .unchecked_into();
    match PromiseFuture::new(&promise).await {
        Ok(module) => Glue(module),
        Err(error) => panic!("cannot reach the wasm-bindgen glue: {}", describe(&error)),
    }
}

/// The settled value of a promise, and the waker of the task waiting for it.
type Slot = Rc<RefCell<(Option<Result<JsValue, JsValue>>, Option<Waker>)>>;

/// A minimal `Promise` → `Future` bridge (wasm-bindgen-futures is not a direct dev-dependency).
struct PromiseFuture {
    state: Slot,
    _on_ok: Closure<dyn FnMut(JsValue)>,
    _on_err: Closure<dyn FnMut(JsValue)>,
}

impl PromiseFuture {
    fn new(promise: &Promise) -> PromiseFuture {
        let state: Slot = Rc::new(RefCell::new((None, None)));
        let settle = |ok: bool| {
            let state = state.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |value: JsValue| {
                let waker = {
                    let mut slot = state.borrow_mut();
                    slot.0 = Some(if ok { Ok(value) } else { Err(value) });
                    slot.1.take()
                };
                if let Some(waker) = waker {
                    waker.wake();
                }
            })
        };
        let on_ok = settle(true);
        let on_err = settle(false);
        let _ = promise.then2(&on_ok, &on_err);
        PromiseFuture {
            state,
            _on_ok: on_ok,
            _on_err: on_err,
        }
    }
}

impl Future for PromiseFuture {
    type Output = Result<JsValue, JsValue>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.state.borrow_mut();
        match slot.0.take() {
            Some(result) => Poll::Ready(result),
            None => {
                slot.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Small JS helpers.
// ---------------------------------------------------------------------------------------------

fn args(values: &[&JsValue]) -> Array {
    let array = Array::new();
    for value in values {
        array.push(value);
    }
    array
}

fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &name.into()).unwrap_or_else(|e| panic!("reading .{name} threw {}", describe(&e)))
}

fn get_string(target: &JsValue, name: &str) -> Option<String> {
    get(target, name).as_string()
}

/// Calls `target[name](...args)`, returning what it threw as `Err`.
fn method(target: &JsValue, name: &str, values: &[&JsValue]) -> Result<JsValue, JsValue> {
    let function = Reflect::get(target, &name.into())?;
    let function: Function = function
        .dyn_into()
        .unwrap_or_else(|v| panic!(".{name} is not a function but {}", describe(&v)));
    function.apply(target, &args(values))
}

fn s(text: &str) -> JsValue {
    JsValue::from_str(text)
}

fn n(number: f64) -> JsValue {
    JsValue::from_f64(number)
}

/// A plain object `{ name: value, … }`.
fn o(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in pairs {
        Reflect::set(&object, &(*name).into(), value).unwrap();
    }
    object.into()
}

/// `{ ...base, ...extra }`.
fn with(base: &JsValue, extra: &[(&str, JsValue)]) -> JsValue {
    let copy = Object::assign(&Object::new(), base.unchecked_ref());
    Object::assign(&copy, o(extra).unchecked_ref()).into()
}

/// `{ ...base }` without `name`.
fn without(base: &JsValue, name: &str) -> JsValue {
    let copy: JsValue = Object::assign(&Object::new(), base.unchecked_ref()).into();
    Reflect::delete_property(copy.unchecked_ref::<Object>(), &name.into()).unwrap();
    copy
}

fn parse(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or_else(|e| panic!("JSON.parse failed: {}", describe(&e)))
}

fn stringify(value: &JsValue) -> String {
    JSON::stringify(value).unwrap().as_string().unwrap()
}

/// Evaluates a JS expression (for values Rust cannot build: BigInt, getters, proxies, …).
fn js(expression: &str) -> JsValue {
    js_sys::eval(&format!("({expression})")).unwrap_or_else(|e| panic!("eval {expression}: {}", describe(&e)))
}

/// `String(value)`, i.e. what template literals and string concatenation show.
fn js_string_of(value: &JsValue) -> String {
    let to_string = Function::new_with_args("v", "return String(v)");
    to_string
        .call1(&JsValue::UNDEFINED, value)
        .unwrap()
        .as_string()
        .unwrap()
}

fn bytes(data: &[u8]) -> JsValue {
    Uint8Array::from(data).into()
}

fn describe(value: &JsValue) -> String {
    if value.is_instance_of::<js_sys::Error>() {
        let error: &js_sys::Error = value.unchecked_ref();
        let code = Reflect::get(value, &"code".into())
            .ok()
            .and_then(|c| c.as_string())
            .unwrap_or_default();
        format!(
            "{}: {} [{}]",
            String::from(error.name()),
            String::from(error.message()),
            code
        )
    } else {
        format!("{value:?}")
    }
}

fn thumbprint_of(file: &str) -> String {
    get_string(&parse(THUMBPRINTS), file).unwrap_or_else(|| panic!("{file} missing from thumbprints.json"))
}

// ---------------------------------------------------------------------------------------------
// The binding, one helper per export.
// ---------------------------------------------------------------------------------------------

impl Glue {
    fn export(&self, name: &str) -> JsValue {
        let value = get(&self.0, name);
        assert!(!value.is_undefined(), "the glue has no export {name}");
        value
    }

    fn call(&self, name: &str, values: &[&JsValue]) -> Result<JsValue, JsValue> {
        let function: Function = self.export(name).dyn_into().unwrap();
        function.apply(&JsValue::UNDEFINED, &args(values))
    }

    fn construct(&self, class: &str, values: &[&JsValue]) -> Result<JsValue, JsValue> {
        let class: Function = self.export(class).dyn_into().unwrap();
        Reflect::construct(&class, &args(values))
    }

    fn generate_key(&self, alg: &JsValue, opts: &JsValue) -> Result<JsValue, JsValue> {
        self.call("generateKey", &[alg, opts])
    }

    fn import_key(&self, input: &JsValue, opts: &JsValue) -> Result<JsValue, JsValue> {
        self.call("importKey", &[input, opts])
    }

    fn import(&self, input: &JsValue) -> JsValue {
        self.import_key(input, &JsValue::UNDEFINED)
            .unwrap_or_else(|e| panic!("importKey: {}", describe(&e)))
    }

    fn import_pem(&self, pem: &str) -> JsValue {
        self.import(&s(pem))
    }

    fn generate(&self, alg: &str) -> JsValue {
        self.generate_key(&s(alg), &JsValue::UNDEFINED)
            .unwrap_or_else(|e| panic!("generateKey({alg}): {}", describe(&e)))
    }

    fn key_set(&self, keys: &[&JsValue]) -> JsValue {
        let set = self.construct("KeySet", &[]).unwrap();
        for key in keys {
            method(&set, "add", &[key]).unwrap_or_else(|e| panic!("KeySet#add: {}", describe(&e)));
        }
        set
    }

    /// `createClientAssertion(key, [options…])`, the options read from `opts` as the package's
    /// loader reads them.
    fn create(&self, key: &JsValue, opts: &JsValue) -> Result<JsValue, JsValue> {
        self.call(
            "createClientAssertion",
            &[key, &option_values(opts, &ASSERTION_OPTIONS)?],
        )
    }

    fn sign(&self, key: &JsValue, extra: &[(&str, JsValue)]) -> String {
        let opts = with(&sign_opts(), extra);
        self.create(key, &opts)
            .unwrap_or_else(|e| panic!("createClientAssertion: {}", describe(&e)))
            .as_string()
            .expect("createClientAssertion returns a string")
    }

    /// `verifyClientAssertion(token, keys, [options…])` with the options read from `opts` as the
    /// package's loader reads them, its JSON answer parsed.
    fn verify(&self, token: &JsValue, keys: &JsValue, opts: &JsValue) -> Result<JsValue, JsValue> {
        self.call(
            "verifyClientAssertion",
            &[token, keys, &option_values(opts, &VERIFY_OPTIONS)?],
        )
        .map(|text| parse(&text.as_string().expect("verifyClientAssertion answers JSON text")))
    }

    fn verify_ok(&self, token: &str, keys: &JsValue, extra: &[(&str, JsValue)]) -> JsValue {
        self.verify(&s(token), keys, &with(&verify_opts(), extra))
            .unwrap_or_else(|e| panic!("verifyClientAssertion: {}", describe(&e)))
    }

    fn verify_replay(
        &self,
        token: &JsValue,
        keys: &JsValue,
        opts: &JsValue,
        cache: &JsValue,
    ) -> Result<JsValue, JsValue> {
        self.call(
            "verifyClientAssertionWithReplay",
            &[token, keys, &option_values(opts, &VERIFY_OPTIONS)?, cache],
        )
        .map(|text| {
            parse(
                &text
                    .as_string()
                    .expect("verifyClientAssertionWithReplay answers JSON text"),
            )
        })
    }

    fn decode(&self, token: &JsValue) -> Result<JsValue, JsValue> {
        self.call("decodeJwt", &[token])
    }
}

/// The options `createClientAssertion` takes, in the order of its array (pkg/api.js).
const ASSERTION_OPTIONS: [&str; 11] = [
    "clientId",
    "audience",
    "alg",
    "lifetime",
    "kid",
    "typ",
    "certificate",
    "x5t",
    "jti",
    "now",
    "claims",
];

/// The options `verifyClientAssertion` takes, in the order of its array (pkg/api.js).
const VERIFY_OPTIONS: [&str; 9] = [
    "audience",
    "clientId",
    "algorithms",
    "clockTolerance",
    "maxLifetime",
    "requireJti",
    "requireTyp",
    "allowMultipleAudiences",
    "now",
];

/// `[opts[name] for name of names]`, as the package's loader passes options (undefined members
/// when `opts` is not an object); what a getter throws is the error.
fn option_values(opts: &JsValue, names: &[&str]) -> Result<JsValue, JsValue> {
    let values = Array::new();
    for name in names {
        let value = if opts.is_object() {
            Reflect::get(opts, &(*name).into())?
        } else {
            JsValue::UNDEFINED
        };
        values.push(&value);
    }
    Ok(values.into())
}

fn sign_opts() -> JsValue {
    o(&[("clientId", s(CLIENT)), ("audience", s(AUD)), ("now", n(NOW))])
}

fn verify_opts() -> JsValue {
    o(&[("audience", s(AUD)), ("now", n(NOW))])
}

// ---------------------------------------------------------------------------------------------
// Assertions on rejections.
// ---------------------------------------------------------------------------------------------

/// After any rejected input the instance must still do a full round trip: generate, sign with
/// an assertion, verify it with the public half in a KeySet.
fn assert_still_works(g: &Glue) {
    let key = g.generate_key(&s("ES256"), &JsValue::UNDEFINED).unwrap_or_else(|e| {
        panic!(
            "the instance is broken after a rejection: generateKey threw {}",
            describe(&e)
        )
    });
    let public = method(&key, "publicKey", &[]).unwrap();
    let opts = o(&[("clientId", s("still-works")), ("audience", s(AUD)), ("now", n(NOW))]);
    let token = g.create(&key, &opts).unwrap_or_else(|e| {
        panic!(
            "the instance is broken after a rejection: createClientAssertion threw {}",
            describe(&e)
        )
    });
    let set = g.key_set(&[&public]);
    let verified = g.verify(&token, &set, &verify_opts()).unwrap_or_else(|e| {
        panic!(
            "the instance is broken after a rejection: verifyClientAssertion threw {}",
            describe(&e)
        )
    });
    assert_eq!(get_string(&verified, "clientId").as_deref(), Some("still-works"));
    for object in [&key, &public, &set] {
        method(object, "free", &[]).unwrap();
    }
}

/// Checks that `error` is a real `Error` and not a WebAssembly trap.
#[track_caller]
fn assert_error_not_trap(what: &str, error: &JsValue) {
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "{what}: threw a non-Error value {error:?}"
    );
    assert!(
        !error.is_instance_of::<js_sys::WebAssembly::RuntimeError>(),
        "{what}: TRAPPED ({})",
        describe(error)
    );
}

/// `result` must be a thrown `PkjwtError` with `code`; the instance must still work afterwards.
#[track_caller]
fn expect_code(g: &Glue, what: &str, result: Result<JsValue, JsValue>, code: &str) -> JsValue {
    let error = match result {
        Ok(value) => panic!("{what}: expected {code}, but it returned {value:?}"),
        Err(error) => error,
    };
    assert_error_not_trap(what, &error);
    assert_eq!(
        get_string(&error, "name").as_deref(),
        Some("PkjwtError"),
        "{what}: {}",
        describe(&error)
    );
    assert_eq!(
        get_string(&error, "code").as_deref(),
        Some(code),
        "{what}: {}",
        describe(&error)
    );
    let message = get_string(&error, "message").unwrap_or_default();
    assert!(!message.is_empty(), "{what}: empty message");
    if code != CLAIM_FAILED && code != EXPIRED {
        assert!(
            get(&error, "claim").is_undefined(),
            "{what}: unexpected .claim on {code}"
        );
        assert!(
            get(&error, "reason").is_undefined(),
            "{what}: unexpected .reason on {code}"
        );
    }
    assert_still_works(g);
    error
}

#[track_caller]
fn expect_invalid(g: &Glue, what: &str, result: Result<JsValue, JsValue>) -> JsValue {
    expect_code(g, what, result, INVALID_ARGUMENT)
}

/// A claim failure: `code`, `.claim` and `.reason`.
#[track_caller]
fn expect_claim(g: &Glue, what: &str, result: Result<JsValue, JsValue>, code: &str, claim: &str, reason: &str) {
    let error = expect_code(g, what, result, code);
    assert_eq!(
        get_string(&error, "claim").as_deref(),
        Some(claim),
        "{what}: .claim of {}",
        describe(&error)
    );
    assert_eq!(
        get_string(&error, "reason").as_deref(),
        Some(reason),
        "{what}: .reason of {}",
        describe(&error)
    );
}

/// Rejected by the glue before Rust runs (wrong class, freed object): an `Error`, not a trap.
#[track_caller]
fn expect_glue_rejection(g: &Glue, what: &str, result: Result<JsValue, JsValue>) -> JsValue {
    let error = match result {
        Ok(value) => panic!("{what}: expected a rejection, but it returned {value:?}"),
        Err(error) => error,
    };
    assert_error_not_trap(what, &error);
    assert_still_works(g);
    error
}

/// A non-string where the binding expects a string: always `ERR_INVALID_ARGUMENT`, never a trap
/// or a glue error (the binding takes `JsValue` and checks the type itself).
#[track_caller]
fn expect_string_arg_rejected(g: &Glue, what: &str, result: Result<JsValue, JsValue>) {
    if let Ok(value) = &result {
        panic!("{what}: a non-string was accepted and returned {value:?}");
    }
    expect_code(g, what, result, INVALID_ARGUMENT);
}

/// JS values of every type but string.
fn non_strings() -> Vec<(&'static str, JsValue)> {
    vec![
        ("number", n(42.0)),
        ("null", JsValue::NULL),
        ("undefined", JsValue::UNDEFINED),
        ("boolean", JsValue::TRUE),
        ("array", js("['ES256']")),
        ("object", js("({ toString() { return 'ES256' } })")),
        ("bigint", js("10n")),
        ("symbol", js("Symbol('x')")),
        ("String object", js("new String('ES256')")),
    ]
}

/// Values that are not option objects.
fn non_objects() -> Vec<(&'static str, JsValue)> {
    vec![
        ("string", s("x")),
        ("number", n(5.0)),
        ("boolean", JsValue::TRUE),
        ("bigint", js("1n")),
        ("symbol", js("Symbol('o')")),
    ]
}

/// Values that are not integers (for `now`, `lifetime`, …).
fn non_integers() -> Vec<(&'static str, JsValue)> {
    vec![
        ("fraction", n(1.5)),
        ("NaN", n(f64::NAN)),
        ("Infinity", n(f64::INFINITY)),
        ("-Infinity", n(f64::NEG_INFINITY)),
        ("huge", n(1e300)),
        ("numeric string", s("60")),
        ("null", JsValue::NULL),
        ("boolean", JsValue::TRUE),
        ("bigint", js("60n")),
        ("array", js("[60]")),
        ("object", js("({ valueOf() { return 60 } })")),
    ]
}

// ---------------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn every_export_is_present() {
    let g = glue().await;
    for name in [
        "generateKey",
        "importKey",
        "toJwks",
        "createClientAssertion",
        "verifyClientAssertion",
        "verifyClientAssertionWithReplay",
        "decodeJwt",
        "certificateThumbprints",
        "Key",
        "KeySet",
        "ReplayCache",
    ] {
        assert!(g.export(name).is_function(), "{name} is not a function");
    }
    assert_still_works(&g);
}

#[wasm_bindgen_test]
async fn generate_key_for_every_algorithm() {
    let g = glue().await;
    // RSA key generation is slow in wasm: generated once (RS256); the other RSA algorithms are
    // covered by `every_algorithm_signs_and_verifies` with the fixture key.
    for (alg, kty) in [
        ("ES256", "EC"),
        ("ES384", "EC"),
        ("EdDSA", "OKP"),
        ("Ed25519", "OKP"),
        ("RS256", "RSA"),
    ] {
        let key = g.generate(alg);
        assert_eq!(get_string(&key, "kty").as_deref(), Some(kty), "{alg}");
        assert_eq!(
            get_string(&key, "alg").as_deref(),
            Some(alg),
            "{alg}: generated keys are bound to their alg"
        );
        assert_eq!(get(&key, "isPrivate"), JsValue::TRUE, "{alg}");
        let thumbprint = method(&key, "thumbprint", &[]).unwrap().as_string().unwrap();
        assert_eq!(
            get_string(&key, "kid"),
            Some(thumbprint.clone()),
            "{alg}: default kid is the thumbprint"
        );
        assert_eq!(thumbprint.len(), 43, "{alg}: base64url SHA-256");

        let token = g.sign(&key, &[]);
        let header = get(&g.decode(&s(&token)).unwrap(), "header");
        assert_eq!(get_string(&header, "alg").as_deref(), Some(alg), "{alg}");
        assert_eq!(get_string(&header, "kid"), Some(thumbprint), "{alg}");
        let public = method(&key, "publicKey", &[]).unwrap();
        let out = g.verify_ok(&token, &g.key_set(&[&public]), &[("algorithms", s(alg))]);
        assert_eq!(get_string(&out, "clientId").as_deref(), Some(CLIENT), "{alg}");
    }
    // Two generated keys differ.
    let a = method(&g.generate("ES256"), "thumbprint", &[]).unwrap();
    let b = method(&g.generate("ES256"), "thumbprint", &[]).unwrap();
    assert_ne!(a, b);
    // Options: kid; null / undefined options are "no options".
    let key = g.generate_key(&s("EdDSA"), &o(&[("kid", s("my-kid"))])).unwrap();
    assert_eq!(get_string(&key, "kid").as_deref(), Some("my-kid"));
    assert!(g.generate_key(&s("ES384"), &JsValue::NULL).is_ok());
    assert!(g.generate_key(&s("ES384"), &o(&[])).is_ok());
    assert_still_works(&g);
}

#[wasm_bindgen_test]
async fn generate_key_rejections() {
    let g = glue().await;
    for (alg, code) in [
        ("none", ALG_NOT_ALLOWED),
        ("NONE", ALG_NOT_ALLOWED),
        ("HS256", ALG_NOT_ALLOWED),
        ("ES512", NOT_SUPPORTED),
        ("ES256K", NOT_SUPPORTED),
        ("es256", NOT_SUPPORTED),
        ("RSA-OAEP-512", NOT_SUPPORTED),
        ("rsa-oaep-256", NOT_SUPPORTED),
        ("", NOT_SUPPORTED),
        ("ES256\0", NOT_SUPPORTED),
    ] {
        expect_code(
            &g,
            &format!("generateKey({alg:?})"),
            g.generate_key(&s(alg), &JsValue::UNDEFINED),
            code,
        );
    }
    let long = "X".repeat(100_000);
    expect_code(
        &g,
        "generateKey(very long name)",
        g.generate_key(&s(&long), &JsValue::UNDEFINED),
        NOT_SUPPORTED,
    );
    for (kind, value) in non_strings() {
        expect_string_arg_rejected(
            &g,
            &format!("generateKey(<{kind}>)"),
            g.generate_key(&value, &JsValue::UNDEFINED),
        );
    }
    for (kind, value) in non_objects() {
        expect_invalid(
            &g,
            &format!("generateKey('ES256', <{kind}>)"),
            g.generate_key(&s("ES256"), &value),
        );
    }
    for (what, alg, opts) in [
        ("modulusLength on EC", "ES256", o(&[("modulusLength", n(2048.0))])),
        ("modulusLength on OKP", "EdDSA", o(&[("modulusLength", n(2048.0))])),
        ("modulusLength 1024", "RS256", o(&[("modulusLength", n(1024.0))])),
        ("modulusLength 2047", "RS256", o(&[("modulusLength", n(2047.0))])),
        ("modulusLength 2052", "RS256", o(&[("modulusLength", n(2052.0))])),
        ("modulusLength 16384", "RS256", o(&[("modulusLength", n(16384.0))])),
        ("modulusLength 0", "RS256", o(&[("modulusLength", n(0.0))])),
        ("modulusLength -2048", "RS256", o(&[("modulusLength", n(-2048.0))])),
        ("kid empty", "ES256", o(&[("kid", s(""))])),
        ("kid too long", "ES256", o(&[("kid", s(&"k".repeat(257)))])),
        ("kid number", "ES256", o(&[("kid", n(1.0))])),
        ("kid null", "ES256", o(&[("kid", JsValue::NULL)])),
    ] {
        expect_invalid(&g, &format!("generateKey: {what}"), g.generate_key(&s(alg), &opts));
    }
    for (kind, value) in non_integers() {
        let opts = o(&[("modulusLength", value)]);
        expect_invalid(
            &g,
            &format!("generateKey: modulusLength <{kind}>"),
            g.generate_key(&s("RS256"), &opts),
        );
    }
}

#[wasm_bindgen_test]
async fn import_key_from_pem_in_every_format() {
    let g = glue().await;
    for (pem, kty, private, thumbprint_file) in [
        (RSA2048_PKCS8, "RSA", true, "rsa2048.spki.pem"),
        (RSA2048_PKCS1, "RSA", true, "rsa2048.spki.pem"),
        (RSA2048_SPKI, "RSA", false, "rsa2048.spki.pem"),
        (RSA2048_PKCS1_PUB, "RSA", false, "rsa2048.spki.pem"),
        (RSA2048_CERT, "RSA", false, "rsa2048.spki.pem"),
        (RSA3072_SPKI, "RSA", false, "rsa3072.spki.pem"),
        (P256_PKCS8, "EC", true, "p256.spki.pem"),
        (P256_SEC1, "EC", true, "p256.spki.pem"),
        (P256_SPKI, "EC", false, "p256.spki.pem"),
        (P256_CERT, "EC", false, "p256.spki.pem"),
        (P384_PKCS8, "EC", true, "p384.spki.pem"),
        (P384_SEC1, "EC", true, "p384.spki.pem"),
        (P384_SPKI, "EC", false, "p384.spki.pem"),
        (P384_CERT, "EC", false, "p384.spki.pem"),
        (ED25519_PKCS8, "OKP", true, "ed25519.spki.pem"),
        (ED25519_SPKI, "OKP", false, "ed25519.spki.pem"),
        (ED25519_CERT, "OKP", false, "ed25519.spki.pem"),
    ] {
        let what = pem.lines().next().unwrap_or_default();
        let key = g.import_pem(pem);
        let expected = thumbprint_of(thumbprint_file);
        assert_eq!(
            get_string(&key, "kty").as_deref(),
            Some(kty),
            "{thumbprint_file} {what}"
        );
        assert_eq!(
            get(&key, "isPrivate"),
            JsValue::from_bool(private),
            "{thumbprint_file} {what}"
        );
        assert!(
            get(&key, "alg").is_undefined(),
            "{thumbprint_file} {what}: an imported PEM is not bound to an alg"
        );
        assert_eq!(
            method(&key, "thumbprint", &[]).unwrap().as_string(),
            Some(expected.clone()),
            "{thumbprint_file}"
        );
        assert_eq!(
            get_string(&key, "kid"),
            Some(expected.clone()),
            "{thumbprint_file}: default kid"
        );
        let public = method(&key, "publicKey", &[]).unwrap();
        assert_eq!(get(&public, "isPrivate"), JsValue::FALSE);
        assert_eq!(method(&public, "thumbprint", &[]).unwrap().as_string(), Some(expected));
    }
    // Leading text and whitespace around the PEM block are fine.
    let key = g.import(&s(&format!("  \nsubject=/CN=x\n{P256_PKCS8}\n\n")));
    assert_eq!(get_string(&key, "kid"), Some(thumbprint_of("p256.spki.pem")));
    // Options: kid and alg.
    let key = g
        .import_key(&s(RSA2048_PKCS8), &o(&[("kid", s("rsa-1")), ("alg", s("PS256"))]))
        .unwrap();
    assert_eq!(get_string(&key, "kid").as_deref(), Some("rsa-1"));
    assert_eq!(get_string(&key, "alg").as_deref(), Some("PS256"));
    let header = get(&g.decode(&s(&g.sign(&key, &[]))).unwrap(), "header");
    assert_eq!(
        get_string(&header, "alg").as_deref(),
        Some("PS256"),
        "a bound key signs with its alg"
    );
    assert_eq!(get_string(&header, "kid").as_deref(), Some("rsa-1"));
    assert_still_works(&g);
}

#[wasm_bindgen_test]
async fn import_key_from_jwk_text_jwk_object_and_der() {
    let g = glue().await;
    for (jwk, kty, private, thumbprint_file) in [
        (RSA2048_PRIV_JWK, "RSA", true, "rsa2048.spki.pem"),
        (RSA2048_PUB_JWK, "RSA", false, "rsa2048.spki.pem"),
        (P256_PRIV_JWK, "EC", true, "p256.spki.pem"),
        (P256_PUB_JWK, "EC", false, "p256.spki.pem"),
        (P384_PRIV_JWK, "EC", true, "p384.spki.pem"),
        (ED25519_PRIV_JWK, "OKP", true, "ed25519.spki.pem"),
        (ED25519_PUB_JWK, "OKP", false, "ed25519.spki.pem"),
    ] {
        let expected = Some(thumbprint_of(thumbprint_file));
        // As JSON text, with or without leading whitespace.
        for text in [jwk.to_string(), format!("\n  {jwk}")] {
            let key = g.import(&s(&text));
            assert_eq!(
                get_string(&key, "kty").as_deref(),
                Some(kty),
                "{thumbprint_file} (text)"
            );
            assert_eq!(
                get(&key, "isPrivate"),
                JsValue::from_bool(private),
                "{thumbprint_file} (text)"
            );
            assert_eq!(
                method(&key, "thumbprint", &[]).unwrap().as_string(),
                expected,
                "{thumbprint_file} (text)"
            );
        }
        // As an object (what JSON.parse or a JWKS fetch gives).
        let key = g.import(&parse(jwk));
        assert_eq!(
            get_string(&key, "kty").as_deref(),
            Some(kty),
            "{thumbprint_file} (object)"
        );
        assert_eq!(
            get(&key, "isPrivate"),
            JsValue::from_bool(private),
            "{thumbprint_file} (object)"
        );
        assert_eq!(
            method(&key, "thumbprint", &[]).unwrap().as_string(),
            expected,
            "{thumbprint_file} (object)"
        );
    }
    // A JWK's own kid/alg/use are kept; the kid option overrides the kid.
    let jwk = with(
        &parse(P256_PUB_JWK),
        &[("kid", s("from-jwk")), ("alg", s("ES256")), ("use", s("sig"))],
    );
    let key = g.import(&jwk);
    assert_eq!(get_string(&key, "kid").as_deref(), Some("from-jwk"));
    assert_eq!(get_string(&key, "alg").as_deref(), Some("ES256"));
    let key = g.import_key(&jwk, &o(&[("kid", s("override"))])).unwrap();
    assert_eq!(get_string(&key, "kid").as_deref(), Some("override"));

    // DER in a Uint8Array: PKCS#8 and SPKI.
    for (der, kty, private, thumbprint_file) in [
        (RSA2048_PKCS8_DER, "RSA", true, "rsa2048.spki.pem"),
        (RSA2048_SPKI_DER, "RSA", false, "rsa2048.spki.pem"),
        (P256_PKCS8_DER, "EC", true, "p256.spki.pem"),
        (P256_SPKI_DER, "EC", false, "p256.spki.pem"),
        (P384_PKCS8_DER, "EC", true, "p384.spki.pem"),
        (ED25519_PKCS8_DER, "OKP", true, "ed25519.spki.pem"),
        (ED25519_SPKI_DER, "OKP", false, "ed25519.spki.pem"),
    ] {
        let key = g.import(&bytes(der));
        assert_eq!(get_string(&key, "kty").as_deref(), Some(kty), "{thumbprint_file} (DER)");
        assert_eq!(
            get(&key, "isPrivate"),
            JsValue::from_bool(private),
            "{thumbprint_file} (DER)"
        );
        assert_eq!(
            method(&key, "thumbprint", &[]).unwrap().as_string(),
            Some(thumbprint_of(thumbprint_file))
        );
    }
    // A Uint8Array view into a larger buffer: only the view's bytes count.
    let mut padded = vec![0xAAu8; 7];
    padded.extend_from_slice(P256_SPKI_DER);
    padded.extend_from_slice(&[0xBB; 5]);
    let buffer = Uint8Array::from(padded.as_slice()).buffer();
    let view = Uint8Array::new_with_byte_offset_and_length(&buffer, 7, P256_SPKI_DER.len() as u32);
    let key = g.import(&view.into());
    assert_eq!(
        method(&key, "thumbprint", &[]).unwrap().as_string(),
        Some(thumbprint_of("p256.spki.pem"))
    );

    // DER in an ArrayBuffer or a DataView (not a Uint8Array): either imported as the same key or
    // refused with a PkjwtError; never a trap. (Today: refused, as an empty JWK object.)
    let der = Uint8Array::from(P256_SPKI_DER);
    let data_view: JsValue = js_sys::DataView::new(&der.buffer(), 0, P256_SPKI_DER.len()).into();
    for (what, input) in [("ArrayBuffer", JsValue::from(der.buffer())), ("DataView", data_view)] {
        match g.import_key(&input, &JsValue::UNDEFINED) {
            Ok(key) => assert_eq!(
                method(&key, "thumbprint", &[]).unwrap().as_string(),
                Some(thumbprint_of("p256.spki.pem")),
                "importKey({what})"
            ),
            Err(error) => {
                assert_error_not_trap(&format!("importKey({what})"), &error);
                assert_eq!(
                    get_string(&error, "name").as_deref(),
                    Some("PkjwtError"),
                    "importKey({what})"
                );
                assert_still_works(&g);
            }
        }
    }

    // Export → import round trips: private JWK object, PEM.
    for pem in [RSA2048_PKCS8, P256_PKCS8, P384_PKCS8, ED25519_PKCS8] {
        let key = g.import_pem(pem);
        let thumbprint = method(&key, "thumbprint", &[]).unwrap();
        let jwk = method(&key, "toJwk", &[&o(&[("private", JsValue::TRUE)])]).unwrap();
        let again = g.import(&jwk);
        assert_eq!(get(&again, "isPrivate"), JsValue::TRUE);
        assert_eq!(method(&again, "thumbprint", &[]).unwrap(), thumbprint);
        let pem_again = method(&key, "toPem", &[]).unwrap();
        let again = g.import(&pem_again);
        assert_eq!(method(&again, "thumbprint", &[]).unwrap(), thumbprint);
        // The re-imported key signs tokens the original's public half verifies.
        let public = method(&key, "publicKey", &[]).unwrap();
        g.verify_ok(&g.sign(&again, &[]), &g.key_set(&[&public]), &[]);
    }
    assert_still_works(&g);
}

#[wasm_bindgen_test]
async fn import_key_rejections() {
    let g = glue().await;
    let none = JsValue::UNDEFINED;
    // Inputs of the wrong type.
    for (kind, value) in [
        ("number", n(42.0)),
        ("null", JsValue::NULL),
        ("undefined", JsValue::UNDEFINED),
        ("boolean", JsValue::TRUE),
        ("bigint", js("10n")),
        ("symbol", js("Symbol('k')")),
        ("array", js("[]")),
        ("array of bytes", js("[48, 130, 1, 34]")),
        ("array of a JWK", js("[{ kty: 'EC' }]")),
        ("function", js("function () {}")),
    ] {
        expect_invalid(&g, &format!("importKey(<{kind}>)"), g.import_key(&value, &none));
    }
    // Strings that are neither PEM nor a JWK, or a broken one.
    for (what, text, code) in [
        ("empty", "", JWK_INVALID),
        ("garbage", "not a key", JWK_INVALID),
        ("truncated JWK", "{\"kty\":", JWK_INVALID),
        ("empty JWK", "{}", JWK_INVALID),
        ("JWK array", " [] ", JWK_INVALID),
        ("duplicate members", "{\"kty\":\"EC\",\"kty\":\"EC\"}", JWK_INVALID),
        ("oct JWK", "{\"kty\":\"oct\",\"k\":\"AAAA\"}", NOT_SUPPORTED),
        (
            "broken PEM",
            "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
            JWK_INVALID,
        ),
        (
            "empty PEM body",
            "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
            JWK_INVALID,
        ),
        (
            "encrypted PEM",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
            NOT_SUPPORTED,
        ),
        (
            "unknown PEM label",
            "-----BEGIN DSA PRIVATE KEY-----\nAAAA\n-----END DSA PRIVATE KEY-----\n",
            NOT_SUPPORTED,
        ),
        ("RSA 1024 PEM", RSA1024_PKCS8, JWK_INVALID),
        ("RSA 1024 JWK", RSA1024_PUB_JWK, JWK_INVALID),
        ("P-521 PEM", P521_PKCS8, NOT_SUPPORTED),
        ("P-521 JWK", P521_PUB_JWK, NOT_SUPPORTED),
        ("secp256k1 PEM", SECP256K1_PKCS8, NOT_SUPPORTED),
        ("secp256k1 JWK", SECP256K1_PUB_JWK, NOT_SUPPORTED),
    ] {
        expect_code(&g, &format!("importKey({what})"), g.import_key(&s(text), &none), code);
    }
    let huge = "A".repeat(1 << 20);
    expect_code(
        &g,
        "importKey(1 MiB string)",
        g.import_key(&s(&huge), &none),
        JWK_INVALID,
    );
    // Objects that are not valid JWKs.
    for (what, value, code) in [
        ("{}", js("{}"), JWK_INVALID),
        ("kty number", js("{ kty: 1 }"), JWK_INVALID),
        ("oct", js("{ kty: 'oct', k: 'AAAA' }"), NOT_SUPPORTED),
        ("EC without coordinates", js("{ kty: 'EC', crv: 'P-256' }"), JWK_INVALID),
        ("P-521", parse(P521_PUB_JWK), NOT_SUPPORTED),
        ("RSA 1024", parse(RSA1024_PUB_JWK), JWK_INVALID),
        (
            "x off the curve",
            with(
                &parse(P256_PUB_JWK),
                &[("x", s("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))],
            ),
            JWK_INVALID,
        ),
        (
            "d not matching",
            with(&parse(P256_PRIV_JWK), &[("x", get(&parse(P384_PRIV_JWK), "x"))]),
            JWK_INVALID,
        ),
        ("bigint member", js("{ kty: 'EC', crv: 'P-256', x: 1n }"), JWK_INVALID),
        (
            "circular",
            js("(() => { const o = { kty: 'EC' }; o.self = o; return o })()"),
            JWK_INVALID,
        ),
        (
            "toJSON throwing",
            js("{ toJSON() { throw new Error('no') } }"),
            JWK_INVALID,
        ),
        ("Date", js("new Date(0)"), JWK_INVALID),
        ("Map", js("new Map([['kty', 'EC']])"), JWK_INVALID),
    ] {
        expect_code(
            &g,
            &format!("importKey(JWK object: {what})"),
            g.import_key(&value, &none),
            code,
        );
    }
    // Bytes that are not a key.
    for (what, data) in [
        ("empty", &[][..]),
        ("garbage", &[1u8, 2, 3, 4][..]),
        ("truncated", &P256_PKCS8_DER[..40]),
    ] {
        expect_code(
            &g,
            &format!("importKey(DER {what})"),
            g.import_key(&bytes(data), &none),
            JWK_INVALID,
        );
    }
    // Options.
    for (kind, value) in non_objects() {
        expect_invalid(
            &g,
            &format!("importKey(pem, <{kind}>)"),
            g.import_key(&s(P256_PKCS8), &value),
        );
    }
    let p256 = s(P256_PKCS8);
    for (what, opts, code) in [
        ("alg HS256", o(&[("alg", s("HS256"))]), ALG_NOT_ALLOWED),
        ("alg none", o(&[("alg", s("none"))]), ALG_NOT_ALLOWED),
        ("alg unknown", o(&[("alg", s("FOO"))]), NOT_SUPPORTED),
        ("alg of another family", o(&[("alg", s("RS256"))]), JWK_INVALID),
        ("alg of another curve", o(&[("alg", s("ES384"))]), JWK_INVALID),
        ("alg number", o(&[("alg", n(256.0))]), INVALID_ARGUMENT),
        ("alg null", o(&[("alg", JsValue::NULL)]), INVALID_ARGUMENT),
        ("alg array", o(&[("alg", js("['ES256']"))]), INVALID_ARGUMENT),
        ("kid empty", o(&[("kid", s(""))]), INVALID_ARGUMENT),
        ("kid number", o(&[("kid", n(7.0))]), INVALID_ARGUMENT),
        ("kid object", o(&[("kid", js("{}"))]), INVALID_ARGUMENT),
    ] {
        expect_code(&g, &format!("importKey(pem, {what})"), g.import_key(&p256, &opts), code);
    }
    // A JWK whose own alg disagrees with the requested one.
    let bound = with(&parse(P256_PUB_JWK), &[("alg", s("ES256"))]);
    expect_code(
        &g,
        "importKey(JWK alg ES256, {alg: ES384})",
        g.import_key(&bound, &o(&[("alg", s("ES384"))])),
        JWK_INVALID,
    );
    // An option getter that throws, a Proxy whose every read throws.
    let throwing = js("{ get alg() { throw new Error('getter') } }");
    expect_invalid(&g, "importKey(pem, throwing getter)", g.import_key(&p256, &throwing));
    let proxy = js("new Proxy({}, { get() { throw new Error('proxy') } })");
    expect_invalid(&g, "importKey(pem, throwing proxy)", g.import_key(&p256, &proxy));
}

#[wasm_bindgen_test]
async fn key_getters_and_methods() {
    let g = glue().await;
    let key = g.import_key(&s(P256_PKCS8), &o(&[("alg", s("ES256"))])).unwrap();
    let kid = get_string(&key, "kid").unwrap();
    // toJwk: public by default, with kid, alg and use.
    for opts in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        o(&[]),
        o(&[("private", JsValue::FALSE)]),
    ] {
        let jwk = method(&key, "toJwk", &[&opts]).unwrap();
        assert_eq!(get_string(&jwk, "kty").as_deref(), Some("EC"));
        assert_eq!(get_string(&jwk, "crv").as_deref(), Some("P-256"));
        assert_eq!(get_string(&jwk, "kid"), Some(kid.clone()));
        assert_eq!(get_string(&jwk, "alg").as_deref(), Some("ES256"));
        assert_eq!(get_string(&jwk, "use").as_deref(), Some("sig"));
        assert!(get(&jwk, "d").is_undefined(), "toJwk({opts:?}) leaked d");
        assert_eq!(get(&jwk, "x"), get(&parse(P256_PUB_JWK), "x"));
    }
    let jwk = method(&key, "toJwk", &[]).unwrap();
    assert!(get(&jwk, "d").is_undefined(), "toJwk() leaked d");
    let private_jwk = method(&key, "toJwk", &[&o(&[("private", JsValue::TRUE)])]).unwrap();
    assert_eq!(get(&private_jwk, "d"), get(&parse(P256_PRIV_JWK), "d"));
    // toPem: PKCS#8 for private keys, SPKI for public ones.
    let pem = method(&key, "toPem", &[]).unwrap().as_string().unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");
    let public = method(&key, "publicKey", &[]).unwrap();
    let public_pem = method(&public, "toPem", &[]).unwrap().as_string().unwrap();
    assert!(public_pem.starts_with("-----BEGIN PUBLIC KEY-----"), "{public_pem}");
    assert_eq!(public_pem.trim(), P256_SPKI.trim());
    // publicKey keeps kid and alg.
    assert_eq!(get(&public, "isPrivate"), JsValue::FALSE);
    assert_eq!(get_string(&public, "kid"), Some(kid.clone()));
    assert_eq!(get_string(&public, "alg").as_deref(), Some("ES256"));
    assert_eq!(
        method(&public, "thumbprint", &[]).unwrap(),
        method(&key, "thumbprint", &[]).unwrap()
    );
    // toJSON / JSON.stringify give the public JWK.
    let json = method(&key, "toJSON", &[]).unwrap();
    assert_eq!(stringify(&json), stringify(&jwk));
    assert_eq!(stringify(&key), stringify(&jwk));
    // toString describes the key.
    let text = method(&key, "toString", &[]).unwrap().as_string().unwrap();
    assert!(text.contains("EC") && text.contains(&kid), "{text}");
    assert_eq!(js_string_of(&key), text, "String(key) uses toString()");
    // Getter values have the right JS types.
    assert!(get(&key, "kty").is_string() && get(&key, "kid").is_string());
    assert!(get(&key, "isPrivate").as_bool().is_some());
    assert!(
        get(&g.import_pem(P256_PKCS8), "alg").is_undefined(),
        "alg is undefined when unbound"
    );

    // Rejections.
    expect_invalid(
        &g,
        "public.toJwk({private: true})",
        method(&public, "toJwk", &[&o(&[("private", JsValue::TRUE)])]),
    );
    for (kind, value) in [
        ("string", s("yes")),
        ("number", n(1.0)),
        ("null", JsValue::NULL),
        ("object", js("{}")),
    ] {
        let opts = o(&[("private", value)]);
        expect_invalid(
            &g,
            &format!("toJwk({{private: <{kind}>}})"),
            method(&key, "toJwk", &[&opts]),
        );
    }
    for (kind, value) in non_objects() {
        expect_invalid(&g, &format!("toJwk(<{kind}>)"), method(&key, "toJwk", &[&value]));
    }
    // The key is still intact after those.
    assert_eq!(get_string(&key, "kid"), Some(kid));
    let private_again = method(&key, "toJwk", &[&o(&[("private", JsValue::TRUE)])]).unwrap();
    assert_eq!(stringify(&private_again), stringify(&private_jwk));
    // The methods also work when detached and re-attached (no reliance on a particular receiver
    // shape beyond being a Key).
    let to_jwk: Function = get(&key, "toJwk").dyn_into().unwrap();
    assert!(to_jwk.call0(&key).is_ok());
    let not_a_key = js("{ __wbg_ptr: 0 }");
    expect_glue_rejection(&g, "toJwk called on a non-Key", to_jwk.call0(&not_a_key));
}

#[wasm_bindgen_test]
async fn private_material_never_appears_in_to_string_or_to_json() {
    let g = glue().await;
    let mut keys = vec![
        g.import_pem(RSA2048_PKCS8),
        g.import_pem(P256_PKCS8),
        g.import_pem(P384_SEC1),
        g.import_pem(ED25519_PKCS8),
        g.import(&s(P256_PRIV_JWK)),
        g.import(&bytes(ED25519_PKCS8_DER)),
    ];
    keys.extend(["ES256", "ES384", "EdDSA"].map(|alg| g.generate(alg)));
    for key in &keys {
        assert_eq!(get(key, "isPrivate"), JsValue::TRUE);
        let private = method(key, "toJwk", &[&o(&[("private", JsValue::TRUE)])]).unwrap();
        let secrets: Vec<String> = ["d", "p", "q", "dp", "dq", "qi"]
            .iter()
            .filter_map(|name| get_string(&private, name))
            .collect();
        assert!(!secrets.is_empty());
        let set = g.key_set(&[key]);
        let shown = [
            ("toString()", method(key, "toString", &[]).unwrap().as_string().unwrap()),
            ("String(key)", js_string_of(key)),
            ("toJSON()", stringify(&method(key, "toJSON", &[]).unwrap())),
            ("JSON.stringify(key)", stringify(key)),
            ("JSON.stringify([key])", stringify(&args(&[key]).into())),
            ("toJwk()", stringify(&method(key, "toJwk", &[]).unwrap())),
            ("toJwks(set)", stringify(&g.call("toJwks", &[&set]).unwrap())),
        ];
        for (how, text) in shown {
            for secret in &secrets {
                assert!(!text.contains(secret.as_str()), "{how} leaks private material: {text}");
            }
            assert!(!text.contains("\"d\""), "{how} has a \"d\" member: {text}");
        }
        let json = method(key, "toJSON", &[]).unwrap();
        for name in ["d", "p", "q", "dp", "dq", "qi"] {
            assert!(get(&json, name).is_undefined(), "toJSON() has {name}");
        }
    }
    assert_still_works(&g);
}

#[wasm_bindgen_test]
async fn key_sets_to_jwks_and_add_jwks() {
    let g = glue().await;
    let empty = g.construct("KeySet", &[]).unwrap();
    assert_eq!(get(&empty, "size").as_f64(), Some(0.0));
    assert_eq!(stringify(&g.call("toJwks", &[&empty]).unwrap()), "{\"keys\":[]}");

    let rsa = g.import_pem(RSA2048_PKCS8);
    let ec = g.import_key(&s(P256_PKCS8), &o(&[("alg", s("ES256"))])).unwrap();
    let ed = g.import_pem(ED25519_SPKI);
    let set = g.key_set(&[&rsa, &ec, &ed]);
    assert_eq!(get(&set, "size").as_f64(), Some(3.0));
    let jwks = g.call("toJwks", &[&set]).unwrap();
    let list: Array = get(&jwks, "keys").dyn_into().unwrap();
    assert_eq!(list.length(), 3);
    for (i, key) in [&rsa, &ec, &ed].into_iter().enumerate() {
        let jwk = list.get(i as u32);
        assert_eq!(get(&jwk, "kid"), get(key, "kid"));
        assert_eq!(get_string(&jwk, "use").as_deref(), Some("sig"));
        for name in ["d", "p", "q", "dp", "dq", "qi"] {
            assert!(get(&jwk, name).is_undefined(), "toJwks exported private member {name}");
        }
    }
    assert_eq!(get_string(&list.get(1), "alg").as_deref(), Some("ES256"));

    // addJwks with the JSON text of a JWK Set: the keys verify tokens.
    let from_jwks = g.construct("KeySet", &[]).unwrap();
    method(&from_jwks, "addJwks", &[&s(&stringify(&jwks))]).unwrap();
    assert_eq!(get(&from_jwks, "size").as_f64(), Some(3.0));
    for key in [&rsa, &ec] {
        g.verify_ok(&g.sign(key, &[]), &from_jwks, &[]);
    }
    // addJwks appends signature keys only: `use: enc` keys and keys of unsupported types are
    // skipped (a client's JWKS often holds them), so they never verify anything.
    let enc = without(&with(&parse(P384_PRIV_JWK), &[("use", s("enc"))]), "d");
    let skipped = o(&[(
        "keys",
        args(&[&enc, &parse(P521_PUB_JWK), &js("{ kty: 'oct', k: 'AAAA' }")]).into(),
    )]);
    method(&from_jwks, "addJwks", &[&s(&stringify(&skipped))]).unwrap();
    assert_eq!(
        get(&from_jwks, "size").as_f64(),
        Some(3.0),
        "enc / unsupported keys were added"
    );
    let p384 = g.import(&parse(P384_PRIV_JWK));
    expect_code(
        &g,
        "verify with a use:enc key only",
        g.verify(&s(&g.sign(&p384, &[])), &from_jwks, &verify_opts()),
        NO_MATCHING_KEY,
    );
    let more = format!("{{\"keys\":[{P256_PUB_JWK},{P521_PUB_JWK}]}}");
    method(&from_jwks, "addJwks", &[&s(&more)]).unwrap();
    assert_eq!(get(&from_jwks, "size").as_f64(), Some(4.0));

    // The set holds copies: freeing the original Key does not affect it.
    let solo = g.import_pem(P256_PKCS8);
    let token = g.sign(&solo, &[]);
    let copies = g.key_set(&[&solo]);
    method(&solo, "free", &[]).unwrap();
    g.verify_ok(&token, &copies, &[]);

    // addJwks rejections, each leaving the set unchanged (a bad key anywhere rejects them all).
    let target = g.key_set(&[&ec]);
    for (what, text, code) in [
        ("empty", "", JWK_INVALID),
        ("not JSON", "not json", JWK_INVALID),
        ("an array", "[]", JWK_INVALID),
        ("no keys", "{}", JWK_INVALID),
        ("keys not an array", "{\"keys\":5}", JWK_INVALID),
        ("a non-object member", "{\"keys\":[5]}", JWK_INVALID),
        ("duplicate members", "{\"keys\":[],\"keys\":[]}", JWK_INVALID),
        ("a key without kty", "{\"keys\":[{\"crv\":\"P-256\"}]}", JWK_INVALID),
        (
            "an EC key without y",
            "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\"}]}",
            JWK_INVALID,
        ),
    ] {
        expect_code(
            &g,
            &format!("addJwks({what})"),
            method(&target, "addJwks", &[&s(text)]),
            code,
        );
        assert_eq!(
            get(&target, "size").as_f64(),
            Some(1.0),
            "addJwks({what}) changed the set"
        );
    }
    let off_curve = stringify(&with(
        &parse(P256_PUB_JWK),
        &[("x", s("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))],
    ));
    let mixed = format!("{{\"keys\":[{P256_PUB_JWK},{off_curve}]}}");
    expect_code(
        &g,
        "addJwks(good + off-curve)",
        method(&target, "addJwks", &[&s(&mixed)]),
        JWK_INVALID,
    );
    assert_eq!(
        get(&target, "size").as_f64(),
        Some(1.0),
        "a partly bad JWK Set was partly added"
    );
    let mixed = format!("{{\"keys\":[{P256_PUB_JWK},{RSA1024_PUB_JWK}]}}");
    expect_code(
        &g,
        "addJwks(good + weak)",
        method(&target, "addJwks", &[&s(&mixed)]),
        JWK_INVALID,
    );
    assert_eq!(get(&target, "size").as_f64(), Some(1.0));
    for (kind, value) in non_strings() {
        expect_string_arg_rejected(&g, &format!("addJwks(<{kind}>)"), method(&target, "addJwks", &[&value]));
    }
    expect_string_arg_rejected(&g, "addJwks(JWKS object)", method(&target, "addJwks", &[&jwks]));
    assert_eq!(get(&target, "size").as_f64(), Some(1.0));
    // add / toJwks with something that is not a Key / KeySet: rejected by the glue, no trap.
    for (what, value) in [
        ("null", JsValue::NULL),
        ("undefined", JsValue::UNDEFINED),
        ("a JWK", parse(P256_PUB_JWK)),
        ("a PEM", s(P256_SPKI)),
        ("a KeySet", g.construct("KeySet", &[]).unwrap()),
        ("a forged object", js("{ __wbg_ptr: 8 }")),
    ] {
        expect_glue_rejection(&g, &format!("KeySet#add({what})"), method(&target, "add", &[&value]));
    }
    assert_eq!(get(&target, "size").as_f64(), Some(1.0));
    for (what, value) in [
        ("null", JsValue::NULL),
        ("an array of keys", args(&[&ec]).into()),
        ("a Key", ec.clone()),
    ] {
        expect_glue_rejection(&g, &format!("toJwks({what})"), g.call("toJwks", &[&value]));
    }
    g.verify_ok(&g.sign(&ec, &[]), &target, &[]);
}

#[wasm_bindgen_test]
async fn every_algorithm_signs_and_verifies() {
    let g = glue().await;
    let rsa = g.import_pem(RSA2048_PKCS8);
    let p256 = g.import_pem(P256_PKCS8);
    let p384 = g.import_pem(P384_PKCS8);
    let ed = g.import_pem(ED25519_PKCS8);
    let all = g.key_set(&[
        &method(&rsa, "publicKey", &[]).unwrap(),
        &method(&p256, "publicKey", &[]).unwrap(),
        &method(&p384, "publicKey", &[]).unwrap(),
        &method(&ed, "publicKey", &[]).unwrap(),
    ]);
    for (alg, key, index) in [
        ("RS256", &rsa, 0.0),
        ("RS384", &rsa, 0.0),
        ("RS512", &rsa, 0.0),
        ("PS256", &rsa, 0.0),
        ("PS384", &rsa, 0.0),
        ("PS512", &rsa, 0.0),
        ("ES256", &p256, 1.0),
        ("ES384", &p384, 2.0),
        ("EdDSA", &ed, 3.0),
        ("Ed25519", &ed, 3.0),
    ] {
        let token = g.sign(key, &[("alg", s(alg))]);
        let out = g.verify_ok(&token, &all, &[]);
        assert_eq!(get_string(&get(&out, "header"), "alg").as_deref(), Some(alg));
        assert_eq!(get(&out, "keyIndex").as_f64(), Some(index), "{alg}");
        // Bound to its own algorithm only…
        g.verify_ok(&token, &all, &[("algorithms", s(alg))]);
        // …and refused when the allowlist leaves it out.
        let others: Vec<JsValue> = ALL_ALGS.iter().filter(|a| **a != alg).map(|a| s(a)).collect();
        let others: Array = others.iter().collect();
        let refused = g.verify(
            &s(&token),
            &all,
            &with(&verify_opts(), &[("algorithms", others.into())]),
        );
        expect_code(&g, &format!("{alg} outside the allowlist"), refused, ALG_NOT_ALLOWED);
    }
    // EdDSA and Ed25519 are the same scheme: a key bound to one verifies the other.
    let bound = g.import_key(&s(ED25519_SPKI), &o(&[("alg", s("EdDSA"))])).unwrap();
    g.verify_ok(&g.sign(&ed, &[("alg", s("Ed25519"))]), &g.key_set(&[&bound]), &[]);
}

#[wasm_bindgen_test]
async fn create_and_verify_round_trip_with_every_option() {
    let g = glue().await;
    let key = g.import_pem(P256_PKCS8);
    let kid = get_string(&key, "kid").unwrap();
    let public = method(&key, "publicKey", &[]).unwrap();
    let set = g.key_set(&[&g.import_pem(P384_SPKI), &public]);

    // Defaults.
    let token = g.sign(&key, &[]);
    assert_eq!(token.split('.').count(), 3);
    let decoded = g.decode(&s(&token)).unwrap();
    let header = get(&decoded, "header");
    let payload = get(&decoded, "payload");
    assert_eq!(get_string(&header, "alg").as_deref(), Some("ES256"));
    assert_eq!(get_string(&header, "kid"), Some(kid.clone()));
    assert_eq!(get_string(&header, "typ").as_deref(), Some("client-authentication+jwt"));
    assert_eq!(get_string(&payload, "iss").as_deref(), Some(CLIENT));
    assert_eq!(get_string(&payload, "sub").as_deref(), Some(CLIENT));
    assert_eq!(get_string(&payload, "aud").as_deref(), Some(AUD));
    assert_eq!(get(&payload, "iat").as_f64(), Some(NOW));
    assert_eq!(get(&payload, "exp").as_f64(), Some(NOW + 60.0));
    let jti = get_string(&payload, "jti").unwrap();
    assert!(jti.len() >= 22, "jti of at least 128 bits: {jti}");
    assert_ne!(
        get_string(&get(&g.decode(&s(&g.sign(&key, &[]))).unwrap(), "payload"), "jti"),
        Some(jti.clone())
    );

    let out = g.verify_ok(&token, &set, &[]);
    assert_eq!(get_string(&out, "clientId").as_deref(), Some(CLIENT));
    assert_eq!(get_string(&out, "jti"), Some(jti));
    assert_eq!(get(&out, "keyIndex").as_f64(), Some(1.0));
    assert_eq!(get(&out, "replayExpiresAt").as_f64(), Some(NOW + 60.0 + 15.0));
    assert_eq!(stringify(&get(&out, "header")), stringify(&header));
    assert_eq!(stringify(&get(&out, "payload")), stringify(&payload));
    let verified_key = get(&out, "key");
    if !verified_key.is_undefined() {
        assert_eq!(
            get_string(&verified_key, "kid"),
            Some(kid.clone()),
            "result.key is the matching key"
        );
        assert_eq!(get(&verified_key, "isPrivate"), JsValue::FALSE);
    }

    // Every builder option.
    let token = g.sign(
        &key,
        &[
            ("lifetime", n(120.0)),
            ("kid", s("custom-kid")),
            ("typ", s("JWT")),
            ("jti", s("fixed-jti")),
            ("alg", s("ES256")),
            (
                "claims",
                js("{ scope: 'openid', nested: { a: [1, 2, { b: null }] }, flag: true, n: 1.5 }"),
            ),
        ],
    );
    let decoded = g.decode(&s(&token)).unwrap();
    let header = get(&decoded, "header");
    let payload = get(&decoded, "payload");
    assert_eq!(get_string(&header, "kid").as_deref(), Some("custom-kid"));
    assert_eq!(get_string(&header, "typ").as_deref(), Some("JWT"));
    assert_eq!(get(&payload, "exp").as_f64(), Some(NOW + 120.0));
    assert_eq!(get_string(&payload, "jti").as_deref(), Some("fixed-jti"));
    assert_eq!(get_string(&payload, "scope").as_deref(), Some("openid"));
    assert_eq!(stringify(&get(&payload, "nested")), "{\"a\":[1,2,{\"b\":null}]}");
    assert_eq!(get(&payload, "flag"), JsValue::TRUE);
    assert_eq!(get(&payload, "n").as_f64(), Some(1.5));
    // The custom kid names no registered key…
    expect_code(
        &g,
        "verify with an unknown kid",
        g.verify(&s(&token), &set, &verify_opts()),
        NO_MATCHING_KEY,
    );
    // …but a key registered under it verifies.
    let renamed = g.import_key(&s(P256_SPKI), &o(&[("kid", s("custom-kid"))])).unwrap();
    g.verify_ok(&token, &g.key_set(&[&renamed]), &[]);

    // kid: null and typ: null leave them out; the verifier then tries the keys that fit the alg.
    let token = g.sign(&key, &[("kid", JsValue::NULL), ("typ", JsValue::NULL)]);
    let header = get(&g.decode(&s(&token)).unwrap(), "header");
    assert!(
        get(&header, "kid").is_undefined() && get(&header, "typ").is_undefined(),
        "{}",
        stringify(&header)
    );
    let out = g.verify_ok(&token, &set, &[]);
    assert_eq!(get(&out, "keyIndex").as_f64(), Some(1.0));

    // Certificates: x5t#S256, and x5t when asked.
    let certs = parse(CERTS);
    let rsa = g.import_pem(RSA2048_PKCS8);
    let token = g.sign(&rsa, &[("certificate", s(RSA2048_CERT)), ("x5t", JsValue::TRUE)]);
    let header = get(&g.decode(&s(&token)).unwrap(), "header");
    let expected = get(&certs, "rsa2048.cert.pem");
    assert_eq!(get(&header, "x5t#S256"), get(&expected, "x5t#S256"));
    assert_eq!(get(&header, "x5t"), get(&expected, "x5t"));
    let token = g.sign(&key, &[("certificate", s(P256_CERT)), ("x5t", JsValue::FALSE)]);
    let header = get(&g.decode(&s(&token)).unwrap(), "header");
    assert_eq!(get(&header, "x5t#S256"), get(&get(&certs, "p256.cert.pem"), "x5t#S256"));
    assert!(get(&header, "x5t").is_undefined());

    // Verifier options that accept.
    let token = g.sign(&key, &[("audience", s(TOKEN_ENDPOINT))]);
    let audiences: Array = [s(AUD), s(TOKEN_ENDPOINT)].iter().collect();
    let algorithms: Array = [s("ES256"), s("EdDSA")].iter().collect();
    let out = g.verify_ok(
        &token,
        &set,
        &[
            ("audience", audiences.into()),
            ("clientId", s(CLIENT)),
            ("algorithms", algorithms.into()),
            ("clockTolerance", n(0.0)),
            ("maxLifetime", n(60.0)),
            ("requireJti", JsValue::TRUE),
            ("requireTyp", JsValue::TRUE),
            ("allowMultipleAudiences", JsValue::FALSE),
            ("now", n(NOW + 59.0)),
        ],
    );
    assert_eq!(
        get_string(&get(&out, "payload"), "aud").as_deref(),
        Some(TOKEN_ENDPOINT)
    );
    // requireJti: false is accepted as an option.
    g.verify_ok(
        &token,
        &set,
        &[("audience", s(TOKEN_ENDPOINT)), ("requireJti", JsValue::FALSE)],
    );
}

#[wasm_bindgen_test]
async fn the_clock_defaults_to_date_now() {
    let g = glue().await;
    let key = g.import_pem(ED25519_PKCS8);
    let token = g
        .create(&key, &o(&[("clientId", s(CLIENT)), ("audience", s(AUD))]))
        .unwrap()
        .as_string()
        .unwrap();
    let payload = get(&g.decode(&s(&token)).unwrap(), "payload");
    let now = (js_sys::Date::now() / 1000.0).floor();
    let iat = get(&payload, "iat").as_f64().unwrap();
    assert!((iat - now).abs() <= 5.0, "iat {iat} is not Date.now() {now}");
    let set = g.key_set(&[&key]);
    g.verify(&s(&token), &set, &o(&[("audience", s(AUD))])).unwrap();
    // With the fixed test clock, the same token is "issued in the future".
    let refused = g.verify(&s(&token), &set, &verify_opts());
    expect_claim(
        &g,
        "token from now verified in 2023",
        refused,
        CLAIM_FAILED,
        "iat",
        "check_failed",
    );
}

#[wasm_bindgen_test]
async fn create_client_assertion_rejections() {
    let g = glue().await;
    let key = g.import_pem(P256_PKCS8);
    let base = sign_opts();
    // The options argument itself.
    for (kind, value) in [
        ("undefined", JsValue::UNDEFINED),
        ("null", JsValue::NULL),
        ("string", s("x")),
        ("number", n(1.0)),
        ("boolean", JsValue::TRUE),
        ("array", js("[]")),
        ("function", js("function () {}")),
    ] {
        expect_invalid(
            &g,
            &format!("createClientAssertion(key, <{kind}>)"),
            g.create(&key, &value),
        );
    }
    // Required strings.
    for name in ["clientId", "audience"] {
        expect_invalid(&g, &format!("{name} missing"), g.create(&key, &without(&base, name)));
        let mut bad = vec![
            ("empty", s("")),
            ("number", n(1.0)),
            ("null", JsValue::NULL),
            ("boolean", JsValue::FALSE),
            ("array", js("['https://as.example.com']")),
            ("object", js("{}")),
            ("String object", js("new String('x')")),
        ];
        bad.push(("bigint", js("1n")));
        for (kind, value) in bad {
            expect_invalid(
                &g,
                &format!("{name} <{kind}>"),
                g.create(&key, &with(&base, &[(name, value)])),
            );
        }
    }
    // Every optional member, each with a wrong value.
    let mut cases: Vec<(String, JsValue, &str)> = vec![
        ("alg HS256".into(), o(&[("alg", s("HS256"))]), ALG_NOT_ALLOWED),
        ("alg none".into(), o(&[("alg", s("none"))]), ALG_NOT_ALLOWED),
        ("alg unknown".into(), o(&[("alg", s("XX999"))]), NOT_SUPPORTED),
        (
            "alg of another curve".into(),
            o(&[("alg", s("ES384"))]),
            ALG_NOT_ALLOWED,
        ),
        (
            "alg of another family".into(),
            o(&[("alg", s("RS256"))]),
            ALG_NOT_ALLOWED,
        ),
        ("alg number".into(), o(&[("alg", n(256.0))]), INVALID_ARGUMENT),
        ("alg null".into(), o(&[("alg", JsValue::NULL)]), INVALID_ARGUMENT),
        ("lifetime 0".into(), o(&[("lifetime", n(0.0))]), INVALID_ARGUMENT),
        ("lifetime -1".into(), o(&[("lifetime", n(-1.0))]), INVALID_ARGUMENT),
        ("lifetime 3601".into(), o(&[("lifetime", n(3601.0))]), INVALID_ARGUMENT),
        ("kid empty".into(), o(&[("kid", s(""))]), INVALID_ARGUMENT),
        ("kid number".into(), o(&[("kid", n(1.0))]), INVALID_ARGUMENT),
        ("kid false".into(), o(&[("kid", JsValue::FALSE)]), INVALID_ARGUMENT),
        ("typ empty".into(), o(&[("typ", s(""))]), INVALID_ARGUMENT),
        ("typ number".into(), o(&[("typ", n(1.0))]), INVALID_ARGUMENT),
        ("typ object".into(), o(&[("typ", js("{}"))]), INVALID_ARGUMENT),
        (
            "certificate garbage".into(),
            o(&[("certificate", s("not a certificate"))]),
            JWK_INVALID,
        ),
        (
            "certificate of a key".into(),
            o(&[("certificate", s(P256_SPKI))]),
            JWK_INVALID,
        ),
        (
            "certificate of another key".into(),
            o(&[("certificate", s(P384_CERT))]),
            INVALID_ARGUMENT,
        ),
        (
            "certificate number".into(),
            o(&[("certificate", n(1.0))]),
            INVALID_ARGUMENT,
        ),
        (
            "certificate null".into(),
            o(&[("certificate", JsValue::NULL)]),
            INVALID_ARGUMENT,
        ),
        (
            "certificate bytes".into(),
            o(&[("certificate", bytes(P256_SPKI_DER))]),
            INVALID_ARGUMENT,
        ),
        (
            "x5t without certificate".into(),
            o(&[("x5t", JsValue::TRUE)]),
            INVALID_ARGUMENT,
        ),
        ("x5t string".into(), o(&[("x5t", s("yes"))]), INVALID_ARGUMENT),
        ("x5t number".into(), o(&[("x5t", n(1.0))]), INVALID_ARGUMENT),
        ("jti empty".into(), o(&[("jti", s(""))]), INVALID_ARGUMENT),
        (
            "jti too long".into(),
            o(&[("jti", s(&"j".repeat(257)))]),
            INVALID_ARGUMENT,
        ),
        ("jti number".into(), o(&[("jti", n(1.0))]), INVALID_ARGUMENT),
        ("jti null".into(), o(&[("jti", JsValue::NULL)]), INVALID_ARGUMENT),
        ("claims number".into(), o(&[("claims", n(1.0))]), INVALID_ARGUMENT),
        ("claims string".into(), o(&[("claims", s("{}"))]), INVALID_ARGUMENT),
        ("claims array".into(), o(&[("claims", js("[]"))]), INVALID_ARGUMENT),
        ("claims null".into(), o(&[("claims", JsValue::NULL)]), INVALID_ARGUMENT),
        (
            "claims with a BigInt".into(),
            o(&[("claims", js("{ n: 1n }"))]),
            INVALID_ARGUMENT,
        ),
        (
            "claims circular".into(),
            o(&[("claims", js("(() => { const c = {}; c.c = c; return c })()"))]),
            INVALID_ARGUMENT,
        ),
        (
            "claims toJSON throwing".into(),
            o(&[("claims", js("{ toJSON() { throw new Error('x') } }"))]),
            INVALID_ARGUMENT,
        ),
    ];
    for reserved in ["iss", "sub", "aud", "exp", "iat", "jti"] {
        let claims = o(&[(reserved, s("x"))]);
        cases.push((
            format!("claims overriding {reserved}"),
            o(&[("claims", claims)]),
            INVALID_ARGUMENT,
        ));
    }
    for name in ["now", "lifetime"] {
        for (kind, value) in non_integers() {
            cases.push((format!("{name} <{kind}>"), o(&[(name, value)]), INVALID_ARGUMENT));
        }
    }
    for (what, extra, code) in cases {
        let opts = Object::assign(&Object::new(), base.unchecked_ref());
        let opts: JsValue = Object::assign(&opts, extra.unchecked_ref()).into();
        expect_code(
            &g,
            &format!("createClientAssertion: {what}"),
            g.create(&key, &opts),
            code,
        );
    }
    // A public key cannot sign.
    let public = method(&key, "publicKey", &[]).unwrap();
    expect_invalid(&g, "createClientAssertion(public key)", g.create(&public, &base));
    // Option getters that throw, on an export that reads an options object (createClientAssertion
    // takes its options as values the loader has read).
    let throwing = js_sys::eval(
        "(base) => Object.defineProperty({ ...base }, 'clientId', { get() { throw new Error('getter') } })",
    )
    .unwrap()
    .unchecked_into::<Function>()
    .call1(&JsValue::UNDEFINED, &base)
    .unwrap();
    expect_invalid(
        &g,
        "createRequestObject: clientId getter throws",
        g.call("createRequestObject", &[&key, &throwing]),
    );
    let proxy = js("new Proxy({}, { get() { throw new Error('proxy') }, has() { throw new Error('proxy') } })");
    expect_invalid(
        &g,
        "createRequestObject: options proxy throws",
        g.call("createRequestObject", &[&key, &proxy]),
    );
    // Not a Key: the glue refuses it before Rust runs.
    for (what, value) in [
        ("null", JsValue::NULL),
        ("undefined", JsValue::UNDEFINED),
        ("a PEM", s(P256_PKCS8)),
        ("a JWK object", parse(P256_PRIV_JWK)),
        ("a KeySet", g.construct("KeySet", &[]).unwrap()),
        ("a forged object", js("{ __wbg_ptr: 8 }")),
    ] {
        expect_glue_rejection(
            &g,
            &format!("createClientAssertion({what}, opts)"),
            g.create(&value, &base),
        );
    }
    // The key is untouched by all of the above.
    g.verify_ok(&g.sign(&key, &[]), &g.key_set(&[&public]), &[]);
}

#[wasm_bindgen_test]
async fn verify_claim_and_signature_failures() {
    let g = glue().await;
    let key = g.import_pem(P256_PKCS8);
    let public = method(&key, "publicKey", &[]).unwrap();
    let set = g.key_set(&[&public]);
    let token = g.sign(&key, &[]);
    let t = s(&token);
    let verify = |extra: &[(&str, JsValue)]| g.verify(&t, &set, &with(&verify_opts(), extra));

    expect_claim(
        &g,
        "wrong audience",
        verify(&[("audience", s("https://evil.example"))]),
        CLAIM_FAILED,
        "aud",
        "mismatch",
    );
    let legacy_only: Array = [s(TOKEN_ENDPOINT)].iter().collect();
    expect_claim(
        &g,
        "aud not in the list",
        verify(&[("audience", legacy_only.into())]),
        CLAIM_FAILED,
        "aud",
        "mismatch",
    );
    expect_claim(
        &g,
        "wrong clientId",
        verify(&[("clientId", s("someone-else"))]),
        CLAIM_FAILED,
        "iss",
        "mismatch",
    );
    expect_claim(
        &g,
        "expired",
        verify(&[("now", n(NOW + 60.0 + 15.0))]),
        EXPIRED,
        "exp",
        "check_failed",
    );
    expect_claim(
        &g,
        "expired long ago",
        verify(&[("now", n(NOW + 86_400.0))]),
        EXPIRED,
        "exp",
        "check_failed",
    );
    expect_claim(
        &g,
        "issued in the future",
        verify(&[("now", n(NOW - 16.0))]),
        CLAIM_FAILED,
        "iat",
        "check_failed",
    );
    expect_claim(
        &g,
        "lifetime above maxLifetime",
        verify(&[("maxLifetime", n(59.0))]),
        CLAIM_FAILED,
        "exp",
        "check_failed",
    );
    let long = g.sign(&key, &[("lifetime", n(3600.0))]);
    let refused = g.verify(&s(&long), &set, &verify_opts());
    expect_claim(
        &g,
        "3600 s assertion, default maxLifetime",
        refused,
        CLAIM_FAILED,
        "exp",
        "check_failed",
    );
    let untyped = g.sign(&key, &[("typ", JsValue::NULL)]);
    let refused = g.verify(
        &s(&untyped),
        &set,
        &with(&verify_opts(), &[("requireTyp", JsValue::TRUE)]),
    );
    expect_claim(&g, "requireTyp without typ", refused, CLAIM_FAILED, "typ", "missing");
    let access_token = g.sign(&key, &[("typ", s("at+jwt"))]);
    let refused = g.verify(&s(&access_token), &set, &verify_opts());
    expect_claim(&g, "typ at+jwt", refused, CLAIM_FAILED, "typ", "check_failed");

    // Signature, key choice, algorithm.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let middle = parts[2].len() / 2;
    let flipped = if &parts[2][middle..=middle] == "A" { "B" } else { "A" };
    parts[2].replace_range(middle..=middle, flipped);
    let tampered = parts.join(".");
    expect_code(
        &g,
        "tampered signature",
        g.verify(&s(&tampered), &set, &verify_opts()),
        SIGNATURE_FAILED,
    );
    let other = g.key_set(&[&g.import_key(&s(P256_SPKI), &o(&[("kid", s("k"))])).unwrap()]);
    let wrong_key = g.generate("ES256");
    let unsigned_kid = g.sign(&wrong_key, &[("kid", s("k"))]);
    expect_code(
        &g,
        "signed by another key",
        g.verify(&s(&unsigned_kid), &other, &verify_opts()),
        SIGNATURE_FAILED,
    );
    expect_code(
        &g,
        "unknown kid",
        g.verify(&s(&g.sign(&wrong_key, &[])), &set, &verify_opts()),
        NO_MATCHING_KEY,
    );
    let empty = g.construct("KeySet", &[]).unwrap();
    expect_code(
        &g,
        "empty key set",
        g.verify(&t, &empty, &verify_opts()),
        NO_MATCHING_KEY,
    );
    let only_rsa = g.key_set(&[&g.import_pem(RSA2048_SPKI)]);
    let no_kid = g.sign(&key, &[("kid", JsValue::NULL)]);
    expect_code(
        &g,
        "no key fits the alg",
        g.verify(&s(&no_kid), &only_rsa, &verify_opts()),
        NO_MATCHING_KEY,
    );
    let rsa_only: Array = [s("RS256")].iter().collect();
    expect_code(
        &g,
        "alg outside algorithms",
        verify(&[("algorithms", rsa_only.into())]),
        ALG_NOT_ALLOWED,
    );

    // Malformed tokens.
    for (what, bad) in [
        ("empty", String::new()),
        ("garbage", "garbage".into()),
        ("two segments", "a.b".into()),
        ("four segments", format!("{token}.x")),
        ("bad base64url", "a.b.c".into()),
        ("padding", format!("{token}=")),
        ("whitespace", format!(" {token}")),
        (
            "oversized",
            format!("{}.{}.{}", "A".repeat(10_000), "A".repeat(10_000), "A"),
        ),
        ("JWE-like", "a.b.c.d.e".into()),
    ] {
        expect_code(
            &g,
            &format!("token {what}"),
            g.verify(&s(&bad), &set, &verify_opts()),
            JWS_INVALID,
        );
    }
    // The original token still verifies after all that.
    g.verify_ok(&token, &set, &[]);
}

#[wasm_bindgen_test]
async fn verify_option_rejections() {
    let g = glue().await;
    let key = g.import_pem(P256_PKCS8);
    let set = g.key_set(&[&key]);
    let token = s(&g.sign(&key, &[]));
    let base = verify_opts();
    // The options argument.
    for (kind, value) in [
        ("undefined", JsValue::UNDEFINED),
        ("null", JsValue::NULL),
        ("string", s(AUD)),
        ("number", n(1.0)),
        ("boolean", JsValue::TRUE),
        ("array", js("['https://as.example.com']")),
        ("bigint", js("1n")),
    ] {
        expect_invalid(
            &g,
            &format!("verify(token, keys, <{kind}>)"),
            g.verify(&token, &set, &value),
        );
    }
    let mut cases: Vec<(String, JsValue, &str)> = vec![
        ("audience missing".into(), without(&base, "audience"), INVALID_ARGUMENT),
        (
            "audience empty".into(),
            with(&base, &[("audience", s(""))]),
            INVALID_ARGUMENT,
        ),
        (
            "audience []".into(),
            with(&base, &[("audience", js("[]"))]),
            INVALID_ARGUMENT,
        ),
        (
            "audience ['']".into(),
            with(&base, &[("audience", js("['']"))]),
            INVALID_ARGUMENT,
        ),
        (
            "audience number".into(),
            with(&base, &[("audience", n(1.0))]),
            INVALID_ARGUMENT,
        ),
        (
            "audience null".into(),
            with(&base, &[("audience", JsValue::NULL)]),
            INVALID_ARGUMENT,
        ),
        (
            "audience [number]".into(),
            with(&base, &[("audience", js("[1]"))]),
            INVALID_ARGUMENT,
        ),
        (
            "audience [aud, null]".into(),
            with(&base, &[("audience", js("['https://as.example.com', null]"))]),
            INVALID_ARGUMENT,
        ),
        (
            "audience object".into(),
            with(&base, &[("audience", js("{ 0: 'https://as.example.com', length: 1 }"))]),
            INVALID_ARGUMENT,
        ),
        (
            "clientId number".into(),
            with(&base, &[("clientId", n(1.0))]),
            INVALID_ARGUMENT,
        ),
        (
            "clientId null".into(),
            with(&base, &[("clientId", JsValue::NULL)]),
            INVALID_ARGUMENT,
        ),
        (
            "algorithms []".into(),
            with(&base, &[("algorithms", js("[]"))]),
            INVALID_ARGUMENT,
        ),
        (
            "algorithms unknown".into(),
            with(&base, &[("algorithms", js("['ES256', 'FOO']"))]),
            NOT_SUPPORTED,
        ),
        (
            "algorithms ES512".into(),
            with(&base, &[("algorithms", js("['ES512']"))]),
            NOT_SUPPORTED,
        ),
        (
            "algorithms none".into(),
            with(&base, &[("algorithms", js("['none']"))]),
            ALG_NOT_ALLOWED,
        ),
        (
            "algorithms HS256".into(),
            with(&base, &[("algorithms", s("HS256"))]),
            ALG_NOT_ALLOWED,
        ),
        (
            "algorithms [number]".into(),
            with(&base, &[("algorithms", js("[256]"))]),
            INVALID_ARGUMENT,
        ),
        (
            "algorithms number".into(),
            with(&base, &[("algorithms", n(256.0))]),
            INVALID_ARGUMENT,
        ),
        (
            "algorithms object".into(),
            with(&base, &[("algorithms", js("{}"))]),
            INVALID_ARGUMENT,
        ),
        (
            "algorithms null".into(),
            with(&base, &[("algorithms", JsValue::NULL)]),
            INVALID_ARGUMENT,
        ),
        (
            "clockTolerance -1".into(),
            with(&base, &[("clockTolerance", n(-1.0))]),
            INVALID_ARGUMENT,
        ),
        (
            "clockTolerance 601".into(),
            with(&base, &[("clockTolerance", n(601.0))]),
            INVALID_ARGUMENT,
        ),
        (
            "maxLifetime 0".into(),
            with(&base, &[("maxLifetime", n(0.0))]),
            INVALID_ARGUMENT,
        ),
        (
            "maxLifetime 86401".into(),
            with(&base, &[("maxLifetime", n(86_401.0))]),
            INVALID_ARGUMENT,
        ),
    ];
    for name in ["requireJti", "requireTyp", "allowMultipleAudiences"] {
        for (kind, value) in [
            ("string", s("true")),
            ("number", n(1.0)),
            ("null", JsValue::NULL),
            ("object", js("{}")),
        ] {
            cases.push((
                format!("{name} <{kind}>"),
                with(&base, &[(name, value)]),
                INVALID_ARGUMENT,
            ));
        }
    }
    for name in ["now", "clockTolerance", "maxLifetime"] {
        for (kind, value) in non_integers() {
            cases.push((
                format!("{name} <{kind}>"),
                with(&base, &[(name, value)]),
                INVALID_ARGUMENT,
            ));
        }
    }
    for (what, opts, code) in cases {
        expect_code(
            &g,
            &format!("verifyClientAssertion: {what}"),
            g.verify(&token, &set, &opts),
            code,
        );
    }
    // Tokens that are not strings.
    for (kind, value) in non_strings() {
        expect_string_arg_rejected(
            &g,
            &format!("verifyClientAssertion(<{kind}>)"),
            g.verify(&value, &set, &base),
        );
    }
    // Keys that are not a KeySet (the loader builds one from Key | Key[] | JWKS).
    for (what, value) in [
        ("undefined", JsValue::UNDEFINED),
        ("null", JsValue::NULL),
        ("a Key", key.clone()),
        ("an array of keys", args(&[&key]).into()),
        ("a JWKS object", g.call("toJwks", &[&set]).unwrap()),
        ("a ReplayCache", g.construct("ReplayCache", &[]).unwrap()),
        ("a forged object", js("{ __wbg_ptr: 8 }")),
    ] {
        expect_glue_rejection(
            &g,
            &format!("verifyClientAssertion(token, {what})"),
            g.verify(&token, &value, &base),
        );
    }
    g.verify(&token, &set, &base).unwrap();
}

#[wasm_bindgen_test]
async fn replay_cache() {
    let g = glue().await;
    let key = g.import_pem(ED25519_PKCS8);
    let set = g.key_set(&[&key]);
    let opts = verify_opts();
    let cache = g.construct("ReplayCache", &[]).unwrap();
    assert_eq!(get(&cache, "size").as_f64(), Some(0.0));
    for arg in [JsValue::NULL, o(&[]), o(&[("maxEntries", n(5.0))])] {
        assert_eq!(
            get(&g.construct("ReplayCache", &[&arg]).unwrap(), "size").as_f64(),
            Some(0.0)
        );
    }

    let token = s(&g.sign(&key, &[]));
    let out = g.verify_replay(&token, &set, &opts, &cache).unwrap();
    assert_eq!(get_string(&out, "clientId").as_deref(), Some(CLIENT));
    assert_eq!(get(&cache, "size").as_f64(), Some(1.0));
    expect_code(
        &g,
        "replayed assertion",
        g.verify_replay(&token, &set, &opts, &cache),
        REPLAYED,
    );
    assert_eq!(get(&cache, "size").as_f64(), Some(1.0));
    // Without the cache the same token still verifies (replay detection is opt-in per call).
    g.verify(&token, &set, &opts).unwrap();
    // A token that fails any other check is not recorded.
    let other = s(&g.sign(&key, &[]));
    let wrong_aud = with(&opts, &[("audience", s("https://evil.example"))]);
    expect_claim(
        &g,
        "wrong aud with cache",
        g.verify_replay(&other, &set, &wrong_aud, &cache),
        CLAIM_FAILED,
        "aud",
        "mismatch",
    );
    assert_eq!(get(&cache, "size").as_f64(), Some(1.0));
    g.verify_replay(&other, &set, &opts, &cache).unwrap();
    assert_eq!(get(&cache, "size").as_f64(), Some(2.0));
    // The same jti from another client is another entry.
    let same_jti = s(&g.sign(&key, &[("clientId", s("client-2")), ("jti", s("shared"))]));
    let same_jti_too = s(&g.sign(&key, &[("jti", s("shared"))]));
    g.verify_replay(&same_jti, &set, &opts, &cache).unwrap();
    g.verify_replay(&same_jti_too, &set, &opts, &cache).unwrap();
    assert_eq!(get(&cache, "size").as_f64(), Some(4.0));

    // A full cache refuses rather than forgets; after expiry it makes room.
    let small = g.construct("ReplayCache", &[&o(&[("maxEntries", n(1.0))])]).unwrap();
    let first = s(&g.sign(&key, &[]));
    let second = s(&g.sign(&key, &[]));
    g.verify_replay(&first, &set, &opts, &small).unwrap();
    expect_code(
        &g,
        "full replay cache",
        g.verify_replay(&second, &set, &opts, &small),
        REPLAY_CACHE_FULL,
    );
    expect_code(
        &g,
        "still replayed",
        g.verify_replay(&first, &set, &opts, &small),
        REPLAYED,
    );
    let later = s(&g.sign(&key, &[("now", n(NOW + 100.0))]));
    g.verify_replay(&later, &set, &with(&opts, &[("now", n(NOW + 100.0))]), &small)
        .unwrap();
    assert_eq!(get(&small, "size").as_f64(), Some(1.0));

    // Constructor rejections.
    for (what, arg) in [
        ("maxEntries 0", o(&[("maxEntries", n(0.0))])),
        ("maxEntries -1", o(&[("maxEntries", n(-1.0))])),
        ("maxEntries 10000001", o(&[("maxEntries", n(10_000_001.0))])),
        ("string", s("x")),
        ("number", n(5.0)),
        ("boolean", JsValue::TRUE),
    ] {
        expect_invalid(
            &g,
            &format!("new ReplayCache({what})"),
            g.construct("ReplayCache", &[&arg]),
        );
    }
    for (kind, value) in non_integers() {
        let arg = o(&[("maxEntries", value)]);
        expect_invalid(
            &g,
            &format!("new ReplayCache({{maxEntries: <{kind}>}})"),
            g.construct("ReplayCache", &[&arg]),
        );
    }
    // Not a ReplayCache.
    let fresh = s(&g.sign(&key, &[]));
    for (what, value) in [
        ("null", JsValue::NULL),
        ("undefined", JsValue::UNDEFINED),
        ("a KeySet", set.clone()),
        ("a Map", js("new Map()")),
        ("a forged object", js("{ __wbg_ptr: 8 }")),
    ] {
        expect_glue_rejection(
            &g,
            &format!("verifyClientAssertionWithReplay(…, {what})"),
            g.verify_replay(&fresh, &set, &opts, &value),
        );
    }
    // Option rejections are the same as without a cache, and record nothing.
    let before = get(&cache, "size");
    expect_invalid(
        &g,
        "replay: now 1.5",
        g.verify_replay(&fresh, &set, &with(&opts, &[("now", n(1.5))]), &cache),
    );
    expect_code(
        &g,
        "replay: algorithms FOO",
        g.verify_replay(&fresh, &set, &with(&opts, &[("algorithms", s("FOO"))]), &cache),
        NOT_SUPPORTED,
    );
    for (kind, value) in non_strings() {
        expect_string_arg_rejected(
            &g,
            &format!("verifyClientAssertionWithReplay(<{kind}>)"),
            g.verify_replay(&value, &set, &opts, &cache),
        );
    }
    assert_eq!(get(&cache, "size"), before);
    g.verify_replay(&fresh, &set, &opts, &cache).unwrap();
}

#[wasm_bindgen_test]
async fn decode_jwt() {
    let g = glue().await;
    let key = g.import_pem(P384_PKCS8);
    let token = g.sign(&key, &[("claims", js("{ extra: 'yes' }"))]);
    let decoded = g.decode(&s(&token)).unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(
        get_string(&decoded, "signingInput"),
        Some(format!("{}.{}", parts[0], parts[1]))
    );
    assert_eq!(get_string(&decoded, "signature").as_deref(), Some(parts[2]));
    assert_eq!(get_string(&get(&decoded, "header"), "alg").as_deref(), Some("ES384"));
    assert_eq!(get_string(&get(&decoded, "payload"), "extra").as_deref(), Some("yes"));
    // Decoding verifies nothing: an expired, tampered-with token still decodes.
    let tampered = format!("{}.{}.{}", parts[0], parts[1], "A".repeat(parts[2].len()));
    assert!(g.decode(&s(&tampered)).is_ok());

    let header = |json: &str| {
        let encode = Function::new_with_args(
            "s",
            "return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '')",
        );
        encode
            .call1(&JsValue::UNDEFINED, &s(json))
            .unwrap()
            .as_string()
            .unwrap()
    };
    let payload = header("{\"iss\":\"x\"}");
    for (what, bad) in [
        ("empty", String::new()),
        ("one segment", "abc".into()),
        ("two segments", "a.b".into()),
        ("empty segments", "..".into()),
        ("bad base64url", "a*.b.c".into()),
        ("header not JSON", format!("{}.{payload}.AA", header("nope"))),
        ("header an array", format!("{}.{payload}.AA", header("[]"))),
        (
            "duplicate header members",
            format!("{}.{payload}.AA", header("{\"alg\":\"ES256\",\"alg\":\"none\"}")),
        ),
        (
            "payload a string",
            format!("{}.{}.AA", header("{\"alg\":\"ES256\"}"), header("\"x\"")),
        ),
        ("oversized", "A".repeat(20_000)),
    ] {
        let result = g.decode(&s(&bad));
        let error = match &result {
            Ok(value) => panic!("decodeJwt({what}) returned {value:?}"),
            Err(error) => error.clone(),
        };
        let code = get_string(&error, "code").unwrap_or_default();
        assert!(
            code == JWS_INVALID || code == "ERR_JWT_INVALID",
            "decodeJwt({what}): {}",
            describe(&error)
        );
        expect_code(&g, &format!("decodeJwt({what})"), result, &code);
    }
    for (kind, value) in non_strings() {
        expect_string_arg_rejected(&g, &format!("decodeJwt(<{kind}>)"), g.decode(&value));
    }
}

#[wasm_bindgen_test]
async fn certificate_thumbprints() {
    let g = glue().await;
    let certs = parse(CERTS);
    for (file, pem) in [
        ("rsa2048.cert.pem", RSA2048_CERT),
        ("p256.cert.pem", P256_CERT),
        ("p384.cert.pem", P384_CERT),
        ("ed25519.cert.pem", ED25519_CERT),
    ] {
        let out = g.call("certificateThumbprints", &[&s(pem)]).unwrap();
        let expected = get(&certs, file);
        assert_eq!(get(&out, "x5t"), get(&expected, "x5t"), "{file}");
        assert_eq!(get(&out, "x5t#S256"), get(&expected, "x5t#S256"), "{file}");
    }
    for (what, text) in [
        ("empty", ""),
        ("garbage", "garbage"),
        ("a key", P256_SPKI),
        (
            "a broken certificate",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        ),
        ("an unterminated certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n"),
    ] {
        expect_code(
            &g,
            &format!("certificateThumbprints({what})"),
            g.call("certificateThumbprints", &[&s(text)]),
            JWK_INVALID,
        );
    }
    for (kind, value) in non_strings() {
        expect_string_arg_rejected(
            &g,
            &format!("certificateThumbprints(<{kind}>)"),
            g.call("certificateThumbprints", &[&value]),
        );
    }
    expect_string_arg_rejected(
        &g,
        "certificateThumbprints(DER bytes)",
        g.call("certificateThumbprints", &[&bytes(P256_SPKI_DER)]),
    );
}

#[wasm_bindgen_test]
async fn freed_objects_are_rejected_without_trapping() {
    let g = glue().await;
    let key = g.import_pem(P256_PKCS8);
    let public = method(&key, "publicKey", &[]).unwrap();
    let set = g.key_set(&[&public]);
    let cache = g.construct("ReplayCache", &[]).unwrap();
    let token = s(&g.sign(&key, &[]));

    method(&key, "free", &[]).unwrap();
    for name in ["kty", "kid", "alg", "isPrivate"] {
        expect_glue_rejection(&g, &format!("freed key .{name}"), Reflect::get(&key, &name.into()));
    }
    for name in ["publicKey", "toJwk", "toPem", "thumbprint", "toJSON", "toString"] {
        expect_glue_rejection(&g, &format!("freed key .{name}()"), method(&key, name, &[]));
    }
    expect_glue_rejection(&g, "createClientAssertion(freed key)", g.create(&key, &sign_opts()));
    expect_glue_rejection(&g, "KeySet#add(freed key)", method(&set, "add", &[&key]));
    // Freeing twice is harmless.
    let again = method(&key, "free", &[]);
    if let Err(error) = &again {
        assert_error_not_trap("second free()", error);
    }
    assert_still_works(&g);

    method(&cache, "free", &[]).unwrap();
    expect_glue_rejection(
        &g,
        "freed ReplayCache",
        g.verify_replay(&token, &set, &verify_opts(), &cache),
    );
    let spare = g.key_set(&[&public]);
    method(&spare, "free", &[]).unwrap();
    expect_glue_rejection(&g, "freed KeySet", g.verify(&token, &spare, &verify_opts()));
    expect_glue_rejection(&g, "toJwks(freed KeySet)", g.call("toJwks", &[&spare]));
    expect_glue_rejection(&g, "freed KeySet .size", Reflect::get(&spare, &"size".into()));
    // What was not freed still works.
    g.verify(&token, &set, &verify_opts()).unwrap();
}

#[wasm_bindgen_test]
async fn option_getters_may_reenter_the_instance() {
    let g = glue().await;
    let key = g.import_pem(P256_PKCS8);
    let set = g.key_set(&[&key]);
    let token = g.call("createRequestObject", &[&key, &sign_opts()]).unwrap();

    // Exports that read an options object (createClientAssertion and verifyClientAssertion take
    // values the loader has read): a getter that calls pkjwt successfully while
    // verifyRequestObject is reading its options.
    let make = Function::new_with_args(
        "g, set, token, client, aud, now",
        "return { clientId: client, now, get audience() { \
            const k = g.generateKey('ES256'); \
            g.decodeJwt(token); \
            g.verifyRequestObject(token, set, { clientId: client, audience: aud, now }); \
            k.free(); \
            return aud; } }",
    );
    let reentrant = make
        .apply(
            &JsValue::UNDEFINED,
            &args(&[&g.0, &set, &token, &s(CLIENT), &s(AUD), &n(NOW)]),
        )
        .unwrap();
    let out = g.call("verifyRequestObject", &[&token, &set, &reentrant]).unwrap();
    assert_eq!(get_string(&get(&out, "payload"), "client_id").as_deref(), Some(CLIENT));

    // A getter that mutates the KeySet being verified against: wasm-bindgen refuses the aliasing
    // borrow; verify reports the option as unreadable; the set is intact afterwards.
    let make = Function::new_with_args(
        "set, client, aud, now",
        "return { clientId: client, now, get audience() { \
            try { set.addJwks('{\"keys\":[]}'); } catch (e) { globalThis.__pkjwtNestedError = e; throw e; } \
            return aud; } }",
    );
    let aliasing = make
        .apply(&JsValue::UNDEFINED, &args(&[&set, &s(CLIENT), &s(AUD), &n(NOW)]))
        .unwrap();
    expect_invalid(
        &g,
        "getter mutating the KeySet in use",
        g.call("verifyRequestObject", &[&token, &set, &aliasing]),
    );
    let nested = Reflect::get(&js_sys::global(), &"__pkjwtNestedError".into()).unwrap();
    assert_error_not_trap("the nested addJwks", &nested);
    assert!(
        get_string(&nested, "message")
            .unwrap_or_default()
            .contains("recursive use"),
        "the nested addJwks failed for another reason: {}",
        describe(&nested)
    );
    assert_eq!(get(&set, "size").as_f64(), Some(1.0));
    method(&set, "addJwks", &[&s("{\"keys\":[]}")]).unwrap();
    let plain = o(&[("clientId", s(CLIENT)), ("audience", s(AUD)), ("now", n(NOW))]);
    g.call("verifyRequestObject", &[&token, &set, &plain]).unwrap();

    // A getter that frees the key being signed with, in the middle of createRequestObject.
    let victim = g.import_pem(ED25519_PKCS8);
    let make = Function::new_with_args(
        "key, base",
        "return Object.defineProperty({ ...base }, 'jti', { get() { try { key.free(); } catch (e) {} return 'j'; } })",
    );
    let freeing = make
        .apply(&JsValue::UNDEFINED, &args(&[&victim, &sign_opts()]))
        .unwrap();
    match g.call("createRequestObject", &[&victim, &freeing]) {
        // Either the free was refused while the key is borrowed (and signing went on)…
        Ok(token) => assert!(token.is_string()),
        // …or the call was refused cleanly.
        Err(error) => assert_error_not_trap("freeing the signing key from a getter", &error),
    }
    assert_still_works(&g);
}
