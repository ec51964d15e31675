//! pkjwt's own DER/PEM codec (src/key/der/) through the public API: exports byte-identical to
//! RustCrypto's `pkcs8`/`spki`/`pkcs1` encoders (dev-dependencies) and to the OpenSSL fixtures,
//! imports that read what those crates read, and non-DER variants refused.
//! The codec's own differential tests against the same crates are in src/key/der/tests.rs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use pkcs8::{EncodePrivateKey as _, EncodePublicKey as _, LineEnding};
use pkjwt::json::{Object, Value};
use pkjwt::{Algorithm, GenerateOptions, ImportOptions, Key};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/keys/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn fixture_der(name: &str) -> Vec<u8> {
    pem_rfc7468::decode_vec(fixture(name).as_bytes()).unwrap().1
}

fn member(jwk: &Object, name: &str) -> Vec<u8> {
    pkjwt::b64::decode(jwk[name].as_str().unwrap()).unwrap()
}

fn code<T: std::fmt::Debug>(result: pkjwt::Result<T>) -> &'static str {
    result.unwrap_err().code()
}

/// The PKCS#8 PEM and SPKI DER that RustCrypto's crates write for the key of `jwk`.
fn reference_exports(jwk: &Object) -> (String, Vec<u8>) {
    match (jwk["kty"].as_str().unwrap(), jwk.get("crv").and_then(Value::as_str)) {
        ("EC", Some("P-256")) => {
            let sk = p256::ecdsa::SigningKey::from_slice(&member(jwk, "d")).unwrap();
            let pem = sk.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
            (pem, sk.verifying_key().to_public_key_der().unwrap().into_vec())
        }
        ("EC", Some("P-384")) => {
            let sk = p384::ecdsa::SigningKey::from_slice(&member(jwk, "d")).unwrap();
            let pem = sk.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
            (pem, sk.verifying_key().to_public_key_der().unwrap().into_vec())
        }
        ("OKP", _) => {
            let seed: [u8; 32] = member(jwk, "d").try_into().unwrap();
            let sk = ed25519_dalek::SigningKey::from_bytes(&seed);
            let pem = sk.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
            (pem, sk.verifying_key().to_public_key_der().unwrap().into_vec())
        }
        ("RSA", _) => reference_rsa_exports(jwk),
        other => panic!("{other:?}"),
    }
}

/// RSA through `pkcs1` + `pkcs8` + `spki`, as pkjwt wrote it before its own codec.
fn reference_rsa_exports(jwk: &Object) -> (String, Vec<u8>) {
    use der::asn1::{BitStringRef, OctetStringRef, UintRef};
    use der::{Document, SecretDocument};
    let numbers: Vec<Vec<u8>> = ["n", "e", "d", "p", "q", "dp", "dq", "qi"]
        .iter()
        .map(|m| member(jwk, m))
        .collect();
    let uint = |i: usize| UintRef::new(&numbers[i]).unwrap();
    let private = pkcs1::RsaPrivateKey {
        modulus: uint(0),
        public_exponent: uint(1),
        private_exponent: uint(2),
        prime1: uint(3),
        prime2: uint(4),
        exponent1: uint(5),
        exponent2: uint(6),
        coefficient: uint(7),
        other_prime_infos: None,
    };
    let pkcs1_der = SecretDocument::encode_msg(&private).unwrap();
    let info = pkcs8::PrivateKeyInfoRef::new(pkcs1::ALGORITHM_ID, OctetStringRef::new(pkcs1_der.as_bytes()).unwrap());
    let pem = SecretDocument::encode_msg(&info)
        .unwrap()
        .to_pem("PRIVATE KEY", LineEnding::LF)
        .unwrap();
    let public = Document::encode_msg(&pkcs1::RsaPublicKeyRef {
        modulus: uint(0),
        public_exponent: uint(1),
    })
    .unwrap();
    let spki = spki::SubjectPublicKeyInfoRef {
        algorithm: pkcs1::ALGORITHM_ID,
        subject_public_key: BitStringRef::new(0, public.as_bytes()).unwrap(),
    };
    (pem.to_string(), Document::encode_msg(&spki).unwrap().into_vec())
}

fn assert_exports_match_the_reference(key: &Key, what: &str) {
    let jwk = key.to_jwk(true).unwrap();
    let (pem, spki) = reference_exports(&jwk);
    assert_eq!(key.to_pem().unwrap(), pem, "{what}: PKCS#8 PEM");
    assert_eq!(key.to_spki_der().unwrap(), spki, "{what}: SPKI DER");
    let public = Key::from_der(&spki, &ImportOptions::default()).unwrap();
    let spki_pem = pem_rfc7468::encode_string("PUBLIC KEY", LineEnding::LF, &spki).unwrap();
    assert_eq!(public.to_pem().unwrap(), spki_pem, "{what}: SPKI PEM");
    let reimported = Key::from_pem(&pem, &ImportOptions::default()).unwrap();
    assert_eq!(reimported.thumbprint(), key.thumbprint(), "{what}");
}

const PRIVATE_FIXTURES: [&str; 7] = [
    "rsa2048.pkcs8.pem",
    "rsa2048-e3.pkcs8.pem",
    "rsa3072.pkcs8.pem",
    "rsa4096.pkcs8.pem",
    "p256.pkcs8.pem",
    "p384.pkcs8.pem",
    "ed25519.pkcs8.pem",
];

#[test]
fn fixture_exports_equal_the_rustcrypto_encodings() {
    for name in PRIVATE_FIXTURES {
        let key = Key::from_pem(&fixture(name), &ImportOptions::default()).unwrap();
        assert_exports_match_the_reference(&key, name);
    }
}

#[test]
fn generated_key_exports_equal_the_rustcrypto_encodings() {
    for alg in [
        Algorithm::RS256,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::EdDSA,
        Algorithm::ES256,
        Algorithm::EdDSA,
    ] {
        let key = Key::generate(alg, &GenerateOptions::default()).unwrap();
        assert_exports_match_the_reference(&key, alg.as_str());
    }
}

/// OpenSSL writes RSA PKCS#8 and every SPKI the same way (tests/keys/README.md has the commands).
#[test]
fn exports_equal_the_openssl_fixtures() {
    for name in ["rsa2048", "rsa2048-e3", "rsa3072", "rsa4096"] {
        let key = Key::from_pem(&fixture(&format!("{name}.pkcs8.pem")), &ImportOptions::default()).unwrap();
        assert_eq!(key.to_pem().unwrap(), fixture(&format!("{name}.pkcs8.pem")), "{name}");
    }
    for name in ["rsa2048", "rsa3072", "rsa4096", "p256", "p384", "ed25519"] {
        let public = fixture(&format!("{name}.spki.pem"));
        let key = Key::from_pem(&public, &ImportOptions::default()).unwrap();
        assert_eq!(key.to_pem().unwrap(), public, "{name}");
        assert_eq!(
            key.to_spki_der().unwrap(),
            fixture_der(&format!("{name}.spki.pem")),
            "{name}"
        );
    }
}

/// What pkjwt reads from each fixture is what the RustCrypto crates read from it.
#[test]
fn imports_read_the_numbers_the_rustcrypto_crates_read() {
    use der::Decode;
    use pkcs8::DecodePrivateKey;
    for name in ["rsa2048.pkcs8.pem", "rsa2048.pkcs1.pem", "rsa3072.pkcs8.pem"] {
        let der = fixture_der(name);
        let pkcs1_der = match pkcs8::PrivateKeyInfoRef::from_der(&der) {
            Ok(info) => info.private_key.as_bytes().to_vec(),
            Err(_) => der.clone(),
        };
        let theirs = pkcs1::RsaPrivateKeyRef::from_der(&pkcs1_der).unwrap();
        let jwk = Key::from_der(&der, &ImportOptions::default())
            .unwrap()
            .to_jwk(true)
            .unwrap();
        assert_eq!(member(&jwk, "n"), theirs.modulus.as_bytes(), "{name}");
        assert_eq!(member(&jwk, "e"), theirs.public_exponent.as_bytes(), "{name}");
        assert_eq!(member(&jwk, "d"), theirs.private_exponent.as_bytes(), "{name}");
        assert_eq!(member(&jwk, "qi"), theirs.coefficient.as_bytes(), "{name}");
    }
    let p256_jwk = Key::from_pem(&fixture("p256.sec1.pem"), &ImportOptions::default())
        .unwrap()
        .to_jwk(true)
        .unwrap();
    let theirs = p256::SecretKey::from_pkcs8_pem(&fixture("p256.pkcs8.pem")).unwrap();
    assert_eq!(member(&p256_jwk, "d"), theirs.to_bytes().as_slice());
    let p384_jwk = Key::from_der(&fixture_der("p384.pkcs8.pem"), &ImportOptions::default())
        .unwrap()
        .to_jwk(true)
        .unwrap();
    let theirs = p384::SecretKey::from_pkcs8_pem(&fixture("p384.pkcs8.pem")).unwrap();
    assert_eq!(member(&p384_jwk, "d"), theirs.to_bytes().as_slice());
    let ed_jwk = Key::from_pem(&fixture("ed25519.pkcs8.pem"), &ImportOptions::default())
        .unwrap()
        .to_jwk(true)
        .unwrap();
    let theirs = ed25519_dalek::SigningKey::from_pkcs8_pem(&fixture("ed25519.pkcs8.pem")).unwrap();
    assert_eq!(member(&ed_jwk, "d"), theirs.to_bytes());
}

/// A DER element with `tag`, the minimal length and `contents`.
fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match contents.len() {
        n if n < 0x80 => out.push(n as u8),
        n if n < 0x100 => out.extend([0x81, n as u8]),
        n => out.extend([0x82, (n >> 8) as u8, n as u8]),
    }
    out.extend_from_slice(contents);
    out
}

/// The contents of the outer SEQUENCE and of its elements.
fn split(der: &[u8]) -> (Vec<u8>, Vec<Vec<u8>>) {
    fn element(bytes: &[u8]) -> (usize, usize) {
        let (header, length) = match bytes[1] {
            n if n < 0x80 => (2, n as usize),
            0x81 => (3, bytes[2] as usize),
            0x82 => (4, (bytes[2] as usize) << 8 | bytes[3] as usize),
            other => panic!("{other:02x}"),
        };
        (header, header + length)
    }
    let (header, end) = element(der);
    assert_eq!(end, der.len());
    let contents = der[header..].to_vec();
    let mut fields = Vec::new();
    let mut rest = &contents[..];
    while !rest.is_empty() {
        let (_, end) = element(rest);
        fields.push(rest[..end].to_vec());
        rest = &rest[end..];
    }
    (contents, fields)
}

/// Non-DER and malformed variants of a DER structure.
fn non_der_variants(der: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let (contents, fields) = split(der);
    let mut variants = Vec::new();
    let mut indefinite = vec![0x30, 0x80];
    indefinite.extend_from_slice(&contents);
    indefinite.extend([0, 0]);
    variants.push(("indefinite length", indefinite));
    let mut long = vec![0x30, 0x84];
    long.extend((contents.len() as u32).to_be_bytes());
    long.extend_from_slice(&contents);
    variants.push(("length with leading zero octets", long));
    if contents.len() < 0x80 {
        let mut long_form = vec![0x30, 0x81, contents.len() as u8];
        long_form.extend_from_slice(&contents);
        variants.push(("long form of a short length", long_form));
    }
    let mut trailing = der.to_vec();
    trailing.extend([0x05, 0x00]);
    variants.push(("trailing bytes after the outer SEQUENCE", trailing));
    let mut inside = contents.clone();
    inside.extend([0x05, 0x00]);
    variants.push(("trailing bytes inside the outer SEQUENCE", tlv(0x30, &inside)));
    variants.push(("a SET instead of a SEQUENCE", tlv(0x31, &contents)));
    let mut first = fields.clone();
    if first[0][0] == 0x02 {
        let mut padded = vec![0x02, first[0][1] + 1, 0x00];
        padded.extend_from_slice(&first[0][2..]);
        first[0] = padded;
        variants.push(("a non-minimal INTEGER", tlv(0x30, &first.concat())));
        let mut retagged = fields.clone();
        retagged[0][0] = 0x0A;
        variants.push(("an ENUMERATED instead of an INTEGER", tlv(0x30, &retagged.concat())));
    }
    if fields[0][0] == 0x30 {
        let (algorithm, _) = split(&fields[0]);
        let mut inner = algorithm;
        inner.extend([0x05, 0x00, 0x05, 0x00]);
        let mut changed = fields.clone();
        changed[0] = tlv(0x30, &inner);
        variants.push((
            "trailing bytes inside the AlgorithmIdentifier",
            tlv(0x30, &changed.concat()),
        ));
    }
    for length in 0..der.len() {
        variants.push(("truncated", der[..length].to_vec()));
    }
    variants
}

#[test]
fn non_der_variants_are_refused_like_the_rustcrypto_crates_refuse_them() {
    use der::Decode;
    let names = [
        "rsa2048.pkcs8.pem",
        "rsa2048.spki.pem",
        "rsa2048.pkcs1.pem",
        "rsa2048.pkcs1-pub.pem",
        "p256.pkcs8.pem",
        "p256.spki.pem",
        "p256.sec1.pem",
        "p384.pkcs8.pem",
        "p384.spki.pem",
        "ed25519.pkcs8.pem",
        "ed25519.spki.pem",
        "p256.cert.pem",
        "ed25519.cert.pem",
    ];
    for name in names {
        let der = fixture_der(name);
        assert!(Key::from_der(&der, &ImportOptions::default()).is_ok(), "{name}");
        for (what, variant) in non_der_variants(&der) {
            assert_eq!(
                code(Key::from_der(&variant, &ImportOptions::default())),
                "ERR_JWK_INVALID",
                "{name}: {what}"
            );
            assert!(pkcs8::PrivateKeyInfoRef::from_der(&variant).is_err(), "{name}: {what}");
            assert!(
                spki::SubjectPublicKeyInfoRef::from_der(&variant).is_err(),
                "{name}: {what}"
            );
            assert!(sec1::EcPrivateKey::from_der(&variant).is_err(), "{name}: {what}");
            assert!(pkcs1::RsaPrivateKeyRef::from_der(&variant).is_err(), "{name}: {what}");
            assert!(pkcs1::RsaPublicKeyRef::from_der(&variant).is_err(), "{name}: {what}");
            if variant.is_empty() {
                continue;
            }
            let label = fixture(name).lines().next().unwrap()["-----BEGIN ".len()..]
                .trim_end_matches('-')
                .to_owned();
            let pem = pem_rfc7468::encode_string(&label, LineEnding::LF, &variant).unwrap();
            assert_eq!(
                code(Key::from_pem(&pem, &ImportOptions::default())),
                "ERR_JWK_INVALID",
                "{name}: {what}"
            );
        }
    }
}

#[test]
fn unsupported_algorithms_keep_their_error_code() {
    for name in [
        "p521.pkcs8.pem",
        "p521.spki.pem",
        "secp256k1.pkcs8.pem",
        "secp256k1.spki.pem",
    ] {
        let der = fixture_der(name);
        assert_eq!(
            code(Key::from_der(&der, &ImportOptions::default())),
            "ERR_JOSE_NOT_SUPPORTED",
            "{name}"
        );
        assert_eq!(
            code(Key::from_pem(&fixture(name), &ImportOptions::default())),
            "ERR_JOSE_NOT_SUPPORTED",
            "{name}"
        );
    }
    let der = fixture_der("ed25519.spki.pem");
    let mut unknown = der.clone();
    let at = unknown.windows(3).position(|w| w == [0x2B, 0x65, 0x70]).unwrap();
    unknown[at + 2] = 0x7F;
    let error = Key::from_der(&unknown, &ImportOptions::default()).unwrap_err();
    assert_eq!(error.code(), "ERR_JOSE_NOT_SUPPORTED");
    assert!(error.to_string().contains("1.3.101.127"), "{error}");
}

/// An embedded public key that is not the private key's is refused, as the RustCrypto crates
/// refuse it (Ed25519 PKCS#8 v2, EC `ECPrivateKey`).
#[test]
fn embedded_public_keys_must_match_like_the_rustcrypto_crates_require() {
    use pkcs8::DecodePrivateKey;
    for alg in [Algorithm::EdDSA, Algorithm::ES256, Algorithm::ES384] {
        let key = Key::generate(alg, &GenerateOptions::default()).unwrap();
        let pem = key.to_pem().unwrap();
        let der = pem_rfc7468::decode_vec(pem.as_bytes()).unwrap().1;
        let mut changed = der.clone();
        let last = changed.len() - 1;
        changed[last] ^= 1;
        assert_eq!(
            code(Key::from_der(&changed, &ImportOptions::default())),
            "ERR_JWK_INVALID",
            "{alg}"
        );
        let theirs = match alg {
            Algorithm::EdDSA => ed25519_dalek::SigningKey::from_pkcs8_der(&changed).is_err(),
            Algorithm::ES256 => p256::SecretKey::from_pkcs8_der(&changed).is_err(),
            _ => p384::SecretKey::from_pkcs8_der(&changed).is_err(),
        };
        assert!(theirs, "{alg}");
        assert!(Key::from_der(&der, &ImportOptions::default()).is_ok(), "{alg}");
    }
}
