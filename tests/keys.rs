//! Key import, export, thumbprints, certificates, rejections and generation, against the
//! openssl-made fixtures in tests/keys/ (see tests/keys/README.md).
//!
//! Expected values (thumbprints, x5t, JWK members) are read from the JSON files next to the keys,
//! never hard-coded, so that `tests/keys/regenerate.sh` keeps these tests valid. Everything is
//! embedded with `include_str!` / `include_bytes!` and every time-dependent call gets an explicit
//! `now`, so the tests also run where there is no file system and no clock (wasm).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use pkjwt::json::{Object, Value};
use pkjwt::{
    Algorithm, AssertionOptions, Certificate, GenerateOptions, ImportOptions, Key, KeyFamily, KeyType, VerifyOptions,
    create_client_assertion, decode_unverified, verify_client_assertion,
};
use std::fmt::Debug;

const NOW: i64 = 1_750_000_000;
const AUDIENCE: &str = "https://as.example.com";
const PRIVATE_MEMBERS: [&str; 6] = ["d", "p", "q", "dp", "dq", "qi"];

const THUMBPRINTS: &str = include_str!("keys/thumbprints.json");
const CERTS: &str = include_str!("keys/certs.json");

// ------------------------------------------------------------------------------------------ fixtures

/// How a fixture is stored and which import function reads it.
#[derive(Clone, Copy)]
enum Source {
    /// PEM text, for `Key::from_pem`.
    Pem(&'static str),
    /// DER bytes, for `Key::from_der`.
    Der(&'static [u8]),
    /// The DER inside a PEM file (for the DER forms openssl was not asked to write), for `Key::from_der`.
    DerOfPem(&'static str),
    /// JWK JSON text, for `Key::from_jwk`.
    Jwk(&'static str),
}

#[derive(Clone, Copy)]
struct Fixture {
    /// The key's base name, such as `rsa2048`: thumbprints.json is keyed by `<key>.spki.pem`.
    key: &'static str,
    /// The file name (for messages), with ` (as DER)` for `DerOfPem`.
    file: &'static str,
    source: Source,
    private: bool,
}

macro_rules! pem {
    ($key:literal, $file:literal, $private:expr) => {
        Fixture {
            key: $key,
            file: $file,
            source: Source::Pem(include_str!(concat!("keys/", $file))),
            private: $private,
        }
    };
}
macro_rules! der {
    ($key:literal, $file:literal, $private:expr) => {
        Fixture {
            key: $key,
            file: $file,
            source: Source::Der(include_bytes!(concat!("keys/", $file))),
            private: $private,
        }
    };
}
macro_rules! der_of_pem {
    ($key:literal, $file:literal, $private:expr) => {
        Fixture {
            key: $key,
            file: concat!($file, " (as DER)"),
            source: Source::DerOfPem(include_str!(concat!("keys/", $file))),
            private: $private,
        }
    };
}
macro_rules! jwk {
    ($key:literal, $file:literal, $private:expr) => {
        Fixture {
            key: $key,
            file: $file,
            source: Source::Jwk(include_str!(concat!("keys/jwk/", $file))),
            private: $private,
        }
    };
}

/// Every private-key fixture of the supported keys, by key.
fn private_fixtures(key: &str) -> Vec<Fixture> {
    match key {
        "rsa2048" => vec![
            pem!("rsa2048", "rsa2048.pkcs8.pem", true),
            pem!("rsa2048", "rsa2048.pkcs1.pem", true),
            der!("rsa2048", "rsa2048.pkcs8.der", true),
            der_of_pem!("rsa2048", "rsa2048.pkcs1.pem", true),
            jwk!("rsa2048", "rsa2048.priv.json", true),
        ],
        "rsa3072" => vec![pem!("rsa3072", "rsa3072.pkcs8.pem", true)],
        "rsa4096" => vec![pem!("rsa4096", "rsa4096.pkcs8.pem", true)],
        "p256" => vec![
            pem!("p256", "p256.pkcs8.pem", true),
            pem!("p256", "p256.sec1.pem", true),
            der!("p256", "p256.pkcs8.der", true),
            der_of_pem!("p256", "p256.sec1.pem", true),
            jwk!("p256", "p256.priv.json", true),
        ],
        "p384" => vec![
            pem!("p384", "p384.pkcs8.pem", true),
            pem!("p384", "p384.sec1.pem", true),
            der!("p384", "p384.pkcs8.der", true),
            der_of_pem!("p384", "p384.sec1.pem", true),
            jwk!("p384", "p384.priv.json", true),
        ],
        "ed25519" => vec![
            pem!("ed25519", "ed25519.pkcs8.pem", true),
            der!("ed25519", "ed25519.pkcs8.der", true),
            jwk!("ed25519", "ed25519.priv.json", true),
        ],
        other => panic!("no fixtures for {other}"),
    }
}

/// Every public-key fixture (SPKI, PKCS#1 public, certificate, JWK) of the supported keys, by key.
fn public_fixtures(key: &str) -> Vec<Fixture> {
    match key {
        "rsa2048" => vec![
            pem!("rsa2048", "rsa2048.spki.pem", false),
            der!("rsa2048", "rsa2048.spki.der", false),
            pem!("rsa2048", "rsa2048.pkcs1-pub.pem", false),
            der_of_pem!("rsa2048", "rsa2048.pkcs1-pub.pem", false),
            pem!("rsa2048", "rsa2048.cert.pem", false),
            der_of_pem!("rsa2048", "rsa2048.cert.pem", false),
            jwk!("rsa2048", "rsa2048.pub.json", false),
        ],
        "rsa3072" => vec![
            pem!("rsa3072", "rsa3072.spki.pem", false),
            jwk!("rsa3072", "rsa3072.pub.json", false),
        ],
        "rsa4096" => vec![
            pem!("rsa4096", "rsa4096.spki.pem", false),
            jwk!("rsa4096", "rsa4096.pub.json", false),
        ],
        "p256" => vec![
            pem!("p256", "p256.spki.pem", false),
            der!("p256", "p256.spki.der", false),
            pem!("p256", "p256.cert.pem", false),
            der_of_pem!("p256", "p256.cert.pem", false),
            jwk!("p256", "p256.pub.json", false),
        ],
        "p384" => vec![
            pem!("p384", "p384.spki.pem", false),
            der!("p384", "p384.spki.der", false),
            pem!("p384", "p384.cert.pem", false),
            der_of_pem!("p384", "p384.cert.pem", false),
            jwk!("p384", "p384.pub.json", false),
        ],
        "ed25519" => vec![
            pem!("ed25519", "ed25519.spki.pem", false),
            der!("ed25519", "ed25519.spki.der", false),
            pem!("ed25519", "ed25519.cert.pem", false),
            der_of_pem!("ed25519", "ed25519.cert.pem", false),
            jwk!("ed25519", "ed25519.pub.json", false),
        ],
        other => panic!("no fixtures for {other}"),
    }
}

const SUPPORTED_KEYS: [&str; 6] = ["rsa2048", "rsa3072", "rsa4096", "p256", "p384", "ed25519"];

fn all_fixtures() -> Vec<Fixture> {
    SUPPORTED_KEYS
        .iter()
        .flat_map(|k| private_fixtures(k).into_iter().chain(public_fixtures(k)))
        .collect()
}

/// The DER inside a PEM block: the base64 body between the BEGIN and END lines.
fn der_of_pem(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    pkjwt::b64::decode(&body).unwrap()
}

fn jwk_object(text: &str) -> Object {
    text.parse::<Value>().unwrap().as_object().unwrap().clone()
}

fn import_with(f: &Fixture, opts: &ImportOptions) -> pkjwt::Result<Key> {
    match f.source {
        Source::Pem(text) => Key::from_pem(text, opts),
        Source::Der(bytes) => Key::from_der(bytes, opts),
        Source::DerOfPem(text) => Key::from_der(&der_of_pem(text), opts),
        Source::Jwk(text) => Key::from_jwk(&jwk_object(text), opts),
    }
}

fn import(f: &Fixture) -> Key {
    import_with(f, &ImportOptions::default()).unwrap_or_else(|e| panic!("{}: import failed: {e:?}", f.file))
}

fn expected_thumbprint(key: &str) -> String {
    let all: Value = str::parse(THUMBPRINTS).unwrap();
    all[format!("{key}.spki.pem")]
        .as_str()
        .unwrap_or_else(|| panic!("no thumbprint for {key}"))
        .to_owned()
}

fn expected_family(key: &str) -> (KeyType, KeyFamily, Option<usize>) {
    match key {
        "rsa2048" | "rsa2048-e3" => (KeyType::Rsa, KeyFamily::Rsa, Some(2048)),
        "rsa3072" => (KeyType::Rsa, KeyFamily::Rsa, Some(3072)),
        "rsa4096" => (KeyType::Rsa, KeyFamily::Rsa, Some(4096)),
        "p256" => (KeyType::Ec, KeyFamily::P256, None),
        "p384" => (KeyType::Ec, KeyFamily::P384, None),
        "ed25519" => (KeyType::Okp, KeyFamily::Ed25519, None),
        other => panic!("unknown key {other}"),
    }
}

fn code<T: Debug>(result: pkjwt::Result<T>) -> &'static str {
    result.unwrap_err().code()
}

fn assertion_options(client_id: &str, alg: Algorithm) -> AssertionOptions {
    AssertionOptions {
        client_id: client_id.into(),
        audience: AUDIENCE.into(),
        alg: Some(alg),
        now: Some(NOW),
        ..Default::default()
    }
}

fn verify_options(client_id: &str) -> VerifyOptions {
    VerifyOptions {
        audiences: vec![AUDIENCE.into()],
        client_id: Some(client_id.into()),
        now: Some(NOW),
        ..Default::default()
    }
}

/// Signs a client assertion with `private` and `alg` and checks it verifies with `public`.
fn assert_round_trip(private: &Key, public: &Key, alg: Algorithm, what: &str) {
    let client_id = format!("client-{what}");
    let token = create_client_assertion(private, &assertion_options(&client_id, alg))
        .unwrap_or_else(|e| panic!("{what} {alg}: create failed: {e:?}"));
    let keys = [public.clone()];
    let verified = verify_client_assertion(&token, &keys, &verify_options(&client_id), None)
        .unwrap_or_else(|e| panic!("{what} {alg}: verify failed: {e:?}"));
    assert_eq!(verified.client_id, client_id);
    assert_eq!(verified.header["alg"], Value::String(alg.as_str().into()), "{what}");
    assert_eq!(verified.header["kid"].as_str(), Some(private.kid()), "{what}");
}

// ------------------------------------------------------------------------------------------ import

#[test]
fn every_fixture_format_imports_with_the_published_thumbprint() {
    let fixtures = all_fixtures();
    assert_eq!(fixtures.len(), 46);
    for f in &fixtures {
        let key = import(f);
        let thumbprint = expected_thumbprint(f.key);
        assert_eq!(key.thumbprint(), thumbprint, "{}", f.file);
        assert_eq!(key.kid(), thumbprint, "{}: kid defaults to the thumbprint", f.file);
        assert_eq!(key.is_private(), f.private, "{}", f.file);
        let (kty, family, bits) = expected_family(f.key);
        assert_eq!(key.key_type(), kty, "{}", f.file);
        assert_eq!(key.family(), family, "{}", f.file);
        assert_eq!(key.rsa_bits(), bits, "{}", f.file);
        assert_eq!(key.alg(), None, "{}: no alg binding unless asked", f.file);
        assert_eq!(key.public_key().thumbprint(), thumbprint, "{}", f.file);
    }
}

#[test]
fn every_fixture_exports_the_members_node_exported() {
    for f in all_fixtures() {
        let key = import(&f);
        let node_public = jwk_object(match f.key {
            "rsa2048" => include_str!("keys/jwk/rsa2048.pub.json"),
            "rsa3072" => include_str!("keys/jwk/rsa3072.pub.json"),
            "rsa4096" => include_str!("keys/jwk/rsa4096.pub.json"),
            "p256" => include_str!("keys/jwk/p256.pub.json"),
            "p384" => include_str!("keys/jwk/p384.pub.json"),
            _ => include_str!("keys/jwk/ed25519.pub.json"),
        });
        let ours = key.to_jwk(false).unwrap();
        for (name, value) in &node_public {
            assert_eq!(ours.get(name), Some(value), "{}: member {name}", f.file);
        }
        if f.private {
            let node_private = jwk_object(match f.key {
                "rsa2048" => include_str!("keys/jwk/rsa2048.priv.json"),
                "p256" => include_str!("keys/jwk/p256.priv.json"),
                "p384" => include_str!("keys/jwk/p384.priv.json"),
                "ed25519" => include_str!("keys/jwk/ed25519.priv.json"),
                _ => continue, // rsa3072 / rsa4096: no private JWK fixture
            });
            let ours = key.to_jwk(true).unwrap();
            for (name, value) in &node_private {
                assert_eq!(ours.get(name), Some(value), "{}: member {name}", f.file);
            }
        }
    }
}

#[test]
fn import_options_bind_alg_and_kid() {
    let f = pem!("p256", "p256.pkcs8.pem", true);
    let key = import_with(
        &f,
        &ImportOptions {
            alg: Some(Algorithm::ES256),
            kid: Some("k1".into()),
        },
    )
    .unwrap();
    assert_eq!(key.alg(), Some(Algorithm::ES256));
    assert_eq!(key.kid(), "k1");
    assert_eq!(key.thumbprint(), expected_thumbprint("p256"));
    // An alg of another family does not fit.
    let err = import_with(
        &f,
        &ImportOptions {
            alg: Some(Algorithm::RS256),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "ERR_JWK_INVALID", "{err:?}");
    // An empty kid is refused.
    let err = import_with(
        &f,
        &ImportOptions {
            kid: Some(String::new()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "ERR_INVALID_ARGUMENT", "{err:?}");
    // A JWK's own alg must agree with the requested one.
    let mut jwk = jwk_object(include_str!("keys/jwk/p256.pub.json"));
    jwk.insert("alg".into(), Value::String("ES256".into()));
    assert_eq!(
        Key::from_jwk(&jwk, &ImportOptions::default()).unwrap().alg(),
        Some(Algorithm::ES256)
    );
    let mut rsa = jwk_object(include_str!("keys/jwk/rsa2048.pub.json"));
    rsa.insert("alg".into(), Value::String("RS256".into()));
    assert_eq!(
        code(Key::from_jwk(
            &rsa,
            &ImportOptions {
                alg: Some(Algorithm::PS256),
                ..Default::default()
            }
        )),
        "ERR_JWK_INVALID"
    );
}

// ------------------------------------------------------------------------------------------ round trips

/// The algorithms each supported key signs with.
fn algorithms_of(key: &str) -> Vec<Algorithm> {
    match key {
        "rsa2048" | "rsa3072" | "rsa4096" => vec![
            Algorithm::RS256,
            Algorithm::RS384,
            Algorithm::RS512,
            Algorithm::PS256,
            Algorithm::PS384,
            Algorithm::PS512,
        ],
        "p256" => vec![Algorithm::ES256],
        "p384" => vec![Algorithm::ES384],
        "ed25519" => vec![Algorithm::EdDSA, Algorithm::Ed25519],
        other => panic!("unknown key {other}"),
    }
}

/// Every algorithm × every private format × every public format of one key.
fn round_trip_all_formats(key_name: &str) {
    let publics: Vec<(Fixture, Key)> = public_fixtures(key_name).into_iter().map(|f| (f, import(&f))).collect();
    for alg in algorithms_of(key_name) {
        for pf in private_fixtures(key_name) {
            let private = import(&pf);
            let client_id = format!("client-{key_name}");
            let token = create_client_assertion(&private, &assertion_options(&client_id, alg))
                .unwrap_or_else(|e| panic!("{} {alg}: {e:?}", pf.file));
            let header = decode_unverified(&token).unwrap().header;
            assert_eq!(header["alg"].as_str(), Some(alg.as_str()));
            assert_eq!(header["kid"].as_str(), Some(expected_thumbprint(key_name).as_str()));
            assert_eq!(header["typ"].as_str(), Some(pkjwt::CLIENT_ASSERTION_TYP));
            for (f, public) in &publics {
                let keys = [public.clone()];
                let verified = verify_client_assertion(&token, &keys, &verify_options(&client_id), None)
                    .unwrap_or_else(|e| panic!("{} {alg} -> {}: {e:?}", pf.file, f.file));
                assert_eq!(verified.client_id, client_id);
                assert_eq!(verified.key.thumbprint(), expected_thumbprint(key_name));
            }
        }
    }
}

#[test]
fn round_trip_rsa2048_every_alg_every_format() {
    round_trip_all_formats("rsa2048");
}

#[test]
fn round_trip_rsa3072_every_alg() {
    round_trip_all_formats("rsa3072");
}

#[test]
fn round_trip_rsa4096_every_alg() {
    round_trip_all_formats("rsa4096");
}

#[test]
fn round_trip_p256_every_format() {
    round_trip_all_formats("p256");
}

#[test]
fn round_trip_p384_every_format() {
    round_trip_all_formats("p384");
}

#[test]
fn round_trip_ed25519_eddsa_and_ed25519_every_format() {
    round_trip_all_formats("ed25519");
}

#[test]
fn an_assertion_does_not_verify_with_another_key_or_out_of_time() {
    let private = import(&pem!("p256", "p256.pkcs8.pem", true));
    let token = create_client_assertion(&private, &assertion_options("c", Algorithm::ES256)).unwrap();
    // Another key with the same kid: the signature fails.
    let other = import(&pem!("p384", "p384.spki.pem", false));
    let generated = Key::generate(Algorithm::ES256, &GenerateOptions::default())
        .unwrap()
        .public_key();
    let same_kid = generated.with_kid(private.kid()).unwrap();
    assert_eq!(
        code(verify_client_assertion(&token, &[same_kid], &verify_options("c"), None)),
        "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
    );
    // Only keys with other kids: no matching key.
    assert_eq!(
        code(verify_client_assertion(&token, &[other], &verify_options("c"), None)),
        "ERR_JWKS_NO_MATCHING_KEY"
    );
    // The right key, after exp + 15 s of tolerance.
    let public = [private.public_key()];
    let late = VerifyOptions {
        now: Some(NOW + 60 + 15),
        ..verify_options("c")
    };
    assert_eq!(
        code(verify_client_assertion(&token, &public, &late, None)),
        "ERR_JWT_EXPIRED"
    );
    let in_time = VerifyOptions {
        now: Some(NOW + 60 + 14),
        ..verify_options("c")
    };
    verify_client_assertion(&token, &public, &in_time, None).unwrap();
    // A public key cannot sign an assertion.
    assert_eq!(
        code(create_client_assertion(
            &public[0],
            &assertion_options("c", Algorithm::ES256)
        )),
        "ERR_INVALID_ARGUMENT"
    );
    // An alg of another family does not fit.
    assert_eq!(
        code(create_client_assertion(
            &private,
            &assertion_options("c", Algorithm::ES384)
        )),
        "ERR_JOSE_ALG_NOT_ALLOWED"
    );
}

// ------------------------------------------------------------------------------------------ export

#[test]
fn export_round_trips_keep_the_thumbprint() {
    for f in all_fixtures() {
        let key = import(&f);
        let thumbprint = expected_thumbprint(f.key);

        // PEM: PKCS#8 for a private key, SPKI for a public one.
        let pem = key.to_pem().unwrap();
        let label = if f.private {
            "-----BEGIN PRIVATE KEY-----"
        } else {
            "-----BEGIN PUBLIC KEY-----"
        };
        assert!(pem.starts_with(label), "{}: {pem}", f.file);
        let again = Key::from_pem(&pem, &ImportOptions::default()).unwrap();
        assert_eq!(again.thumbprint(), thumbprint, "{}", f.file);
        assert_eq!(again.is_private(), f.private, "{}", f.file);

        // SPKI DER of the public half.
        let spki = key.to_spki_der().unwrap();
        let again = Key::from_der(&spki, &ImportOptions::default()).unwrap();
        assert!(!again.is_private());
        assert_eq!(again.thumbprint(), thumbprint, "{}", f.file);

        // Public JWK: no private member, kid and use carried over.
        let public_jwk = key.to_jwk(false).unwrap();
        for member in PRIVATE_MEMBERS {
            assert!(!public_jwk.contains_key(member), "{}: public JWK has {member}", f.file);
        }
        assert_eq!(public_jwk["kid"].as_str(), Some(key.kid()));
        assert_eq!(public_jwk["use"].as_str(), Some("sig"));
        let again = Key::from_jwk(&public_jwk, &ImportOptions::default()).unwrap();
        assert!(!again.is_private(), "{}", f.file);
        assert_eq!(again.thumbprint(), thumbprint, "{}", f.file);

        // public_key() loses the private members.
        let public = key.public_key();
        assert!(!public.is_private());
        assert_eq!(public.kid(), key.kid());
        assert_eq!(public.to_jwk(false).unwrap(), public_jwk, "{}", f.file);
        assert_eq!(code(public.to_jwk(true)), "ERR_INVALID_ARGUMENT", "{}", f.file);
        assert!(public.to_pem().unwrap().starts_with("-----BEGIN PUBLIC KEY-----"));

        if f.private {
            // Private JWK: re-imports as the same private key, which still signs.
            let private_jwk = key.to_jwk(true).unwrap();
            assert!(private_jwk.contains_key("d"), "{}", f.file);
            let again = Key::from_jwk(&private_jwk, &ImportOptions::default()).unwrap();
            assert!(again.is_private(), "{}", f.file);
            assert_eq!(again.thumbprint(), thumbprint, "{}", f.file);
            assert_eq!(again.to_jwk(true).unwrap(), private_jwk, "{}", f.file);
            let alg = again.default_alg();
            let signature = again.sign(alg, b"message").unwrap();
            key.public_key().verify(alg, b"message", &signature).unwrap();
        } else {
            assert_eq!(code(key.to_jwk(true)), "ERR_INVALID_ARGUMENT", "{}", f.file);
        }
    }
}

#[test]
fn exported_spki_equals_the_openssl_spki() {
    let cases: [(&str, &str, &[u8]); 4] = [
        (
            "rsa2048",
            include_str!("keys/rsa2048.pkcs8.pem"),
            include_bytes!("keys/rsa2048.spki.der"),
        ),
        (
            "p256",
            include_str!("keys/p256.pkcs8.pem"),
            include_bytes!("keys/p256.spki.der"),
        ),
        (
            "p384",
            include_str!("keys/p384.pkcs8.pem"),
            include_bytes!("keys/p384.spki.der"),
        ),
        (
            "ed25519",
            include_str!("keys/ed25519.pkcs8.pem"),
            include_bytes!("keys/ed25519.spki.der"),
        ),
    ];
    for (name, pkcs8, spki) in cases {
        let key = Key::from_pem(pkcs8, &ImportOptions::default()).unwrap();
        assert_eq!(key.to_spki_der().unwrap(), spki, "{name}");
        assert_eq!(der_of_pem(&key.public_key().to_pem().unwrap()), spki, "{name}");
    }
}

#[test]
fn jwks_round_trip() {
    let keys: Vec<Key> = SUPPORTED_KEYS.iter().map(|k| import(&private_fixtures(k)[0])).collect();
    let jwks = pkjwt::to_jwks(&keys).unwrap();
    let text = jwks.to_string();
    for member in ["\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\""] {
        assert!(!text.contains(member), "a JWKS must not carry {member}");
    }
    let back = pkjwt::from_jwks(&jwks).unwrap();
    assert_eq!(back.len(), keys.len());
    for (key, name) in back.iter().zip(SUPPORTED_KEYS) {
        assert!(!key.is_private());
        assert_eq!(key.thumbprint(), expected_thumbprint(name));
    }
}

// ------------------------------------------------------------------------------------------ certificates

fn certificate_fixtures() -> [(&'static str, &'static str, &'static str); 4] {
    [
        ("rsa2048", "rsa2048.cert.pem", include_str!("keys/rsa2048.cert.pem")),
        ("p256", "p256.cert.pem", include_str!("keys/p256.cert.pem")),
        ("p384", "p384.cert.pem", include_str!("keys/p384.cert.pem")),
        ("ed25519", "ed25519.cert.pem", include_str!("keys/ed25519.cert.pem")),
    ]
}

fn expected_x5t(file: &str) -> (String, String) {
    let all: Value = str::parse(CERTS).unwrap();
    (
        all[file]["x5t"].as_str().unwrap().to_owned(),
        all[file]["x5t#S256"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn certificate_thumbprints_match_openssl() {
    for (key, file, pem) in certificate_fixtures() {
        let (x5t, x5t_s256) = expected_x5t(file);
        let cert = Certificate::from_pem(pem).unwrap();
        assert_eq!(cert.x5t(), x5t, "{file}");
        assert_eq!(cert.x5t_s256(), x5t_s256, "{file}");
        assert_eq!(cert.der(), der_of_pem(pem), "{file}");
        let from_der = Certificate::from_der(&der_of_pem(pem)).unwrap();
        assert_eq!(from_der.x5t_s256(), x5t_s256, "{file}");
        // The certificate's public key is the key, and it matches both halves of the key.
        let public = cert.public_key(&ImportOptions::default()).unwrap();
        assert!(!public.is_private());
        assert_eq!(public.thumbprint(), expected_thumbprint(key), "{file}");
        let private = import(&private_fixtures(key)[0]);
        assert!(cert.matches(&private), "{file}");
        assert!(cert.matches(&private.public_key()), "{file}");
        // Debug shows the S256 thumbprint only.
        assert!(format!("{cert:?}").contains(&x5t_s256));
    }
}

#[test]
fn assertions_carry_the_certificate_thumbprints() {
    for (key, file, pem) in certificate_fixtures() {
        let (x5t, x5t_s256) = expected_x5t(file);
        let private = import(&private_fixtures(key)[0]);
        let cert = Certificate::from_pem(pem).unwrap();
        let alg = private.default_alg();

        let opts = AssertionOptions {
            certificate: Some(cert.clone()),
            ..assertion_options("c", alg)
        };
        let token = create_client_assertion(&private, &opts).unwrap();
        let header = decode_unverified(&token).unwrap().header;
        assert_eq!(header["x5t#S256"].as_str(), Some(x5t_s256.as_str()), "{file}");
        assert!(!header.contains_key("x5t"), "{file}: x5t only when asked");
        verify_client_assertion(&token, &[private.public_key()], &verify_options("c"), None).unwrap();

        let opts = AssertionOptions {
            certificate: Some(cert),
            include_x5t: true,
            ..assertion_options("c", alg)
        };
        let token = create_client_assertion(&private, &opts).unwrap();
        let header = decode_unverified(&token).unwrap().header;
        assert_eq!(header["x5t#S256"].as_str(), Some(x5t_s256.as_str()), "{file}");
        assert_eq!(header["x5t"].as_str(), Some(x5t.as_str()), "{file}");
        verify_client_assertion(&token, &[private.public_key()], &verify_options("c"), None).unwrap();
    }
}

#[test]
fn certificates_with_a_broken_structure_are_refused() {
    for (_, file, pem) in certificate_fixtures() {
        let der = der_of_pem(pem);
        let mut trailing = der.clone();
        trailing.push(0);
        let mut not_a_sequence = der.clone();
        not_a_sequence[0] = 0x31;
        // The outer SEQUENCE holds tbsCertificate, signatureAlgorithm, signatureValue: its first
        // content byte is the tbsCertificate's tag, which must be a SEQUENCE too.
        let content = 2 + usize::from(der[1] & 0x7f) * usize::from(der[1] >= 0x80);
        let mut tbs_not_a_sequence = der.clone();
        tbs_not_a_sequence[content] = 0x04;
        for (what, bad) in [
            ("trailing byte", trailing),
            ("outer SET", not_a_sequence),
            ("tbsCertificate not a SEQUENCE", tbs_not_a_sequence),
            ("truncated by one byte", der[..der.len() - 1].to_vec()),
            ("empty", Vec::new()),
        ] {
            let err = Certificate::from_der(&bad).unwrap_err();
            assert_eq!(err.code(), "ERR_JWK_INVALID", "{file} {what}: {err:?}");
        }
    }
}

#[test]
fn a_certificate_of_another_key_is_refused() {
    let certs = certificate_fixtures();
    for (key, _, _) in certs {
        let private = import(&private_fixtures(key)[0]);
        for (other, file, pem) in certs {
            if other == key {
                continue;
            }
            let cert = Certificate::from_pem(pem).unwrap();
            assert!(!cert.matches(&private));
            let opts = AssertionOptions {
                certificate: Some(cert),
                ..assertion_options("c", private.default_alg())
            };
            assert_eq!(
                code(create_client_assertion(&private, &opts)),
                "ERR_INVALID_ARGUMENT",
                "{key} with {file}"
            );
        }
    }
    // Same family, another key.
    let rsa3072 = import(&pem!("rsa3072", "rsa3072.pkcs8.pem", true));
    let cert = Certificate::from_pem(include_str!("keys/rsa2048.cert.pem")).unwrap();
    let opts = AssertionOptions {
        certificate: Some(cert),
        ..assertion_options("c", Algorithm::RS256)
    };
    assert_eq!(code(create_client_assertion(&rsa3072, &opts)), "ERR_INVALID_ARGUMENT");
    // x5t without a certificate.
    let opts = AssertionOptions {
        include_x5t: true,
        ..assertion_options("c", Algorithm::RS256)
    };
    assert_eq!(code(create_client_assertion(&rsa3072, &opts)), "ERR_INVALID_ARGUMENT");
}

#[test]
fn malformed_certificates_are_refused() {
    assert_eq!(code(Certificate::from_pem("")), "ERR_JWK_INVALID");
    assert_eq!(
        code(Certificate::from_pem(include_str!("keys/p256.spki.pem"))),
        "ERR_JWK_INVALID"
    );
    assert_eq!(code(Certificate::from_der(&[])), "ERR_JWK_INVALID");
    let der = der_of_pem(include_str!("keys/p256.cert.pem"));
    assert_eq!(code(Certificate::from_der(&der[..der.len() - 1])), "ERR_JWK_INVALID");
    assert_eq!(
        code(Certificate::from_pem(
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"
        )),
        "ERR_JWK_INVALID"
    );
}

// ------------------------------------------------------------------------------------------ rejections

#[test]
fn rsa_1024_is_refused() {
    for f in [
        pem!("rsa1024", "rsa1024.pkcs8.pem", true),
        pem!("rsa1024", "rsa1024.spki.pem", false),
        jwk!("rsa1024", "rsa1024.pub.json", false),
    ] {
        let err = import_with(&f, &ImportOptions::default()).unwrap_err();
        assert_eq!(err.code(), "ERR_JWK_INVALID", "{}: {err:?}", f.file);
    }
}

#[test]
fn rsa_exponent_3_is_accepted_by_policy() {
    // src/key/rsa_policy.rs: an odd public exponent from 3 to 2^32 - 1 is accepted, so the
    // 2048-bit e = 3 key imports, signs and verifies.
    let private = import(&pem!("rsa2048-e3", "rsa2048-e3.pkcs8.pem", true));
    let thumbprint = expected_thumbprint("rsa2048-e3");
    assert_eq!(private.thumbprint(), thumbprint);
    assert_eq!(private.rsa_bits(), Some(2048));
    assert_eq!(private.to_jwk(false).unwrap()["e"].as_str(), Some("Aw"));
    for f in [
        pem!("rsa2048-e3", "rsa2048-e3.spki.pem", false),
        jwk!("rsa2048-e3", "rsa2048-e3.pub.json", false),
    ] {
        let public = import(&f);
        assert_eq!(public.thumbprint(), thumbprint, "{}", f.file);
        for alg in [Algorithm::RS256, Algorithm::PS256] {
            assert_round_trip(&private, &public, alg, f.file);
        }
    }
}

#[test]
fn rsa_exponent_policy_bounds() {
    let base = jwk_object(include_str!("keys/jwk/rsa2048.pub.json"));
    let with_e = |e: &[u8]| {
        let mut jwk = base.clone();
        jwk.insert("e".into(), Value::String(pkjwt::b64::encode(e)));
        Key::from_jwk(&jwk, &ImportOptions::default())
    };
    // Accepted: odd, 3 ..= 2^32 - 1.
    for e in [&[3u8][..], &[1, 0, 1], &[0xff, 0xff, 0xff, 0xff]] {
        with_e(e).unwrap_or_else(|err| panic!("e = {e:?}: {err:?}"));
    }
    // Refused: 1, even, above 2^32 - 1.
    for e in [
        &[1u8][..],
        &[2],
        &[1, 0, 0],
        &[1, 0, 0, 0, 1],
        &[1, 0, 0, 0, 0, 0, 0, 0, 1],
    ] {
        assert_eq!(code(with_e(e)), "ERR_JWK_INVALID", "e = {e:?}");
    }
}

#[test]
fn unsupported_curves_are_refused() {
    for f in [
        pem!("p521", "p521.pkcs8.pem", true),
        pem!("p521", "p521.spki.pem", false),
        jwk!("p521", "p521.pub.json", false),
        pem!("secp256k1", "secp256k1.pkcs8.pem", true),
        pem!("secp256k1", "secp256k1.spki.pem", false),
        jwk!("secp256k1", "secp256k1.pub.json", false),
        der_of_pem!("p521", "p521.pkcs8.pem", true),
        der_of_pem!("secp256k1", "secp256k1.spki.pem", false),
    ] {
        let err = import_with(&f, &ImportOptions::default()).unwrap_err();
        assert_eq!(err.code(), "ERR_JOSE_NOT_SUPPORTED", "{}: {err:?}", f.file);
    }
}

fn with_member(jwk: &Object, name: &str, bytes: &[u8]) -> Object {
    let mut jwk = jwk.clone();
    jwk.insert(name.into(), Value::String(pkjwt::b64::encode(bytes)));
    jwk
}

fn member_bytes(jwk: &Object, name: &str) -> Vec<u8> {
    pkjwt::b64::decode(jwk[name].as_str().unwrap()).unwrap()
}

fn jwk_code(jwk: &Object) -> &'static str {
    code(Key::from_jwk(jwk, &ImportOptions::default()))
}

#[test]
fn ec_jwk_coordinates_must_have_their_exact_length() {
    for (name, text) in [
        ("p256", include_str!("keys/jwk/p256.pub.json")),
        ("p384", include_str!("keys/jwk/p384.pub.json")),
        ("p256 private", include_str!("keys/jwk/p256.priv.json")),
    ] {
        let jwk = jwk_object(text);
        for coordinate in ["x", "y"] {
            let bytes = member_bytes(&jwk, coordinate);
            let short = with_member(&jwk, coordinate, &bytes[1..]);
            assert_eq!(
                jwk_code(&short),
                "ERR_JWK_INVALID",
                "{name} {coordinate} one byte short"
            );
            let long = with_member(&jwk, coordinate, &[&[0u8][..], &bytes].concat());
            assert_eq!(
                jwk_code(&long),
                "ERR_JWK_INVALID",
                "{name} {coordinate} with a leading zero byte"
            );
        }
    }
    // A 31-byte d.
    let jwk = jwk_object(include_str!("keys/jwk/p256.priv.json"));
    let d = member_bytes(&jwk, "d");
    assert_eq!(jwk_code(&with_member(&jwk, "d", &d[1..])), "ERR_JWK_INVALID");
}

#[test]
fn ec_jwk_point_must_be_on_the_curve() {
    for (name, text) in [
        ("p256", include_str!("keys/jwk/p256.pub.json")),
        ("p384", include_str!("keys/jwk/p384.pub.json")),
    ] {
        let jwk = jwk_object(text);
        let y = member_bytes(&jwk, "y");
        for i in [0, y.len() / 2, y.len() - 1] {
            let mut bad = y.clone();
            bad[i] ^= 0x01;
            assert_eq!(
                jwk_code(&with_member(&jwk, "y", &bad)),
                "ERR_JWK_INVALID",
                "{name} y byte {i} flipped"
            );
        }
        // The all-zero point is not on the curve either.
        let zero = vec![0u8; y.len()];
        assert_eq!(
            jwk_code(&with_member(&with_member(&jwk, "x", &zero), "y", &zero)),
            "ERR_JWK_INVALID",
            "{name} (0, 0)"
        );
    }
}

#[test]
fn ec_jwk_crv_must_match_the_coordinates() {
    let mut p384_as_p256 = jwk_object(include_str!("keys/jwk/p384.pub.json"));
    p384_as_p256.insert("crv".into(), Value::String("P-256".into()));
    assert_eq!(jwk_code(&p384_as_p256), "ERR_JWK_INVALID");
    let mut p256_as_p384 = jwk_object(include_str!("keys/jwk/p256.pub.json"));
    p256_as_p384.insert("crv".into(), Value::String("P-384".into()));
    assert_eq!(jwk_code(&p256_as_p384), "ERR_JWK_INVALID");
    let mut private = jwk_object(include_str!("keys/jwk/p384.priv.json"));
    private.insert("crv".into(), Value::String("P-256".into()));
    assert_eq!(jwk_code(&private), "ERR_JWK_INVALID");
    // Unknown and unsupported curves.
    let mut jwk = jwk_object(include_str!("keys/jwk/p256.pub.json"));
    jwk.insert("crv".into(), Value::String("P-257".into()));
    assert_eq!(jwk_code(&jwk), "ERR_JOSE_NOT_SUPPORTED");
    jwk.remove("crv");
    assert_eq!(jwk_code(&jwk), "ERR_JWK_INVALID");
}

#[test]
fn okp_jwk_x_must_be_32_bytes() {
    for text in [
        include_str!("keys/jwk/ed25519.pub.json"),
        include_str!("keys/jwk/ed25519.priv.json"),
    ] {
        let jwk = jwk_object(text);
        let x = member_bytes(&jwk, "x");
        assert_eq!(
            jwk_code(&with_member(&jwk, "x", &x[1..])),
            "ERR_JWK_INVALID",
            "31 bytes"
        );
        assert_eq!(
            jwk_code(&with_member(&jwk, "x", &[&x[..], &[0u8][..]].concat())),
            "ERR_JWK_INVALID",
            "33 bytes"
        );
    }
    let jwk = jwk_object(include_str!("keys/jwk/ed25519.priv.json"));
    let d = member_bytes(&jwk, "d");
    assert_eq!(
        jwk_code(&with_member(&jwk, "d", &d[1..])),
        "ERR_JWK_INVALID",
        "31-byte d"
    );
    // Other OKP curves.
    for crv in ["X25519", "Ed448", "X448"] {
        let mut other = jwk_object(include_str!("keys/jwk/ed25519.pub.json"));
        other.insert("crv".into(), Value::String(crv.into()));
        assert_eq!(jwk_code(&other), "ERR_JOSE_NOT_SUPPORTED", "{crv}");
    }
}

#[test]
fn a_private_jwk_must_match_its_public_part() {
    // EC and OKP: the d of another key of the same curve.
    for alg in [Algorithm::ES256, Algorithm::ES384, Algorithm::EdDSA] {
        let (fixture, name) = match alg {
            Algorithm::ES256 => (include_str!("keys/jwk/p256.priv.json"), "p256"),
            Algorithm::ES384 => (include_str!("keys/jwk/p384.priv.json"), "p384"),
            _ => (include_str!("keys/jwk/ed25519.priv.json"), "ed25519"),
        };
        let jwk = jwk_object(fixture);
        let other = Key::generate(alg, &GenerateOptions::default())
            .unwrap()
            .to_jwk(true)
            .unwrap();
        let mut mixed = jwk.clone();
        mixed.insert("d".into(), other["d"].clone());
        let err = Key::from_jwk(&mixed, &ImportOptions::default()).unwrap_err();
        assert_eq!(err.code(), "ERR_JWK_INVALID", "{name}: {err:?}");
        // The error message does not echo the private value.
        let d = other["d"].as_str().unwrap();
        assert!(!format!("{err:?}").contains(d), "{name}");
    }
    // RSA: d off by one bit (so d·e ≠ 1 mod λ(n)), and p/q of another key.
    let jwk = jwk_object(include_str!("keys/jwk/rsa2048.priv.json"));
    let mut d = member_bytes(&jwk, "d");
    let last = d.len() - 1;
    d[last] ^= 0x02;
    let err = Key::from_jwk(&with_member(&jwk, "d", &d), &ImportOptions::default()).unwrap_err();
    assert_eq!(err.code(), "ERR_JWK_INVALID", "rsa d: {err:?}");
    assert!(!format!("{err:?}").contains(&pkjwt::b64::encode(&d)));
    // p replaced by q: the primes are no longer distinct and their product is not n.
    let mut same_primes = jwk.clone();
    same_primes.insert("p".into(), jwk["q"].clone());
    assert_eq!(jwk_code(&same_primes), "ERR_JWK_INVALID", "rsa p = q");
    // Only one of p and q.
    let mut one_prime = jwk.clone();
    one_prime.remove("q");
    assert_eq!(jwk_code(&one_prime), "ERR_JWK_INVALID");
}

#[test]
fn unsupported_key_types_are_refused() {
    let oct: Object = jwk_object(
        r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#,
    );
    assert_eq!(jwk_code(&oct), "ERR_JOSE_NOT_SUPPORTED");
    for kty in ["AKP", "rsa", "EC2", ""] {
        let mut jwk = jwk_object(include_str!("keys/jwk/p256.pub.json"));
        jwk.insert("kty".into(), Value::String(kty.into()));
        assert_eq!(jwk_code(&jwk), "ERR_JOSE_NOT_SUPPORTED", "kty {kty:?}");
    }
    let mut odd = jwk_object(include_str!("keys/jwk/p256.pub.json"));
    odd.insert("kty".into(), Value::String("EC\"2".into()));
    let message = Key::from_jwk(&odd, &ImportOptions::default())
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        message.as_deref(),
        Some(r#"JWK kty "EC\"2" is not supported"#),
        "quoted once"
    );
    let mut no_kty = jwk_object(include_str!("keys/jwk/p256.pub.json"));
    no_kty.remove("kty");
    assert_eq!(jwk_code(&no_kty), "ERR_JWK_INVALID");
    let mut multi_prime = jwk_object(include_str!("keys/jwk/rsa2048.priv.json"));
    multi_prime.insert("oth".into(), Value::Array(vec![]));
    assert_eq!(jwk_code(&multi_prime), "ERR_JOSE_NOT_SUPPORTED");
}

#[test]
fn garbage_input_is_an_error_not_a_panic() {
    let none = ImportOptions::default();
    // PEM.
    for text in [
        "",
        "garbage",
        "-----BEGIN PRIVATE KEY-----\n!!!! not base64 !!!!\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
        "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n",
        "-----BEGIN ",
    ] {
        let err = Key::from_pem(text, &none).unwrap_err();
        assert_eq!(err.code(), "ERR_JWK_INVALID", "{text:?}: {err:?}");
    }
    // A PEM whose body is a truncated key.
    for f in all_fixtures() {
        let Source::Pem(text) = f.source else { continue };
        let der = der_of_pem(text);
        let label = text
            .lines()
            .next()
            .unwrap()
            .trim_start_matches("-----BEGIN ")
            .trim_end_matches("-----");
        let truncated = pem_of(label, &der[..der.len() / 2]);
        let err = Key::from_pem(&truncated, &none).unwrap_err();
        assert_eq!(err.code(), "ERR_JWK_INVALID", "{} truncated: {err:?}", f.file);
    }
    // DER: empty, garbage and every DER fixture truncated (by half and by one byte).
    for bytes in [&b""[..], b"garbage", &[0x30, 0x82, 0xff, 0xff], &[0x30, 0x00]] {
        let err = Key::from_der(bytes, &none).unwrap_err();
        assert_eq!(err.code(), "ERR_JWK_INVALID", "{bytes:?}: {err:?}");
    }
    for f in all_fixtures() {
        let der = match f.source {
            Source::Der(bytes) => bytes.to_vec(),
            Source::DerOfPem(text) => der_of_pem(text),
            _ => continue,
        };
        for cut in [der.len() / 2, der.len() - 1] {
            let err = Key::from_der(&der[..cut], &none).unwrap_err();
            assert_eq!(err.code(), "ERR_JWK_INVALID", "{} cut at {cut}: {err:?}", f.file);
        }
    }
    // JWK text.
    for text in [
        "",
        "not json",
        "[]",
        "null",
        "{}",
        r#"{"kty":1}"#,
        r#"{"kty":"EC","crv":"P-256","x":"!","y":"!"}"#,
    ] {
        let err = Key::from_jwk_str(text, &none).unwrap_err();
        assert_eq!(err.code(), "ERR_JWK_INVALID", "{text:?}: {err:?}");
    }
    // Oversized input.
    let huge = "A".repeat(70 * 1024);
    assert_eq!(code(Key::from_pem(&huge, &none)), "ERR_JWK_INVALID");
    assert_eq!(code(Key::from_der(huge.as_bytes(), &none)), "ERR_JWK_INVALID");
    assert_eq!(code(Key::from_jwk_str(&huge, &none)), "ERR_JWK_INVALID");
}

/// A PEM block of `der` with `label`, 64 columns.
fn pem_of(label: &str, der: &[u8]) -> String {
    const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in der.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(char::from(STD[((n >> (18 - 6 * i)) & 0x3f) as usize]));
            } else {
                b64.push('=');
            }
        }
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[test]
fn pem_helper_reproduces_the_fixtures() {
    for text in [
        include_str!("keys/p256.pkcs8.pem"),
        include_str!("keys/rsa2048.cert.pem"),
    ] {
        let label = text
            .lines()
            .next()
            .unwrap()
            .trim_start_matches("-----BEGIN ")
            .trim_end_matches("-----");
        assert_eq!(pem_of(label, &der_of_pem(text)), text);
    }
}

#[test]
fn encrypted_private_keys_are_not_supported() {
    for text in [
        include_str!("keys/rsa2048.pkcs8.pem"),
        include_str!("keys/p256.pkcs8.pem"),
    ] {
        let encrypted = text.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY");
        assert!(encrypted.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        let err = Key::from_pem(&encrypted, &ImportOptions::default()).unwrap_err();
        assert_eq!(err.code(), "ERR_JOSE_NOT_SUPPORTED", "{err:?}");
    }
}

#[test]
fn ec_parameters_block_before_a_sec1_key_is_skipped() {
    // `openssl ecparam -genkey` writes an EC PARAMETERS block first (prime256v1 OID).
    let params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
    let text = format!("{params}{}", include_str!("keys/p256.sec1.pem"));
    let key = Key::from_pem(&text, &ImportOptions::default()).unwrap();
    assert_eq!(key.thumbprint(), expected_thumbprint("p256"));
}

// ------------------------------------------------------------------------------------------ generation

#[test]
fn generate_every_algorithm() {
    // One RSA key per RSA algorithm would make this the slowest test in debug builds: RSA keygen
    // runs once at 2048 (the default) and once at 3072, and each key serves three algorithms.
    let rsa_default = Key::generate(Algorithm::RS256, &GenerateOptions::default()).unwrap();
    let rsa_3072 = Key::generate(
        Algorithm::PS384,
        &GenerateOptions {
            modulus_bits: Some(3072),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(rsa_default.rsa_bits(), Some(2048));
    assert_eq!(rsa_3072.rsa_bits(), Some(3072));
    for alg in Algorithm::ALL {
        let key = match alg {
            Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => rsa_default.clone().with_alg(alg).unwrap(),
            Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512 => rsa_3072.clone().with_alg(alg).unwrap(),
            _ => Key::generate(alg, &GenerateOptions::default()).unwrap(),
        };
        assert!(key.is_private(), "{alg}");
        assert_eq!(key.alg(), Some(alg), "{alg}");
        assert_eq!(key.family(), alg.key_family(), "{alg}");
        assert_eq!(key.kid(), key.thumbprint(), "{alg}: kid defaults to the thumbprint");
        assert_eq!(key.default_alg(), alg, "{alg}");
        // Signs and verifies a client assertion, with no alg given (the bound one is used).
        let opts = AssertionOptions {
            alg: None,
            ..assertion_options("gen", alg)
        };
        let token = create_client_assertion(&key, &opts).unwrap();
        assert_eq!(
            decode_unverified(&token).unwrap().header["alg"].as_str(),
            Some(alg.as_str())
        );
        verify_client_assertion(&token, &[key.public_key()], &verify_options("gen"), None).unwrap();
        // And round-trips through its private JWK.
        let again = Key::from_jwk(&key.to_jwk(true).unwrap(), &ImportOptions::default()).unwrap();
        assert_eq!(again.thumbprint(), key.thumbprint());
        assert_eq!(again.alg(), Some(alg));
    }
    // The two EdDSA names are equivalent on one key.
    let ed = Key::generate(Algorithm::Ed25519, &GenerateOptions::default()).unwrap();
    assert_round_trip(
        &ed,
        &ed.public_key(),
        Algorithm::EdDSA,
        "Ed25519-bound key signing EdDSA",
    );
}

#[test]
fn generated_keys_are_fresh() {
    for alg in [Algorithm::ES256, Algorithm::ES384, Algorithm::EdDSA] {
        let a = Key::generate(alg, &GenerateOptions::default()).unwrap();
        let b = Key::generate(alg, &GenerateOptions::default()).unwrap();
        assert_ne!(a.thumbprint(), b.thumbprint(), "{alg}");
    }
}

#[test]
fn generate_honours_a_custom_kid() {
    for alg in [Algorithm::ES256, Algorithm::ES384, Algorithm::EdDSA, Algorithm::Ed25519] {
        let key = Key::generate(
            alg,
            &GenerateOptions {
                kid: Some("my-key-2025".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(key.kid(), "my-key-2025");
        assert_ne!(key.thumbprint(), "my-key-2025");
        let token = create_client_assertion(&key, &assertion_options("c", alg)).unwrap();
        assert_eq!(
            decode_unverified(&token).unwrap().header["kid"].as_str(),
            Some("my-key-2025")
        );
        assert_eq!(key.to_jwk(false).unwrap()["kid"].as_str(), Some("my-key-2025"));
    }
    let err = Key::generate(
        Algorithm::ES256,
        &GenerateOptions {
            kid: Some(String::new()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "ERR_INVALID_ARGUMENT");
}

#[test]
fn generate_refuses_bad_modulus_lengths() {
    for bits in [0, 1024, 2047, 2049, 2056 + 1, 8200, 16384] {
        let opts = GenerateOptions {
            modulus_bits: Some(bits),
            ..Default::default()
        };
        assert_eq!(
            code(Key::generate(Algorithm::RS256, &opts)),
            "ERR_INVALID_ARGUMENT",
            "{bits} bits"
        );
        assert_eq!(
            code(Key::generate(Algorithm::PS256, &opts)),
            "ERR_INVALID_ARGUMENT",
            "{bits} bits"
        );
    }
    // modulus_bits on a non-RSA algorithm.
    for alg in [Algorithm::ES256, Algorithm::ES384, Algorithm::EdDSA] {
        let opts = GenerateOptions {
            modulus_bits: Some(2048),
            ..Default::default()
        };
        assert_eq!(code(Key::generate(alg, &opts)), "ERR_INVALID_ARGUMENT", "{alg}");
    }
}

// ------------------------------------------------------------------------------------------ Debug

/// True when `text` has a field named exactly `name` (`name:` not preceded by an identifier
/// character, so `kid:` is not a `d:` field).
fn has_field(text: &str, name: &str) -> bool {
    let needle = format!("{name}:");
    text.match_indices(&needle).any(|(i, _)| {
        !text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn debug_never_shows_private_members() {
    let mut keys: Vec<(String, Key)> = Vec::new();
    for name in SUPPORTED_KEYS {
        for f in private_fixtures(name) {
            keys.push((f.file.to_owned(), import(&f)));
        }
    }
    for alg in [Algorithm::ES256, Algorithm::ES384, Algorithm::EdDSA] {
        keys.push((
            format!("generated {alg}"),
            Key::generate(alg, &GenerateOptions::default()).unwrap(),
        ));
    }
    for (what, key) in keys {
        let private_jwk = key.to_jwk(true).unwrap();
        for rendered in [format!("{key:?}"), format!("{key:#?}")] {
            assert!(rendered.contains("private: true"), "{what}: {rendered}");
            assert!(has_field(&rendered, "kid"), "{what}: {rendered}");
            for member in PRIVATE_MEMBERS {
                assert!(
                    !has_field(&rendered, member),
                    "{what}: Debug has a {member} field: {rendered}"
                );
                if let Some(value) = private_jwk.get(member).and_then(Value::as_str) {
                    assert!(!rendered.contains(value), "{what}: Debug shows {member}");
                    // Nor any long piece of it.
                    assert!(!rendered.contains(&value[..16]), "{what}: Debug shows part of {member}");
                }
            }
        }
    }
}

#[test]
fn has_field_ignores_longer_names() {
    assert!(!has_field("Key { kid: \"x\" }", "d"));
    assert!(has_field("Key { d: \"x\" }", "d"));
    assert!(has_field("Key {\n    d: \"x\" }", "d"));
}
