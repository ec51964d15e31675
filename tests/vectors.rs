//! Published JWS / JWK test vectors (RFC 7515, RFC 7520, RFC 8037, RFC 7638).
//!
//! These vectors are plain JWS examples: their payloads are not client-assertion claim sets (no
//! `aud`, no `jti`, and `exp` long past), so they are tested at the JWS layer
//! (`pkjwt::jws::verify` / `pkjwt::jws::sign_encoded`), not through `verify_client_assertion`.
//!
//! `pkjwt::jws::decode` (and so `jws::verify`) is a JWT decoder: it refuses a payload that is not a
//! JSON object with ERR_JWT_INVALID. The RFC 7520 payloads are plain text ("It's a dangerous
//! business, Frodo, …"), so for those the same signing input and signature bytes are checked with
//! the JWS signature primitive `Key::verify` instead (see `verify_compact`), and a separate test pins
//! that the JWT decoder refuses them.
//!
//! The data is embedded with `include_str!` so that these tests also run where there is no file
//! system (wasm).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use pkjwt::json::{Object, Value};
use pkjwt::jws::{self, DEFAULT_MAX_TOKEN_LENGTH};
use pkjwt::{Algorithm, ImportOptions, Key, KeyType};

const RFC7515_A2_RS256: &str = include_str!("vectors/rfc7515-a2-rs256.json");
const RFC7515_A3_ES256: &str = include_str!("vectors/rfc7515-a3-es256.json");
const RFC7520_41_RS256: &str = include_str!("vectors/rfc7520-4.1-rs256.json");
const RFC7520_42_PS384: &str = include_str!("vectors/rfc7520-4.2-ps384.json");
const RFC7520_43_ES512: &str = include_str!("vectors/rfc7520-4.3-es512.json");
const RFC8037_A4_ED25519: &str = include_str!("vectors/rfc8037-a4-ed25519.json");
const RFC7638_31_THUMBPRINT: &str = include_str!("vectors/rfc7638-3.1-thumbprint.json");

/// One signature vector, as described in tests/vectors/README.md.
struct Vector {
    name: &'static str,
    alg: String,
    deterministic: bool,
    jwk: Object,
    protected_b64: String,
    payload_b64: String,
    compact: String,
}

fn parse(name: &'static str, text: &str) -> Vector {
    let v: Value = str::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let s = |field: &str| {
        v[field]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no string {field}"))
            .to_owned()
    };
    Vector {
        name,
        alg: s("alg"),
        deterministic: v["deterministic"].as_bool().unwrap(),
        jwk: v["jwk"].as_object().unwrap().clone(),
        protected_b64: s("protected_b64"),
        payload_b64: s("payload_b64"),
        compact: s("compact"),
    }
}

/// The signature vectors pkjwt supports (ES512 is tested separately: it must be refused).
fn supported_vectors() -> Vec<Vector> {
    vec![
        parse("RFC 7515 A.2 RS256", RFC7515_A2_RS256),
        parse("RFC 7515 A.3 ES256", RFC7515_A3_ES256),
        parse("RFC 7520 4.1 RS256", RFC7520_41_RS256),
        parse("RFC 7520 4.2 PS384", RFC7520_42_PS384),
        parse("RFC 8037 A.4 Ed25519", RFC8037_A4_ED25519),
    ]
}

fn import(v: &Vector) -> Key {
    Key::from_jwk(&v.jwk, &ImportOptions::default()).unwrap_or_else(|e| panic!("{}: import failed: {e:?}", v.name))
}

/// The compact JWS with one bit of the (decoded) signature flipped, re-encoded canonically.
fn flip_signature_bit(compact: &str, byte: usize, bit: u8) -> String {
    let (signing_input, sig_b64) = compact.rsplit_once('.').unwrap();
    let mut sig = pkjwt::b64::decode(sig_b64).unwrap();
    sig[byte] ^= 1 << bit;
    format!("{signing_input}.{}", pkjwt::b64::encode(&sig))
}

fn payload_is_json_object(compact: &str) -> bool {
    let payload = compact.split('.').nth(1).unwrap();
    let bytes = pkjwt::b64::decode(payload).unwrap();
    pkjwt::json::parse(&bytes).is_ok_and(|v| v.is_object())
}

/// Verifies a published compact JWS with `key` at the JWS layer: `jws::verify` for JSON payloads;
/// for the text payloads of RFC 7520 (which `jws::verify` refuses as "not a JWT"), the JWS
/// signature over the exact signing input, with `Key::verify`.
fn verify_compact(compact: &str, key: &Key) -> pkjwt::Result<()> {
    if payload_is_json_object(compact) {
        return jws::verify(compact, key, DEFAULT_MAX_TOKEN_LENGTH).map(|_| ());
    }
    let (signing_input, sig_b64) = compact.rsplit_once('.').unwrap();
    let header_b64 = signing_input.split('.').next().unwrap();
    let header: Value = pkjwt::json::parse(&pkjwt::b64::decode(header_b64).unwrap()).unwrap();
    let alg: Algorithm = header["alg"].as_str().unwrap().parse()?;
    key.verify(alg, signing_input.as_bytes(), &pkjwt::b64::decode(sig_b64).unwrap())
}

#[test]
fn vectors_are_self_consistent() {
    for v in supported_vectors() {
        assert_eq!(
            v.compact,
            format!(
                "{}.{}.{}",
                v.protected_b64,
                v.payload_b64,
                v.compact.rsplit('.').next().unwrap()
            ),
            "{}",
            v.name
        );
        let header: Value = pkjwt::json::parse(&pkjwt::b64::decode(&v.protected_b64).unwrap()).unwrap();
        assert_eq!(header["alg"].as_str(), Some(v.alg.as_str()), "{}", v.name);
        assert_eq!(header.get("kid"), v.jwk.get("kid"), "{}", v.name);
        if payload_is_json_object(&v.compact) {
            let decoded = pkjwt::decode_unverified(&v.compact).unwrap_or_else(|e| panic!("{}: {e:?}", v.name));
            assert_eq!(decoded.alg().unwrap().as_str(), v.alg, "{}", v.name);
            assert_eq!(
                decoded.signing_input,
                format!("{}.{}", v.protected_b64, v.payload_b64),
                "{}",
                v.name
            );
        }
    }
}

#[test]
fn every_supported_vector_imports_with_the_right_type() {
    for v in supported_vectors() {
        let key = import(&v);
        assert!(key.is_private(), "{}: the published JWK has private members", v.name);
        let alg: Algorithm = v.alg.parse().unwrap();
        assert_eq!(key.family(), alg.key_family(), "{}", v.name);
        let expected_kty = v.jwk["kty"].as_str().unwrap();
        assert_eq!(key.key_type().as_str(), expected_kty, "{}", v.name);
        // A published kid is kept; without one the kid is the thumbprint.
        match v.jwk.get("kid").and_then(Value::as_str) {
            Some(kid) => assert_eq!(key.kid(), kid, "{}", v.name),
            None => assert_eq!(key.kid(), key.thumbprint(), "{}", v.name),
        }
        if key.key_type() == KeyType::Rsa {
            assert_eq!(key.rsa_bits(), Some(2048), "{}", v.name);
        }
    }
}

#[test]
fn every_supported_vector_verifies_at_the_jws_layer() {
    for v in supported_vectors() {
        let key = import(&v);
        let public = key.public_key();
        assert!(!public.is_private());
        verify_compact(&v.compact, &public)
            .unwrap_or_else(|e| panic!("{}: published signature did not verify: {e:?}", v.name));
        if payload_is_json_object(&v.compact) {
            let decoded = jws::verify(&v.compact, &public, DEFAULT_MAX_TOKEN_LENGTH).unwrap();
            assert_eq!(decoded.alg().unwrap().as_str(), v.alg, "{}", v.name);
        }
        // The private key verifies too (it carries its public half).
        verify_compact(&v.compact, &key).unwrap_or_else(|e| panic!("{}: {e:?}", v.name));
    }
}

#[test]
fn deterministic_vectors_are_reproduced_byte_for_byte() {
    let mut count = 0;
    for v in supported_vectors().into_iter().filter(|v| v.deterministic) {
        let key = import(&v);
        let alg: Algorithm = v.alg.parse().unwrap();
        let signing_input = format!("{}.{}", v.protected_b64, v.payload_b64);
        let signed = jws::sign_encoded(&signing_input, &key, alg).unwrap_or_else(|e| panic!("{}: {e:?}", v.name));
        assert_eq!(
            signed, v.compact,
            "{}: re-signing did not reproduce the published JWS",
            v.name
        );
        count += 1;
    }
    assert_eq!(
        count, 3,
        "RFC 7515 A.2, RFC 7520 4.1 and RFC 8037 A.4 are deterministic"
    );
}

#[test]
fn randomised_vectors_sign_fresh_signatures_that_verify() {
    for v in supported_vectors().into_iter().filter(|v| !v.deterministic) {
        let key = import(&v);
        let alg: Algorithm = v.alg.parse().unwrap();
        let signing_input = format!("{}.{}", v.protected_b64, v.payload_b64);
        let signed = jws::sign_encoded(&signing_input, &key, alg).unwrap();
        assert_ne!(signed, v.compact, "{}: ECDSA / PSS signatures are randomised", v.name);
        verify_compact(&signed, &key.public_key()).unwrap_or_else(|e| panic!("{}: {e:?}", v.name));
    }
}

#[test]
fn a_flipped_signature_bit_fails_verification() {
    for v in supported_vectors() {
        let public = import(&v).public_key();
        let sig_len = pkjwt::b64::decode(v.compact.rsplit('.').next().unwrap()).unwrap().len();
        // First byte, a middle byte and the last bytes; low and high bits.
        for (byte, bit) in [(0usize, 0u8), (sig_len / 2, 7), (sig_len - 1, 0), (sig_len - 2, 5)] {
            let tampered = flip_signature_bit(&v.compact, byte, bit);
            assert_ne!(tampered, v.compact);
            let err = verify_compact(&tampered, &public).unwrap_err();
            assert_eq!(
                err.code(),
                "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
                "{} byte {byte} bit {bit}",
                v.name
            );
        }
    }
}

#[test]
fn a_vector_does_not_verify_under_another_algorithm_or_key() {
    // RFC 7520 4.1 (RS256) and 4.2 (PS384) share one key: the RS256 token relabelled PS384
    // (header re-encoded, signature kept) must fail on the signature, not pass.
    let rs = parse("RFC 7520 4.1 RS256", RFC7520_41_RS256);
    let public = import(&rs).public_key();
    let header = pkjwt::b64::encode(br#"{"alg":"PS384","kid":"bilbo.baggins@hobbiton.example"}"#);
    let sig = rs.compact.rsplit('.').next().unwrap();
    let relabelled = format!("{header}.{}.{sig}", rs.payload_b64);
    assert_eq!(
        verify_compact(&relabelled, &public).unwrap_err().code(),
        "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
    );
    // The RFC 7515 A.2 token under the RFC 7520 key (same alg, other key).
    let a2 = parse("RFC 7515 A.2 RS256", RFC7515_A2_RS256);
    assert_eq!(
        jws::verify(&a2.compact, &public, DEFAULT_MAX_TOKEN_LENGTH)
            .unwrap_err()
            .code(),
        "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
    );
    // An ES256 token against an RSA key: the alg does not fit.
    let es = parse("RFC 7515 A.3 ES256", RFC7515_A3_ES256);
    assert_eq!(
        jws::verify(&es.compact, &public, DEFAULT_MAX_TOKEN_LENGTH)
            .unwrap_err()
            .code(),
        "ERR_JOSE_ALG_NOT_ALLOWED"
    );
}

#[test]
fn rfc7520_es512_is_refused_cleanly() {
    let v = parse("RFC 7520 4.3 ES512", RFC7520_43_ES512);
    // The P-521 key, private and public.
    let err = Key::from_jwk(&v.jwk, &ImportOptions::default()).unwrap_err();
    assert_eq!(err.code(), "ERR_JOSE_NOT_SUPPORTED", "{err:?}");
    let mut public_jwk = v.jwk.clone();
    public_jwk.remove("d");
    let err = Key::from_jwk(&public_jwk, &ImportOptions::default()).unwrap_err();
    assert_eq!(err.code(), "ERR_JOSE_NOT_SUPPORTED", "{err:?}");
    // The published token has a text payload, which the JWT decoder refuses before any alg check.
    assert_eq!(
        pkjwt::decode_unverified(&v.compact).unwrap_err().code(),
        "ERR_JWT_INVALID"
    );
    // Its published protected header, read as a decoded JWS: alg ES512 is not supported, no panic.
    let header: Value = pkjwt::json::parse(&pkjwt::b64::decode(&v.protected_b64).unwrap()).unwrap();
    let sig_b64 = v.compact.rsplit('.').next().unwrap();
    let decoded = pkjwt::DecodedJws {
        header: header.as_object().unwrap().clone(),
        payload: Object::new(),
        signature: pkjwt::b64::decode(sig_b64).unwrap(),
        signing_input: format!("{}.{}", v.protected_b64, v.payload_b64),
    };
    assert_eq!(decoded.kid().unwrap(), Some("bilbo.baggins@hobbiton.example"));
    let err = decoded.alg().unwrap_err();
    assert_eq!(err.code(), "ERR_JOSE_NOT_SUPPORTED", "{err:?}");
    // The same published header and signature around a JSON payload: the token decodes, and
    // reading its alg gives ERR_JOSE_NOT_SUPPORTED.
    let token = format!("{}.{}.{sig_b64}", v.protected_b64, pkjwt::b64::encode(b"{}"));
    let decoded = pkjwt::decode_unverified(&token).unwrap();
    let err = decoded.alg().unwrap_err();
    assert_eq!(err.code(), "ERR_JOSE_NOT_SUPPORTED", "{err:?}");
    // jws::verify with any key refuses it the same way, before touching the signature.
    let other = import(&parse("RFC 7515 A.3 ES256", RFC7515_A3_ES256)).public_key();
    let err = jws::verify(&token, &other, DEFAULT_MAX_TOKEN_LENGTH).unwrap_err();
    assert_eq!(err.code(), "ERR_JOSE_NOT_SUPPORTED", "{err:?}");
    // And the signature primitive path used for text payloads refuses the alg name too.
    assert_eq!(
        verify_compact(&v.compact, &other).unwrap_err().code(),
        "ERR_JOSE_NOT_SUPPORTED"
    );
}

#[test]
fn text_payload_vectors_are_refused_by_the_jwt_decoder() {
    // Pins the behaviour that makes `verify_compact` necessary: RFC 7520 payloads are text, and
    // `jws::decode` / `jws::verify` accept only JSON-object payloads (JWTs).
    for v in supported_vectors()
        .into_iter()
        .filter(|v| !payload_is_json_object(&v.compact))
    {
        let key = import(&v).public_key();
        let err = jws::verify(&v.compact, &key, DEFAULT_MAX_TOKEN_LENGTH).unwrap_err();
        assert_eq!(err.code(), "ERR_JWT_INVALID", "{}: {err:?}", v.name);
    }
    let text_vectors = supported_vectors()
        .iter()
        .filter(|v| !payload_is_json_object(&v.compact))
        .count();
    assert_eq!(text_vectors, 3, "RFC 7520 4.1, 4.2 and RFC 8037 A.4 have text payloads");
}

fn thumbprint_vector() -> (Object, String) {
    let v: Value = str::parse(RFC7638_31_THUMBPRINT).unwrap();
    (
        v["jwk"].as_object().unwrap().clone(),
        v["thumbprint_sha256"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn rfc7638_thumbprint_matches() {
    let (jwk, expected) = thumbprint_vector();
    assert_eq!(expected, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    let key = Key::from_jwk(&jwk, &ImportOptions::default()).unwrap();
    assert_eq!(key.thumbprint(), expected);
    // The JWK's own kid and alg are kept.
    assert_eq!(key.kid(), "2011-04-29");
    assert_eq!(key.alg(), Some(Algorithm::RS256));
    assert!(!key.is_private());
    // Only the required members count: alg, kid, use and member order do not change it.
    let mut reordered = Object::new();
    for name in ["n", "kty", "e"] {
        reordered.insert(name.into(), jwk[name].clone());
    }
    reordered.insert("use".into(), Value::String("sig".into()));
    assert_eq!(
        Key::from_jwk(&reordered, &ImportOptions::default())
            .unwrap()
            .thumbprint(),
        expected
    );
    // The same key through JSON text.
    let text = jwk.to_json();
    assert_eq!(
        Key::from_jwk_str(&text, &ImportOptions::default())
            .unwrap()
            .thumbprint(),
        expected
    );
}

#[test]
fn rfc7638_key_without_kid_gets_the_thumbprint_as_kid() {
    let (mut jwk, expected) = thumbprint_vector();
    jwk.remove("kid");
    let key = Key::from_jwk(&jwk, &ImportOptions::default()).unwrap();
    assert_eq!(key.kid(), expected);
    assert_eq!(key.public_key().kid(), expected);
    // An explicit kid in the options wins over both.
    let key = Key::from_jwk(
        &jwk,
        &ImportOptions {
            kid: Some("mine".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(key.kid(), "mine");
    assert_eq!(key.thumbprint(), expected);
    // Exported, it carries the thumbprint kid.
    let key = Key::from_jwk(&jwk, &ImportOptions::default()).unwrap();
    assert_eq!(key.to_jwk(false).unwrap()["kid"], Value::String(expected));
}

#[test]
fn thumbprints_of_vector_keys_ignore_private_members() {
    for v in supported_vectors() {
        let key = import(&v);
        assert_eq!(key.thumbprint(), key.public_key().thumbprint(), "{}", v.name);
        let mut public_only = v.jwk.clone();
        for member in ["d", "p", "q", "dp", "dq", "qi"] {
            public_only.remove(member);
        }
        let public = Key::from_jwk(&public_only, &ImportOptions::default()).unwrap();
        assert!(!public.is_private());
        assert_eq!(public.thumbprint(), key.thumbprint(), "{}", v.name);
        verify_compact(&v.compact, &public).unwrap();
    }
}
