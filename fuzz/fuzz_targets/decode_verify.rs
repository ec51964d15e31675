//! Fuzzes pkjwt's untrusted-input surface: compact JWS decoding, client-assertion verification
//! (raw tokens, and tokens built from fuzzer-chosen header/payload JSON, either with fuzzer bytes
//! as the signature or signed with a fixture key so the claim checks are reached), and key import
//! from JWK, PEM and DER.
//!
//! Input layout: `data[0]` is the selector, `data[1..]` the body.
//! - `selector & 7` is the mode (see [`Mode`]);
//! - `selector >> 3` holds five option flags for the verifier (see [`verify_options`]).
//!
//! Structured modes split the body on `0xFF` bytes (never valid in UTF-8, so JSON text can
//! hold anything else): `header JSON 0xFF payload JSON [0xFF signature bytes]`.
//!
//! Errors are expected; a panic, a hang, a stack overflow or an OOM is a bug. When something is
//! accepted, a few invariants are checked too (a panic here is also a finding).

#![no_main]

use libfuzzer_sys::fuzz_target;
use pkjwt::{Algorithm, Error, ImportOptions, Key, ReplayCache, VerifyOptions};
use std::borrow::Cow;
use std::sync::OnceLock;

/// The fixed clock for every verification: 2023-11-14T22:13:20Z.
const NOW: i64 = 1_700_000_000;
/// The accepted audience (the issuer identifier) and a legacy one (the token endpoint).
const AUDIENCE: &str = "https://as.example.com";
const LEGACY_AUDIENCE: &str = "https://as.example.com/token";
/// The client id the seeds use; flag 0 makes the verifier require it.
const CLIENT_ID: &str = "fuzz-client";

struct Fixtures {
    /// The registered public keys: ES256 (P-256), EdDSA (Ed25519), RSA-2048.
    public: Vec<Key>,
    /// Private keys used only to sign fuzzer-built tokens (P-256, Ed25519; RSA is too slow).
    p256: Key,
    ed25519: Key,
}

fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let import = |pem: &str| Key::from_pem(pem, &ImportOptions::default()).expect("fixture key imports");
        Fixtures {
            public: vec![
                import(include_str!("../../tests/keys/p256.spki.pem")),
                import(include_str!("../../tests/keys/ed25519.spki.pem")),
                import(include_str!("../../tests/keys/rsa2048.spki.pem")),
            ],
            p256: import(include_str!("../../tests/keys/p256.pkcs8.pem")),
            ed25519: import(include_str!("../../tests/keys/ed25519.pkcs8.pem")),
        }
    })
}

#[derive(Clone, Copy)]
enum Mode {
    /// `decode_unverified` on the body (lossy UTF-8).
    Decode,
    /// `verify_client_assertion` on the body as a token (lossy UTF-8).
    VerifyRaw,
    /// A token from fuzzer header/payload JSON, with the fuzzer's bytes as the signature.
    BuiltUnsigned,
    /// A token from fuzzer header/payload JSON, signed with the P-256 fixture key (ES256).
    BuiltSignedEs256,
    /// A token from fuzzer header/payload JSON, signed with the Ed25519 fixture key (EdDSA).
    BuiltSignedEdDsa,
    /// `Key::from_jwk_str` on the body (lossy UTF-8).
    Jwk,
    /// `Key::from_pem` on the body (lossy UTF-8).
    Pem,
    /// `Key::from_der` on the raw body.
    Der,
}

impl Mode {
    fn from_selector(selector: u8) -> Mode {
        match selector & 7 {
            0 => Mode::Decode,
            1 => Mode::VerifyRaw,
            2 => Mode::BuiltUnsigned,
            3 => Mode::BuiltSignedEs256,
            4 => Mode::BuiltSignedEdDsa,
            5 => Mode::Jwk,
            6 => Mode::Pem,
            _ => Mode::Der,
        }
    }
}

/// Five flags from the selector's high bits vary the verifier policy.
fn verify_options(selector: u8) -> VerifyOptions {
    let flags = selector >> 3;
    let mut opts = VerifyOptions {
        audiences: vec![AUDIENCE.into(), LEGACY_AUDIENCE.into()],
        now: Some(NOW),
        ..Default::default()
    };
    if flags & 1 != 0 {
        opts.client_id = Some(CLIENT_ID.into());
    }
    if flags & 2 != 0 {
        opts.require_typ = true;
    }
    if flags & 4 != 0 {
        opts.allow_multiple_audiences = true;
    }
    if flags & 8 != 0 {
        opts.require_jti = false;
    }
    if flags & 16 != 0 {
        opts.algorithms = vec![Algorithm::ES256, Algorithm::EdDSA];
        opts.clock_tolerance = 0;
        opts.max_lifetime = 86_400;
    }
    opts
}

/// Verifies `token` and, when it is accepted, checks what must then hold.
fn verify(token: &str, opts: &VerifyOptions) {
    let keys = &fixtures().public;
    let cache = ReplayCache::new(4);
    let Ok(verified) = pkjwt::verify_client_assertion(token, keys, opts, Some(&cache)) else {
        return;
    };
    // An accepted token decodes, and what was verified is what it says.
    let decoded = pkjwt::decode_unverified(token).expect("an accepted token decodes");
    assert_eq!(decoded.payload, verified.payload);
    assert_eq!(decoded.header, verified.header);
    assert_eq!(decoded.payload.get("iss").and_then(|v| v.as_str()), Some(verified.client_id.as_str()));
    assert_eq!(decoded.payload.get("sub").and_then(|v| v.as_str()), Some(verified.client_id.as_str()));
    if let Some(expected) = &opts.client_id {
        assert_eq!(&verified.client_id, expected);
    }
    let exp = decoded.payload.get("exp").and_then(|v| v.as_i64()).expect("an accepted token has an integer exp");
    assert!(NOW < exp.saturating_add(opts.clock_tolerance), "accepted an expired token");
    assert!(opts.algorithms.contains(&decoded.alg().expect("an accepted token has a valid alg")));
    assert!(keys.iter().any(|k| std::ptr::eq(k, verified.key)));
    if opts.require_jti {
        assert!(verified.jti.is_some(), "accepted a token without jti although it is required");
    }
    // The same token again: with a jti, it is a replay; without one, it verifies again.
    let again = pkjwt::verify_client_assertion(token, keys, opts, Some(&cache));
    match &verified.jti {
        Some(_) => assert!(matches!(again, Err(Error::Replayed)), "replay not detected: {again:?}"),
        None => assert!(again.is_ok(), "a token without jti verified once but not twice: {again:?}"),
    }
}

/// Splits a structured body into header JSON, payload JSON and signature bytes on `0xFF`.
fn split_structured(body: &[u8]) -> (&[u8], &[u8], &[u8]) {
    let mut parts = body.splitn(3, |&b| b == 0xFF);
    let header = parts.next().unwrap_or_default();
    let payload = parts.next().unwrap_or_default();
    let signature = parts.next().unwrap_or_default();
    (header, payload, signature)
}

fn built(mode: Mode, body: &[u8], opts: &VerifyOptions) {
    let (header, payload, signature) = split_structured(body);
    let signing_input = format!("{}.{}", pkjwt::b64::encode(header), pkjwt::b64::encode(payload));
    let token = match mode {
        Mode::BuiltSignedEs256 => pkjwt::jws::sign_encoded(&signing_input, &fixtures().p256, Algorithm::ES256),
        Mode::BuiltSignedEdDsa => pkjwt::jws::sign_encoded(&signing_input, &fixtures().ed25519, Algorithm::EdDSA),
        _ => Ok(format!("{signing_input}.{}", pkjwt::b64::encode(signature))),
    }
    .expect("signing with a fixture key works");
    let _ = pkjwt::decode_unverified(&token);
    verify(&token, opts);
}

/// When a key imports, its public JWK and its PEM import back to the same key.
fn check_imported(key: &Key) {
    let jwk = key.to_jwk(false).expect("a public JWK exports");
    let again = Key::from_jwk(&jwk, &ImportOptions::default()).expect("an exported public JWK imports");
    assert_eq!(again.thumbprint(), key.thumbprint());
    assert_eq!(again.kid(), key.kid());
    if key.is_private() {
        let jwk = key.to_jwk(true).expect("a private JWK exports");
        let again = Key::from_jwk(&jwk, &ImportOptions::default()).expect("an exported private JWK imports");
        assert_eq!(again.thumbprint(), key.thumbprint());
        assert!(again.is_private());
    }
    let pem = key.to_pem().expect("PEM exports");
    let again = Key::from_pem(&pem, &ImportOptions::default()).expect("an exported PEM imports");
    assert_eq!(again.thumbprint(), key.thumbprint());
    assert_eq!(again.is_private(), key.is_private());
    let spki = key.to_spki_der().expect("SPKI exports");
    let again = Key::from_der(&spki, &ImportOptions::default()).expect("an exported SPKI imports");
    assert_eq!(again.thumbprint(), key.thumbprint());
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let mode = Mode::from_selector(selector);
    let opts = verify_options(selector);
    let text = || -> Cow<'_, str> { String::from_utf8_lossy(body) };
    match mode {
        Mode::Decode => {
            let _ = pkjwt::decode_unverified(&text());
        }
        Mode::VerifyRaw => verify(&text(), &opts),
        Mode::BuiltUnsigned | Mode::BuiltSignedEs256 | Mode::BuiltSignedEdDsa => built(mode, body, &opts),
        Mode::Jwk => {
            if let Ok(key) = Key::from_jwk_str(&text(), &ImportOptions::default()) {
                check_imported(&key);
            }
        }
        Mode::Pem => {
            if let Ok(key) = Key::from_pem(&text(), &ImportOptions::default()) {
                check_imported(&key);
            }
        }
        Mode::Der => {
            if let Ok(key) = Key::from_der(body, &ImportOptions::default()) {
                check_imported(&key);
            }
        }
    }
});
