//! Fuzzes the FTN response and request surface: compact JWE decryption (raw text, JWEs assembled
//! from fuzzer-chosen header JSON and parts, and real JWEs with one fuzzer-chosen byte changed), and
//! the four JWT verifiers besides the client assertion's — request objects, ID tokens, userinfo
//! responses and signed JWK Sets — on raw tokens and on tokens signed with a fixture key from
//! fuzzer-chosen header and payload JSON, so their claim checks are reached.
//!
//! Input layout: `data[0]` is the selector (`selector & 7` the mode, see [`Mode`]; `selector >> 3`
//! picks the verifier, or the content encryption of an encrypted sample), `data[1..]` the body.
//! Structured modes split the body on `0xFF` bytes (never valid in UTF-8).
//!
//! Errors are expected; a panic, a hang, a stack overflow or an OOM is a bug. When something is
//! accepted, invariants are checked (a panic there is a finding too).

#![no_main]

use libfuzzer_sys::fuzz_target;
use pkjwt::jwe::{DecryptOptions, EncryptOptions};
use pkjwt::{
    Algorithm, ContentEncryption, IdTokenOptions, ImportOptions, Key, KeyManagementAlgorithm, ReplayCache,
    RequestObjectVerifyOptions, SignedJwksVerifyOptions, UserinfoOptions,
};
use std::sync::OnceLock;

/// The fixed clock for every verification: 2023-11-14T22:13:20Z.
const NOW: i64 = 1_700_000_000;
/// The issuer (an OpenID provider, or a server receiving request objects).
const ISSUER: &str = "https://op.example.com";
/// The relying party's client id.
const CLIENT_ID: &str = "fuzz-client";

struct Fixtures {
    /// Private encryption keys: RSA-2048 for RSA-OAEP and RSA-OAEP-256, P-256 for the ECDH-ES family.
    decryption: Vec<Key>,
    /// Public signature keys: ES256 (P-256), EdDSA (Ed25519).
    verification: Vec<Key>,
    /// The private P-256 key that signs fuzzer-built tokens.
    signer: Key,
}

fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let import = |pem: &str| Key::from_pem(pem, &ImportOptions::default()).expect("fixture key imports");
        let rsa = import(include_str!("../../tests/keys/rsa2048.pkcs8.pem"));
        let p256 = import(include_str!("../../tests/keys/p256.pkcs8.pem"));
        let bind = |key: &Key, alg| key.clone().for_encryption(alg).expect("fixture key fits");
        Fixtures {
            decryption: vec![
                bind(&rsa, KeyManagementAlgorithm::RsaOaep256),
                bind(&rsa, KeyManagementAlgorithm::RsaOaep),
                bind(&p256, KeyManagementAlgorithm::EcdhEs),
                bind(&p256, KeyManagementAlgorithm::EcdhEsA128Kw),
                bind(&p256, KeyManagementAlgorithm::EcdhEsA256Kw),
            ],
            verification: vec![
                import(include_str!("../../tests/keys/p256.spki.pem")),
                import(include_str!("../../tests/keys/ed25519.spki.pem")),
            ],
            signer: p256,
        }
    })
}

#[derive(Clone, Copy)]
enum Mode {
    /// `jwe::decrypt` on the body (lossy UTF-8).
    DecryptRaw,
    /// A JWE from fuzzer header JSON and four fuzzer parts (encrypted key, IV, ciphertext, tag).
    DecryptBuilt,
    /// A real JWE of the body's first part, with the byte at the position the next two bytes name
    /// replaced by the third: it must open to the same plaintext or fail.
    DecryptTampered,
    /// The verifier picked by the selector on the body as a token (lossy UTF-8).
    VerifyRaw,
    /// A token from fuzzer header/payload JSON, signed ES256 with the fixture key, given to the
    /// verifier picked by the selector.
    VerifyBuilt,
}

impl Mode {
    fn from_selector(selector: u8) -> Option<Mode> {
        match selector & 7 {
            0 => Some(Mode::DecryptRaw),
            1 => Some(Mode::DecryptBuilt),
            2 => Some(Mode::DecryptTampered),
            3 | 4 => Some(Mode::VerifyRaw),
            5..=7 => Some(Mode::VerifyBuilt),
            _ => None,
        }
    }
}

fn decrypt(jwe: &str) {
    let keys = &fixtures().decryption;
    let Ok(opened) = pkjwt::jwe::decrypt(jwe, keys, &DecryptOptions::default()) else {
        return;
    };
    assert!(opened.key_index < keys.len());
    let alg = opened.header.get("alg").and_then(|v| v.as_str()).expect("an opened JWE names its alg");
    assert!(keys[opened.key_index].fits_encryption(alg.parse().expect("an opened JWE's alg is implemented")));
}

fn decrypt_built(body: &[u8]) {
    let mut parts = body.split(|&b| b == 0xFF);
    let header = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let encoded: Vec<String> = parts.take(4).map(pkjwt::b64::encode).collect();
    let mut jwe = pkjwt::b64::encode(header.as_bytes());
    for part in &encoded {
        jwe.push('.');
        jwe.push_str(part);
    }
    for _ in encoded.len()..4 {
        jwe.push('.');
    }
    decrypt(&jwe);
}

fn decrypt_tampered(selector: u8, body: &[u8]) {
    let mut parts = body.splitn(2, |&b| b == 0xFF);
    let plaintext = parts.next().unwrap_or_default();
    let edit = parts.next().unwrap_or_default();
    let fixtures = fixtures();
    let key = &fixtures.decryption[usize::from(selector >> 3) % fixtures.decryption.len()];
    let enc = ContentEncryption::ALL[usize::from(selector >> 6) % ContentEncryption::ALL.len()];
    let opts = EncryptOptions {
        enc,
        ..Default::default()
    };
    let jwe = pkjwt::jwe::encrypt(plaintext, key, &opts).expect("a fixture key encrypts");
    let mut bytes = jwe.into_bytes();
    if let [high, low, byte, ..] = *edit {
        let at = (usize::from(high) << 8 | usize::from(low)) % bytes.len();
        bytes[at] = byte;
    }
    let tampered = String::from_utf8_lossy(&bytes);
    if let Ok(opened) = pkjwt::jwe::decrypt(&tampered, &fixtures.decryption, &DecryptOptions::default()) {
        assert_eq!(opened.plaintext, plaintext, "a changed JWE opened to another plaintext");
    }
}

/// The verifier picked by `selector >> 3`, with a fixed clock and the fixture keys.
fn verify(selector: u8, token: &str) {
    let keys = &fixtures().verification;
    match (selector >> 3) % 4 {
        0 => {
            let opts = RequestObjectVerifyOptions {
                client_id: CLIENT_ID.into(),
                audiences: vec![ISSUER.into()],
                require_jti: selector & 0x80 != 0,
                now: Some(NOW),
                ..Default::default()
            };
            let cache = ReplayCache::new(4);
            if let Ok(verified) = pkjwt::verify_request_object(token, keys, &opts, Some(&cache)) {
                let payload = &verified.payload;
                assert_eq!(payload.get("iss").and_then(|v| v.as_str()), Some(CLIENT_ID));
                assert_eq!(payload.get("client_id").and_then(|v| v.as_str()), Some(CLIENT_ID));
                assert!(payload.get("request").is_none() && payload.get("request_uri").is_none());
                assert!(keys.iter().any(|k| std::ptr::eq(k, verified.key)));
            }
        }
        1 => {
            let opts = IdTokenOptions {
                issuer: ISSUER.into(),
                client_id: CLIENT_ID.into(),
                nonce: (selector & 0x80 != 0).then(|| "n-0S6_WzA2Mj".into()),
                now: Some(NOW),
                ..Default::default()
            };
            if let Ok(verified) = pkjwt::verify_id_token(token, keys, &opts) {
                let payload = &verified.payload;
                assert_eq!(payload.get("iss").and_then(|v| v.as_str()), Some(ISSUER));
                assert!(payload.get("sub").and_then(|v| v.as_str()).is_some());
                let exp = payload.get("exp").and_then(|v| v.as_i64()).expect("an accepted ID token has exp");
                assert!(NOW < exp.saturating_add(opts.clock_tolerance), "accepted an expired ID token");
                if let Some(nonce) = &opts.nonce {
                    assert_eq!(payload.get("nonce").and_then(|v| v.as_str()), Some(nonce.as_str()));
                }
            }
        }
        2 => {
            let opts = UserinfoOptions {
                issuer: ISSUER.into(),
                client_id: CLIENT_ID.into(),
                subject: "248289761001".into(),
                now: Some(NOW),
                ..Default::default()
            };
            if let Ok(verified) = pkjwt::verify_userinfo(token, keys, &opts) {
                assert_eq!(verified.payload.get("sub").and_then(|v| v.as_str()), Some("248289761001"));
            }
        }
        _ => {
            let opts = SignedJwksVerifyOptions {
                issuer: ISSUER.into(),
                now: Some(NOW),
                ..Default::default()
            };
            if let Ok(verified) = pkjwt::verify_signed_jwks(token, keys, &opts) {
                assert!(
                    verified.keys.iter().all(|jwk| jwk.get("d").is_none()),
                    "a signed JWK Set published a private key"
                );
            }
        }
    }
}

fn verify_built(selector: u8, body: &[u8]) {
    let mut parts = body.splitn(2, |&b| b == 0xFF);
    let header = parts.next().unwrap_or_default();
    let payload = parts.next().unwrap_or_default();
    let signing_input = format!("{}.{}", pkjwt::b64::encode(header), pkjwt::b64::encode(payload));
    let Ok(token) = pkjwt::jws::sign_encoded(&signing_input, &fixtures().signer, Algorithm::ES256) else {
        return;
    };
    verify(selector, &token);
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    match Mode::from_selector(selector) {
        Some(Mode::DecryptRaw) => decrypt(&String::from_utf8_lossy(body)),
        Some(Mode::DecryptBuilt) => decrypt_built(body),
        Some(Mode::DecryptTampered) => decrypt_tampered(selector, body),
        Some(Mode::VerifyRaw) => verify(selector, &String::from_utf8_lossy(body)),
        Some(Mode::VerifyBuilt) => verify_built(selector, body),
        None => {}
    }
});
