//! Writes fuzz/seeds/decode_verify/: real inputs in the decode_verify target's format
//! (`selector byte || body`; see fuzz_targets/decode_verify.rs). Deterministic except for the
//! ECDSA signatures' randomness; run from the repository root:
//!
//! ```sh
//! cargo run --manifest-path fuzz/seedgen/Cargo.toml --target-dir fuzz/target/seedgen
//! ```

use pkjwt::{Algorithm, AssertionOptions, ImportOptions, Key, ReplayCache, VerifyOptions};
use std::fs;
use std::path::Path;

// Must match the fuzz target's constants.
const NOW: i64 = 1_700_000_000;
const AUDIENCE: &str = "https://as.example.com";
const CLIENT_ID: &str = "fuzz-client";

// Mode numbers (selector & 7) and flags (selector >> 3) of the fuzz target.
const DECODE: u8 = 0;
const VERIFY_RAW: u8 = 1;
const BUILT_UNSIGNED: u8 = 2;
const BUILT_ES256: u8 = 3;
const BUILT_EDDSA: u8 = 4;
const JWK: u8 = 5;
const PEM: u8 = 6;
const DER: u8 = 7;
const FLAG_CLIENT_ID: u8 = 1 << 3;
const FLAG_REQUIRE_TYP: u8 = 2 << 3;

fn key(file: &str) -> Key {
    let text = fs::read_to_string(Path::new("tests/keys").join(file)).expect("run from the repository root");
    Key::from_pem(&text, &ImportOptions::default()).expect("fixture imports")
}

fn write(dir: &Path, name: &str, selector: u8, body: &[u8]) {
    let mut bytes = vec![selector];
    bytes.extend_from_slice(body);
    fs::write(dir.join(name), bytes).expect("write seed");
}

fn structured(header: &str, payload: &str, signature: Option<&[u8]>) -> Vec<u8> {
    let mut body = header.as_bytes().to_vec();
    body.push(0xFF);
    body.extend_from_slice(payload.as_bytes());
    if let Some(signature) = signature {
        body.push(0xFF);
        body.extend_from_slice(signature);
    }
    body
}

fn main() {
    let dir = Path::new("fuzz/seeds/decode_verify");
    fs::create_dir_all(dir).expect("create seed dir");
    let p256 = key("p256.pkcs8.pem");
    let ed25519 = key("ed25519.pkcs8.pem");
    let registered = [key("p256.spki.pem"), key("ed25519.spki.pem"), key("rsa2048.spki.pem")];

    let assertion = |key: &Key, jti: &str| {
        pkjwt::create_client_assertion(key, &AssertionOptions {
            client_id: CLIENT_ID.into(),
            audience: AUDIENCE.into(),
            jti: Some(jti.into()),
            now: Some(NOW),
            ..Default::default()
        })
        .expect("assertion")
    };
    let es256 = assertion(&p256, "seed-es256");
    let eddsa = assertion(&ed25519, "seed-eddsa");
    let opts = VerifyOptions { audiences: vec![AUDIENCE.into()], now: Some(NOW), ..Default::default() };
    for token in [&es256, &eddsa] {
        pkjwt::verify_client_assertion(token, &registered, &opts, Some(&ReplayCache::default())).expect("seed verifies");
    }
    write(dir, "verify_es256_assertion", VERIFY_RAW | FLAG_CLIENT_ID, es256.as_bytes());
    write(dir, "verify_eddsa_assertion", VERIFY_RAW | FLAG_REQUIRE_TYP, eddsa.as_bytes());
    write(dir, "decode_es256_assertion", DECODE, es256.as_bytes());

    let header_es256 = format!(
        r#"{{"alg":"ES256","kid":"{}","typ":"client-authentication+jwt"}}"#,
        registered[0].kid()
    );
    let header_eddsa = r#"{"alg":"EdDSA","typ":"JWT"}"#;
    let claims = format!(
        r#"{{"iss":"{CLIENT_ID}","sub":"{CLIENT_ID}","aud":"{AUDIENCE}","iat":{NOW},"nbf":{NOW},"exp":{},"jti":"j1"}}"#,
        NOW + 60
    );
    let claims_array_aud = format!(
        r#"{{"iss":"{CLIENT_ID}","sub":"{CLIENT_ID}","aud":["{AUDIENCE}","x"],"exp":{},"jti":"j2"}}"#,
        NOW + 30
    );
    // The structured seeds must pass every check once the fuzz target signs them.
    let built = |header: &str, claims: &str, key: &Key, alg: Algorithm, opts: &VerifyOptions| {
        let input = format!("{}.{}", pkjwt::b64::encode(header.as_bytes()), pkjwt::b64::encode(claims.as_bytes()));
        let token = pkjwt::jws::sign_encoded(&input, key, alg).expect("sign");
        pkjwt::verify_client_assertion(&token, &registered, opts, None).expect("structured seed verifies");
    };
    let multi = VerifyOptions { allow_multiple_audiences: true, ..opts.clone() };
    built(&header_es256, &claims, &p256, Algorithm::ES256, &opts);
    built(header_eddsa, &claims, &ed25519, Algorithm::EdDSA, &opts);
    built(header_eddsa, &claims_array_aud, &ed25519, Algorithm::EdDSA, &multi);
    write(dir, "built_es256_claims", BUILT_ES256, &structured(&header_es256, &claims, None));
    write(dir, "built_eddsa_claims", BUILT_EDDSA, &structured(header_eddsa, &claims, None));
    write(dir, "built_eddsa_array_aud", BUILT_EDDSA | (4 << 3), &structured(header_eddsa, &claims_array_aud, None));
    let rs256_header = format!(r#"{{"alg":"RS256","kid":"{}"}}"#, registered[2].kid());
    write(dir, "built_rs256_fake_sig", BUILT_UNSIGNED, &structured(&rs256_header, &claims, Some(&[0x5a; 256])));
    let es256_sig = p256.sign(Algorithm::ES256, b"not the signing input").expect("sign");
    write(dir, "built_es256_wrong_sig", BUILT_UNSIGNED, &structured(&header_es256, &claims, Some(&es256_sig)));

    let jwk = |file: &str| fs::read(Path::new("tests/keys/jwk").join(file)).expect("jwk fixture");
    write(dir, "jwk_p256_pub", JWK, &jwk("p256.pub.json"));
    write(dir, "jwk_ed25519_priv", JWK, &jwk("ed25519.priv.json"));
    write(dir, "jwk_rsa2048_pub", JWK, &jwk("rsa2048.pub.json"));
    write(dir, "jwk_rsa2048_priv", JWK, &jwk("rsa2048.priv.json"));
    // A private RSA JWK without the CRT members: the importer must recover p and q from d.
    let mut no_crt: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&jwk("rsa2048.priv.json")).expect("fixture JSON");
    no_crt.retain(|name, _| ["kty", "n", "e", "d"].contains(&name.as_str()));
    Key::from_jwk(&no_crt, &ImportOptions::default()).expect("RSA JWK without CRT members imports");
    write(dir, "jwk_rsa2048_priv_no_crt", JWK, &serde_json::to_vec(&no_crt).expect("JSON"));
    let pem = |file: &str| fs::read(Path::new("tests/keys").join(file)).expect("pem fixture");
    write(dir, "pem_p256_spki", PEM, &pem("p256.spki.pem"));
    write(dir, "pem_p256_sec1", PEM, &pem("p256.sec1.pem"));
    write(dir, "pem_ed25519_cert", PEM, &pem("ed25519.cert.pem"));
    write(dir, "pem_rsa2048_pkcs1_pub", PEM, &pem("rsa2048.pkcs1-pub.pem"));
    write(dir, "der_p256_spki", DER, &pem("p256.spki.der"));
    write(dir, "der_ed25519_pkcs8", DER, &pem("ed25519.pkcs8.der"));
    println!("seeds written to {}", dir.display());
}
