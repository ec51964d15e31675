//! The attack catalogue of research/verifier.md §3 (rows 1–25), one test per applicable row, each
//! asserting the exact error code (and, for claim failures, the claim).
//!
//! Rows 23 (JWKS refetch amplification) and 25 (Marvin timing on RSA private operations) are not
//! applicable to the core: the core never fetches a JWKS (keys are passed in by the caller; the
//! refetch cooldown belongs to the JS `ClientAssertionVerifier`), and Marvin concerns private-key
//! timing, which is not unit-testable (it is gated by `rsa >= 0.10` and `cargo audit`/`deny`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use pkjwt::json;
use pkjwt::json::Value;
use pkjwt::{Algorithm, ImportOptions, Key, ReplayCache, VerifyOptions};
use std::time::Instant;
use support::*;

const SIG_FAILED: &str = "ERR_JWS_SIGNATURE_VERIFICATION_FAILED";
const JWS_INVALID: &str = "ERR_JWS_INVALID";
const JWT_INVALID: &str = "ERR_JWT_INVALID";
const ALG_NOT_ALLOWED: &str = "ERR_JOSE_ALG_NOT_ALLOWED";
const NOT_SUPPORTED: &str = "ERR_JOSE_NOT_SUPPORTED";
const NO_KEY: &str = "ERR_JWKS_NO_MATCHING_KEY";
const JWK_INVALID: &str = "ERR_JWK_INVALID";
const REPLAYED: &str = "ERR_JWT_REPLAYED";

// Row 1: alg=none.
#[test]
fn row01_alg_none() {
    let key = es256();
    let keys = [key.public_key()];
    let payload = claims().to_string();
    for name in ["none", "None", "NONE", "nOnE"] {
        let header = json!({ "alg": name, "typ": TYP }).to_string();
        // The classic form: empty signature segment. The compact-form check (three non-empty
        // segments) runs before `alg` is looked at.
        let empty = format!("{}.", signing_input(&header, &payload));
        assert_code(verify(&empty, &keys, &opts(), None), JWS_INVALID);
        // With any signature bytes at all, `none` itself is refused.
        let junk = with_sig(&header, &payload, b"x");
        assert_code(verify(&junk, &keys, &opts(), None), ALG_NOT_ALLOWED);
        // With a kid that names the real key, still refused.
        let header = json!({ "alg": name, "kid": key.kid() }).to_string();
        let junk = with_sig(&header, &payload, &[0u8; 64]);
        assert_code(verify(&junk, &keys, &opts(), None), ALG_NOT_ALLOWED);
    }
}

// Row 2: HS/RS alg confusion: HS256 MAC'd with the client's public key bytes.
#[test]
fn row02_hs256_confusion() {
    let rsa = rsa2048(None);
    let ec = es256();
    for key in [rsa.public_key(), ec.public_key()] {
        let keys = [key.clone()];
        let pem = key.to_pem().unwrap();
        let der = key.to_spki_der().unwrap();
        let jwk = key.to_jwk(false).unwrap().to_json();
        let mut secrets: Vec<Vec<u8>> = vec![pem.clone().into_bytes(), der, jwk.into_bytes()];
        if key.family() == pkjwt::KeyFamily::Rsa {
            secrets.push(RSA2048_SPKI.as_bytes().to_vec());
            secrets.push(RSA2048_PUB_JWK.as_bytes().to_vec());
        }
        for secret in &secrets {
            for (alg, kid) in [
                ("HS256", Some(key.kid())),
                ("HS256", None),
                ("HS384", Some(key.kid())),
                ("HS512", None),
            ] {
                let mut h = json!({ "alg": alg, "typ": TYP });
                if let Some(kid) = kid {
                    h["kid"] = json!(kid);
                }
                let header = h.to_string();
                let payload = claims().to_string();
                let mac = hmac_sha256(secret, signing_input(&header, &payload).as_bytes());
                let token = with_sig(&header, &payload, &mac);
                let e = assert_code(verify(&token, &keys, &opts(), None), ALG_NOT_ALLOWED);
                assert!(e.to_string().contains(alg), "{e}");
            }
        }
        // Lower-case spelling is refused the same way.
        let header = json!({ "alg": "hs256" }).to_string();
        let payload = claims().to_string();
        let mac = hmac_sha256(pem.as_bytes(), signing_input(&header, &payload).as_bytes());
        assert_code(
            verify(&with_sig(&header, &payload, &mac), &keys, &opts(), None),
            ALG_NOT_ALLOWED,
        );
    }
}

// Row 3: key type / alg mismatch.
#[test]
fn row03_key_alg_mismatch() {
    // ES256 header when the client has only RSA keys.
    let rsa = rsa2048(Some(Algorithm::RS256));
    let rsa_keys = [rsa.public_key()];
    let attacker = es256();
    let no_kid = sign(&attacker, Algorithm::ES256, &json!({ "alg": "ES256" }), &claims());
    assert_code(verify(&no_kid, &rsa_keys, &opts(), None), NO_KEY);
    // ... naming the RSA key's kid: the kid matches but ES256 does not fit it.
    let with_kid = sign(&attacker, Algorithm::ES256, &header("ES256", rsa.kid()), &claims());
    assert_code(verify(&with_kid, &rsa_keys, &opts(), None), ALG_NOT_ALLOWED);

    // PS256 with a JWK whose alg is RS256: the key is bound to RS256.
    let mut jwk = rsa.public_key().to_jwk(false).unwrap();
    jwk.insert("alg".into(), json!("RS256"));
    let bound = Key::from_jwk(&jwk, &ImportOptions::default()).unwrap();
    assert_eq!(bound.alg(), Some(Algorithm::RS256));
    let signer = rsa2048(None);
    let ps = sign(&signer, Algorithm::PS256, &header("PS256", bound.kid()), &claims());
    assert_code(
        verify(&ps, std::slice::from_ref(&bound), &opts(), None),
        ALG_NOT_ALLOWED,
    );
    let ps_no_kid = sign(&signer, Algorithm::PS256, &json!({ "alg": "PS256" }), &claims());
    assert_code(verify(&ps_no_kid, std::slice::from_ref(&bound), &opts(), None), NO_KEY);
    // The same key signing RS256 verifies (the binding is what refuses PS256).
    let rs = sign(&signer, Algorithm::RS256, &header("RS256", bound.kid()), &claims());
    verify(&rs, std::slice::from_ref(&bound), &opts(), None).unwrap();

    // ES384 over a P-256 key.
    let p256 = es256();
    let p384 = generate(Algorithm::ES384);
    let keys = [p256.public_key()];
    let es384 = sign(&p384, Algorithm::ES384, &header("ES384", p256.kid()), &claims());
    assert_code(verify(&es384, &keys, &opts(), None), ALG_NOT_ALLOWED);
    let es384_no_kid = sign(&p384, Algorithm::ES384, &json!({ "alg": "ES384" }), &claims());
    assert_code(verify(&es384_no_kid, &keys, &opts(), None), NO_KEY);
    // And the key itself refuses to be used with a foreign alg.
    assert_eq!(p256.sign(Algorithm::ES384, b"x").unwrap_err().code(), ALG_NOT_ALLOWED);
    assert_eq!(
        p256.public_key()
            .verify(Algorithm::RS256, b"x", &[0; 64])
            .unwrap_err()
            .code(),
        ALG_NOT_ALLOWED
    );

    // EdDSA header over a P-256 key.
    let ed = generate(Algorithm::EdDSA);
    let eddsa = sign(&ed, Algorithm::EdDSA, &header("EdDSA", p256.kid()), &claims());
    assert_code(verify(&eddsa, &keys, &opts(), None), ALG_NOT_ALLOWED);
}

// Row 4: psychic signatures (CVE-2022-21449).
#[test]
fn row04_psychic_signatures() {
    let key = es256();
    let keys = [key.public_key()];
    let h = header("ES256", key.kid()).to_string();
    let p = claims().to_string();
    let real = sig_of(&sign_raw(&key, Algorithm::ES256, &h, &p));
    let (_, s) = real.split_at(32);
    let n = P256_N.to_vec();
    let cat = |r: &[u8], s: &[u8]| [r, s].concat();
    let forged: Vec<(&str, Vec<u8>)> = vec![
        ("64 zero bytes", vec![0u8; 64]),
        ("r = 0, valid s", cat(&[0u8; 32], s)),
        ("r = n, valid s", cat(&n, s)),
        ("valid r, s = n", cat(&real[..32], &n)),
        ("r = n, s = n", cat(&n, &n)),
        ("r = 0, s = 0 with real length", cat(&[0u8; 32], &[0u8; 32])),
        ("valid r, s = 0", cat(&real[..32], &[0u8; 32])),
        ("all 0xff", vec![0xffu8; 64]),
    ];
    for (what, sig) in forged {
        let token = with_sig(&h, &p, &sig);
        let e = assert_code(verify(&token, &keys, &opts(), None), SIG_FAILED);
        assert_eq!(
            e.to_string(),
            "signature verification failed",
            "{what}: failure must be opaque"
        );
    }
    // The untouched signature verifies (the forgeries failed for their content, not the setup).
    verify(&with_sig(&h, &p, &real), &keys, &opts(), None).unwrap();
}

// Row 5: DER vs P1363 signature encodings.
#[test]
fn row05_der_and_wrong_length_signatures() {
    let key = es256();
    let keys = [key.public_key()];
    let h = header("ES256", key.kid()).to_string();
    let p = claims().to_string();
    let real = sig_of(&sign_raw(&key, Algorithm::ES256, &h, &p));
    let der = to_der(&real);
    assert!(
        (60..=72).contains(&der.len()) && der[0] == 0x30,
        "DER length {}",
        der.len()
    );
    let mut longer = real.clone();
    longer.push(0);
    let mut prefixed = vec![0u8];
    prefixed.extend(&real);
    for (what, sig) in [
        ("DER", der),
        ("63 bytes", real[..63].to_vec()),
        ("63 bytes (leading byte dropped)", real[1..].to_vec()),
        ("65 bytes (trailing 0)", longer),
        ("65 bytes (leading 0)", prefixed),
        ("32 bytes", real[..32].to_vec()),
        ("128 bytes", [real.clone(), real.clone()].concat()),
    ] {
        let token = with_sig(&h, &p, &sig);
        let e = assert_code(verify(&token, &keys, &opts(), None), SIG_FAILED);
        assert_eq!(e.to_string(), "signature verification failed", "{what}");
    }
    // ES384 too: 96 bytes exactly.
    let k384 = generate(Algorithm::ES384);
    let keys384 = [k384.public_key()];
    let h384 = header("ES384", k384.kid()).to_string();
    let real384 = sig_of(&sign_raw(&k384, Algorithm::ES384, &h384, &p));
    assert_eq!(real384.len(), 96);
    let token = with_sig(&h384, &p, &to_der(&real384));
    assert_code(verify(&token, &keys384, &opts(), None), SIG_FAILED);
    let token = with_sig(&h384, &p, &real384[..95]);
    assert_code(verify(&token, &keys384, &opts(), None), SIG_FAILED);
}

// Row 6: high-S malleability. The mirrored signature is valid ECDSA (JOSE does not require low-S),
// so the protection is the (iss, jti) replay key, never the token string.
#[test]
fn row06_high_s_is_caught_by_replay() {
    let key = es256();
    let keys = [key.public_key()];
    let h = header("ES256", key.kid()).to_string();
    let p = claims().to_string();
    let original = sign_raw(&key, Algorithm::ES256, &h, &p);
    let sig = sig_of(&original);
    let (r, s) = sig.split_at(32);
    let mirrored_s = sub_be(&P256_N, s);
    let mirrored = replace_sig(&original, &[r, &mirrored_s[..]].concat());
    assert_ne!(original, mirrored);

    // Both forms verify on their own.
    verify(&original, &keys, &opts(), None).unwrap();
    verify(&mirrored, &keys, &opts(), None).unwrap();

    // With a cache: first the mirrored one, then the original → replay; and the other way round.
    let cache = ReplayCache::default();
    verify(&mirrored, &keys, &opts(), Some(&cache)).unwrap();
    assert_code(verify(&original, &keys, &opts(), Some(&cache)), REPLAYED);
    assert_code(verify(&mirrored, &keys, &opts(), Some(&cache)), REPLAYED);

    let cache = ReplayCache::default();
    verify(&original, &keys, &opts(), Some(&cache)).unwrap();
    assert_code(verify(&mirrored, &keys, &opts(), Some(&cache)), REPLAYED);
}

// Row 7: non-canonical base64url in the signature (and other) segments.
#[test]
fn row07_non_canonical_base64url() {
    let key = es256();
    let keys = [key.public_key()];
    // A token whose signature contains both '-' and '_', so the standard-alphabet transcoding
    // really changes it.
    let token = (0..500)
        .map(|_| token_for(&key, &claims()))
        .find(|t| {
            let s = parts(t).2;
            s.contains('-') && s.contains('_')
        })
        .unwrap();
    verify(&token, &keys, &opts(), None).unwrap();
    let (h, p, s) = parts(&token);
    assert_eq!(
        s.len(),
        86,
        "a 64-byte signature is 86 characters, with 4 unused trailing bits"
    );

    let mut variants: Vec<(&str, String)> = vec![
        ("padding ==", format!("{token}==")),
        ("padding =", format!("{token}=")),
        (
            "standard alphabet +/",
            format!("{h}.{p}.{}", s.replace('-', "+").replace('_', "/")),
        ),
        ("only +", format!("{h}.{p}.{}", s.replacen('-', "+", 1))),
        ("only /", format!("{h}.{p}.{}", s.replacen('_', "/", 1))),
        ("embedded space", format!("{h}.{p}.{} {}", &s[..40], &s[40..])),
        ("embedded newline", format!("{h}.{p}.{}\n{}", &s[..40], &s[40..])),
        ("trailing newline", format!("{token}\n")),
        ("leading space", format!(" {token}")),
        ("CRLF", format!("{h}.{p}.{}\r\n{}", &s[..40], &s[40..])),
        ("tab in payload", format!("{h}.{}\t{}.{s}", &p[..10], &p[10..])),
        ("newline in header", format!("{}\n{}.{p}.{s}", &h[..5], &h[5..])),
        ("percent-encoding", format!("{h}.{p}.{}%3D", s)),
    ];
    // Changed trailing bits: the last character of an 86-character segment carries 4 unused bits.
    let last = s.chars().last().unwrap();
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let v = ALPHABET.find(last).unwrap();
    assert_eq!(v & 0x0f, 0, "canonical encoding has zero unused bits");
    for bits in [1usize, 2, 4, 8, 0x0f] {
        let changed = ALPHABET.chars().nth(v | bits).unwrap();
        variants.push(("changed trailing bits", format!("{h}.{p}.{}{changed}", &s[..85])));
    }
    // Same for the header and payload segments when their length leaves unused bits.
    for (seg, name) in [(&h, "header"), (&p, "payload")] {
        if seg.len() % 4 != 0 {
            let unused = if seg.len() % 4 == 2 { 0x0f } else { 0x03 };
            let c = seg.chars().last().unwrap();
            let v = ALPHABET.find(c).unwrap();
            assert_eq!(v & unused, 0);
            let changed = ALPHABET.chars().nth(v | 1).unwrap();
            let seg2 = format!("{}{changed}", &seg[..seg.len() - 1]);
            let t = if name == "header" {
                format!("{seg2}.{p}.{s}")
            } else {
                format!("{h}.{seg2}.{s}")
            };
            variants.push(("changed trailing bits in header/payload", t));
        }
    }
    // A length of 1 mod 4 (85 or 89 characters).
    variants.push(("length 1 mod 4 (one dropped)", format!("{h}.{p}.{}", &s[..85])));
    variants.push(("length 1 mod 4 (three added)", format!("{h}.{p}.{s}AAA")));

    for (what, t) in variants {
        let e = err(verify(&t, &keys, &opts(), None));
        assert_eq!(e.code(), JWS_INVALID, "{what}: {e:?}");
    }
}

// Row 8: invalid EC points and malformed JWKs fail at import.
#[test]
fn row08_invalid_points_and_malformed_jwk() {
    let good: Value = str::parse(P256_PUB_JWK).unwrap();
    Key::from_jwk(good.as_object().unwrap(), &ImportOptions::default()).unwrap();
    let x = good["x"].as_str().unwrap();
    let y = good["y"].as_str().unwrap();
    let xb = pkjwt::b64::decode(x).unwrap();
    let yb = pkjwt::b64::decode(y).unwrap();
    let enc = pkjwt::b64::encode;

    let mut y_off = yb.clone();
    y_off[31] ^= 1;
    let mut x33 = vec![0u8];
    x33.extend(&xb);
    let jwk = |v: Value| v.as_object().unwrap().clone();
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "(x, y) not on P-256",
            json!({"kty":"EC","crv":"P-256","x":x,"y":enc(&y_off)}),
            JWK_INVALID,
        ),
        (
            "31-byte x",
            json!({"kty":"EC","crv":"P-256","x":enc(&xb[1..]),"y":y}),
            JWK_INVALID,
        ),
        (
            "33-byte x",
            json!({"kty":"EC","crv":"P-256","x":enc(&x33),"y":y}),
            JWK_INVALID,
        ),
        (
            "31-byte y",
            json!({"kty":"EC","crv":"P-256","x":x,"y":enc(&yb[1..])}),
            JWK_INVALID,
        ),
        (
            "crv P-384 with P-256 coordinates",
            json!({"kty":"EC","crv":"P-384","x":x,"y":y}),
            JWK_INVALID,
        ),
        (
            "point at infinity (0, 0)",
            json!({"kty":"EC","crv":"P-256","x":enc(&[0;32]),"y":enc(&[0;32])}),
            JWK_INVALID,
        ),
        (
            "x = 2^256 - 1 (≥ p)",
            json!({"kty":"EC","crv":"P-256","x":enc(&[0xff;32]),"y":y}),
            JWK_INVALID,
        ),
        ("missing y", json!({"kty":"EC","crv":"P-256","x":x}), JWK_INVALID),
        ("missing crv", json!({"kty":"EC","x":x,"y":y}), JWK_INVALID),
        (
            "x not base64url",
            json!({"kty":"EC","crv":"P-256","x":format!("{x}="),"y":y}),
            JWK_INVALID,
        ),
        ("x a number", json!({"kty":"EC","crv":"P-256","x":5,"y":y}), JWK_INVALID),
        ("missing kty", json!({"crv":"P-256","x":x,"y":y}), JWK_INVALID),
        (
            "d does not match",
            json!({"kty":"EC","crv":"P-256","x":x,"y":y,"d":enc(&[7;32])}),
            JWK_INVALID,
        ),
        (
            "d = 0",
            json!({"kty":"EC","crv":"P-256","x":x,"y":y,"d":enc(&[0;32])}),
            JWK_INVALID,
        ),
        (
            "OKP x of 31 bytes",
            json!({"kty":"OKP","crv":"Ed25519","x":enc(&[9;31])}),
            JWK_INVALID,
        ),
        (
            "OKP x of 33 bytes",
            json!({"kty":"OKP","crv":"Ed25519","x":enc(&[9;33])}),
            JWK_INVALID,
        ),
        ("OKP without crv", json!({"kty":"OKP","x":enc(&[9;32])}), JWK_INVALID),
        ("P-521", json!({"kty":"EC","crv":"P-521","x":x,"y":y}), NOT_SUPPORTED),
        (
            "secp256k1",
            json!({"kty":"EC","crv":"secp256k1","x":x,"y":y}),
            NOT_SUPPORTED,
        ),
        ("oct", json!({"kty":"oct","k":"c2VjcmV0"}), NOT_SUPPORTED),
        (
            "X25519",
            json!({"kty":"OKP","crv":"X25519","x":enc(&[9;32])}),
            NOT_SUPPORTED,
        ),
        (
            "JWK alg HS256",
            json!({"kty":"EC","crv":"P-256","x":x,"y":y,"alg":"HS256"}),
            JWK_INVALID,
        ),
        (
            "JWK alg ES384 on P-256",
            json!({"kty":"EC","crv":"P-256","x":x,"y":y,"alg":"ES384"}),
            JWK_INVALID,
        ),
    ];
    for (what, v, code) in cases {
        let e = err(Key::from_jwk(&jwk(v), &ImportOptions::default()));
        assert_eq!(e.code(), code, "{what}: {e:?}");
    }
    // Malformed JSON text and duplicate members.
    for text in ["{", "[]", r#"{"kty":"EC","kty":"EC","crv":"P-256"}"#, "null"] {
        assert_code(Key::from_jwk_str(text, &ImportOptions::default()), JWK_INVALID);
    }
    // A JWKS with one bad key fails as a whole.
    let set = json!({ "keys": [good, {"kty":"EC","crv":"P-256","x":x,"y":enc(&y_off)}] });
    assert_code(pkjwt::from_jwks(&set), JWK_INVALID);
    // SPKI DER carrying a point off the curve.
    let mut der = P256_SPKI_DER.to_vec();
    let last = der.len() - 1;
    der[last] ^= 1;
    assert_code(Key::from_der(&der, &ImportOptions::default()), JWK_INVALID);
    // SPKI on P-521: a known curve pkjwt does not implement.
    assert_code(Key::from_pem(P521_SPKI, &ImportOptions::default()), NOT_SUPPORTED);
}

// Row 9: weak or huge RSA keys.
#[test]
fn row09_weak_and_huge_rsa() {
    assert_code(Key::from_pem(RSA1024_SPKI, &ImportOptions::default()), JWK_INVALID);
    assert_code(Key::from_pem(RSA1024_PKCS8, &ImportOptions::default()), JWK_INVALID);
    assert_code(
        Key::from_jwk_str(RSA1024_PUB_JWK, &ImportOptions::default()),
        JWK_INVALID,
    );
    // e = 3 is accepted (odd, ≥ 3).
    Key::from_pem(RSA2048_E3_SPKI, &ImportOptions::default()).unwrap();

    // A 16384-bit modulus: 2048 bytes, odd, top bit set, e = AQAB.
    let mut n = vec![0u8; 2048];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for b in n.iter_mut() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        *b = state as u8;
    }
    n[0] |= 0x80;
    n[2047] |= 1;
    let huge = json!({ "kty": "RSA", "n": pkjwt::b64::encode(&n), "e": "AQAB" });
    let started = Instant::now();
    let e = assert_code(
        Key::from_jwk(huge.as_object().unwrap(), &ImportOptions::default()),
        JWK_INVALID,
    );
    eprintln!("16384-bit modulus refused in {:?}: {e}", started.elapsed());
    // 8200 bits (just over the 8192 ceiling) is refused too.
    let over = json!({ "kty": "RSA", "n": pkjwt::b64::encode(&n[..1025]), "e": "AQAB" });
    assert_code(
        Key::from_jwk(over.as_object().unwrap(), &ImportOptions::default()),
        JWK_INVALID,
    );

    // Bad public exponents on the real 2048-bit modulus.
    let real: Value = str::parse(RSA2048_PUB_JWK).unwrap();
    let real_n = real["n"].as_str().unwrap();
    Key::from_jwk(real.as_object().unwrap(), &ImportOptions::default()).unwrap();
    for (what, e_bytes) in [
        ("e = 1", vec![1u8]),
        ("e = 2", vec![2]),
        ("e = 65536", vec![1, 0, 0]),
        ("e = 65538", vec![1, 0, 2]),
        ("e = 0", vec![0]),
        ("e = 2^32 + 1", vec![1, 0, 0, 0, 1]),
    ] {
        let jwk = json!({ "kty": "RSA", "n": real_n, "e": pkjwt::b64::encode(&e_bytes) });
        let e = err(Key::from_jwk(jwk.as_object().unwrap(), &ImportOptions::default()));
        assert_eq!(e.code(), JWK_INVALID, "{what}: {e:?}");
    }
    // Key generation refuses small moduli as an argument error.
    let small = Key::generate(
        Algorithm::RS256,
        &pkjwt::GenerateOptions {
            modulus_bits: Some(1024),
            kid: None,
        },
    );
    assert_code(small, "ERR_INVALID_ARGUMENT");
}

// Row 10: kid injection. The kid is an opaque string matched exactly.
#[test]
fn row10_kid_injection() {
    let key = es256().with_kid("client-key-1").unwrap();
    let keys = [key.public_key()];
    let long_kid = "k".repeat(10_000);
    for kid in [
        "../../dev/null",
        "' OR 1=1--",
        "/dev/null",
        "client-key-1\u{0}",
        "CLIENT-KEY-1",
        "client-key-1 ",
        "",
        &long_kid,
    ] {
        // Signed by the real key, so only the kid lookup can fail.
        let token = sign(&key, Algorithm::ES256, &header("ES256", kid), &claims());
        assert!(
            token.len() < pkjwt::jws::DEFAULT_MAX_TOKEN_LENGTH,
            "a 10 kB kid still fits the 16 KiB cap"
        );
        let e = err(verify(&token, &keys, &opts(), None));
        assert_eq!(e.code(), NO_KEY, "kid {:?}: {e:?}", &kid[..kid.len().min(20)]);
    }
    // An absurdly long kid hits the size cap before anything is decoded.
    let huge_kid = "k".repeat(20_000);
    let token = sign(&key, Algorithm::ES256, &header("ES256", &huge_kid), &claims());
    let e = assert_code(verify(&token, &keys, &opts(), None), JWS_INVALID);
    assert!(e.to_string().contains("longer than"), "{e}");
    // A non-string kid is malformed.
    for kid in [
        json!(1),
        json!(null),
        json!(["client-key-1"]),
        json!({"kid": "client-key-1"}),
    ] {
        let h = json!({ "alg": "ES256", "kid": kid });
        let token = sign(&key, Algorithm::ES256, &h, &claims());
        assert_code(verify(&token, &keys, &opts(), None), JWS_INVALID);
    }
    // The exact kid works.
    let token = sign(&key, Algorithm::ES256, &header("ES256", "client-key-1"), &claims());
    verify(&token, &keys, &opts(), None).unwrap();
}

// Row 11: keys embedded in the header (jwk, x5c, jku, x5u) are never trusted.
#[test]
fn row11_header_embedded_keys_are_ignored() {
    let real = es256();
    let keys = [real.public_key()];
    let attacker = es256();
    let attacker_jwk = Value::Object(attacker.public_key().to_jwk(false).unwrap());
    let attacker_der = pkjwt::b64::encode(&attacker.to_spki_der().unwrap());
    let embedded: Vec<(&str, Value)> = vec![
        ("jwk", attacker_jwk.clone()),
        ("x5c", json!([attacker_der])),
        ("jku", json!("https://attacker.example/jwks.json")),
        ("x5u", json!("https://attacker.example/cert.pem")),
    ];
    for (name, value) in &embedded {
        // Attacker-signed, kid of the attacker's key: no registered key has it.
        let mut h = header("ES256", attacker.kid());
        h[*name] = value.clone();
        let t = sign(&attacker, Algorithm::ES256, &h, &claims());
        assert_code(verify(&t, &keys, &opts(), None), NO_KEY);
        // Attacker-signed, kid of the real key: the signature fails against the real key.
        let mut h = header("ES256", real.kid());
        h[*name] = value.clone();
        let t = sign(&attacker, Algorithm::ES256, &h, &claims());
        assert_code(verify(&t, &keys, &opts(), None), SIG_FAILED);
        // Attacker-signed, no kid: the bounded try over registered keys fails.
        let mut h = json!({ "alg": "ES256" });
        h[*name] = value.clone();
        let t = sign(&attacker, Algorithm::ES256, &h, &claims());
        assert_code(verify(&t, &keys, &opts(), None), SIG_FAILED);
        // Signed by the real key and merely carrying the member: verifies, with the registered key.
        let mut h = header("ES256", real.kid());
        h[*name] = value.clone();
        let t = sign(&real, Algorithm::ES256, &h, &claims());
        let ok = verify(&t, &keys, &opts(), None).unwrap();
        assert_eq!(ok.key.kid(), real.kid());
        assert!(ok.header.contains_key(name), "the member is left in place");
    }
    // All four at once, attacker-signed, no kid.
    let mut h = json!({ "alg": "ES256" });
    for (name, value) in &embedded {
        h[*name] = value.clone();
    }
    let t = sign(&attacker, Algorithm::ES256, &h, &claims());
    assert_code(verify(&t, &keys, &opts(), None), SIG_FAILED);
    // No registered key at all: embedded keys do not stand in.
    let t = sign(&attacker, Algorithm::ES256, &h, &claims());
    assert_code(verify(&t, &[], &opts(), None), NO_KEY);
}

// Row 12: crit.
#[test]
fn row12_crit() {
    let key = es256();
    let keys = [key.public_key()];
    for h in [
        json!({ "alg": "ES256", "crit": ["exp"], "exp": 1 }),
        json!({ "alg": "ES256", "crit": [] }),
        json!({ "alg": "ES256", "crit": ["b64"], "b64": true }),
        json!({ "alg": "ES256", "crit": ["b64"] }),
        json!({ "alg": "ES256", "kid": key.kid(), "crit": ["http://example.invalid/ext"], "http://example.invalid/ext": 1 }),
        json!({ "alg": "ES256", "crit": null }),
        json!({ "alg": "ES256", "crit": "exp" }),
    ] {
        let t = sign(&key, Algorithm::ES256, &h, &claims());
        let e = err(verify(&t, &keys, &opts(), None));
        assert_eq!(e.code(), NOT_SUPPORTED, "{h}: {e:?}");
    }
}

// Row 13: b64=false (RFC 7797) is not a JWT.
#[test]
fn row13_b64_false() {
    let key = es256();
    let keys = [key.public_key()];
    let payload = claims().to_string();
    for h in [
        json!({ "alg": "ES256", "b64": false, "crit": ["b64"] }),
        json!({ "alg": "ES256", "b64": false }),
        json!({ "alg": "ES256", "kid": key.kid(), "b64": true }),
    ] {
        // Base64url payload, signed over it.
        let t = sign_raw(&key, Algorithm::ES256, &h.to_string(), &payload);
        assert_code(verify(&t, &keys, &opts(), None), NOT_SUPPORTED);
        // Signed over the raw (unencoded) payload, as RFC 7797 does it, with a base64url payload
        // segment so that only the header rule can refuse it.
        let hb = pkjwt::b64::encode(h.to_string().as_bytes());
        let sig = key
            .sign(Algorithm::ES256, format!("{hb}.{payload}").as_bytes())
            .unwrap();
        let t = format!(
            "{hb}.{}.{}",
            pkjwt::b64::encode(payload.as_bytes()),
            pkjwt::b64::encode(&sig)
        );
        assert_code(verify(&t, &keys, &opts(), None), NOT_SUPPORTED);
    }
    // The RFC 7797 compact form itself, with the raw JSON payload in the middle segment: refused
    // earlier, by the strict base64url alphabet of the compact form.
    let h = json!({ "alg": "ES256", "b64": false, "crit": ["b64"] }).to_string();
    let hb = pkjwt::b64::encode(h.as_bytes());
    let sig = key
        .sign(Algorithm::ES256, format!("{hb}.{payload}").as_bytes())
        .unwrap();
    let t = format!("{hb}.{payload}.{}", pkjwt::b64::encode(&sig));
    assert_code(verify(&t, &keys, &opts(), None), JWS_INVALID);
}

// Row 14: duplicate member names.
#[test]
fn row14_duplicate_member_names() {
    let key = es256();
    let keys = [key.public_key()];
    let c = claims();
    let jti = c["jti"].as_str().unwrap();
    let h = header("ES256", key.kid()).to_string();
    let payloads = [
        format!(
            r#"{{"iss":"evil","iss":"{CLIENT}","sub":"{CLIENT}","aud":"{ISSUER}","iat":{NOW},"exp":{},"jti":"{jti}"}}"#,
            NOW + 60
        ),
        format!(
            r#"{{"iss":"{CLIENT}","sub":"{CLIENT}","aud":"https://evil","aud":"{ISSUER}","iat":{NOW},"exp":{},"jti":"{jti}"}}"#,
            NOW + 60
        ),
        format!(
            r#"{{"iss":"{CLIENT}","sub":"{CLIENT}","aud":"{ISSUER}","iat":{NOW},"exp":{},"exp":9999999999,"jti":"{jti}"}}"#,
            NOW + 60
        ),
        // Nested duplicates too.
        format!(
            r#"{{"iss":"{CLIENT}","sub":"{CLIENT}","aud":"{ISSUER}","iat":{NOW},"exp":{},"jti":"{jti}","x":{{"a":1,"a":2}}}}"#,
            NOW + 60
        ),
        // An escaped spelling of the same name is the same name.
        format!(
            r#"{{"iss":"{CLIENT}","\u0069ss":"{CLIENT}","sub":"{CLIENT}","aud":"{ISSUER}","iat":{NOW},"exp":{},"jti":"{jti}"}}"#,
            NOW + 60
        ),
    ];
    for p in &payloads {
        let t = sign_raw(&key, Algorithm::ES256, &h, p);
        let e = err(verify(&t, &keys, &opts(), None));
        assert_eq!(e.code(), JWT_INVALID, "{p}: {e:?}");
    }
    let p = c.to_string();
    let kid = key.kid();
    for raw_header in [
        r#"{"alg":"none","alg":"ES256"}"#.to_owned(),
        r#"{"alg":"ES256","alg":"ES256"}"#.to_owned(),
        format!(r#"{{"alg":"ES256","kid":"other","kid":"{kid}"}}"#),
        format!(r#"{{"alg":"ES256","kid":"{kid}","typ":"at+jwt","typ":"{TYP}"}}"#),
    ] {
        let t = sign_raw(&key, Algorithm::ES256, &raw_header, &p);
        let e = err(verify(&t, &keys, &opts(), None));
        assert_eq!(e.code(), JWS_INVALID, "{raw_header}: {e:?}");
    }
}

// Row 15: serialization confusion.
#[test]
fn row15_serialization_confusion() {
    let key = es256();
    let keys = [key.public_key()];
    let token = token_for(&key, &claims());
    verify(&token, &keys, &opts(), None).unwrap();
    let (h, p, s) = parts(&token);
    let general = json!({ "payload": p, "signatures": [{ "protected": h, "signature": s }] }).to_string();
    let flattened = json!({ "payload": p, "protected": h, "signature": s }).to_string();
    let cases = [
        ("2 segments", format!("{h}.{p}")),
        ("1 segment", h.clone()),
        ("4 segments", format!("{token}.{s}")),
        ("4 segments, empty last", format!("{token}.")),
        ("5 segments (JWE shape)", format!("{h}.{p}.{s}.{p}.{s}")),
        ("empty signature", format!("{h}.{p}.")),
        ("empty header", format!(".{p}.{s}")),
        ("empty payload", format!("{h}..{s}")),
        ("only dots", "..".to_owned()),
        ("empty token", String::new()),
        ("JSON general serialization", general),
        ("JSON flattened serialization", flattened),
        (
            "header is not JSON",
            format!("{}.{p}.{s}", pkjwt::b64::encode(b"not json")),
        ),
        (
            "header is an array",
            format!("{}.{p}.{s}", pkjwt::b64::encode(b"[\"ES256\"]")),
        ),
        (
            "header is a string",
            format!("{}.{p}.{s}", pkjwt::b64::encode(b"\"ES256\"")),
        ),
        (
            "header with trailing data",
            format!("{}.{p}.{s}", pkjwt::b64::encode(b"{\"alg\":\"ES256\"}x")),
        ),
        (
            "alg missing",
            format!("{}.{p}.{s}", pkjwt::b64::encode(b"{\"typ\":\"JWT\"}")),
        ),
        (
            "alg not a string",
            format!("{}.{p}.{s}", pkjwt::b64::encode(b"{\"alg\":256}")),
        ),
    ];
    for (what, t) in cases {
        let e = err(verify(&t, &keys, &opts(), None));
        assert_eq!(e.code(), JWS_INVALID, "{what}: {e:?}");
    }
    // A payload that is not a JSON object is a JWT error.
    let hj = header("ES256", key.kid()).to_string();
    for payload in ["[1]", "\"claims\"", "null", "", "{\"iss\":\"a\"", "{} {}"] {
        let t = sign_raw(&key, Algorithm::ES256, &hj, payload);
        let e = err(verify(&t, &keys, &opts(), None));
        // An empty payload is an empty segment, which the compact form refuses.
        let expected = if payload.is_empty() { JWS_INVALID } else { JWT_INVALID };
        assert_eq!(e.code(), expected, "{payload:?}: {e:?}");
    }
    // Payload bytes that are not UTF-8.
    let bad = format!(
        "{}.{}",
        pkjwt::b64::encode(hj.as_bytes()),
        pkjwt::b64::encode(b"{\"iss\":\"\xff\"}")
    );
    let sig = key.sign(Algorithm::ES256, bad.as_bytes()).unwrap();
    assert_code(
        verify(&format!("{bad}.{}", pkjwt::b64::encode(&sig)), &keys, &opts(), None),
        JWT_INVALID,
    );
    // Unknown alg names are "not supported", not malformed.
    for alg in ["ES512", "ES256K", "RSA-OAEP", "Ed448", "PS256 "] {
        let t = with_sig(&json!({ "alg": alg }).to_string(), &claims().to_string(), &[1; 64]);
        assert_code(verify(&t, &keys, &opts(), None), NOT_SUPPORTED);
    }
}

// Row 16: huge tokens and many dots are refused by the length cap before decoding.
#[test]
fn row16_huge_token_and_many_dots() {
    let key = es256();
    let keys = [key.public_key()];
    let big_claim = claims_with("x", Some(json!("a".repeat(1 << 20))));
    let huge = token_for(&key, &big_claim);
    assert!(huge.len() > 1_000_000);
    let started = Instant::now();
    let e = assert_code(verify(&huge, &keys, &opts(), None), JWS_INVALID);
    eprintln!("1 MB token refused in {:?}", started.elapsed());
    assert!(e.to_string().contains("longer than 16384"), "{e}");

    let dots = ".".repeat(500_000);
    let started = Instant::now();
    assert_code(verify(&dots, &keys, &opts(), None), JWS_INVALID);
    eprintln!("500000 dots refused in {:?}", started.elapsed());

    // Even with the cap lifted, many dots are refused at the fourth segment.
    let lifted = VerifyOptions {
        max_token_length: 10 << 20,
        ..opts()
    };
    let started = Instant::now();
    assert_code(verify(&dots, &keys, &lifted, None), JWS_INVALID);
    eprintln!("500000 dots (cap lifted) refused in {:?}", started.elapsed());
    // And 1 MB of base64url with the cap lifted is decoded and checked normally.
    let filler = format!(
        "{}.{}.{}",
        "A".repeat(400_000),
        "A".repeat(400_000),
        "A".repeat(400_000)
    );
    assert_code(verify(&filler, &keys, &lifted, None), JWS_INVALID);

    // The cap is inclusive: a token of exactly max_token_length bytes is decoded.
    let token = token_for(&key, &claims());
    let exact = VerifyOptions {
        max_token_length: token.len(),
        ..opts()
    };
    verify(&token, &keys, &exact, None).unwrap();
    let short = VerifyOptions {
        max_token_length: token.len() - 1,
        ..opts()
    };
    assert_code(verify(&token, &keys, &short, None), JWS_INVALID);
    // The length is measured in bytes, not characters.
    let multibyte = ".".repeat(3) + &"é".repeat(9_000);
    assert!(multibyte.chars().count() < 16_384 && multibyte.len() > 16_384);
    let e = assert_code(verify(&multibyte, &keys, &opts(), None), JWS_INVALID);
    assert!(e.to_string().contains("longer than"), "{e}");
}

// Row 17: JSON nesting depth.
#[test]
fn row17_deep_nesting() {
    let key = es256();
    let keys = [key.public_key()];
    let hj = header("ES256", key.kid()).to_string();
    let base = claims().to_string();
    let nested = |depth: usize, open: &str, close: &str| {
        format!(
            "{},\"x\":{}{}}}",
            &base[..base.len() - 1],
            open.repeat(depth),
            close.repeat(depth)
        )
    };
    // 10 000 nested arrays: 20 kB of payload, beyond the default 16 KiB cap.
    let t = sign_raw(&key, Algorithm::ES256, &hj, &nested(10_000, "[", "]"));
    assert_code(verify(&t, &keys, &opts(), None), JWS_INVALID);
    // With the cap lifted the JSON parser refuses it cleanly (no stack overflow).
    let lifted = VerifyOptions {
        max_token_length: 1 << 20,
        ..opts()
    };
    assert_code(verify(&t, &keys, &lifted, None), JWT_INVALID);
    // 100 000 unclosed brackets, too.
    let deep = format!("{},\"x\":{}}}", &base[..base.len() - 1], "[".repeat(100_000));
    let t = sign_raw(&key, Algorithm::ES256, &hj, &deep);
    assert_code(verify(&t, &keys, &lifted, None), JWT_INVALID);
    // Nested objects.
    let t = sign_raw(&key, Algorithm::ES256, &hj, &nested(10_000, "{\"a\":", "}"));
    assert_code(verify(&t, &keys, &lifted, None), JWT_INVALID);
    // Depth 200 fits the default cap and is refused by the recursion limit.
    let t = sign_raw(&key, Algorithm::ES256, &hj, &nested(200, "[", "]"));
    assert_code(verify(&t, &keys, &opts(), None), JWT_INVALID);
    // Depth 100 is fine (the limit is 128).
    let t = sign_raw(&key, Algorithm::ES256, &hj, &nested(100, "[", "]"));
    verify(&t, &keys, &opts(), None).unwrap();
    // In the header: a JWS error.
    let deep_header = format!("{{\"alg\":\"ES256\",\"x\":{}{}}}", "[".repeat(200), "]".repeat(200));
    let t = sign_raw(&key, Algorithm::ES256, &deep_header, &base);
    assert_code(verify(&t, &keys, &opts(), None), JWS_INVALID);
}

// Row 18: exp type and range.
#[test]
fn row18_exp_type_and_range() {
    let key = es256();
    let keys = [key.public_key()];
    let hj = header("ES256", key.kid()).to_string();
    let raw_exp = |exp: &str| {
        let base = claims_with("exp", None).to_string();
        format!("{},\"exp\":{exp}}}", &base[..base.len() - 1])
    };
    // Not an integer NumericDate: a claim failure on exp, reason invalid.
    for exp in [
        "\"9999999999\"",
        &format!("\"{}\"", NOW + 60),
        "1.5",
        &format!("{}.5", NOW + 30),
        &format!("{}.0", NOW + 30),
        "1.70000003e9",
        "-1",
        &format!("-{}", NOW),
        "18446744073709551615",
        "9223372036854775808",
        "null",
        "true",
        "[1700000060]",
        "{}",
    ] {
        let t = sign_raw(&key, Algorithm::ES256, &hj, &raw_exp(exp));
        let e = err(verify(&t, &keys, &opts(), None));
        assert_eq!(
            (e.code(), e.claim(), e.reason()),
            ("ERR_JWT_CLAIM_VALIDATION_FAILED", Some("exp"), Some("invalid")),
            "exp {exp}: {e:?}"
        );
    }
    // Out of the f64 range: the JSON itself is refused.
    for exp in ["1e400", "-1e400", "1E309"] {
        let t = sign_raw(&key, Algorithm::ES256, &hj, &raw_exp(exp));
        let e = err(verify(&t, &keys, &opts(), None));
        assert_eq!(e.code(), JWT_INVALID, "exp {exp}: {e:?}");
    }
    // Far future, beyond max lifetime (300 s by default): with iat, and without it.
    // (Without iat the bound is now + max_lifetime + tolerance: see policy.rs.)
    for exp in [NOW + 301, NOW + 316, NOW + 86_400, 9_999_999_999, i64::MAX] {
        let t = token_for(&key, &claims_with("exp", Some(json!(exp))));
        assert_claim(verify(&t, &keys, &opts(), None), "exp", "check_failed");
        if exp > NOW + 315 {
            let mut c = claims_with("exp", Some(json!(exp)));
            c.as_object_mut().unwrap().remove("iat");
            let t = token_for(&key, &c);
            assert_claim(verify(&t, &keys, &opts(), None), "exp", "check_failed");
        }
    }
    // The same rules for iat and nbf.
    for name in ["iat", "nbf"] {
        for v in [json!("1700000000"), json!(1.5), json!(-1), json!(null)] {
            let t = token_for(&key, &claims_with(name, Some(v.clone())));
            let e = assert_claim(verify(&t, &keys, &opts(), None), name, "invalid");
            assert!(e.to_string().contains(name), "{v}: {e}");
        }
    }
}

// Row 19: aud array vs string.
#[test]
fn row19_aud_array_variants() {
    let key = es256();
    let keys = [key.public_key()];
    // ["as", "evil"]: rejected by default, accepted when opted in.
    let multi = claims_with("aud", Some(json!([ISSUER, "https://evil.example"])));
    let t = token_for(&key, &multi);
    assert_claim(verify(&t, &keys, &opts(), None), "aud", "invalid");
    let opted = VerifyOptions {
        allow_multiple_audiences: true,
        ..opts()
    };
    verify(&t, &keys, &opted, None).unwrap();
    // Evil first, issuer second: same.
    let t = token_for(&key, &claims_with("aud", Some(json!(["https://evil.example", ISSUER]))));
    assert_claim(verify(&t, &keys, &opts(), None), "aud", "invalid");
    verify(&t, &keys, &opted, None).unwrap();
    // Opted in, but none of them accepted.
    let t = token_for(
        &key,
        &claims_with("aud", Some(json!(["https://evil.example", "https://evil2.example"]))),
    );
    assert_claim(verify(&t, &keys, &opted, None), "aud", "mismatch");
    // ["as"] accepted.
    let t = token_for(&key, &claims_with("aud", Some(json!([ISSUER]))));
    verify(&t, &keys, &opts(), None).unwrap();
    // [] and non-strings.
    for aud in [
        json!([]),
        json!([ISSUER, 1]),
        json!([null]),
        json!(5),
        json!({ "aud": ISSUER }),
        json!(null),
        json!(true),
    ] {
        let t = token_for(&key, &claims_with("aud", Some(aud.clone())));
        let e = assert_claim(verify(&t, &keys, &opts(), None), "aud", "invalid");
        assert!(!e.to_string().is_empty(), "{aud}");
        assert_claim(verify(&t, &keys, &opted, None), "aud", "invalid");
    }
    // ["as", "as"]: two values, even if equal.
    let t = token_for(&key, &claims_with("aud", Some(json!([ISSUER, ISSUER]))));
    assert_claim(verify(&t, &keys, &opts(), None), "aud", "invalid");
    // The token endpoint: accepted only when listed.
    let t = token_for(&key, &claims_with("aud", Some(json!(TOKEN_ENDPOINT))));
    assert_claim(verify(&t, &keys, &opts(), None), "aud", "mismatch");
    let legacy = VerifyOptions {
        audiences: vec![ISSUER.into(), TOKEN_ENDPOINT.into()],
        ..opts()
    };
    verify(&t, &keys, &legacy, None).unwrap();
    let t = token_for(&key, &claims_with("aud", Some(json!([TOKEN_ENDPOINT]))));
    assert_claim(verify(&t, &keys, &opts(), None), "aud", "mismatch");
    verify(&t, &keys, &legacy, None).unwrap();
    // [issuer, token endpoint], both accepted values: still two values.
    let t = token_for(&key, &claims_with("aud", Some(json!([ISSUER, TOKEN_ENDPOINT]))));
    assert_claim(verify(&t, &keys, &legacy, None), "aud", "invalid");
}

// Row 20: audience injection (rfc7523bis). An assertion the client minted for a malicious AS that
// advertised our token endpoint as its own carries aud = our token endpoint (or an array naming
// it). Strict mode (issuer only) refuses it.
#[test]
fn row20_audience_injection() {
    let key = es256();
    let keys = [key.public_key()];
    let strict = opts();
    for aud in [
        json!(TOKEN_ENDPOINT),
        json!([TOKEN_ENDPOINT]),
        json!("https://as.example.com/"),
        json!("https://as.example.com/par"),
        json!("https://AS.example.com"),
        json!("HTTPS://as.example.com"),
        json!("https://as.example.com.evil.example"),
        json!("https://as.example.com\u{0}"),
        json!(" https://as.example.com"),
        json!("https://evil.example"),
        json!(CLIENT),
    ] {
        let t = token_for(&key, &claims_with("aud", Some(aud.clone())));
        let e = err(verify(&t, &keys, &strict, None));
        assert_eq!(
            (e.code(), e.claim(), e.reason()),
            ("ERR_JWT_CLAIM_VALIDATION_FAILED", Some("aud"), Some("mismatch")),
            "{aud}: {e:?}"
        );
    }
    // The injected multi-audience form (the malicious AS's issuer plus our token endpoint).
    let t = token_for(
        &key,
        &claims_with("aud", Some(json!(["https://evil.example", TOKEN_ENDPOINT]))),
    );
    assert_claim(verify(&t, &keys, &strict, None), "aud", "invalid");
    let opted = VerifyOptions {
        allow_multiple_audiences: true,
        ..opts()
    };
    assert_claim(verify(&t, &keys, &opted, None), "aud", "mismatch");
    // The issuer alone is accepted.
    let t = token_for(&key, &claims_with("aud", Some(json!(ISSUER))));
    verify(&t, &keys, &strict, None).unwrap();
}

// Row 21: Unicode and string comparison (code points, no normalization).
#[test]
fn row21_unicode_comparison() {
    let key = es256();
    let keys = [key.public_key()];
    let nfc = "caf\u{e9}";
    let nfd = "cafe\u{301}";
    let with_client = |id: &str| VerifyOptions {
        client_id: Some(id.into()),
        ..opts()
    };
    // Registered client in NFC, assertion in NFD.
    let mut c = claims();
    c["iss"] = json!(nfd);
    c["sub"] = json!(nfd);
    let t = token_for(&key, &c);
    assert_claim(verify(&t, &keys, &with_client(nfc), None), "iss", "mismatch");
    // Without a client id from the request the assertion names itself, in NFD.
    assert_eq!(verify(&t, &keys, &opts(), None).unwrap().client_id, nfd);
    // iss in NFC, sub in NFD.
    let mut c = claims();
    c["iss"] = json!(nfc);
    c["sub"] = json!(nfd);
    let t = token_for(&key, &c);
    assert_claim(verify(&t, &keys, &with_client(nfc), None), "sub", "mismatch");
    // NFC everywhere: accepted.
    let mut c = claims();
    c["iss"] = json!(nfc);
    c["sub"] = json!(nfc);
    let t = token_for(&key, &c);
    assert_eq!(verify(&t, &keys, &with_client(nfc), None).unwrap().client_id, nfc);
    // An escaped spelling of the same code points is the same string.
    let hj = header("ES256", key.kid()).to_string();
    let jti = fresh_jti();
    let escaped = format!(
        r#"{{"iss":"caf\u00e9","sub":"caf\u00e9","aud":"{ISSUER}","iat":{NOW},"exp":{},"jti":"{jti}"}}"#,
        NOW + 60
    );
    let t = sign_raw(&key, Algorithm::ES256, &hj, &escaped);
    verify(&t, &keys, &with_client(nfc), None).unwrap();
    // Lone surrogates are refused by the JSON parser, in any claim and in the header.
    for payload in [
        format!(
            r#"{{"iss":"\ud800","sub":"\ud800","aud":"{ISSUER}","exp":{},"jti":"{jti}"}}"#,
            NOW + 60
        ),
        format!(
            r#"{{"iss":"{CLIENT}","sub":"{CLIENT}","aud":"{ISSUER}","exp":{},"jti":"\udc00"}}"#,
            NOW + 60
        ),
        format!(
            r#"{{"iss":"{CLIENT}","sub":"{CLIENT}","aud":"{ISSUER}","exp":{},"jti":"{jti}","x":"a\ud800b"}}"#,
            NOW + 60
        ),
        format!(
            r#"{{"iss":"{CLIENT}","sub":"{CLIENT}","aud":"{ISSUER}","exp":{},"jti":"{jti}","\ud800":1}}"#,
            NOW + 60
        ),
    ] {
        let t = sign_raw(&key, Algorithm::ES256, &hj, &payload);
        let e = err(verify(&t, &keys, &opts(), None));
        assert_eq!(e.code(), JWT_INVALID, "{payload}: {e:?}");
    }
    let bad_header = format!(r#"{{"alg":"ES256","kid":"{}","x":"\ud800"}}"#, key.kid());
    let t = sign_raw(&key, Algorithm::ES256, &bad_header, &claims().to_string());
    assert_code(verify(&t, &keys, &opts(), None), JWS_INVALID);
    // A proper surrogate pair is fine.
    let pair = format!(
        r#"{{"iss":"{CLIENT}","sub":"{CLIENT}","aud":"{ISSUER}","exp":{},"jti":"{}","x":"\ud83d\ude00"}}"#,
        NOW + 60,
        fresh_jti()
    );
    let t = sign_raw(&key, Algorithm::ES256, &hj, &pair);
    verify(&t, &keys, &opts(), None).unwrap();
}

// Row 22: replay and race.
#[test]
fn row22_replay_and_race() {
    let key = es256();
    let keys = [key.public_key()];

    // Same assertion twice.
    let cache = ReplayCache::default();
    let t = token_for(&key, &claims());
    let first = verify(&t, &keys, &opts(), Some(&cache)).unwrap();
    assert_eq!(first.replay_expires_at, NOW + 60 + 15);
    assert_code(verify(&t, &keys, &opts(), Some(&cache)), REPLAYED);
    // Still replayed one second before exp + tolerance.
    let later = VerifyOptions {
        now: Some(NOW + 74),
        ..opts()
    };
    assert_code(verify(&t, &keys, &later, Some(&cache)), REPLAYED);

    // A different token (new iat, same jti) from the same client: replayed, keyed on (iss, jti).
    let c = claims();
    let t1 = token_for(&key, &c);
    let mut c2 = c.clone();
    c2["iat"] = json!(NOW + 1);
    c2["exp"] = json!(NOW + 61);
    let t2 = token_for(&key, &c2);
    assert_ne!(t1, t2);
    verify(&t1, &keys, &opts(), Some(&cache)).unwrap();
    assert_code(verify(&t2, &keys, &opts(), Some(&cache)), REPLAYED);

    // 50 threads, one assertion, one shared cache: exactly one success.
    let cache = ReplayCache::default();
    let t = token_for(&key, &claims());
    let barrier = std::sync::Barrier::new(50);
    let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..50)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    verify(&t, &keys, &opts(), Some(&cache))
                        .map(|_| ())
                        .map_err(|e| e.code().to_owned())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(
        results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .all(|code| code == REPLAYED),
        "{results:?}"
    );
    assert_eq!(cache.len(), 1);

    // The same jti from two different clients: both accepted (scoped per (iss, jti)).
    let cache = ReplayCache::default();
    let other = es256();
    let both = [key.public_key(), other.public_key()];
    let shared_jti = "shared-jti-0001";
    let mut a = claims_with("jti", Some(json!(shared_jti)));
    a["iss"] = json!("client-a");
    a["sub"] = json!("client-a");
    let mut b = claims_with("jti", Some(json!(shared_jti)));
    b["iss"] = json!("client-b");
    b["sub"] = json!("client-b");
    let ta = token_for(&key, &a);
    let tb = token_for(&other, &b);
    assert_eq!(verify(&ta, &both, &opts(), Some(&cache)).unwrap().client_id, "client-a");
    assert_eq!(verify(&tb, &both, &opts(), Some(&cache)).unwrap().client_id, "client-b");
    assert_code(verify(&ta, &both, &opts(), Some(&cache)), REPLAYED);
    assert_code(verify(&tb, &both, &opts(), Some(&cache)), REPLAYED);
    assert_eq!(cache.len(), 2);

    // Replay is recorded only after every other check: failing tokens do not burn the jti.
    let cache = ReplayCache::default();
    let c = claims();
    let good = token_for(&key, &c);
    let wrong_aud = VerifyOptions {
        audiences: vec!["https://other-as.example".into()],
        ..opts()
    };
    assert_claim(verify(&good, &keys, &wrong_aud, Some(&cache)), "aud", "mismatch");
    let wrong_client = VerifyOptions {
        client_id: Some("someone-else".into()),
        ..opts()
    };
    assert_claim(verify(&good, &keys, &wrong_client, Some(&cache)), "iss", "mismatch");
    let strict_typ = VerifyOptions {
        require_typ: true,
        algorithms: vec![Algorithm::ES256],
        ..opts()
    };
    let untyped = sign(&key, Algorithm::ES256, &json!({ "alg": "ES256", "kid": key.kid() }), &c);
    assert_claim(verify(&untyped, &keys, &strict_typ, Some(&cache)), "typ", "missing");
    let too_late = VerifyOptions {
        now: Some(NOW + 75),
        ..opts()
    };
    assert_code(verify(&good, &keys, &too_late, Some(&cache)), "ERR_JWT_EXPIRED");
    let not_es = VerifyOptions {
        algorithms: vec![Algorithm::RS256],
        ..opts()
    };
    assert_code(verify(&good, &keys, &not_es, Some(&cache)), ALG_NOT_ALLOWED);
    // A forged signature carrying the same (iss, jti).
    let forged = replace_sig(&good, &[0u8; 64]);
    assert_code(verify(&forged, &keys, &opts(), Some(&cache)), SIG_FAILED);
    let attacker = es256();
    let forged = sign(&attacker, Algorithm::ES256, &header("ES256", key.kid()), &c);
    assert_code(verify(&forged, &keys, &opts(), Some(&cache)), SIG_FAILED);
    // Same jti, but another claim fails (lifetime too long).
    let mut long = c.clone();
    long["exp"] = json!(NOW + 3600);
    let long = token_for(&key, &long);
    assert_claim(verify(&long, &keys, &opts(), Some(&cache)), "exp", "check_failed");
    assert!(cache.is_empty(), "no failing verification may record anything");
    // The genuine token still goes through once.
    verify(&good, &keys, &opts(), Some(&cache)).unwrap();
    assert_code(verify(&good, &keys, &opts(), Some(&cache)), REPLAYED);
}

// Row 24: ambiguous key (no kid): a bounded try over the keys that fit the alg.
#[test]
fn row24_no_kid_bounded_try() {
    // Two EC keys, no kid: the right one is found whichever position it holds.
    let a = es256();
    let b = es256();
    let keys = [a.public_key(), b.public_key()];
    for signer in [&a, &b] {
        let t = sign(
            signer,
            Algorithm::ES256,
            &json!({ "alg": "ES256", "typ": TYP }),
            &claims(),
        );
        assert_eq!(verify(&t, &keys, &opts(), None).unwrap().key.kid(), signer.kid());
    }

    // More than MAX_KEYS_TRIED (8) fitting keys with the right one last.
    let many: Vec<Key> = (0..=MAX_KEYS_TRIED).map(|_| es256()).collect();
    let public: Vec<Key> = many.iter().map(Key::public_key).collect();
    let untagged = json!({ "alg": "ES256", "typ": TYP });
    // The 8th key (index 7) is still tried.
    let t = sign(&many[MAX_KEYS_TRIED - 1], Algorithm::ES256, &untagged, &claims());
    assert_eq!(
        verify(&t, &public, &opts(), None).unwrap().key.kid(),
        many[MAX_KEYS_TRIED - 1].kid()
    );
    // The 9th (index 8) is not: the try stops after 8 fitting keys and fails like a bad signature.
    // Documented behaviour: with more than 8 candidate keys, a client must send `kid`.
    let t = sign(&many[MAX_KEYS_TRIED], Algorithm::ES256, &untagged, &claims());
    assert_code(verify(&t, &public, &opts(), None), SIG_FAILED);
    // With its kid, the 9th key is found directly.
    let t = sign(
        &many[MAX_KEYS_TRIED],
        Algorithm::ES256,
        &header("ES256", many[MAX_KEYS_TRIED].kid()),
        &claims(),
    );
    verify(&t, &public, &opts(), None).unwrap();

    // Keys that do not fit the alg (other families, use: enc) do not use up the budget.
    let ed: Vec<Key> = (0..10).map(|_| generate(Algorithm::EdDSA).public_key()).collect();
    let p384: Vec<Key> = (0..4).map(|_| generate(Algorithm::ES384).public_key()).collect();
    let enc: Vec<Key> = (0..10)
        .map(|_| {
            let mut jwk = es256().public_key().to_jwk(false).unwrap();
            jwk.insert("use".into(), json!("enc"));
            Key::from_jwk(&jwk, &ImportOptions::default()).unwrap()
        })
        .collect();
    let right = es256();
    let mut mixed: Vec<Key> = Vec::new();
    mixed.extend(ed);
    mixed.extend(p384);
    mixed.extend(enc);
    mixed.extend(public.iter().take(MAX_KEYS_TRIED - 1).cloned());
    mixed.push(right.public_key());
    let t = sign(&right, Algorithm::ES256, &untagged, &claims());
    assert_eq!(verify(&t, &mixed, &opts(), None).unwrap().key.kid(), right.kid());

    // No fitting key at all (only other families): no matching key.
    let t = sign(&right, Algorithm::ES256, &untagged, &claims());
    assert_code(verify(&t, &mixed[..14], &opts(), None), NO_KEY);
}
