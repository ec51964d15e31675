//! JWE decryption against published vectors (tests/vectors/jwe/README.md names each source),
//! and the refusals and opaque failures of the decryption policy.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use pkjwt::json;
use pkjwt::json::Value;
use pkjwt::jwe::{self, ContentEncryption, DecryptOptions, EncryptOptions, KeyManagementAlgorithm};
use pkjwt::{GenerateOptions, ImportOptions, Key, b64};

fn vector(name: &str) -> Value {
    let path = format!("{}/tests/vectors/jwe/{name}", env!("CARGO_MANIFEST_DIR"));
    str::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn key_of(jwk: &Value) -> Key {
    Key::from_jwk(jwk.as_object().unwrap(), &ImportOptions::default()).unwrap()
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn code(result: pkjwt::Result<jwe::Decrypted>) -> &'static str {
    result.unwrap_err().code()
}

fn decrypt(compact: &str, key: &Key) -> pkjwt::Result<jwe::Decrypted> {
    jwe::decrypt(compact, std::slice::from_ref(key), &DecryptOptions::default())
}

#[test]
fn published_vectors_decrypt() {
    for name in [
        "rfc7516-a1.json",
        "rfc7520-5.2.json",
        "rfc7520-5.4.json",
        "rfc7520-5.5.json",
    ] {
        let v = vector(name);
        let mut jwk = v["key"].clone();
        if jwk.get("use").is_none() {
            jwk["use"] = "enc".into();
        }
        let key = key_of(&jwk);
        assert!(key.is_encryption_key(), "{name}");
        let decrypted = decrypt(v["compact"].as_str().unwrap(), &key).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(decrypted.text(), v["plaintext"].as_str(), "{name}");
        assert_eq!(decrypted.key_index, 0);
    }
}

/// RFC 7520 §5.5 publishes the CEK that ECDH-ES derives: sealing the published plaintext with it,
/// the published IV and the published protected header gives the published ciphertext and tag.
#[test]
fn rfc7520_5_5_derived_cek_reproduces_the_ciphertext() {
    let v = vector("rfc7520-5.5.json");
    let parts: Vec<&str> = v["compact"].as_str().unwrap().split('.').collect();
    let cek = b64::decode(v["cek"].as_str().unwrap()).unwrap();
    let iv = b64::decode(parts[2]).unwrap();
    let (ciphertext, tag) = ContentEncryption::A128CbcHs256
        .seal(
            &cek,
            &iv,
            parts[0].as_bytes(),
            v["plaintext"].as_str().unwrap().as_bytes(),
        )
        .unwrap();
    assert_eq!(b64::encode(&ciphertext), parts[3]);
    assert_eq!(b64::encode(&tag), parts[4]);
}

#[test]
fn rfc7518_appendix_b_cbc_hmac_test_cases() {
    let v = vector("content.json");
    let b = &v["rfc7518_b"];
    let (plaintext, iv, aad) = (
        hex(b["plaintext"].as_str().unwrap()),
        hex(b["iv"].as_str().unwrap()),
        hex(b["aad"].as_str().unwrap()),
    );
    for case in b["cases"].as_array().unwrap() {
        let enc: ContentEncryption = case["enc"].as_str().unwrap().parse().unwrap();
        let key = hex(case["key"].as_str().unwrap());
        let (ciphertext, tag) = enc.seal(&key, &iv, &aad, &plaintext).unwrap();
        assert_eq!(
            ciphertext,
            hex(case["ciphertext"].as_str().unwrap()),
            "{}",
            case["section"]
        );
        assert_eq!(tag, hex(case["tag"].as_str().unwrap()), "{}", case["section"]);
        assert_eq!(
            enc.open(&key, &iv, &aad, &ciphertext, &tag).unwrap().as_slice(),
            plaintext.as_slice()
        );
        let mut bad_tag = tag.clone();
        bad_tag[0] ^= 1;
        assert_eq!(
            enc.open(&key, &iv, &aad, &ciphertext, &bad_tag).unwrap_err().code(),
            "ERR_JWE_DECRYPTION_FAILED"
        );
        assert_eq!(
            enc.open(&key, &iv, &aad[1..], &ciphertext, &tag).unwrap_err().code(),
            "ERR_JWE_DECRYPTION_FAILED"
        );
    }
}

#[test]
fn rfc7516_a2_a3_are_refused_but_their_content_layer_matches() {
    let v = vector("content.json");
    let a = &v["rfc7516_a2_a3"];
    let cek: Vec<u8> = a["cek"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap() as u8)
        .collect();
    let iv = b64::decode(a["iv"].as_str().unwrap()).unwrap();
    let key = Key::generate_for_encryption(KeyManagementAlgorithm::RsaOaep, &GenerateOptions::default()).unwrap();
    for (field, refusal) in [
        ("a2_compact", "ERR_JOSE_ALG_NOT_ALLOWED"),
        ("a3_compact", "ERR_JOSE_NOT_SUPPORTED"),
    ] {
        let compact = a[field].as_str().unwrap();
        assert_eq!(code(decrypt(compact, &key)), refusal, "{field}");
        let parts: Vec<&str> = compact.split('.').collect();
        let (ciphertext, tag) = ContentEncryption::A128CbcHs256
            .seal(
                &cek,
                &iv,
                parts[0].as_bytes(),
                a["plaintext"].as_str().unwrap().as_bytes(),
            )
            .unwrap();
        assert_eq!(b64::encode(&ciphertext), a["ciphertext"].as_str().unwrap());
        assert_eq!(b64::encode(&tag), parts[4], "{field}");
        let opened = ContentEncryption::A128CbcHs256
            .open(&cek, &iv, parts[0].as_bytes(), &ciphertext, &tag)
            .unwrap();
        assert_eq!(opened.as_slice(), a["plaintext"].as_str().unwrap().as_bytes());
    }
}

#[test]
fn rfc7518_appendix_c_ecdh_es() {
    let v = vector("content.json");
    let c = &v["rfc7518_c"];
    let z: Vec<u8> = c["z"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap() as u8)
        .collect();
    let (apu, apv) = (
        b64::decode(c["apu"].as_str().unwrap()).unwrap(),
        b64::decode(c["apv"].as_str().unwrap()).unwrap(),
    );
    let derived = jwe::concat_kdf(&z, 16, "A128GCM", &apu, &apv);
    assert_eq!(b64::encode(&derived), c["derived_key"].as_str().unwrap());

    // A JWE from Alice's published ephemeral key decrypts with Bob's key only if Z is the published one.
    let header = json!({"alg": "ECDH-ES", "enc": "A128GCM", "apu": c["apu"], "apv": c["apv"], "epk": c["alice_epk"]});
    let protected = b64::encode(header.to_string().as_bytes());
    let iv = [7u8; 12];
    let (ciphertext, tag) = ContentEncryption::A128Gcm
        .seal(&derived, &iv, protected.as_bytes(), b"Appendix C")
        .unwrap();
    let compact = format!(
        "{protected}..{}.{}.{}",
        b64::encode(&iv),
        b64::encode(&ciphertext),
        b64::encode(&tag)
    );
    let mut bob = c["bob"].clone();
    bob["use"] = "enc".into();
    assert_eq!(decrypt(&compact, &key_of(&bob)).unwrap().plaintext, b"Appendix C");
}

fn enc_key(alg: KeyManagementAlgorithm) -> Key {
    Key::generate_for_encryption(alg, &GenerateOptions::default()).unwrap()
}

fn replace_segment(compact: &str, index: usize, value: &str) -> String {
    let mut parts: Vec<String> = compact.split('.').map(str::to_owned).collect();
    parts[index] = value.to_owned();
    parts.join(".")
}

fn flip(segment: &str, at: usize) -> String {
    let mut bytes = b64::decode(segment).unwrap();
    let at = at.min(bytes.len() - 1);
    bytes[at] ^= 0x01;
    b64::encode(&bytes)
}

fn with_header(compact: &str, change: impl Fn(&mut Value)) -> String {
    let protected = compact.split('.').next().unwrap();
    let mut header: Value = pkjwt::json::parse(&b64::decode(protected).unwrap()).unwrap();
    change(&mut header);
    replace_segment(compact, 0, &b64::encode(header.to_string().as_bytes()))
}

#[test]
fn round_trips_every_algorithm_pair() {
    for alg in KeyManagementAlgorithm::ALL {
        let key = enc_key(alg);
        for enc in ContentEncryption::ALL {
            let opts = EncryptOptions {
                alg: Some(alg),
                enc,
                cty: Some("JWT".into()),
                ..Default::default()
            };
            let compact = jwe::encrypt(b"hello", &key.public_key(), &opts).unwrap();
            let decrypted = decrypt(&compact, &key).unwrap_or_else(|e| panic!("{alg} {enc}: {e:?}"));
            assert_eq!(decrypted.plaintext, b"hello");
            assert_eq!(decrypted.header["cty"], "JWT");
            assert_eq!(decrypted.header["kid"], key.kid());
        }
    }
}

#[test]
fn every_decryption_failure_is_the_same_opaque_error() {
    for alg in KeyManagementAlgorithm::ALL {
        let key = enc_key(alg);
        let other = enc_key(alg).with_kid(key.kid()).unwrap();
        for enc in [ContentEncryption::A128CbcHs256, ContentEncryption::A256Gcm] {
            let opts = EncryptOptions {
                alg: Some(alg),
                enc,
                ..Default::default()
            };
            let compact = jwe::encrypt(b"secret claims", &key, &opts).unwrap();
            let parts: Vec<String> = compact.split('.').map(str::to_owned).collect();
            let mut failures = vec![
                ("wrong key", decrypt(&compact, &other)),
                (
                    "ciphertext",
                    decrypt(&replace_segment(&compact, 3, &flip(&parts[3], 3)), &key),
                ),
                ("tag", decrypt(&replace_segment(&compact, 4, &flip(&parts[4], 0)), &key)),
                ("iv", decrypt(&replace_segment(&compact, 2, &flip(&parts[2], 0)), &key)),
                (
                    "aad",
                    decrypt(&with_header(&compact, |h| h["typ"] = "JWT".into()), &key),
                ),
                (
                    "truncated tag",
                    decrypt(
                        &replace_segment(&compact, 4, &b64::encode(&b64::decode(&parts[4]).unwrap()[..8])),
                        &key,
                    ),
                ),
            ];
            if alg != KeyManagementAlgorithm::EcdhEs {
                failures.push((
                    "encrypted key",
                    decrypt(&replace_segment(&compact, 1, &flip(&parts[1], 5)), &key),
                ));
            }
            for (what, result) in failures {
                assert_eq!(code(result), "ERR_JWE_DECRYPTION_FAILED", "{alg} {enc}: {what}");
            }
        }
    }
}

#[test]
fn policy_refusals_have_exact_codes() {
    let key = enc_key(KeyManagementAlgorithm::RsaOaep256);
    let compact = jwe::encrypt(b"x", &key, &EncryptOptions::default()).unwrap();
    assert_eq!(
        code(decrypt(&with_header(&compact, |h| h["zip"] = "DEF".into()), &key)),
        "ERR_JOSE_NOT_SUPPORTED"
    );
    assert_eq!(
        code(decrypt(&with_header(&compact, |h| h["crit"] = json!(["exp"])), &key)),
        "ERR_JOSE_NOT_SUPPORTED"
    );
    assert_eq!(
        code(decrypt(&with_header(&compact, |h| h["alg"] = "RSA1_5".into()), &key)),
        "ERR_JOSE_ALG_NOT_ALLOWED"
    );
    for alg in ["dir", "A256KW", "PBES2-HS256+A128KW", "nope"] {
        assert_eq!(
            code(decrypt(&with_header(&compact, |h| h["alg"] = alg.into()), &key)),
            "ERR_JOSE_NOT_SUPPORTED",
            "{alg}"
        );
    }
    assert_eq!(
        code(decrypt(&with_header(&compact, |h| h["enc"] = "A192GCM".into()), &key)),
        "ERR_JOSE_NOT_SUPPORTED"
    );
    assert_eq!(
        code(decrypt(&with_header(&compact, |h| h["alg"] = json!(1)), &key)),
        "ERR_JWE_INVALID"
    );
    assert_eq!(
        code(decrypt(
            &with_header(&compact, |h| {
                h.as_object_mut().unwrap().remove("enc");
            }),
            &key
        )),
        "ERR_JWE_INVALID"
    );

    let narrow = DecryptOptions {
        algorithms: vec![KeyManagementAlgorithm::RsaOaep],
        ..Default::default()
    };
    assert_eq!(
        code(jwe::decrypt(&compact, std::slice::from_ref(&key), &narrow)),
        "ERR_JOSE_ALG_NOT_ALLOWED"
    );
    let narrow = DecryptOptions {
        encryptions: vec![ContentEncryption::A128Gcm],
        ..Default::default()
    };
    assert_eq!(
        code(jwe::decrypt(&compact, std::slice::from_ref(&key), &narrow)),
        "ERR_JOSE_ALG_NOT_ALLOWED"
    );

    let small = DecryptOptions {
        max_size: compact.len() - 1,
        ..Default::default()
    };
    assert_eq!(
        code(jwe::decrypt(&compact, std::slice::from_ref(&key), &small)),
        "ERR_JWE_INVALID"
    );
    let huge = "a".repeat(jwe::DEFAULT_MAX_JWE_SIZE + 1);
    assert_eq!(code(decrypt(&huge, &key)), "ERR_JWE_INVALID");
    for broken in ["a.b.c", "a.b.c.d.e.f", "....", &format!("{compact}=")] {
        assert_eq!(code(decrypt(broken, &key)), "ERR_JWE_INVALID", "{broken}");
    }
    let parts: Vec<&str> = compact.split('.').collect();
    assert_eq!(
        code(decrypt(&replace_segment(&compact, 2, &b64::encode(&[0u8; 16])), &key)),
        "ERR_JWE_INVALID"
    );
    assert_eq!(
        code(decrypt(&replace_segment(&compact, 1, ""), &key)),
        "ERR_JWE_INVALID"
    );
    assert!(!parts[1].is_empty());

    let other_kid = with_header(&compact, |h| h["kid"] = "someone-else".into());
    assert_eq!(code(decrypt(&other_kid, &key)), "ERR_JWKS_NO_MATCHING_KEY");
}

#[test]
fn epk_off_curve_or_on_the_wrong_curve_fails_opaquely() {
    let key = enc_key(KeyManagementAlgorithm::EcdhEs);
    let compact = jwe::encrypt(b"x", &key, &EncryptOptions::default()).unwrap();
    let off_curve = with_header(&compact, |h| {
        let y = h["epk"]["y"].as_str().unwrap().to_owned();
        h["epk"]["y"] = flip(&y, 31).into();
    });
    assert_eq!(code(decrypt(&off_curve, &key)), "ERR_JWE_DECRYPTION_FAILED");
    let p384 = Key::from_jwk(
        vector("rfc7520-5.4.json")["key"].as_object().unwrap(),
        &ImportOptions::default(),
    )
    .unwrap();
    let p384_epk = jwe::encrypt(
        b"x",
        &p384.public_key(),
        &EncryptOptions {
            alg: Some(KeyManagementAlgorithm::EcdhEs),
            ..Default::default()
        },
    )
    .unwrap();
    let p384_header: Value = pkjwt::json::parse(&b64::decode(p384_epk.split('.').next().unwrap()).unwrap()).unwrap();
    let wrong_curve = with_header(&compact, |h| h["epk"] = p384_header["epk"].clone());
    assert_eq!(code(decrypt(&wrong_curve, &key)), "ERR_JWE_DECRYPTION_FAILED");
    let no_epk = with_header(&compact, |h| {
        h.as_object_mut().unwrap().remove("epk");
    });
    assert_eq!(code(decrypt(&no_epk, &key)), "ERR_JWE_INVALID");
}

#[test]
fn signature_keys_never_decrypt_and_encryption_keys_never_sign() {
    let sig = Key::generate(pkjwt::Algorithm::RS256, &GenerateOptions::default()).unwrap();
    let enc = enc_key(KeyManagementAlgorithm::RsaOaep256);
    let compact = jwe::encrypt(
        b"x",
        &enc,
        &EncryptOptions {
            kid: pkjwt::HeaderChoice::Omit,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(code(decrypt(&compact, &sig)), "ERR_JWKS_NO_MATCHING_KEY");
    assert_eq!(
        jwe::encrypt(b"x", &sig, &EncryptOptions::default()).unwrap_err().code(),
        "ERR_JOSE_ALG_NOT_ALLOWED"
    );
    assert_eq!(
        enc.sign(pkjwt::Algorithm::RS256, b"x").unwrap_err().code(),
        "ERR_JOSE_ALG_NOT_ALLOWED"
    );
    assert_eq!(code(decrypt(&compact, &enc.public_key())), "ERR_JWKS_NO_MATCHING_KEY");
    let keys = [sig, enc];
    assert_eq!(
        jwe::decrypt(&compact, &keys, &DecryptOptions::default())
            .unwrap()
            .key_index,
        1
    );
}

#[test]
fn jwks_export_and_separation() {
    let sig = Key::generate(pkjwt::Algorithm::RS256, &GenerateOptions::default()).unwrap();
    let enc = enc_key(KeyManagementAlgorithm::RsaOaep256);
    let jwk = enc.to_jwk(false).unwrap();
    assert_eq!(jwk["use"], "enc");
    assert_eq!(jwk["alg"], "RSA-OAEP-256");
    let reimported = Key::from_jwk(&jwk, &ImportOptions::default()).unwrap();
    let mut confused = jwk.clone();
    confused.insert("alg".into(), "RS256".into());
    let confused = Key::from_jwk(&confused, &ImportOptions::default()).unwrap();
    assert!(
        !confused.fits(pkjwt::Algorithm::RS256),
        "use enc with a signature alg: never used"
    );
    assert!(!confused.fits_encryption(KeyManagementAlgorithm::RsaOaep256));
    let mut sig_use = jwk.clone();
    sig_use.insert("use".into(), "sig".into());
    assert_eq!(
        Key::from_jwk(&sig_use, &ImportOptions::default()).unwrap_err().code(),
        "ERR_JWK_INVALID"
    );
    assert_eq!(reimported.encryption_alg(), Some(KeyManagementAlgorithm::RsaOaep256));
    let strict = pkjwt::JwksOptions {
        require_separate_keys: true,
    };
    let set = pkjwt::to_jwks_with(&[sig.clone(), enc.clone()], &strict).unwrap();
    assert_eq!(set["keys"].as_array().unwrap().len(), 2);
    assert_eq!(
        pkjwt::from_jwks(&set).unwrap().len(),
        1,
        "verification keys skip enc keys"
    );

    let pem = sig.to_pem().unwrap();
    let unbound = Key::from_pem(&pem, &ImportOptions::default()).unwrap();
    let same_pair_enc = unbound
        .clone()
        .for_encryption(KeyManagementAlgorithm::RsaOaep256)
        .unwrap();
    let error = pkjwt::to_jwks_with(&[sig.clone(), same_pair_enc.clone()], &strict).unwrap_err();
    assert_eq!(error.code(), "ERR_INVALID_ARGUMENT");
    assert_eq!(
        pkjwt::to_jwks_with(&[unbound], &strict).unwrap_err().code(),
        "ERR_INVALID_ARGUMENT"
    );
    assert!(pkjwt::to_jwks_with(&[sig, same_pair_enc], &pkjwt::JwksOptions::default()).is_ok());
}
