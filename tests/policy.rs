//! The verifier policy of DESIGN.md ("Verifier policy") and `verify_client_assertion`'s doc
//! comment, rule by rule; the builder's defaults and refusals; the replay cache's capacity as seen
//! through the verifier.

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
use pkjwt::{
    Algorithm, AssertionOptions, Certificate, HeaderChoice, ImportOptions, Key, ReplayCache, VerifyOptions,
    create_client_assertion, decode_unverified,
};
use support::*;

const INVALID_ARGUMENT: &str = "ERR_INVALID_ARGUMENT";
const ALG_NOT_ALLOWED: &str = "ERR_JOSE_ALG_NOT_ALLOWED";
const NO_KEY: &str = "ERR_JWKS_NO_MATCHING_KEY";
const EXPIRED: &str = "ERR_JWT_EXPIRED";

fn at(now: i64) -> VerifyOptions {
    VerifyOptions {
        now: Some(now),
        ..opts()
    }
}

fn without(mut c: Value, name: &str) -> Value {
    c.as_object_mut().unwrap().remove(name);
    c
}

fn set(mut c: Value, name: &str, value: Value) -> Value {
    c[name] = value;
    c
}

fn client(id: &str) -> VerifyOptions {
    VerifyOptions {
        client_id: Some(id.into()),
        ..opts()
    }
}

// ---------------------------------------------------------------------------------------------
// iss == sub == clientId, byte-exact
// ---------------------------------------------------------------------------------------------

#[test]
fn iss_sub_client_id_byte_exact() {
    let key = es256();
    let keys = [key.public_key()];
    // All equal: accepted, and the client id is reported.
    let t = token_for(&key, &claims());
    assert_eq!(verify(&t, &keys, &client(CLIENT), None).unwrap().client_id, CLIENT);
    assert_eq!(verify(&t, &keys, &opts(), None).unwrap().client_id, CLIENT);

    // iss ≠ sub: reported on sub.
    for sub in [
        "other-client",
        "client-12",
        "client-1234",
        "Client-123",
        "client-123 ",
        " client-123",
        "client-123\u{0}",
    ] {
        let t = token_for(&key, &set(claims(), "sub", json!(sub)));
        assert_claim(verify(&t, &keys, &opts(), None), "sub", "mismatch");
        assert_claim(verify(&t, &keys, &client(CLIENT), None), "sub", "mismatch");
    }
    // iss = sub, but not the request's client id: reported on iss.
    for id in ["other-client", "CLIENT-123", "client-123 ", "client-12"] {
        let mut c = claims();
        c["iss"] = json!(id);
        c["sub"] = json!(id);
        let t = token_for(&key, &c);
        assert_claim(verify(&t, &keys, &client(CLIENT), None), "iss", "mismatch");
    }
    let t = token_for(&key, &claims());
    assert_claim(verify(&t, &keys, &client("client-1234"), None), "iss", "mismatch");
    assert_claim(verify(&t, &keys, &client("Client-123"), None), "iss", "mismatch");

    // Wrong types and empty strings: invalid.
    for v in [
        json!(""),
        json!(123),
        json!(null),
        json!([CLIENT]),
        json!({ "id": CLIENT }),
    ] {
        let t = token_for(&key, &set(claims(), "iss", v.clone()));
        assert_claim(verify(&t, &keys, &opts(), None), "iss", "invalid");
        let t = token_for(&key, &set(claims(), "sub", v.clone()));
        assert_claim(verify(&t, &keys, &opts(), None), "sub", "invalid");
    }
}

#[test]
fn required_claims_missing() {
    let key = es256();
    let keys = [key.public_key()];
    for name in ["iss", "sub", "aud", "exp", "jti"] {
        let t = token_for(&key, &without(claims(), name));
        let e = assert_claim(verify(&t, &keys, &opts(), None), name, "missing");
        assert!(e.to_string().contains(name), "{e}");
    }
    // iat and nbf are optional.
    for name in ["iat", "nbf"] {
        let t = token_for(&key, &without(claims(), name));
        verify(&t, &keys, &opts(), None).unwrap();
    }
    // An empty claims set: the first check (iss) reports.
    let t = token_for(&key, &json!({}));
    assert_claim(verify(&t, &keys, &opts(), None), "iss", "missing");
}

// ---------------------------------------------------------------------------------------------
// Time: exp, nbf, iat, clock tolerance applied once, max lifetime
// ---------------------------------------------------------------------------------------------

#[test]
fn nbf_and_iat_in_the_future() {
    let key = es256();
    let keys = [key.public_key()];
    // Within the 15 s tolerance: accepted.
    let t = token_for(&key, &set(claims(), "nbf", json!(NOW + 15)));
    verify(&t, &keys, &opts(), None).unwrap();
    let t = token_for(
        &key,
        &set(set(claims(), "iat", json!(NOW + 15)), "exp", json!(NOW + 75)),
    );
    verify(&t, &keys, &opts(), None).unwrap();
    // One second beyond it: refused.
    let t = token_for(&key, &set(claims(), "nbf", json!(NOW + 16)));
    assert_claim(verify(&t, &keys, &opts(), None), "nbf", "check_failed");
    let t = token_for(
        &key,
        &set(set(claims(), "iat", json!(NOW + 16)), "exp", json!(NOW + 76)),
    );
    assert_claim(verify(&t, &keys, &opts(), None), "iat", "check_failed");
    // nbf and iat in the past are fine (within the max lifetime).
    let t = token_for(
        &key,
        &set(set(claims(), "nbf", json!(NOW - 100)), "iat", json!(NOW - 100)),
    );
    verify(&t, &keys, &opts(), None).unwrap();
}

#[test]
fn exp_boundary() {
    let key = es256();
    let keys = [key.public_key()];
    let exp = NOW + 60;
    let t = token_for(&key, &claims());
    // now == exp + tol − 1: accepted; now == exp + tol: expired.
    verify(&t, &keys, &at(exp + 15 - 1), None).unwrap();
    let e = assert_code(verify(&t, &keys, &at(exp + 15), None), EXPIRED);
    assert_eq!((e.claim(), e.reason()), (Some("exp"), Some("check_failed")));
    assert_code(verify(&t, &keys, &at(exp + 10_000), None), EXPIRED);
    // now == exp itself is inside the tolerance.
    verify(&t, &keys, &at(exp), None).unwrap();
}

#[test]
fn clock_tolerance_is_applied_once() {
    let key = es256();
    let keys = [key.public_key()];
    // exp in the past by less than the tolerance: accepted; by exactly the tolerance: expired
    // (tolerance applied twice would accept up to 2 × 15 s).
    let t = token_for(
        &key,
        &set(set(claims(), "iat", json!(NOW - 74)), "exp", json!(NOW - 14)),
    );
    verify(&t, &keys, &opts(), None).unwrap();
    let t = token_for(
        &key,
        &set(set(claims(), "iat", json!(NOW - 75)), "exp", json!(NOW - 15)),
    );
    assert_code(verify(&t, &keys, &opts(), None), EXPIRED);
    let t = token_for(
        &key,
        &set(set(claims(), "iat", json!(NOW - 89)), "exp", json!(NOW - 29)),
    );
    assert_code(verify(&t, &keys, &opts(), None), EXPIRED);
    // nbf and iat: NOW + 15 accepted, NOW + 16 refused (also for both at once).
    let c = set(
        set(set(claims(), "nbf", json!(NOW + 15)), "iat", json!(NOW + 15)),
        "exp",
        json!(NOW + 75),
    );
    verify(&token_for(&key, &c), &keys, &opts(), None).unwrap();
    let c = set(
        set(set(claims(), "nbf", json!(NOW + 30)), "iat", json!(NOW)),
        "exp",
        json!(NOW + 60),
    );
    assert_claim(
        verify(&token_for(&key, &c), &keys, &opts(), None),
        "nbf",
        "check_failed",
    );

    // Tolerance 0: exp == now is expired; nbf / iat one second ahead refused.
    let zero = VerifyOptions {
        clock_tolerance: 0,
        ..opts()
    };
    let t = token_for(&key, &set(set(claims(), "iat", json!(NOW - 60)), "exp", json!(NOW)));
    assert_code(verify(&t, &keys, &zero, None), EXPIRED);
    let t = token_for(&key, &set(set(claims(), "iat", json!(NOW - 59)), "exp", json!(NOW + 1)));
    verify(&t, &keys, &zero, None).unwrap();
    let t = token_for(&key, &set(claims(), "nbf", json!(NOW + 1)));
    assert_claim(verify(&t, &keys, &zero, None), "nbf", "check_failed");
    let t = token_for(&key, &set(set(claims(), "iat", json!(NOW + 1)), "exp", json!(NOW + 61)));
    assert_claim(verify(&t, &keys, &zero, None), "iat", "check_failed");
    let t = token_for(&key, &set(claims(), "nbf", json!(NOW)));
    verify(&t, &keys, &zero, None).unwrap();

    // A larger tolerance moves every boundary by exactly that much.
    let wide = VerifyOptions {
        clock_tolerance: 60,
        ..opts()
    };
    let t = token_for(
        &key,
        &set(set(claims(), "iat", json!(NOW - 119)), "exp", json!(NOW - 59)),
    );
    verify(&t, &keys, &wide, None).unwrap();
    let t = token_for(
        &key,
        &set(set(claims(), "iat", json!(NOW - 120)), "exp", json!(NOW - 60)),
    );
    assert_code(verify(&t, &keys, &wide, None), EXPIRED);
    let t = token_for(&key, &set(claims(), "nbf", json!(NOW + 60)));
    verify(&t, &keys, &wide, None).unwrap();
    let t = token_for(&key, &set(claims(), "nbf", json!(NOW + 61)));
    assert_claim(verify(&t, &keys, &wide, None), "nbf", "check_failed");
}

#[test]
fn max_lifetime_with_and_without_iat() {
    let key = es256();
    let keys = [key.public_key()];
    // With iat: exp − iat ≤ 300.
    let t = token_for(&key, &set(claims(), "exp", json!(NOW + 300)));
    verify(&t, &keys, &opts(), None).unwrap();
    let t = token_for(&key, &set(claims(), "exp", json!(NOW + 301)));
    let e = assert_claim(verify(&t, &keys, &opts(), None), "exp", "check_failed");
    assert!(e.to_string().contains("301"), "{e}");
    // An old iat counts: iat 250 s ago, exp in 60 s → lifetime 310.
    let t = token_for(
        &key,
        &set(set(claims(), "iat", json!(NOW - 250)), "exp", json!(NOW + 60)),
    );
    assert_claim(verify(&t, &keys, &opts(), None), "exp", "check_failed");
    let t = token_for(
        &key,
        &set(set(claims(), "iat", json!(NOW - 240)), "exp", json!(NOW + 60)),
    );
    verify(&t, &keys, &opts(), None).unwrap();

    // Without iat: the lifetime is measured from now, with the clock tolerance applied once to
    // `now` (a client whose clock runs 15 s ahead may set exp = its now + max_lifetime). So the
    // latest accepted exp is now + max_lifetime + tolerance — the same bound as with iat, where
    // iat itself may be up to now + tolerance.
    let t = token_for(&key, &set(without(claims(), "iat"), "exp", json!(NOW + 300 + 15)));
    verify(&t, &keys, &opts(), None).unwrap();
    let t = token_for(&key, &set(without(claims(), "iat"), "exp", json!(NOW + 300 + 16)));
    assert_claim(verify(&t, &keys, &opts(), None), "exp", "check_failed");
    let zero = VerifyOptions {
        clock_tolerance: 0,
        ..opts()
    };
    let t = token_for(&key, &set(without(claims(), "iat"), "exp", json!(NOW + 300)));
    verify(&t, &keys, &zero, None).unwrap();
    let t = token_for(&key, &set(without(claims(), "iat"), "exp", json!(NOW + 301)));
    assert_claim(verify(&t, &keys, &zero, None), "exp", "check_failed");

    // A custom max_lifetime.
    let short = VerifyOptions {
        max_lifetime: 60,
        ..opts()
    };
    let t = token_for(&key, &set(claims(), "exp", json!(NOW + 60)));
    verify(&t, &keys, &short, None).unwrap();
    let t = token_for(&key, &set(claims(), "exp", json!(NOW + 61)));
    assert_claim(verify(&t, &keys, &short, None), "exp", "check_failed");
    let long = VerifyOptions {
        max_lifetime: 3600,
        ..opts()
    };
    let t = token_for(&key, &set(claims(), "exp", json!(NOW + 3600)));
    verify(&t, &keys, &long, None).unwrap();
}

// ---------------------------------------------------------------------------------------------
// typ
// ---------------------------------------------------------------------------------------------

fn typed(key: &Key, typ: Option<Value>) -> String {
    let mut h = json!({ "alg": "ES256", "kid": key.kid() });
    if let Some(typ) = typ {
        h["typ"] = typ;
    }
    sign(key, Algorithm::ES256, &h, &claims())
}

#[test]
fn typ_values() {
    let key = es256();
    let keys = [key.public_key()];
    let strict = VerifyOptions {
        require_typ: true,
        ..opts()
    };
    for typ in [
        "client-authentication+jwt",
        "application/client-authentication+jwt",
        "Client-Authentication+JWT",
        "APPLICATION/CLIENT-AUTHENTICATION+JWT",
    ] {
        verify(&typed(&key, Some(json!(typ))), &keys, &opts(), None).unwrap();
        verify(&typed(&key, Some(json!(typ))), &keys, &strict, None).unwrap();
    }
    // JWT (any case, optional application/ prefix) and absent: accepted unless typ is required.
    for typ in ["JWT", "jwt", "Jwt", "application/jwt", "application/JWT"] {
        verify(&typed(&key, Some(json!(typ))), &keys, &opts(), None).unwrap();
        assert_claim(
            verify(&typed(&key, Some(json!(typ))), &keys, &strict, None),
            "typ",
            "check_failed",
        );
    }
    verify(&typed(&key, None), &keys, &opts(), None).unwrap();
    assert_claim(verify(&typed(&key, None), &keys, &strict, None), "typ", "missing");

    // Other explicit types: refused.
    for typ in [
        "at+jwt",
        "application/at+jwt",
        "oauth-authz-req+jwt",
        "logout+jwt",
        "dpop+jwt",
        "secevent+jwt",
        "",
        "JOSE",
        "JWS",
        "client-authentication",
        "client-authentication+jwt ",
        "application/application/jwt",
        "x-application/jwt",
    ] {
        let e = err(verify(&typed(&key, Some(json!(typ))), &keys, &opts(), None));
        assert_eq!(
            (e.code(), e.claim(), e.reason()),
            ("ERR_JWT_CLAIM_VALIDATION_FAILED", Some("typ"), Some("check_failed")),
            "typ {typ:?}: {e:?}"
        );
        assert_claim(
            verify(&typed(&key, Some(json!(typ))), &keys, &strict, None),
            "typ",
            "check_failed",
        );
    }
    // Not a string.
    for typ in [
        json!(1),
        json!(null),
        json!(["JWT"]),
        json!({ "typ": "JWT" }),
        json!(true),
    ] {
        assert_claim(
            verify(&typed(&key, Some(typ.clone())), &keys, &opts(), None),
            "typ",
            "invalid",
        );
        assert_claim(verify(&typed(&key, Some(typ)), &keys, &strict, None), "typ", "invalid");
    }
}

// ---------------------------------------------------------------------------------------------
// jti
// ---------------------------------------------------------------------------------------------

#[test]
fn jti_rules_and_require_jti_false() {
    let key = es256();
    let keys = [key.public_key()];
    let optional = VerifyOptions {
        require_jti: false,
        ..opts()
    };
    // Without jti: refused by default, accepted when not required, and nothing is recorded.
    let t = token_for(&key, &without(claims(), "jti"));
    assert_claim(verify(&t, &keys, &opts(), None), "jti", "missing");
    let cache = ReplayCache::default();
    let ok = verify(&t, &keys, &optional, Some(&cache)).unwrap();
    assert_eq!(ok.jti, None);
    assert!(cache.is_empty());
    verify(&t, &keys, &optional, Some(&cache)).unwrap();
    // With a jti, require_jti = false still records it and detects replay.
    let t = token_for(&key, &claims());
    verify(&t, &keys, &optional, Some(&cache)).unwrap();
    assert_eq!(cache.len(), 1);
    assert_code(verify(&t, &keys, &optional, Some(&cache)), "ERR_JWT_REPLAYED");
    // A present but invalid jti is refused either way.
    for v in [
        json!(""),
        json!(12345),
        json!(null),
        json!(["a"]),
        json!("j".repeat(257)),
    ] {
        let t = token_for(&key, &set(claims(), "jti", v.clone()));
        assert_claim(verify(&t, &keys, &opts(), None), "jti", "invalid");
        assert_claim(verify(&t, &keys, &optional, None), "jti", "invalid");
    }
    // 256 characters (not bytes) is the limit.
    let t = token_for(&key, &set(claims(), "jti", json!("j".repeat(256))));
    assert_eq!(verify(&t, &keys, &opts(), None).unwrap().jti.unwrap().len(), 256);
    let t = token_for(&key, &set(claims(), "jti", json!("é".repeat(256))));
    verify(&t, &keys, &opts(), None).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Algorithms and keys
// ---------------------------------------------------------------------------------------------

#[test]
fn algorithms_allowlist() {
    let key = es256();
    let keys = [key.public_key()];
    let t = token_for(&key, &claims());
    let rsa_only = VerifyOptions {
        algorithms: vec![Algorithm::RS256, Algorithm::PS256],
        ..opts()
    };
    let e = assert_code(verify(&t, &keys, &rsa_only, None), ALG_NOT_ALLOWED);
    assert!(e.to_string().contains("ES256"), "{e}");
    // The allowlist is checked before any key lookup (unknown kid, no keys at all).
    let t2 = sign(&key, Algorithm::ES256, &header("ES256", "unknown-kid"), &claims());
    assert_code(verify(&t2, &keys, &rsa_only, None), ALG_NOT_ALLOWED);
    assert_code(verify(&t2, &[], &rsa_only, None), ALG_NOT_ALLOWED);
    // In the allowlist: accepted.
    let es_only = VerifyOptions {
        algorithms: vec![Algorithm::ES256],
        ..opts()
    };
    verify(&t, &keys, &es_only, None).unwrap();
    // ES384 with only ES256 allowed.
    let k384 = generate(Algorithm::ES384);
    let t384 = token_for(&k384, &claims());
    assert_code(verify(&t384, &[k384.public_key()], &es_only, None), ALG_NOT_ALLOWED);
}

#[test]
fn key_bound_to_rs256_refuses_ps256() {
    let signer = rsa2048(None);
    let bound = Key::from_pem(
        RSA2048_SPKI,
        &ImportOptions {
            alg: Some(Algorithm::RS256),
            kid: Some("rsa-1".into()),
        },
    )
    .unwrap();
    assert_eq!(bound.alg(), Some(Algorithm::RS256));
    let keys = [bound];
    let ps = sign(&signer, Algorithm::PS256, &header("PS256", "rsa-1"), &claims());
    assert_code(verify(&ps, &keys, &opts(), None), ALG_NOT_ALLOWED);
    let ps_no_kid = sign(&signer, Algorithm::PS256, &json!({ "alg": "PS256" }), &claims());
    assert_code(verify(&ps_no_kid, &keys, &opts(), None), NO_KEY);
    let rs384 = sign(&signer, Algorithm::RS384, &header("RS384", "rsa-1"), &claims());
    assert_code(verify(&rs384, &keys, &opts(), None), ALG_NOT_ALLOWED);
    let rs = sign(&signer, Algorithm::RS256, &header("RS256", "rsa-1"), &claims());
    verify(&rs, &keys, &opts(), None).unwrap();
    // An unbound RSA key verifies PS256 as well.
    let unbound = [Key::from_pem(
        RSA2048_SPKI,
        &ImportOptions {
            alg: None,
            kid: Some("rsa-1".into()),
        },
    )
    .unwrap()];
    verify(&ps, &unbound, &opts(), None).unwrap();
}

#[test]
fn enc_keys_are_never_used() {
    let key = es256();
    let mut jwk = key.public_key().to_jwk(false).unwrap();
    jwk.insert("use".into(), json!("enc"));
    let enc = Key::from_jwk(&jwk, &ImportOptions::default()).unwrap();
    assert_eq!(enc.key_use(), Some("enc"));
    let keys = [enc.clone()];
    let with_kid = token_for(&key, &claims());
    assert_code(verify(&with_kid, &keys, &opts(), None), NO_KEY);
    let no_kid = sign(&key, Algorithm::ES256, &json!({ "alg": "ES256" }), &claims());
    assert_code(verify(&no_kid, &keys, &opts(), None), NO_KEY);
    // Through a JWKS too; the same key with use: sig works.
    let set = json!({ "keys": [Value::Object(jwk.clone())] });
    let from_set = pkjwt::from_jwks(&set).unwrap();
    assert_code(verify(&with_kid, &from_set, &opts(), None), NO_KEY);
    jwk.insert("use".into(), json!("sig"));
    let sig = [Key::from_jwk(&jwk, &ImportOptions::default()).unwrap()];
    verify(&with_kid, &sig, &opts(), None).unwrap();
    verify(&no_kid, &sig, &opts(), None).unwrap();
    // An enc key next to the sig key with the same kid: the sig key is used.
    let both = [enc, sig[0].clone()];
    assert_eq!(
        verify(&with_kid, &both, &opts(), None).unwrap().key.key_use(),
        Some("sig")
    );
}

#[test]
fn eddsa_key_verifies_both_names() {
    for bound_to in [Algorithm::EdDSA, Algorithm::Ed25519] {
        let key = generate(bound_to);
        let keys = [key.public_key()];
        for header_alg in [Algorithm::EdDSA, Algorithm::Ed25519] {
            let t = sign(&key, header_alg, &header(header_alg.as_str(), key.kid()), &claims());
            verify(&t, &keys, &opts(), None).unwrap();
            let t = sign(&key, header_alg, &json!({ "alg": header_alg.as_str() }), &claims());
            verify(&t, &keys, &opts(), None).unwrap();
        }
    }
    // The fixture, unbound.
    let key = Key::from_pem(ED25519_PKCS8, &ImportOptions::default()).unwrap();
    for header_alg in [Algorithm::EdDSA, Algorithm::Ed25519] {
        let t = sign(&key, header_alg, &header(header_alg.as_str(), key.kid()), &claims());
        verify(&t, &[key.public_key()], &opts(), None).unwrap();
    }
    // The allowlist compares names exactly: allowing only EdDSA refuses "Ed25519".
    let key = generate(Algorithm::EdDSA);
    let t = sign(&key, Algorithm::Ed25519, &header("Ed25519", key.kid()), &claims());
    let only_eddsa = VerifyOptions {
        algorithms: vec![Algorithm::EdDSA],
        ..opts()
    };
    assert_code(verify(&t, &[key.public_key()], &only_eddsa, None), ALG_NOT_ALLOWED);
    // A case variant of the name is not an algorithm.
    let t = with_sig(&json!({ "alg": "EDDSA" }).to_string(), &claims().to_string(), &[0; 64]);
    assert_code(verify(&t, &[key.public_key()], &opts(), None), "ERR_JOSE_NOT_SUPPORTED");
}

#[test]
fn invalid_options() {
    let key = es256();
    let keys = [key.public_key()];
    let t = token_for(&key, &claims());
    let bad = [
        (
            "no audiences",
            VerifyOptions {
                audiences: vec![],
                ..opts()
            },
        ),
        (
            "an empty audience",
            VerifyOptions {
                audiences: vec![ISSUER.into(), String::new()],
                ..opts()
            },
        ),
        (
            "no algorithms",
            VerifyOptions {
                algorithms: vec![],
                ..opts()
            },
        ),
        (
            "negative tolerance",
            VerifyOptions {
                clock_tolerance: -1,
                ..opts()
            },
        ),
        (
            "tolerance over 600",
            VerifyOptions {
                clock_tolerance: 601,
                ..opts()
            },
        ),
        (
            "max_lifetime 0",
            VerifyOptions {
                max_lifetime: 0,
                ..opts()
            },
        ),
        (
            "max_lifetime over a day",
            VerifyOptions {
                max_lifetime: 86_401,
                ..opts()
            },
        ),
        (
            "default options (no audience)",
            VerifyOptions {
                now: Some(NOW),
                ..Default::default()
            },
        ),
    ];
    for (what, o) in bad {
        let e = err(verify(&t, &keys, &o, None));
        assert_eq!(e.code(), INVALID_ARGUMENT, "{what}: {e:?}");
        // Options are checked before the token is even looked at.
        assert_eq!(
            err(verify("garbage", &keys, &o, None)).code(),
            INVALID_ARGUMENT,
            "{what}"
        );
    }
    for good in [
        VerifyOptions {
            clock_tolerance: 0,
            ..opts()
        },
        VerifyOptions {
            clock_tolerance: 600,
            ..opts()
        },
        VerifyOptions {
            max_lifetime: 60,
            ..opts()
        },
        VerifyOptions {
            max_lifetime: 86_400,
            ..opts()
        },
    ] {
        verify(&t, &keys, &good, None).unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// The builder
// ---------------------------------------------------------------------------------------------

fn build_opts() -> AssertionOptions {
    AssertionOptions {
        client_id: CLIENT.into(),
        audience: ISSUER.into(),
        now: Some(NOW),
        ..Default::default()
    }
}

#[test]
fn builder_defaults() {
    let key = es256();
    let mut jtis = std::collections::HashSet::new();
    for _ in 0..20 {
        let t = create_client_assertion(&key, &build_opts()).unwrap();
        let d = decode_unverified(&t).unwrap();
        // Header: exactly alg, kid, typ.
        assert_eq!(
            Value::Object(d.header.clone()),
            json!({ "alg": "ES256", "kid": key.kid(), "typ": TYP })
        );
        // Claims: exactly iss, sub, aud (a string), jti, iat, exp = iat + 60.
        let p = &d.payload;
        let mut names: Vec<&str> = p.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, ["aud", "exp", "iat", "iss", "jti", "sub"]);
        assert_eq!(p["iss"], json!(CLIENT));
        assert_eq!(p["sub"], json!(CLIENT));
        assert_eq!(p["aud"], json!(ISSUER));
        assert_eq!(p["iat"], json!(NOW));
        assert_eq!(p["exp"], json!(NOW + 60));
        let jti = p["jti"].as_str().unwrap();
        assert!(jti.len() >= 22, "{jti}: at least 128 bits");
        let raw = pkjwt::b64::decode(jti).unwrap();
        assert!(raw.len() >= 16, "{jti}");
        assert!(
            jti.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{jti}"
        );
        assert!(jtis.insert(jti.to_owned()), "jti repeated: {jti}");
        // The result verifies under the default policy, with a replay cache.
        let public = [key.public_key()];
        let v = verify(&t, &public, &client(CLIENT), Some(&ReplayCache::default())).unwrap();
        assert_eq!(v.client_id, CLIENT);
        assert_eq!(v.jti.as_deref(), Some(jti));
    }
    // Default algorithms by key: the bound one, else by family (RS256 for an unbound RSA key).
    for (key, alg) in [
        (rsa2048(None), "RS256"),
        (rsa2048(Some(Algorithm::PS256)), "PS256"),
        (generate(Algorithm::ES384), "ES384"),
        (generate(Algorithm::EdDSA), "EdDSA"),
        (generate(Algorithm::Ed25519), "Ed25519"),
        (
            Key::from_pem(ED25519_PKCS8, &ImportOptions::default()).unwrap(),
            "EdDSA",
        ),
        (Key::from_pem(P384_PKCS8, &ImportOptions::default()).unwrap(), "ES384"),
    ] {
        let t = create_client_assertion(&key, &build_opts()).unwrap();
        assert_eq!(decode_unverified(&t).unwrap().header["alg"], json!(alg));
        verify(&t, &[key.public_key()], &opts(), None).unwrap();
    }
    // An explicit alg that fits.
    let rsa = rsa2048(None);
    let t = create_client_assertion(
        &rsa,
        &AssertionOptions {
            alg: Some(Algorithm::PS384),
            ..build_opts()
        },
    )
    .unwrap();
    assert_eq!(decode_unverified(&t).unwrap().header["alg"], json!("PS384"));
    verify(&t, &[rsa.public_key()], &opts(), None).unwrap();
    // Without `now`, the system clock is used.
    let t = create_client_assertion(
        &key,
        &AssertionOptions {
            now: None,
            ..build_opts()
        },
    )
    .unwrap();
    let p = decode_unverified(&t).unwrap().payload;
    assert_eq!(p["exp"].as_i64().unwrap() - p["iat"].as_i64().unwrap(), 60);
    assert!(p["iat"].as_i64().unwrap() > NOW);
}

#[test]
fn builder_lifetime() {
    let key = es256();
    for lifetime in [0, -1, 3601, i64::MAX, i64::MIN] {
        let r = create_client_assertion(
            &key,
            &AssertionOptions {
                lifetime: Some(lifetime),
                ..build_opts()
            },
        );
        assert_code(r, INVALID_ARGUMENT);
    }
    for lifetime in [1, 60, 300, 3600] {
        let t = create_client_assertion(
            &key,
            &AssertionOptions {
                lifetime: Some(lifetime),
                ..build_opts()
            },
        )
        .unwrap();
        let p = decode_unverified(&t).unwrap().payload;
        assert_eq!(p["exp"], json!(NOW + lifetime));
    }
}

#[test]
fn builder_reserved_and_extra_claims() {
    let key = es256();
    for name in ["iss", "sub", "aud", "exp", "iat", "jti"] {
        let mut claims = pkjwt::json::Object::new();
        claims.insert(name.into(), json!("x"));
        let e = assert_code(
            create_client_assertion(&key, &AssertionOptions { claims, ..build_opts() }),
            INVALID_ARGUMENT,
        );
        assert!(e.to_string().contains(name), "{e}");
    }
    // Extra claims are kept as given.
    let mut claims = pkjwt::json::Object::new();
    claims.insert("nbf".into(), json!(NOW));
    claims.insert("scope".into(), json!("openid"));
    claims.insert("nested".into(), json!({ "a": [1, 2, { "b": null }] }));
    let t = create_client_assertion(&key, &AssertionOptions { claims, ..build_opts() }).unwrap();
    let p = decode_unverified(&t).unwrap().payload;
    assert_eq!(p["nbf"], json!(NOW));
    assert_eq!(p["scope"], json!("openid"));
    assert_eq!(p["nested"], json!({ "a": [1, 2, { "b": null }] }));
    verify(&t, &[key.public_key()], &opts(), None).unwrap();
}

#[test]
fn builder_kid_and_typ_choices() {
    let key = es256();
    let header_of = |o: AssertionOptions| {
        decode_unverified(&create_client_assertion(&key, &o).unwrap())
            .unwrap()
            .header
    };
    let h = header_of(AssertionOptions {
        kid: HeaderChoice::Omit,
        typ: HeaderChoice::Omit,
        ..build_opts()
    });
    assert_eq!(Value::Object(h), json!({ "alg": "ES256" }));
    let h = header_of(AssertionOptions {
        kid: HeaderChoice::Value("my-kid".into()),
        typ: HeaderChoice::Value("JWT".into()),
        ..build_opts()
    });
    assert_eq!(
        Value::Object(h),
        json!({ "alg": "ES256", "kid": "my-kid", "typ": "JWT" })
    );
    let h = header_of(AssertionOptions {
        kid: HeaderChoice::Default,
        typ: HeaderChoice::Omit,
        ..build_opts()
    });
    assert_eq!(Value::Object(h), json!({ "alg": "ES256", "kid": key.kid() }));
    // Empty values are refused.
    for o in [
        AssertionOptions {
            kid: HeaderChoice::Value(String::new()),
            ..build_opts()
        },
        AssertionOptions {
            typ: HeaderChoice::Value(String::new()),
            ..build_opts()
        },
    ] {
        assert_code(create_client_assertion(&key, &o), INVALID_ARGUMENT);
    }
    // Without kid the verifier's bounded try finds the key; without typ it is accepted by default.
    let t = create_client_assertion(
        &key,
        &AssertionOptions {
            kid: HeaderChoice::Omit,
            typ: HeaderChoice::Omit,
            ..build_opts()
        },
    )
    .unwrap();
    verify(&t, &[key.public_key()], &opts(), None).unwrap();
}

#[test]
fn builder_refusals() {
    let key = es256();
    // A public key cannot sign.
    assert_code(
        create_client_assertion(&key.public_key(), &build_opts()),
        INVALID_ARGUMENT,
    );
    // Empty client id or audience.
    assert_code(
        create_client_assertion(
            &key,
            &AssertionOptions {
                client_id: String::new(),
                ..build_opts()
            },
        ),
        INVALID_ARGUMENT,
    );
    assert_code(
        create_client_assertion(
            &key,
            &AssertionOptions {
                audience: String::new(),
                ..build_opts()
            },
        ),
        INVALID_ARGUMENT,
    );
    // An alg that does not fit the key.
    for alg in [Algorithm::ES384, Algorithm::RS256, Algorithm::EdDSA, Algorithm::PS256] {
        let r = create_client_assertion(
            &key,
            &AssertionOptions {
                alg: Some(alg),
                ..build_opts()
            },
        );
        assert_code(r, ALG_NOT_ALLOWED);
    }
    let rs256 = rsa2048(Some(Algorithm::RS256));
    assert_code(
        create_client_assertion(
            &rs256,
            &AssertionOptions {
                alg: Some(Algorithm::PS256),
                ..build_opts()
            },
        ),
        ALG_NOT_ALLOWED,
    );
    // EdDSA and Ed25519 are the same scheme: a key bound to one signs the other.
    let ed = generate(Algorithm::EdDSA);
    let t = create_client_assertion(
        &ed,
        &AssertionOptions {
            alg: Some(Algorithm::Ed25519),
            ..build_opts()
        },
    )
    .unwrap();
    assert_eq!(decode_unverified(&t).unwrap().header["alg"], json!("Ed25519"));
    // An explicit jti: used as given; empty or over 256 characters refused.
    let t = create_client_assertion(
        &key,
        &AssertionOptions {
            jti: Some("fixed-jti".into()),
            ..build_opts()
        },
    )
    .unwrap();
    assert_eq!(decode_unverified(&t).unwrap().payload["jti"], json!("fixed-jti"));
    for jti in [String::new(), "j".repeat(257)] {
        assert_code(
            create_client_assertion(
                &key,
                &AssertionOptions {
                    jti: Some(jti),
                    ..build_opts()
                },
            ),
            INVALID_ARGUMENT,
        );
    }
    create_client_assertion(
        &key,
        &AssertionOptions {
            jti: Some("j".repeat(256)),
            ..build_opts()
        },
    )
    .unwrap();
    // x5t without a certificate; a certificate of another key.
    assert_code(
        create_client_assertion(
            &key,
            &AssertionOptions {
                include_x5t: true,
                ..build_opts()
            },
        ),
        INVALID_ARGUMENT,
    );
    let cert = Certificate::from_pem(include_str!("keys/p256.cert.pem")).unwrap();
    assert_code(
        create_client_assertion(
            &key,
            &AssertionOptions {
                certificate: Some(cert.clone()),
                ..build_opts()
            },
        ),
        INVALID_ARGUMENT,
    );
    // The certificate's own key: x5t#S256 (and x5t when asked) are added.
    let fixture = Key::from_pem(include_str!("keys/p256.pkcs8.pem"), &ImportOptions::default()).unwrap();
    let thumbs: Value = str::parse(include_str!("keys/certs.json")).unwrap();
    let t = create_client_assertion(
        &fixture,
        &AssertionOptions {
            certificate: Some(cert),
            include_x5t: true,
            ..build_opts()
        },
    )
    .unwrap();
    let h = decode_unverified(&t).unwrap().header;
    assert_eq!(h["x5t#S256"], thumbs["p256.cert.pem"]["x5t#S256"]);
    assert_eq!(h["x5t"], thumbs["p256.cert.pem"]["x5t"]);
}

// ---------------------------------------------------------------------------------------------
// Replay cache capacity, through the verifier
// ---------------------------------------------------------------------------------------------

#[test]
fn replay_cache_capacity_through_the_verifier() {
    let key = es256();
    let keys = [key.public_key()];
    let cache = ReplayCache::new(2);
    assert_eq!(cache.max_entries(), 2);
    // Two assertions expiring at NOW + 60 (remembered until NOW + 75).
    verify(&token_for(&key, &claims()), &keys, &opts(), Some(&cache)).unwrap();
    verify(&token_for(&key, &claims()), &keys, &opts(), Some(&cache)).unwrap();
    assert_eq!(cache.len(), 2);
    // A third distinct one, valid until NOW + 200: the cache is full and refuses.
    let third = token_for(&key, &set(claims(), "exp", json!(NOW + 200)));
    assert_code(verify(&third, &keys, &opts(), Some(&cache)), "ERR_REPLAY_CACHE_FULL");
    assert_code(
        verify(&third, &keys, &at(NOW + 74), Some(&cache)),
        "ERR_REPLAY_CACHE_FULL",
    );
    assert_eq!(cache.len(), 2);
    // Once the first two are past exp + tolerance they are dropped and the third is accepted —
    // the refusals above did not burn its jti.
    verify(&third, &keys, &at(NOW + 75), Some(&cache)).unwrap();
    assert_eq!(cache.len(), 1);
    assert_code(verify(&third, &keys, &at(NOW + 76), Some(&cache)), "ERR_JWT_REPLAYED");
    // And after the third's own exp + tolerance, its jti may be used again in a new assertion.
    let c = decode_unverified(&third).unwrap().payload;
    let again = set(
        set(set(Value::Object(c), "iat", json!(NOW + 210)), "exp", json!(NOW + 270)),
        "x",
        json!(1),
    );
    let again = token_for(&key, &again);
    verify(&again, &keys, &at(NOW + 215), Some(&cache)).unwrap();
}
