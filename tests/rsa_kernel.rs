//! Property tests of pkjwt's RSA kernel against the `rsa` crate: random keys of several sizes
//! (odd bit lengths included) and both common public exponents, random messages. RS256/384/512
//! signatures must be byte-identical (PKCS#1 v1.5 is deterministic); PS256/384/512 signatures of
//! each side must verify with the other; tampered signatures must fail on both.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use pkjwt::{Algorithm, ImportOptions, Key};
use rsa::pkcs8::EncodePrivateKey;
use rsa::sha2::{Sha256, Sha384, Sha512};

const MESSAGES_PER_KEY: usize = 4;

fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes).unwrap();
    bytes
}

fn random_message() -> Vec<u8> {
    let len = usize::from(random_bytes(1)[0]) * 3;
    random_bytes(len)
}

fn check_key(theirs: &rsa::PrivateKey, label: &str) {
    let der = theirs.to_pkcs8_der().unwrap();
    let ours = Key::from_der(der.as_bytes(), &ImportOptions::default()).unwrap();
    let public = ours.public_key();
    let their_public = theirs.as_public_key();
    for _ in 0..MESSAGES_PER_KEY {
        let message = random_message();
        let cases: [(Algorithm, Vec<u8>); 3] = [
            (Algorithm::RS256, theirs.pkcs1v15_sign::<Sha256>(&message).unwrap()),
            (Algorithm::RS384, theirs.pkcs1v15_sign::<Sha384>(&message).unwrap()),
            (Algorithm::RS512, theirs.pkcs1v15_sign::<Sha512>(&message).unwrap()),
        ];
        for (alg, expected) in cases {
            let signature = ours.sign(alg, &message).unwrap();
            assert_eq!(
                signature, expected,
                "{label} {alg}: signature differs from the rsa crate's"
            );
            public.verify(alg, &message, &expected).unwrap();
        }
        for alg in [Algorithm::PS256, Algorithm::PS384, Algorithm::PS512] {
            let signature = ours.sign(alg, &message).unwrap();
            let accepted = match alg {
                Algorithm::PS256 => their_public.pss_verify::<Sha256>(&message, &signature),
                Algorithm::PS384 => their_public.pss_verify::<Sha384>(&message, &signature),
                _ => their_public.pss_verify::<Sha512>(&message, &signature),
            };
            assert!(
                accepted.is_ok(),
                "{label} {alg}: the rsa crate rejects pkjwt's signature"
            );
            let theirs_signed = match alg {
                Algorithm::PS256 => theirs.pss_sign::<Sha256>(&message),
                Algorithm::PS384 => theirs.pss_sign::<Sha384>(&message),
                _ => theirs.pss_sign::<Sha512>(&message),
            }
            .unwrap();
            public.verify(alg, &message, &theirs_signed).unwrap();
            let mut tampered = theirs_signed.clone();
            let at = usize::from(random_bytes(1)[0]) % tampered.len();
            tampered[at] ^= 1 << (random_bytes(1)[0] % 8);
            assert!(
                public.verify(alg, &message, &tampered).is_err(),
                "{label} {alg}: tampered accepted"
            );
            assert!(public.verify(alg, b"another message", &theirs_signed).is_err());
        }
    }
}

fn check_random_keys(bits: usize, e: u64, count: usize) {
    for i in 0..count {
        let key = rsa::PrivateKey::new_with_exp(&mut getrandom::SysRng, bits, rsa::BoxedUint::from(e)).unwrap();
        check_key(&key, &format!("RSA-{bits} e={e} #{i}"));
    }
}

#[test]
fn rsa_2048_e65537_matches_the_rsa_crate() {
    check_random_keys(2048, 65537, 4);
}

#[test]
fn rsa_2048_e3_matches_the_rsa_crate() {
    check_random_keys(2048, 3, 3);
}

#[test]
fn odd_bit_lengths_match_the_rsa_crate() {
    check_random_keys(2049, 65537, 2);
    check_random_keys(2055, 3, 1);
    check_random_keys(3071, 65537, 1);
}

#[test]
fn rsa_3072_and_4096_match_the_rsa_crate() {
    check_random_keys(3072, 65537, 1);
    check_random_keys(4096, 65537, 1);
}

#[test]
fn a_key_keeps_signing_correctly_as_its_blinding_pair_is_updated() {
    let theirs = rsa::PrivateKey::new(&mut getrandom::SysRng, 2048).unwrap();
    let der = theirs.to_pkcs8_der().unwrap();
    let ours = Key::from_der(der.as_bytes(), &ImportOptions::default()).unwrap();
    let clone = ours.clone();
    for i in 0..40 {
        let message = random_message();
        let signer = if i % 2 == 0 { &ours } else { &clone };
        assert_eq!(
            signer.sign(Algorithm::RS256, &message).unwrap(),
            theirs.pkcs1v15_sign::<Sha256>(&message).unwrap()
        );
    }
}

#[test]
fn the_kernel_refuses_inconsistent_keys_and_withholds_a_faulty_signature() {
    use pkjwt_rsa_kernel::{Error, PrivateKey, PublicKey};
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    let key = rsa::PrivateKey::new(&mut getrandom::SysRng, 2048).unwrap();
    let bytes = |v: &rsa::BoxedUint| v.to_be_bytes().to_vec();
    let n = key.n_bytes().to_vec();
    let public = || PublicKey::new(&n, 65537).unwrap();
    let [p, q] = key.primes() else { panic!("two primes") };
    let (p, q) = (bytes(p.as_ref()), bytes(q.as_ref()));
    let (dp, dq) = (bytes(key.dp().unwrap()), bytes(key.dq().unwrap()));
    let qinv = bytes(&key.crt_coefficient().unwrap());
    let good = PrivateKey::new(public(), &p, &q, &dp, &dq, &qinv).unwrap();

    assert_eq!(
        PrivateKey::new(public(), &p, &p, &dp, &dq, &qinv).err(),
        Some(Error::InvalidKey)
    );
    assert_eq!(
        PrivateKey::new(public(), &p, &q, &dp, &dq, &dp).err(),
        Some(Error::InvalidKey)
    );
    assert_eq!(PublicKey::new(&n, 65536).err(), Some(Error::InvalidKey));

    let mut blinding = good.blinding(&random_bytes(256)).unwrap();
    let mut out = vec![0u8; 256];
    assert_eq!(
        good.apply(&mut blinding, &n, &mut out),
        Err(Error::InvalidInput),
        "input = n"
    );
    assert_eq!(
        good.apply(&mut blinding, &[0u8; 255], &mut out),
        Err(Error::InvalidInput),
        "short input"
    );
    let input = {
        let mut m = random_bytes(256);
        m[0] = 0;
        m
    };
    good.apply(&mut blinding, &input, &mut out).unwrap();
    let mut back = vec![0u8; 256];
    good.public().apply(&out, &mut back).unwrap();
    assert_eq!(back, input, "s^e = m");

    let mut wrong_dp = dp.clone();
    let last = wrong_dp.len() - 1;
    wrong_dp[last] ^= 2;
    let faulty = PrivateKey::new(public(), &p, &q, &wrong_dp, &dq, &qinv).unwrap();
    let mut blinding = faulty.blinding(&random_bytes(256)).unwrap();
    let mut withheld = vec![0u8; 256];
    assert_eq!(faulty.apply(&mut blinding, &input, &mut withheld), Err(Error::Fault));
    assert!(withheld.iter().all(|&b| b == 0), "nothing released");
}
