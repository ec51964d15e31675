//! Issue 8 (FTN): request objects (RFC 9101), signed JWK Sets and entity statements, ID token
//! (OpenID Connect Core §3.1.3.7) and signed userinfo (§5.3.2) verification, rule by rule.

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
    Algorithm, AssertionOptions, HeaderChoice, IdTokenOptions, Key, ReplayCache, RequestObjectOptions,
    RequestObjectVerifyOptions, SignedJwksFormat, SignedJwksOptions, SignedJwksVerifyOptions, UserinfoOptions,
    create_client_assertion, create_request_object, create_signed_jwks, decode_unverified, to_jwks, verify_id_token,
    verify_request_object, verify_signed_jwks, verify_userinfo,
};
use support::*;

const INVALID_ARGUMENT: &str = "ERR_INVALID_ARGUMENT";
const EXPIRED: &str = "ERR_JWT_EXPIRED";
const RO_TYP: &str = "oauth-authz-req+jwt";
const NONCE: &str = "n-0S6_WzA2Mj";

fn object(value: Value) -> pkjwt::json::Object {
    value.as_object().unwrap().clone()
}

fn ro_options() -> RequestObjectOptions {
    RequestObjectOptions {
        client_id: CLIENT.into(),
        audience: ISSUER.into(),
        params: object(json!({
            "response_type": "code",
            "redirect_uri": "https://rp.example/cb",
            "scope": "openid",
            "state": "af0ifjsldkj",
            "nonce": NONCE,
        })),
        now: Some(NOW),
        ..Default::default()
    }
}

fn ro_verify() -> RequestObjectVerifyOptions {
    RequestObjectVerifyOptions {
        client_id: CLIENT.into(),
        audiences: vec![ISSUER.into()],
        now: Some(NOW),
        ..Default::default()
    }
}

fn ro_claims() -> Value {
    json!({
        "iss": CLIENT, "aud": ISSUER, "client_id": CLIENT, "response_type": "code",
        "iat": NOW, "nbf": NOW, "exp": NOW + 300, "jti": fresh_jti(),
    })
}

fn ro_signed(key: &Key, header_typ: Option<&str>, claims: &Value) -> String {
    let mut header = json!({ "alg": "ES256", "kid": key.kid() });
    if let Some(typ) = header_typ {
        header["typ"] = json!(typ);
    }
    sign(key, Algorithm::ES256, &header, claims)
}

/// `claims` with `name` set to `value`, or removed when `value` is `None`.
fn with(mut claims: Value, name: &str, value: Option<Value>) -> Value {
    match value {
        Some(v) => claims[name] = v,
        None => {
            claims.as_object_mut().unwrap().remove(name);
        }
    }
    claims
}

fn ro_with(name: &str, value: Option<Value>) -> Value {
    with(ro_claims(), name, value)
}

#[test]
fn request_object_has_the_contract_claims_and_header() {
    let key = es256();
    let token = create_request_object(&key, &ro_options()).unwrap();
    let decoded = decode_unverified(&token).unwrap();
    assert_eq!(decoded.header["typ"], RO_TYP);
    assert_eq!(decoded.header["kid"], key.kid());
    assert_eq!(decoded.header["alg"], "ES256");
    let p = &decoded.payload;
    assert_eq!(p["iss"], CLIENT);
    assert_eq!(p["client_id"], CLIENT);
    assert_eq!(p["aud"], ISSUER);
    assert_eq!(p["iat"], NOW);
    assert_eq!(p["nbf"], NOW);
    assert_eq!(p["exp"], NOW + 300);
    assert_eq!(p["nonce"], NONCE);
    assert_eq!(p["jti"].as_str().unwrap().len(), 22);
    assert!(!p.contains_key("sub"));
    let keys = [key.public_key()];
    let verified = verify_request_object(&token, &keys, &ro_verify(), None).unwrap();
    assert_eq!(verified.payload["state"], "af0ifjsldkj");
}

#[test]
fn request_object_typ_and_jti_can_be_omitted_as_idura_examples_do() {
    let key = es256();
    let opts = RequestObjectOptions {
        typ: HeaderChoice::Omit,
        jti: HeaderChoice::Omit,
        ..ro_options()
    };
    let token = create_request_object(&key, &opts).unwrap();
    let decoded = decode_unverified(&token).unwrap();
    assert!(!decoded.header.contains_key("typ"));
    assert!(!decoded.payload.contains_key("jti"));
    verify_request_object(&token, &[key.public_key()], &ro_verify(), None).unwrap();
    let strict = RequestObjectVerifyOptions {
        require_typ: true,
        ..ro_verify()
    };
    assert_claim(
        verify_request_object(&token, &[key.public_key()], &strict, None),
        "typ",
        "missing",
    );
    let with_jti = RequestObjectVerifyOptions {
        require_jti: true,
        ..ro_verify()
    };
    assert_claim(
        verify_request_object(&token, &[key.public_key()], &with_jti, None),
        "jti",
        "missing",
    );
}

#[test]
fn request_object_builder_refuses_reserved_and_nested_requests() {
    let key = es256();
    for name in [
        "iss",
        "aud",
        "client_id",
        "exp",
        "iat",
        "nbf",
        "jti",
        "request",
        "request_uri",
    ] {
        let mut opts = ro_options();
        opts.params.insert(name.into(), json!("x"));
        assert_code(create_request_object(&key, &opts), INVALID_ARGUMENT);
    }
    for lifetime in [0, 3601] {
        let opts = RequestObjectOptions {
            lifetime: Some(lifetime),
            ..ro_options()
        };
        assert_code(create_request_object(&key, &opts), INVALID_ARGUMENT);
    }
    assert_code(
        create_request_object(&key.public_key(), &ro_options()),
        INVALID_ARGUMENT,
    );
    let opts = RequestObjectOptions {
        client_id: String::new(),
        ..ro_options()
    };
    assert_code(create_request_object(&key, &opts), INVALID_ARGUMENT);
}

#[test]
fn request_object_typ_rules_keep_client_assertions_out() {
    let key = es256();
    let keys = [key.public_key()];
    for typ in [RO_TYP, "application/oauth-authz-req+jwt", "JWT"] {
        verify_request_object(&ro_signed(&key, Some(typ), &ro_claims()), &keys, &ro_verify(), None).unwrap();
    }
    let strict = RequestObjectVerifyOptions {
        require_typ: true,
        ..ro_verify()
    };
    assert_claim(
        verify_request_object(&ro_signed(&key, Some("JWT"), &ro_claims()), &keys, &strict, None),
        "typ",
        "check_failed",
    );
    for typ in ["client-authentication+jwt", "at+jwt", "jwk-set+jwt"] {
        assert_claim(
            verify_request_object(&ro_signed(&key, Some(typ), &ro_claims()), &keys, &ro_verify(), None),
            "typ",
            "check_failed",
        );
    }
    let assertion = create_client_assertion(
        &key,
        &AssertionOptions {
            client_id: CLIENT.into(),
            audience: ISSUER.into(),
            now: Some(NOW),
            ..Default::default()
        },
    )
    .unwrap();
    assert_claim(
        verify_request_object(&assertion, &keys, &ro_verify(), None),
        "typ",
        "check_failed",
    );
    let untyped = create_client_assertion(
        &key,
        &AssertionOptions {
            client_id: CLIENT.into(),
            audience: ISSUER.into(),
            typ: HeaderChoice::Omit,
            now: Some(NOW),
            ..Default::default()
        },
    )
    .unwrap();
    assert_claim(
        verify_request_object(&untyped, &keys, &ro_verify(), None),
        "client_id",
        "missing",
    );
}

#[test]
fn request_object_is_refused_as_a_client_assertion() {
    let key = es256();
    let mut opts = ro_options();
    opts.params.insert("sub".into(), json!(CLIENT));
    let token = create_request_object(&key, &opts).unwrap();
    assert_claim(
        verify(&token, &[key.public_key()], &opts_at_now(), None),
        "typ",
        "check_failed",
    );
    let untyped = create_request_object(
        &key,
        &RequestObjectOptions {
            typ: HeaderChoice::Omit,
            ..ro_options()
        },
    )
    .unwrap();
    assert_claim(
        verify(&untyped, &[key.public_key()], &opts_at_now(), None),
        "sub",
        "missing",
    );
}

fn opts_at_now() -> pkjwt::VerifyOptions {
    pkjwt::VerifyOptions {
        max_lifetime: 3600,
        ..opts()
    }
}

#[test]
fn request_object_issuer_client_id_and_audience_are_exact() {
    let key = es256();
    let keys = [key.public_key()];
    let check = |claims: Value, claim: &str, reason: &str| {
        assert_claim(
            verify_request_object(&ro_signed(&key, Some(RO_TYP), &claims), &keys, &ro_verify(), None),
            claim,
            reason,
        );
    };
    check(ro_with("iss", Some(json!("other"))), "iss", "mismatch");
    check(ro_with("iss", None), "iss", "missing");
    check(ro_with("client_id", Some(json!("other"))), "client_id", "mismatch");
    check(ro_with("client_id", None), "client_id", "missing");
    check(ro_with("aud", Some(json!("https://evil.example"))), "aud", "mismatch");
    check(ro_with("aud", None), "aud", "missing");
    check(
        ro_with("aud", Some(json!([ISSUER, "https://evil.example"]))),
        "aud",
        "invalid",
    );
    check(ro_with("request", Some(json!("eyJ..."))), "request", "check_failed");
    check(
        ro_with("request_uri", Some(json!("urn:x"))),
        "request_uri",
        "check_failed",
    );
}

#[test]
fn request_object_times_and_lifetime() {
    let key = es256();
    let keys = [key.public_key()];
    let run = |claims: Value| verify_request_object(&ro_signed(&key, Some(RO_TYP), &claims), &keys, &ro_verify(), None);
    assert_claim(run(ro_with("exp", None)), "exp", "missing");
    assert_code(run(ro_with("exp", Some(json!(NOW - 15)))), EXPIRED);
    run(ro_with("exp", Some(json!(NOW - 14)))).unwrap();
    assert_claim(run(ro_with("nbf", Some(json!(NOW + 16)))), "nbf", "check_failed");
    assert_claim(run(ro_with("iat", Some(json!(NOW + 16)))), "iat", "check_failed");
    assert_claim(run(ro_with("exp", Some(json!(NOW + 3601)))), "exp", "check_failed");
    run(ro_with("exp", Some(json!(NOW + 3600)))).unwrap();
}

#[test]
fn request_object_replay_is_detected_by_iss_and_jti() {
    let key = es256();
    let keys = [key.public_key()];
    let cache = ReplayCache::default();
    let token = create_request_object(&key, &ro_options()).unwrap();
    verify_request_object(&token, &keys, &ro_verify(), Some(&cache)).unwrap();
    assert_code(
        verify_request_object(&token, &keys, &ro_verify(), Some(&cache)),
        "ERR_JWT_REPLAYED",
    );
    let without_jti = create_request_object(
        &key,
        &RequestObjectOptions {
            jti: HeaderChoice::Omit,
            ..ro_options()
        },
    )
    .unwrap();
    assert_claim(
        verify_request_object(&without_jti, &keys, &ro_verify(), Some(&cache)),
        "jti",
        "missing",
    );
}

#[test]
fn request_object_signature_and_alg_rules_are_shared_with_assertions() {
    let key = es256();
    let other = es256();
    let token = create_request_object(&key, &ro_options()).unwrap();
    assert_code(
        verify_request_object(&token, &[other.public_key()], &ro_verify(), None),
        "ERR_JWKS_NO_MATCHING_KEY",
    );
    let pinned = RequestObjectVerifyOptions {
        algorithms: vec![Algorithm::RS256],
        ..ro_verify()
    };
    assert_code(
        verify_request_object(&token, &[key.public_key()], &pinned, None),
        "ERR_JOSE_ALG_NOT_ALLOWED",
    );
    let (h, p, _) = parts(&token);
    let forged = format!("{h}.{p}.{}", pkjwt::b64::encode(&[0u8; 64]));
    assert_code(
        verify_request_object(&forged, &[key.public_key()], &ro_verify(), None),
        "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
    );
}

fn client_keys() -> Value {
    to_jwks(&[es256().public_key(), es256().public_key()]).unwrap()
}

fn jwks_options(format: SignedJwksFormat) -> SignedJwksOptions {
    SignedJwksOptions {
        iss: "https://rp.example".into(),
        now: Some(NOW),
        format,
        ..Default::default()
    }
}

fn jwks_verify() -> SignedJwksVerifyOptions {
    SignedJwksVerifyOptions {
        issuer: "https://rp.example".into(),
        now: Some(NOW),
        ..Default::default()
    }
}

#[test]
fn signed_jwks_round_trip_with_the_documented_claims() {
    let entity = es256();
    let keys = client_keys();
    let token = create_signed_jwks(&keys, &entity, &jwks_options(SignedJwksFormat::JwkSet)).unwrap();
    let decoded = decode_unverified(&token).unwrap();
    assert_eq!(decoded.header["typ"], "jwk-set+jwt");
    assert_eq!(decoded.payload["iss"], "https://rp.example");
    assert_eq!(decoded.payload["sub"], "https://rp.example");
    assert_eq!(decoded.payload["iat"], NOW);
    assert_eq!(decoded.payload["exp"], NOW + 86_400);
    assert_eq!(decoded.payload["keys"], keys["keys"]);
    let verified = verify_signed_jwks(&token, &[entity.public_key()], &jwks_verify()).unwrap();
    assert_eq!(verified.format, SignedJwksFormat::JwkSet);
    assert_eq!(Value::Array(verified.keys), keys["keys"]);
}

#[test]
fn entity_statement_carries_entity_key_and_relying_party_metadata() {
    let entity = es256();
    let keys = client_keys();
    let token = create_signed_jwks(&keys, &entity, &jwks_options(SignedJwksFormat::EntityStatement)).unwrap();
    let decoded = decode_unverified(&token).unwrap();
    assert_eq!(decoded.header["typ"], "entity-statement+jwt");
    assert_eq!(decoded.payload["jwks"]["keys"][0]["kid"], entity.kid());
    assert!(decoded.payload["jwks"]["keys"][0].get("d").is_none());
    assert_eq!(decoded.payload["metadata"]["openid_relying_party"]["jwks"], keys);
    let verified = verify_signed_jwks(&token, &[entity.public_key()], &jwks_verify()).unwrap();
    assert_eq!(verified.format, SignedJwksFormat::EntityStatement);
    assert_eq!(Value::Array(verified.keys), keys["keys"]);

    let telia = SignedJwksOptions {
        signed_jwks_uri: Some("https://rp.example/signed.jwks".into()),
        ..jwks_options(SignedJwksFormat::EntityStatement)
    };
    let token = create_signed_jwks(&json!({ "keys": [] }), &entity, &telia).unwrap();
    let decoded = decode_unverified(&token).unwrap();
    assert_eq!(
        decoded.payload["metadata"]["openid_relying_party"],
        json!({ "signed_jwks_uri": "https://rp.example/signed.jwks" })
    );
    let verified = verify_signed_jwks(&token, &[entity.public_key()], &jwks_verify()).unwrap();
    assert!(verified.keys.is_empty());
    assert_eq!(
        verified.signed_jwks_uri.as_deref(),
        Some("https://rp.example/signed.jwks")
    );
}

#[test]
fn signed_jwks_builder_refuses_private_keys_and_bad_options() {
    let entity = es256();
    let private = json!({ "keys": [Value::Object(es256().to_jwk(true).unwrap())] });
    assert_code(
        create_signed_jwks(&private, &entity, &jwks_options(SignedJwksFormat::JwkSet)),
        "ERR_JWK_INVALID",
    );
    assert_code(
        create_signed_jwks(
            &client_keys(),
            &entity.public_key(),
            &jwks_options(SignedJwksFormat::JwkSet),
        ),
        INVALID_ARGUMENT,
    );
    assert_code(
        create_signed_jwks(
            &json!({ "keys": [] }),
            &entity,
            &jwks_options(SignedJwksFormat::EntityStatement),
        ),
        INVALID_ARGUMENT,
    );
    let uri_on_jwk_set = SignedJwksOptions {
        signed_jwks_uri: Some("https://rp.example/x".into()),
        ..jwks_options(SignedJwksFormat::JwkSet)
    };
    assert_code(
        create_signed_jwks(&client_keys(), &entity, &uri_on_jwk_set),
        INVALID_ARGUMENT,
    );
}

fn jwks_signed(key: &Key, typ: Option<&str>, claims: &Value) -> String {
    let mut header = json!({ "alg": "ES256", "kid": key.kid() });
    if let Some(typ) = typ {
        header["typ"] = json!(typ);
    }
    sign(key, Algorithm::ES256, &header, claims)
}

#[test]
fn signed_jwks_verifier_rules() {
    let entity = es256();
    let keys = [entity.public_key()];
    let set = client_keys();
    let good = json!({ "iss": "https://rp.example", "sub": "https://rp.example", "iat": NOW, "keys": set["keys"] });
    verify_signed_jwks(&jwks_signed(&entity, Some("jwk-set+jwt"), &good), &keys, &jwks_verify()).unwrap();
    let run = |typ: Option<&str>, claims: &Value| {
        verify_signed_jwks(&jwks_signed(&entity, typ, claims), &keys, &jwks_verify())
    };
    assert_claim(run(None, &good), "typ", "missing");
    assert_claim(run(Some("JWT"), &good), "typ", "check_failed");
    assert_claim(run(Some("oauth-authz-req+jwt"), &good), "typ", "check_failed");
    let mut bad = good.clone();
    bad["iss"] = json!("https://evil.example");
    assert_claim(run(Some("jwk-set+jwt"), &bad), "iss", "mismatch");
    let mut bad = good.clone();
    bad["sub"] = json!("https://evil.example");
    assert_claim(run(Some("jwk-set+jwt"), &bad), "sub", "mismatch");
    let mut bad = good.clone();
    bad["exp"] = json!(NOW - 60);
    assert_code(run(Some("jwk-set+jwt"), &bad), EXPIRED);
    let mut bad = good.clone();
    bad.as_object_mut().unwrap().remove("keys");
    assert_claim(run(Some("jwk-set+jwt"), &bad), "keys", "missing");
    let mut bad = good.clone();
    bad["keys"] = json!([{ "kty": "oct", "k": "c2VjcmV0" }]);
    assert_claim(run(Some("jwk-set+jwt"), &bad), "keys", "invalid");
    let entity_statement = json!({
        "iss": "https://rp.example", "sub": "https://rp.example", "iat": NOW,
        "jwks": { "keys": [] }, "metadata": { "openid_relying_party": { "jwks": set } },
    });
    assert_claim(run(Some("entity-statement+jwt"), &entity_statement), "exp", "missing");
    assert_code(
        verify_signed_jwks(
            &jwks_signed(&entity, Some("jwk-set+jwt"), &good),
            &[es256().public_key()],
            &jwks_verify(),
        ),
        "ERR_JWKS_NO_MATCHING_KEY",
    );
}

const OP: &str = "https://op.example";

fn id_claims() -> Value {
    json!({
        "iss": OP, "sub": "user-1", "aud": CLIENT, "nonce": NONCE,
        "iat": NOW, "exp": NOW + 300, "auth_time": NOW - 100,
    })
}

fn id_with(name: &str, value: Option<Value>) -> Value {
    with(id_claims(), name, value)
}

fn id_options() -> IdTokenOptions {
    IdTokenOptions {
        issuer: OP.into(),
        client_id: CLIENT.into(),
        nonce: Some(NONCE.into()),
        now: Some(NOW),
        ..Default::default()
    }
}

fn op_key() -> Key {
    rsa2048(Some(Algorithm::RS256))
}

fn id_token(key: &Key, claims: &Value) -> String {
    sign(
        key,
        Algorithm::RS256,
        &json!({ "alg": "RS256", "kid": key.kid() }),
        claims,
    )
}

#[test]
fn id_token_accepted_with_every_rule_met() {
    let key = op_key();
    let keys = [key.public_key()];
    let verified = verify_id_token(&id_token(&key, &id_claims()), &keys, &id_options()).unwrap();
    assert_eq!(verified.payload["sub"], "user-1");
    let typed = sign(
        &key,
        Algorithm::RS256,
        &json!({ "alg": "RS256", "kid": key.kid(), "typ": "JWT" }),
        &id_claims(),
    );
    verify_id_token(&typed, &[key.public_key()], &id_options()).unwrap();
}

#[test]
fn id_token_rules_of_oidc_core_3_1_3_7() {
    let key = op_key();
    let keys = [key.public_key()];
    let run = |claims: Value, opts: &IdTokenOptions| verify_id_token(&id_token(&key, &claims), &keys, opts);
    let o = id_options();
    assert_claim(
        run(id_with("iss", Some(json!("https://op.example/"))), &o),
        "iss",
        "mismatch",
    );
    assert_claim(run(id_with("iss", None), &o), "iss", "missing");
    assert_claim(run(id_with("aud", Some(json!("other-client"))), &o), "aud", "mismatch");
    assert_claim(run(id_with("aud", Some(json!(["a", "b"]))), &o), "aud", "mismatch");
    assert_claim(
        run(id_with("aud", Some(json!([CLIENT, "other"]))), &o),
        "azp",
        "missing",
    );
    let mut several = id_with("aud", Some(json!([CLIENT, "other"])));
    several["azp"] = json!(CLIENT);
    run(several.clone(), &o).unwrap();
    several["azp"] = json!("other");
    assert_claim(run(several, &o), "azp", "mismatch");
    assert_claim(run(id_with("azp", Some(json!("other"))), &o), "azp", "mismatch");
    run(id_with("azp", Some(json!(CLIENT))), &o).unwrap();
    assert_claim(run(id_with("sub", None), &o), "sub", "missing");
    assert_claim(run(id_with("exp", None), &o), "exp", "missing");
    assert_code(run(id_with("exp", Some(json!(NOW - 15))), &o), EXPIRED);
    run(id_with("exp", Some(json!(NOW - 14))), &o).unwrap();
    assert_claim(run(id_with("iat", None), &o), "iat", "missing");
    assert_claim(run(id_with("iat", Some(json!(NOW + 16))), &o), "iat", "check_failed");
    assert_claim(run(id_with("nonce", None), &o), "nonce", "missing");
    assert_claim(run(id_with("nonce", Some(json!("other"))), &o), "nonce", "mismatch");
    let no_nonce = IdTokenOptions {
        nonce: None,
        ..id_options()
    };
    run(id_with("nonce", None), &no_nonce).unwrap();
}

#[test]
fn id_token_auth_time_and_max_age() {
    let key = op_key();
    let keys = [key.public_key()];
    let run = |claims: Value, opts: &IdTokenOptions| verify_id_token(&id_token(&key, &claims), &keys, opts);
    let max_age = IdTokenOptions {
        max_age: Some(60),
        ..id_options()
    };
    assert_claim(run(id_with("auth_time", None), &max_age), "auth_time", "missing");
    assert_claim(
        run(id_with("auth_time", Some(json!(NOW - 76))), &max_age),
        "auth_time",
        "check_failed",
    );
    run(id_with("auth_time", Some(json!(NOW - 75))), &max_age).unwrap();
    let required = IdTokenOptions {
        require_auth_time: true,
        ..id_options()
    };
    assert_claim(run(id_with("auth_time", None), &required), "auth_time", "missing");
    run(id_with("auth_time", None), &id_options()).unwrap();
}

#[test]
fn id_token_alg_allowlist_and_typ() {
    let key = op_key();
    let keys = [key.public_key()];
    let es = IdTokenOptions {
        algorithms: vec![Algorithm::ES256],
        ..id_options()
    };
    assert_code(
        verify_id_token(&id_token(&key, &id_claims()), &keys, &es),
        "ERR_JOSE_ALG_NOT_ALLOWED",
    );
    let hs = sign_raw(&key, Algorithm::RS256, r#"{"alg":"HS256"}"#, &id_claims().to_string());
    assert_code(verify_id_token(&hs, &keys, &id_options()), "ERR_JOSE_ALG_NOT_ALLOWED");
    let none = format!("{}.", signing_input(r#"{"alg":"none"}"#, &id_claims().to_string()));
    assert!(verify_id_token(&none, &keys, &id_options()).is_err());
    for typ in [
        "logout+jwt",
        "at+jwt",
        "oauth-authz-req+jwt",
        "client-authentication+jwt",
    ] {
        let token = sign(
            &key,
            Algorithm::RS256,
            &json!({ "alg": "RS256", "kid": key.kid(), "typ": typ }),
            &id_claims(),
        );
        assert_claim(verify_id_token(&token, &keys, &id_options()), "typ", "check_failed");
    }
}

fn ui_options() -> UserinfoOptions {
    UserinfoOptions {
        issuer: OP.into(),
        client_id: CLIENT.into(),
        subject: "user-1".into(),
        now: Some(NOW),
        ..Default::default()
    }
}

#[test]
fn signed_userinfo_rules_of_oidc_core_5_3_2() {
    let key = op_key();
    let keys = [key.public_key()];
    let good = json!({ "iss": OP, "aud": CLIENT, "sub": "user-1", "name": "Matti" });
    let run = |claims: Value| verify_userinfo(&id_token(&key, &claims), &keys, &ui_options());
    assert_eq!(run(good.clone()).unwrap().payload["name"], "Matti");
    let with = |name: &str, value: Option<Value>| with(good.clone(), name, value);
    assert_claim(run(with("sub", Some(json!("user-2")))), "sub", "mismatch");
    assert_claim(run(with("sub", None)), "sub", "missing");
    assert_claim(run(with("iss", None)), "iss", "missing");
    assert_claim(run(with("iss", Some(json!("https://evil.example")))), "iss", "mismatch");
    assert_claim(run(with("aud", None)), "aud", "missing");
    assert_claim(run(with("aud", Some(json!("other")))), "aud", "mismatch");
    assert_code(run(with("exp", Some(json!(NOW - 60)))), EXPIRED);
    let empty_subject = UserinfoOptions {
        subject: String::new(),
        ..ui_options()
    };
    assert_code(
        verify_userinfo(&id_token(&key, &good), &keys, &empty_subject),
        INVALID_ARGUMENT,
    );
}

const TELIA: &str = include_str!("vectors/telia-entity-statement.json");

#[test]
fn telia_published_entity_statement_and_signed_jwks_verify() {
    let vector: Value = str::parse(TELIA).unwrap();
    let issuer = vector["issuer"].as_str().unwrap();
    let statement = vector["entity_statement"].as_str().unwrap();
    let signed = vector["signed_jwks"].as_str().unwrap();
    let self_declared = decode_unverified(statement).unwrap().payload["jwks"].clone();
    let entity_keys = pkjwt::from_jwks(&self_declared).unwrap();
    let opts = SignedJwksVerifyOptions {
        issuer: issuer.into(),
        now: Some(1_770_768_000 + 60),
        ..Default::default()
    };
    let verified = verify_signed_jwks(statement, &entity_keys, &opts).unwrap();
    assert_eq!(verified.format, SignedJwksFormat::EntityStatement);
    assert!(verified.keys.is_empty());
    assert_eq!(
        verified.signed_jwks_uri.as_deref(),
        Some("https://example.com/signed.jwks")
    );
    let jwks = verify_signed_jwks(signed, &entity_keys, &opts).unwrap();
    assert_eq!(jwks.format, SignedJwksFormat::JwkSet);
    assert_eq!(jwks.keys.len(), 1);
    assert_eq!(jwks.keys[0]["kid"], "r_1GwU0vgv33jr4wG4xnA9uoQSU");
    let published = pkjwt::from_jwks(&json!({ "keys": jwks.keys })).unwrap();
    assert_eq!(published[0].rsa_bits(), Some(2048));
    assert_code(
        verify_signed_jwks(signed, &published, &opts),
        "ERR_JWKS_NO_MATCHING_KEY",
    );
    let wrong_issuer = SignedJwksVerifyOptions {
        issuer: "https://example.org".into(),
        ..opts
    };
    assert_claim(
        verify_signed_jwks(signed, &entity_keys, &wrong_issuer),
        "iss",
        "mismatch",
    );
}
