//! RSA key arithmetic and formats without the `rsa` crate in the library, checked against it (a
//! dev-dependency here): the kernel's private exponent, CRT values, prime recovery and modulus
//! equal the `rsa` crate's on random keys; keys pkjwt generates are accepted by the `rsa` crate
//! (which validates them) and sign identically; PKCS#1/PKCS#8/SPKI exports are byte-identical to
//! the `rsa` crate's; keys with an inconsistent CRT value are refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use pkjwt::{Algorithm, GenerateOptions, ImportOptions, Key, b64};
use pkjwt_rsa_kernel as kernel;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::sha2::Sha256;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};

fn strip(bytes: &[u8]) -> Vec<u8> {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    bytes[zeros..].to_vec()
}

fn random_key(bits: usize, e: u64) -> rsa::PrivateKey {
    rsa::PrivateKey::new_with_exp(&mut getrandom::SysRng, bits, rsa::BoxedUint::from(e)).unwrap()
}

#[test]
fn kernel_key_arithmetic_matches_the_rsa_crate() {
    for (bits, e) in [(2048, 65537u32), (2051, 65537), (2048, 3), (3072, 65537)] {
        let theirs = random_key(bits, u64::from(e));
        let [p, q] = theirs.primes() else { panic!("two primes") };
        let (p, q) = (p.to_be_bytes(), q.to_be_bytes());
        let n = theirs.n_bytes();
        let d = theirs.d().to_be_bytes();
        let label = format!("RSA-{bits} e={e}");
        assert_eq!(strip(&kernel::modulus(&p, &q)), strip(&n), "{label} n");
        assert_eq!(
            strip(&kernel::crt_exponent(&d, &p, e).unwrap()),
            strip(&theirs.dp().unwrap().to_be_bytes()),
            "{label} dp"
        );
        assert_eq!(
            strip(&kernel::crt_exponent(&d, &q, e).unwrap()),
            strip(&theirs.dq().unwrap().to_be_bytes()),
            "{label} dq"
        );
        assert_eq!(
            strip(&kernel::crt_coefficient(&p, &q).unwrap()),
            strip(&theirs.crt_coefficient().unwrap().to_be_bytes()),
            "{label} qinv"
        );
        let (big, small) = kernel::recover_primes(&n, e, &d).unwrap();
        let mut expected = [strip(&p), strip(&q)];
        expected.sort_by(|a, b| b.len().cmp(&a.len()).then(b.cmp(a)));
        assert_eq!([big, small], expected, "{label} recovered primes");
        if e == 65537 {
            let from_p_q = rsa::PrivateKey::from_p_q(
                theirs.primes()[0].as_ref().clone(),
                theirs.primes()[1].as_ref().clone(),
                rsa::BoxedUint::from(65537u64),
            )
            .unwrap();
            assert_eq!(
                strip(&kernel::private_exponent(&p, &q, e).unwrap()),
                strip(&from_p_q.d().to_be_bytes()),
                "{label} d = e⁻¹ mod λ(n)"
            );
        }
        let mut wrong_d = d.clone();
        *wrong_d.last_mut().unwrap() ^= 2;
        assert!(kernel::crt_exponent(&wrong_d, &p, e).is_err(), "{label} wrong d");
        assert!(kernel::recover_primes(&n, e, &wrong_d).is_err(), "{label} wrong d");
        let dp = kernel::crt_exponent(&d, &p, e).unwrap();
        assert!(kernel::recover_primes(&p, e, &dp).is_err(), "{label} a prime modulus");
    }
}

#[test]
fn exports_are_byte_identical_to_the_rsa_crate() {
    let theirs = random_key(2048, 65537);
    let ours = Key::from_der(theirs.to_pkcs8_der().unwrap().as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(ours.to_pem().unwrap(), *theirs.to_pkcs8_pem(LineEnding::LF).unwrap());
    assert_eq!(
        ours.public_key().to_pem().unwrap(),
        theirs.as_public_key().to_public_key_pem(LineEnding::LF).unwrap()
    );
    assert_eq!(
        ours.to_spki_der().unwrap(),
        theirs.as_public_key().to_public_key_der().unwrap().as_bytes()
    );
    let jwk = ours.to_jwk(true).unwrap();
    let member = |name: &str| b64::decode(jwk[name].as_str().unwrap()).unwrap();
    assert_eq!(member("n"), strip(&theirs.n_bytes()));
    assert_eq!(member("d"), strip(&theirs.d().to_be_bytes()));
    assert_eq!(member("dp"), strip(&theirs.dp().unwrap().to_be_bytes()));
    assert_eq!(member("qi"), strip(&theirs.crt_coefficient().unwrap().to_be_bytes()));
    let pkcs1 = theirs.to_pkcs1_pem(LineEnding::LF).unwrap();
    let from_pkcs1 = Key::from_pem(&pkcs1, &ImportOptions::default()).unwrap();
    assert_eq!(from_pkcs1.thumbprint(), ours.thumbprint());
}

#[test]
fn generated_keys_are_valid_for_the_rsa_crate_and_sign_identically() {
    for bits in [2048usize, 2056] {
        let ours = Key::generate(
            Algorithm::RS256,
            &GenerateOptions {
                modulus_bits: Some(bits),
                kid: None,
            },
        )
        .unwrap();
        assert_eq!(ours.rsa_bits(), Some(bits));
        let theirs = rsa::PrivateKey::from_pkcs8_pem(&ours.to_pem().unwrap()).unwrap();
        assert_eq!(theirs.e_bytes().as_ref(), &[1, 0, 1]);
        let message = b"generated by pkjwt";
        assert_eq!(
            ours.sign(Algorithm::RS256, message).unwrap(),
            theirs.pkcs1v15_sign::<Sha256>(message).unwrap()
        );
        let [p, q] = theirs.primes() else { panic!("two primes") };
        let recomputed =
            rsa::PrivateKey::from_p_q(p.as_ref().clone(), q.as_ref().clone(), rsa::BoxedUint::from(65537u64)).unwrap();
        assert_eq!(
            strip(&theirs.d().to_be_bytes()),
            strip(&recomputed.d().to_be_bytes()),
            "d = e⁻¹ mod λ(n)"
        );
    }
}

fn jwk_code(jwk: &pkjwt::json::Object) -> &'static str {
    Key::from_jwk(jwk, &ImportOptions::default()).unwrap_err().code()
}

#[test]
fn inconsistent_crt_values_and_incomplete_keys_are_refused() {
    let theirs = random_key(2048, 65537);
    let ours = Key::from_der(theirs.to_pkcs8_der().unwrap().as_bytes(), &ImportOptions::default()).unwrap();
    let jwk = ours.to_jwk(true).unwrap();
    for name in ["dp", "dq", "qi", "p", "q", "d"] {
        let mut bytes = b64::decode(jwk[name].as_str().unwrap()).unwrap();
        *bytes.last_mut().unwrap() ^= 0x04;
        let mut broken = jwk.clone();
        broken.insert(name.into(), b64::encode(&bytes).into());
        assert_eq!(jwk_code(&broken), "ERR_JWK_INVALID", "{name}");
    }
    let mut without_crt = jwk.clone();
    for name in ["dp", "dq", "qi"] {
        without_crt.remove(name);
    }
    let completed = Key::from_jwk(&without_crt, &ImportOptions::default()).unwrap();
    assert_eq!(completed.to_jwk(true).unwrap(), jwk, "CRT values recomputed");
    let mut minimal = jwk.clone();
    for name in ["p", "q", "dp", "dq", "qi"] {
        minimal.remove(name);
    }
    let recovered = Key::from_jwk(&minimal, &ImportOptions::default()).unwrap();
    assert_eq!(recovered.thumbprint(), ours.thumbprint());
    let message = b"n, e and d only";
    ours.public_key()
        .verify(
            Algorithm::PS256,
            message,
            &recovered.sign(Algorithm::PS256, message).unwrap(),
        )
        .unwrap();
    let mut wrong_d = minimal.clone();
    let mut d = b64::decode(jwk["d"].as_str().unwrap()).unwrap();
    *d.last_mut().unwrap() ^= 0x04;
    wrong_d.insert("d".into(), b64::encode(&d).into());
    assert_eq!(jwk_code(&wrong_d), "ERR_JWK_INVALID");

    let mut pkcs1 = theirs.to_pkcs1_der().unwrap().as_bytes().to_vec();
    let dp = theirs.dp().unwrap().to_be_bytes();
    let at = pkcs1.windows(dp.len()).position(|w| w == &dp[..]).unwrap();
    pkcs1[at + dp.len() - 1] ^= 0x02;
    let error = Key::from_der(&pkcs1, &ImportOptions::default()).unwrap_err();
    assert_eq!(error.code(), "ERR_JWK_INVALID");
    assert!(error.to_string().contains("dp"), "{error}");
}
