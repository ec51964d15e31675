//! The kernel's ECDSA verifier against the p256 / p384 crates' own `verify_prehash`, on keys,
//! digests and signatures derived from a counter: valid signatures, every kind of tampering, the
//! r + n < p wrap and the point-at-infinity path. Its signer against the crates' RFC 6979 signer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

macro_rules! curve_tests {
    ($name:ident, $curve:ident, $curve_type:ty, $hash:ident, $len:literal) => {
        mod $name {
            use pkjwt_ec_kernel::$name::{SigningKey as KernelKey, VerifyingTable, sign, verify, verify_prehash};
            use sha2::{Digest, $hash};
            use $curve::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
            use $curve::ecdsa::signature::{Signer, Verifier};
            use $curve::ecdsa::{Signature, SigningKey, VerifyingKey};
            use $curve::elliptic_curve::ff::PrimeField;
            use $curve::elliptic_curve::ops::Reduce;
            use $curve::elliptic_curve::point::{AffineCoordinates, DecompressPoint};
            use $curve::elliptic_curve::subtle::Choice;
            use $curve::elliptic_curve::{FieldBytes, Group};
            use $curve::{AffinePoint, ProjectivePoint, Scalar};

            const LEN: usize = $len;

            fn bytes(label: &str, i: u32) -> [u8; LEN] {
                let mut out = [0u8; LEN];
                let wide = $hash::digest(format!("{label} {i}").as_bytes());
                out.copy_from_slice(&wide[..LEN]);
                out
            }

            fn key(i: u32) -> SigningKey {
                SigningKey::from_slice(&bytes("key", i)).unwrap()
            }

            fn crate_verdict(key: &VerifyingKey, digest: &[u8], sig: &[u8]) -> bool {
                Signature::from_slice(sig).is_ok_and(|sig| key.verify_prehash(digest, &sig).is_ok())
            }

            fn same_verdict(key: &VerifyingKey, table: &VerifyingTable, digest: &[u8], sig: &[u8]) -> bool {
                let ours = verify_prehash(table, digest, sig);
                assert_eq!(
                    ours,
                    crate_verdict(key, digest, sig),
                    "sig {sig:02x?} digest {digest:02x?}"
                );
                ours
            }

            fn scalar_bytes(s: Scalar) -> Vec<u8> {
                s.to_repr().to_vec()
            }

            fn order_plus(k: u64) -> Vec<u8> {
                let mut n = scalar_bytes(-Scalar::ONE);
                let mut carry = u16::try_from(k + 1).unwrap();
                for b in n.iter_mut().rev() {
                    let sum = u16::from(*b) + carry;
                    *b = sum as u8;
                    carry = sum >> 8;
                }
                n
            }

            #[test]
            fn signer_matches_the_crate_byte_for_byte_and_both_verifiers_accept() {
                for i in 0..24 {
                    let sk = key(i);
                    let message = bytes("message", i);
                    let kernel_key = KernelKey::from_slice(&bytes("key", i)).unwrap();
                    assert_eq!(kernel_key.verifying_key(), sk.verifying_key());
                    let ours = sign(&kernel_key, &message[..(i as usize % LEN)]).unwrap();
                    let theirs: Signature = sk.sign(&message[..(i as usize % LEN)]);
                    assert_eq!(ours.as_slice(), theirs.to_bytes().as_slice());
                    let vk = *sk.verifying_key();
                    let table = VerifyingTable::new(&vk);
                    assert!(verify(&table, &message[..(i as usize % LEN)], &ours));
                    assert!(vk.verify(&message[..(i as usize % LEN)], &theirs).is_ok());
                    assert!(!verify(&table, &message[..(i as usize % LEN) + 1], &ours));
                }
            }

            #[test]
            fn tampered_signatures_get_the_crate_verdict() {
                for i in 0..12 {
                    let sk = key(i);
                    let vk = *sk.verifying_key();
                    let table = VerifyingTable::new(&vk);
                    let digest = bytes("digest", i);
                    let sig: Signature = sk.sign_prehash(&digest).unwrap();
                    let good = sig.to_bytes().to_vec();
                    assert!(same_verdict(&vk, &table, &digest, &good));
                    for bit in (0..good.len() * 8).step_by(7 + i as usize) {
                        let mut bad = good.clone();
                        bad[bit / 8] ^= 1 << (bit % 8);
                        assert!(!same_verdict(&vk, &table, &digest, &bad));
                    }
                    let (r, s) = good.split_at(LEN);
                    let zero = vec![0u8; LEN];
                    let ones = vec![0xffu8; LEN];
                    for (r2, s2) in [
                        (&zero[..], s),
                        (r, &zero[..]),
                        (&order_plus(0)[..], s),
                        (r, &order_plus(0)[..]),
                        (&order_plus(1)[..], s),
                        (r, &order_plus(1)[..]),
                        (&ones[..], s),
                        (r, &ones[..]),
                        (s, r),
                    ] {
                        let bad = [r2, s2].concat();
                        assert!(!same_verdict(&vk, &table, &digest, &bad));
                    }
                    let negated_s =
                        scalar_bytes(-Scalar::from_repr(FieldBytes::<$curve_type>::try_from(s).unwrap()).unwrap());
                    assert!(same_verdict(&vk, &table, &digest, &[r, &negated_s[..]].concat()));
                    assert!(!same_verdict(&vk, &table, &digest, &good[..2 * LEN - 1]));
                    assert!(!same_verdict(&vk, &table, &bytes("other", i), &good));
                }
            }

            #[test]
            fn keys_equal_or_opposite_to_the_generator() {
                for (secret, i) in [(Scalar::ONE, 0u32), (-Scalar::ONE, 1), (Scalar::ONE.double(), 2)] {
                    let sk = SigningKey::from_bytes(&secret.to_repr()).unwrap();
                    let vk = *sk.verifying_key();
                    let table = VerifyingTable::new(&vk);
                    for j in 0..8 {
                        let digest = bytes("generator", i * 100 + j);
                        let sig: Signature = sk.sign_prehash(&digest).unwrap();
                        assert!(same_verdict(&vk, &table, &digest, &sig.to_bytes()));
                    }
                }
            }

            #[test]
            fn sum_at_infinity_is_rejected() {
                for i in 0..8 {
                    let r = Scalar::reduce(&FieldBytes::<$curve_type>::from(bytes("r", i)));
                    let s = Scalar::reduce(&FieldBytes::<$curve_type>::from(bytes("s", i)));
                    let z = Scalar::reduce(&FieldBytes::<$curve_type>::from(bytes("z", i)));
                    let q = ProjectivePoint::generator() * (-(z * r.invert().unwrap()));
                    let vk = VerifyingKey::from_affine(q.to_affine()).unwrap();
                    let table = VerifyingTable::new(&vk);
                    let sig = [scalar_bytes(r), scalar_bytes(s)].concat();
                    assert!(!same_verdict(&vk, &table, &z.to_repr(), &sig));
                }
            }

            /// A point R whose x lies in [n, p), a key and a digest such that u1·G + u2·Q = R:
            /// the signature (x − n, s) is valid only through the r + n wrap.
            #[test]
            fn r_plus_n_wrap_is_accepted_like_the_crate() {
                let mut found = 0;
                for k in 1..400u64 {
                    let x = order_plus(k);
                    let x = FieldBytes::<$curve_type>::try_from(&x[..]).unwrap();
                    let Some(point) = Option::<AffinePoint>::from(AffinePoint::decompress(&x, Choice::from(0))) else {
                        continue;
                    };
                    assert_eq!(point.x(), x);
                    let r = Scalar::reduce(&x);
                    let s = Scalar::reduce(&FieldBytes::<$curve_type>::from(bytes("s", k as u32)));
                    let u1 = Scalar::reduce(&FieldBytes::<$curve_type>::from(bytes("u1", k as u32)));
                    let u2 = r * s.invert().unwrap();
                    let q = (ProjectivePoint::from(point) - ProjectivePoint::generator() * u1) * u2.invert().unwrap();
                    let vk = VerifyingKey::from_affine(q.to_affine()).unwrap();
                    let table = VerifyingTable::new(&vk);
                    let digest = (u1 * s).to_repr();
                    let sig = [scalar_bytes(r), scalar_bytes(s)].concat();
                    assert!(same_verdict(&vk, &table, &digest, &sig));
                    let other_s = scalar_bytes(s + Scalar::ONE);
                    assert!(!same_verdict(
                        &vk,
                        &table,
                        &digest,
                        &[scalar_bytes(r), other_s].concat()
                    ));
                    found += 1;
                    if found == 3 {
                        return;
                    }
                }
                panic!("no x in [n, n + 400) on the curve");
            }
        }
    };
}

curve_tests!(ecdsa_p256, p256, p256::NistP256, Sha256, 32);
curve_tests!(ecdsa_p384, p384, p384::NistP384, Sha384, 48);
