//! Helpers shared by `tests/attacks.rs` and `tests/policy.rs` only: crafting tokens by hand,
//! a fixed clock, default verifier options and small byte-level tools (HMAC, DER, `n − s`).

#![allow(dead_code)]

use pkjwt::json;
use pkjwt::json::Value;
use pkjwt::{Algorithm, Error, GenerateOptions, ImportOptions, Key, ReplayCache, VerifiedAssertion, VerifyOptions};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The fixed "now" of every test (2023-11-14T22:13:20Z).
pub const NOW: i64 = 1_700_000_000;
/// The authorization server's issuer identifier: the one accepted `aud` by default.
pub const ISSUER: &str = "https://as.example.com";
/// The server's token endpoint: a legacy `aud` value, accepted only when listed.
pub const TOKEN_ENDPOINT: &str = "https://as.example.com/oauth2/token";
/// The client id used by default.
pub const CLIENT: &str = "client-123";
/// The default `typ` of a client assertion.
pub const TYP: &str = "client-authentication+jwt";

/// `verify_client_assertion`'s internal MAX_KEYS_TRIED (not re-exported by the crate).
pub const MAX_KEYS_TRIED: usize = 8;

/// The P-256 group order n, big-endian.
pub const P256_N: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA,
    0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
];

pub const RSA2048_PKCS8: &str = include_str!("../keys/rsa2048.pkcs8.pem");
pub const RSA2048_SPKI: &str = include_str!("../keys/rsa2048.spki.pem");
pub const RSA2048_PUB_JWK: &str = include_str!("../keys/jwk/rsa2048.pub.json");
pub const RSA2048_E3_SPKI: &str = include_str!("../keys/rsa2048-e3.spki.pem");
pub const RSA1024_SPKI: &str = include_str!("../keys/rsa1024.spki.pem");
pub const RSA1024_PKCS8: &str = include_str!("../keys/rsa1024.pkcs8.pem");
pub const RSA1024_PUB_JWK: &str = include_str!("../keys/jwk/rsa1024.pub.json");
pub const P256_PUB_JWK: &str = include_str!("../keys/jwk/p256.pub.json");
pub const P256_SPKI_DER: &[u8] = include_bytes!("../keys/p256.spki.der");
pub const ED25519_PKCS8: &str = include_str!("../keys/ed25519.pkcs8.pem");
pub const P384_PKCS8: &str = include_str!("../keys/p384.pkcs8.pem");
pub const P521_SPKI: &str = include_str!("../keys/p521.spki.pem");

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A `jti` unique within this test process.
pub fn fresh_jti() -> String {
    format!("jti-{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A fresh ES256 key, bound to ES256.
pub fn es256() -> Key {
    Key::generate(Algorithm::ES256, &GenerateOptions::default()).unwrap()
}

/// A fresh key for `alg` (not RSA: use [`rsa2048`]).
pub fn generate(alg: Algorithm) -> Key {
    Key::generate(alg, &GenerateOptions::default()).unwrap()
}

/// The RSA 2048 fixture (private), unbound unless `alg` is given.
pub fn rsa2048(alg: Option<Algorithm>) -> Key {
    Key::from_pem(RSA2048_PKCS8, &ImportOptions { alg, kid: None }).unwrap()
}

/// The default verifier options: `audiences = [ISSUER]`, `now = NOW`.
pub fn opts() -> VerifyOptions {
    VerifyOptions {
        audiences: vec![ISSUER.into()],
        now: Some(NOW),
        ..Default::default()
    }
}

/// A header object `{alg, kid, typ}`.
pub fn header(alg: &str, kid: &str) -> Value {
    json!({ "alg": alg, "kid": kid, "typ": TYP })
}

/// A valid claims set for [`CLIENT`] and [`ISSUER`] at [`NOW`], 60 s lifetime, fresh jti.
pub fn claims() -> Value {
    json!({
        "iss": CLIENT,
        "sub": CLIENT,
        "aud": ISSUER,
        "iat": NOW,
        "exp": NOW + 60,
        "jti": fresh_jti(),
    })
}

/// `claims()` with `name` set to `value` (or removed when `value` is `None`).
pub fn claims_with(name: &str, value: Option<Value>) -> Value {
    let mut c = claims();
    let obj = c.as_object_mut().unwrap();
    match value {
        Some(v) => {
            obj.insert(name.into(), v);
        }
        None => {
            obj.remove(name);
        }
    }
    c
}

/// `BASE64URL(header).BASE64URL(payload)` from raw JSON text.
pub fn signing_input(header_json: &str, payload_json: &str) -> String {
    format!(
        "{}.{}",
        pkjwt::b64::encode(header_json.as_bytes()),
        pkjwt::b64::encode(payload_json.as_bytes())
    )
}

/// A compact JWS from raw header/payload JSON text, signed with `key` under `alg`.
pub fn sign_raw(key: &Key, alg: Algorithm, header_json: &str, payload_json: &str) -> String {
    let input = signing_input(header_json, payload_json);
    let sig = key.sign(alg, input.as_bytes()).unwrap();
    format!("{input}.{}", pkjwt::b64::encode(&sig))
}

/// A compact JWS from raw header/payload JSON text with the given signature bytes.
pub fn with_sig(header_json: &str, payload_json: &str, sig: &[u8]) -> String {
    format!(
        "{}.{}",
        signing_input(header_json, payload_json),
        pkjwt::b64::encode(sig)
    )
}

/// A compact JWS from JSON values, signed with `key` under `alg`.
pub fn sign(key: &Key, alg: Algorithm, header: &Value, claims: &Value) -> String {
    sign_raw(key, alg, &header.to_string(), &claims.to_string())
}

/// The usual well-formed token: ES256 header with the key's kid and typ, `claims`.
pub fn token_for(key: &Key, claims: &Value) -> String {
    let alg = key.default_alg();
    sign(key, alg, &header(alg.as_str(), key.kid()), claims)
}

/// Verifies with the public halves of `keys`.
pub fn verify<'k>(
    token: &str,
    keys: &'k [Key],
    opts: &VerifyOptions,
    cache: Option<&ReplayCache>,
) -> Result<VerifiedAssertion<'k>, Error> {
    pkjwt::verify_client_assertion(token, keys, opts, cache)
}

/// The error of `result`, with a useful message when it unexpectedly succeeded.
#[track_caller]
pub fn err<T: std::fmt::Debug>(result: Result<T, Error>) -> Error {
    match result {
        Ok(v) => panic!("expected an error, got Ok({v:?})"),
        Err(e) => e,
    }
}

/// Asserts that `result` failed with `code`.
#[track_caller]
pub fn assert_code<T: std::fmt::Debug>(result: Result<T, Error>, code: &str) -> Error {
    let e = err(result);
    assert_eq!(e.code(), code, "unexpected error: {e:?}");
    e
}

/// Asserts a claim failure: code, claim and reason.
#[track_caller]
pub fn assert_claim<T: std::fmt::Debug>(result: Result<T, Error>, claim: &str, reason: &str) -> Error {
    let e = assert_code(result, "ERR_JWT_CLAIM_VALIDATION_FAILED");
    assert_eq!(e.claim(), Some(claim), "unexpected claim in {e:?}");
    assert_eq!(e.reason(), Some(reason), "unexpected reason in {e:?}");
    e
}

/// HMAC-SHA256 (RFC 2104), by hand.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    const BLOCK: usize = 64;
    let mut k = if key.len() > BLOCK {
        Sha256::digest(key).to_vec()
    } else {
        key.to_vec()
    };
    k.resize(BLOCK, 0);
    let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    let mut inner = Sha256::new();
    inner.update(&ipad);
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(&opad);
    outer.update(inner);
    outer.finalize().to_vec()
}

/// `a − b` for equal-length big-endian unsigned integers (a ≥ b).
pub fn sub_be(a: &[u8], b: &[u8]) -> Vec<u8> {
    assert_eq!(a.len(), b.len());
    let mut out = vec![0u8; a.len()];
    let mut borrow = 0i16;
    for i in (0..a.len()).rev() {
        let mut d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = if d < 0 {
            d += 256;
            1
        } else {
            0
        };
        out[i] = d as u8;
    }
    assert_eq!(borrow, 0, "a < b");
    out
}

fn der_integer(be: &[u8]) -> Vec<u8> {
    let first = be.iter().position(|&b| b != 0).unwrap_or(be.len() - 1);
    let mut v = be[first..].to_vec();
    if v[0] & 0x80 != 0 {
        v.insert(0, 0);
    }
    let mut out = vec![0x02, v.len() as u8];
    out.extend(v);
    out
}

/// The DER `Ecdsa-Sig-Value` of a fixed-length R‖S signature.
pub fn to_der(raw: &[u8]) -> Vec<u8> {
    let (r, s) = raw.split_at(raw.len() / 2);
    let mut body = der_integer(r);
    body.extend(der_integer(s));
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}

/// Splits a compact token into its three segments.
pub fn parts(token: &str) -> (String, String, String) {
    let v: Vec<&str> = token.split('.').collect();
    assert_eq!(v.len(), 3);
    (v[0].to_owned(), v[1].to_owned(), v[2].to_owned())
}

/// The raw signature bytes of a compact token.
pub fn sig_of(token: &str) -> Vec<u8> {
    pkjwt::b64::decode(&parts(token).2).unwrap()
}

/// `token` with its signature segment replaced by the base64url of `sig`.
pub fn replace_sig(token: &str, sig: &[u8]) -> String {
    let (h, p, _) = parts(token);
    format!("{h}.{p}.{}", pkjwt::b64::encode(sig))
}
