//! Differential tests of the codec against RustCrypto's `der`, `pkcs8`, `spki`, `sec1`, `pkcs1`
//! and `pem-rfc7468` crates (dev-dependencies; pkjwt used them before this codec): the same inputs
//! accepted and the same fields read, on every fixture of tests/keys, on their inner structures
//! and on systematic corruptions of them (truncations, byte changes, deletions, insertions).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use super::reader::{Element, Tag};
use super::*;
use ::der::asn1::{AnyRef, BitStringRef};
use ::der::{Decode, Encode};

fn fixture_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/keys")
}

/// Every fixture PEM file's text, by name.
fn fixture_pems() -> Vec<(String, String)> {
    let mut pems: Vec<(String, String)> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "pem"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    pems.sort();
    assert!(pems.len() >= 25, "fixtures missing");
    pems
}

/// The PEM blocks of a text, from `-----BEGIN` to the END line's dashes.
fn blocks(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let from = &rest[start..];
        let end = from.find("-----END ").unwrap();
        let close = from[end + 9..].find("-----").unwrap() + end + 9 + 5;
        found.push(&from[..close]);
        rest = &from[close..];
    }
    found
}

/// Every fixture DER: PEM contents, `.der` files, and the structures nested in them.
fn fixture_ders() -> Vec<(String, Vec<u8>)> {
    let mut ders = Vec::new();
    for (name, text) in fixture_pems() {
        for block in blocks(&text) {
            let (_, der) = pem_rfc7468::decode_vec(block.as_bytes()).unwrap();
            ders.push((name.clone(), der));
        }
    }
    for entry in std::fs::read_dir(fixture_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "der") {
            ders.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    let mut nested = Vec::new();
    for (name, der) in &ders {
        if let Ok(info) = pkcs8::PrivateKeyInfoRef::from_der(der) {
            nested.push((format!("{name} privateKey"), info.private_key.as_bytes().to_vec()));
        }
        if let Ok(info) = spki::SubjectPublicKeyInfoRef::from_der(der) {
            nested.push((
                format!("{name} subjectPublicKey"),
                info.subject_public_key.raw_bytes().to_vec(),
            ));
        }
        if let Ok(spki) = reference_certificate_spki(der) {
            nested.push((format!("{name} certificate SPKI"), spki));
        }
    }
    ders.extend(nested);
    ders
}

/// The old certificate walk of src/key/cert.rs, over the `der` crate.
fn reference_certificate_spki(der: &[u8]) -> ::der::Result<Vec<u8>> {
    use ::der::{Reader, SliceReader, Tagged};
    fn contents<'a>(
        bytes: &'a [u8],
        read: impl FnOnce(&mut SliceReader<'a>) -> ::der::Result<AnyRef<'a>>,
    ) -> ::der::Result<AnyRef<'a>> {
        let mut reader = SliceReader::new(bytes)?;
        let found = read(&mut reader)?;
        reader.finish()?;
        Ok(found)
    }
    fn element<'a>(reader: &mut SliceReader<'a>, tag: ::der::Tag) -> ::der::Result<AnyRef<'a>> {
        let any = AnyRef::decode(reader)?;
        any.tag().assert_eq(tag)?;
        Ok(any)
    }
    fn context(number: u32) -> ::der::Tag {
        ::der::Tag::ContextSpecific {
            constructed: true,
            number: ::der::TagNumber(number),
        }
    }
    let certificate = contents(der, |reader| element(reader, ::der::Tag::Sequence))?;
    let tbs = contents(certificate.value(), |reader| {
        let tbs = element(reader, ::der::Tag::Sequence)?;
        element(reader, ::der::Tag::Sequence)?;
        element(reader, ::der::Tag::BitString)?;
        Ok(tbs)
    })?;
    let spki = contents(tbs.value(), |reader| {
        if ::der::Tag::peek(reader)?.is_context_specific() {
            element(reader, context(0))?;
        }
        element(reader, ::der::Tag::Integer)?;
        for _ in 0..4 {
            element(reader, ::der::Tag::Sequence)?;
        }
        let spki = element(reader, ::der::Tag::Sequence)?;
        for number in 1..=3 {
            if !reader.is_finished() && ::der::Tag::peek(reader)? == context(number) {
                element(reader, context(number))?;
            }
        }
        Ok(spki)
    })?;
    spki.to_der()
}

/// Truncations at every byte, and at every position: eight byte changes, a deletion, an
/// inserted zero; plus two appended elements.
fn corruptions(der: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = (0..der.len()).map(|n| der[..n].to_vec()).collect();
    for i in 0..der.len() {
        let b = der[i];
        for replacement in [
            0x00,
            0xFF,
            0x80,
            0x81,
            b ^ 0x20,
            b ^ 0x80,
            b.wrapping_add(1),
            b.wrapping_sub(1),
        ] {
            if replacement != b {
                let mut changed = der.to_vec();
                changed[i] = replacement;
                out.push(changed);
            }
        }
        let mut deleted = der.to_vec();
        deleted.remove(i);
        out.push(deleted);
        let mut inserted = der.to_vec();
        inserted.insert(i, 0);
        out.push(inserted);
    }
    for suffix in [&[0x00][..], &[0x05, 0x00]] {
        let mut appended = der.to_vec();
        appended.extend_from_slice(suffix);
        out.push(appended);
    }
    out
}

fn element_der(element: Option<Element<'_>>) -> Option<Vec<u8>> {
    element.map(|e| e.encoded.to_vec())
}

fn any_der(any: Option<AnyRef<'_>>) -> Option<Vec<u8>> {
    any.map(|a| a.to_der().unwrap())
}

fn bits(bits: Option<BitStringRef<'_>>) -> Option<(u8, Vec<u8>)> {
    bits.map(|b| (b.unused_bits(), b.raw_bytes().to_vec()))
}

/// Every parser of the codec agrees with its reference on `input`; returns how many accepted.
fn agree(input: &[u8], context: &str) -> usize {
    let mut accepted = 0;
    let ours = PrivateKeyInfo::parse(input);
    let theirs = pkcs8::PrivateKeyInfoRef::from_der(input);
    assert_eq!(
        ours.is_ok(),
        theirs.is_ok(),
        "PKCS#8 {context}: {ours:?} / {theirs:?} on {input:02x?}"
    );
    if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
        accepted += 1;
        assert_eq!(ours.algorithm.oid, theirs.algorithm.oid.as_bytes(), "{context}");
        assert_eq!(
            element_der(ours.algorithm.parameters),
            any_der(theirs.algorithm.parameters),
            "{context}"
        );
        assert_eq!(ours.private_key, theirs.private_key.as_bytes(), "{context}");
        let our_bits = ours.public_key.map(|b| (b.unused_bits, b.bytes.to_vec()));
        assert_eq!(our_bits, bits(theirs.public_key), "{context}");
    }

    let ours = SubjectPublicKeyInfo::parse(input);
    let theirs = spki::SubjectPublicKeyInfoRef::from_der(input);
    assert_eq!(
        ours.is_ok(),
        theirs.is_ok(),
        "SPKI {context}: {ours:?} / {theirs:?} on {input:02x?}"
    );
    if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
        accepted += 1;
        assert_eq!(ours.algorithm.oid, theirs.algorithm.oid.as_bytes(), "{context}");
        assert_eq!(
            element_der(ours.algorithm.parameters),
            any_der(theirs.algorithm.parameters),
            "{context}"
        );
        let our_bits = Some((ours.public_key.unused_bits, ours.public_key.bytes.to_vec()));
        assert_eq!(our_bits, bits(Some(theirs.subject_public_key)), "{context}");
        assert_eq!(
            ours.algorithm.has_null_parameters(),
            theirs.algorithm.parameters.is_some_and(|p| p.is_null())
        );
        let their_curve = theirs.algorithm.parameters_oid();
        assert_eq!(
            ours.algorithm.parameters_oid().ok(),
            their_curve.as_ref().ok().map(|oid| oid.as_bytes())
        );
    }

    let ours = EcPrivateKey::parse(input);
    let theirs = sec1::EcPrivateKey::from_der(input);
    assert_eq!(
        ours.is_ok(),
        theirs.is_ok(),
        "SEC1 {context}: {ours:?} / {theirs:?} on {input:02x?}"
    );
    if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
        accepted += 1;
        assert_eq!(ours.private_key, theirs.private_key, "{context}");
        let their_curve = theirs.parameters.and_then(|p| p.named_curve());
        assert_eq!(
            ours.named_curve,
            their_curve.as_ref().map(|oid| oid.as_bytes()),
            "{context}"
        );
        assert_eq!(ours.public_key, theirs.public_key, "{context}");
    }

    let ours = RsaPrivateKeyDer::parse(input);
    let theirs = pkcs1::RsaPrivateKeyRef::from_der(input);
    assert_eq!(
        ours.is_ok(),
        theirs.is_ok(),
        "PKCS#1 private {context}: {ours:?} / {theirs:?} on {input:02x?}"
    );
    if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
        accepted += 1;
        let their_integers = [
            theirs.modulus.as_bytes(),
            theirs.public_exponent.as_bytes(),
            theirs.private_exponent.as_bytes(),
            theirs.prime1.as_bytes(),
            theirs.prime2.as_bytes(),
            theirs.exponent1.as_bytes(),
            theirs.exponent2.as_bytes(),
            theirs.coefficient.as_bytes(),
        ];
        let [d, p, q, dp, dq, qi] = ours.private;
        assert_eq!(
            [ours.public.n, ours.public.e, d, p, q, dp, dq, qi],
            their_integers,
            "{context}"
        );
        assert_eq!(ours.multi_prime, theirs.other_prime_infos.is_some(), "{context}");
    }

    let ours = RsaPublicKeyDer::parse(input);
    let theirs = pkcs1::RsaPublicKeyRef::from_der(input);
    assert_eq!(
        ours.is_ok(),
        theirs.is_ok(),
        "PKCS#1 public {context}: {ours:?} / {theirs:?} on {input:02x?}"
    );
    if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
        accepted += 1;
        assert_eq!(
            [ours.n, ours.e],
            [theirs.modulus.as_bytes(), theirs.public_exponent.as_bytes()]
        );
    }

    let ours = certificate_public_key_info(input);
    let theirs = reference_certificate_spki(input);
    assert_eq!(ours.is_ok(), theirs.is_ok(), "X.509 {context}: {ours:?} / {theirs:?}");
    if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
        accepted += 1;
        assert_eq!(ours, theirs.as_slice(), "{context}");
    }
    accepted
}

#[test]
fn every_fixture_is_read_as_the_reference_crates_read_it() {
    for (name, der) in fixture_ders() {
        let accepted = agree(&der, &name);
        if !name.contains(' ') {
            assert_eq!(accepted, 1, "{name} is exactly one of the structures");
        }
    }
}

#[test]
fn corrupted_fixtures_are_accepted_and_refused_as_the_reference_crates_do() {
    let mut accepted = 0;
    let mut total = 0;
    for (name, der) in fixture_ders() {
        if der.len() > 1400 {
            continue;
        }
        for corrupted in corruptions(&der) {
            accepted += agree(&corrupted, &name);
            total += 1;
        }
    }
    assert!(total > 100_000, "{total} corruptions");
    assert!(
        accepted > 100,
        "some corruptions (in integers, keys) stay well-formed: {accepted}"
    );
}

/// The large RSA keys are corrupted in their first and last 200 bytes (the headers and the
/// structure's end), where a long-form length and every field boundary are.
#[test]
fn corrupted_large_rsa_keys_agree_with_the_reference_crates() {
    for (name, der) in fixture_ders().into_iter().filter(|(_, der)| der.len() > 1400) {
        for corrupted in corruptions(&der) {
            let differs_at = corrupted
                .iter()
                .zip(&der)
                .position(|(a, b)| a != b)
                .unwrap_or(corrupted.len().min(der.len()));
            if differs_at < 200 || differs_at + 200 > der.len() {
                agree(&corrupted, &name);
            }
        }
    }
}

/// Hand-made encodings around each DER rule, read as the reference reads them.
#[test]
fn der_rules_match_the_reference_on_hand_made_inputs() {
    let cases: &[&[u8]] = &[
        &[0x30, 0x80, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03, 0x00, 0x00],
        &[0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03],
        &[0x30, 0x82, 0x00, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03],
        &[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03],
        &[0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x03],
        &[0x30, 0x07, 0x02, 0x02, 0x00, 0x81, 0x02, 0x01, 0x03],
        &[0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x03],
        &[0x30, 0x05, 0x02, 0x00, 0x02, 0x01, 0x03],
        &[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03, 0x00],
        &[0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03, 0x00],
        &[
            0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03,
        ],
        &[0x10, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03],
        &[0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03],
        &[0x30, 0x06, 0x22, 0x01, 0x01, 0x02, 0x01, 0x03],
        &[
            0x30, 0x0B, 0x02, 0x01, 0x00, 0x30, 0x03, 0x06, 0x01, 0x2B, 0x04, 0x01, 0x00,
        ],
        &[
            0x30, 0x0D, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x01, 0x00,
        ],
        &[
            0x30, 0x0D, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0xF0, 0x04, 0x01, 0x00,
        ],
        &[
            0x30, 0x0D, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x80, 0x65, 0x70, 0x04, 0x01, 0x00,
        ],
        &[
            0x30, 0x0D, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x80, 0x70, 0x04, 0x01, 0x00,
        ],
        &[
            0x30, 0x0C, 0x02, 0x01, 0x00, 0x30, 0x04, 0x06, 0x02, 0x2B, 0x65, 0x04, 0x01, 0x00, 0xA0,
        ],
    ];
    for (index, case) in cases.iter().enumerate() {
        agree(case, &format!("hand-made case {index}"));
    }
    let base = fixture_ders()
        .into_iter()
        .find(|(name, _)| name == "ed25519.pkcs8.pem")
        .unwrap()
        .1;
    for extension in [
        &[0xA2, 0x02, 0x05, 0x00][..],
        &[0xA2, 0x00],
        &[0x82, 0x02, 0x05, 0x00],
        &[0xBF, 0x1F, 0x02, 0x05, 0x00],
        &[0xBF, 0x1E, 0x02, 0x05, 0x00],
        &[0xA0, 0x02, 0x05, 0x00],
        &[0xA1, 0x03, 0x03, 0x01, 0x00],
        &[0x81, 0x01, 0x00],
    ] {
        let mut der = base.clone();
        der.extend_from_slice(extension);
        der[1] += extension.len() as u8;
        agree(&der, &format!("extension {extension:02x?}"));
    }
}

#[test]
fn oid_validity_and_dotted_form_match_const_oid() {
    let mut samples: Vec<Vec<u8>> = [
        RSA_ENCRYPTION,
        RSASSA_PSS,
        EC_PUBLIC_KEY,
        P256,
        P384,
        P521,
        SECP256K1,
        X25519,
        ED25519,
        ED448,
    ]
    .iter()
    .map(|oid| oid.to_vec())
    .collect();
    samples.extend([
        vec![],
        vec![0x77],
        vec![0x78],
        vec![0x2B, 0x80],
        vec![0x2B, 0x80, 0x01],
        vec![0x2B, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F],
        vec![0x2B, 0x90, 0x80, 0x80, 0x80, 0x00],
        vec![0x2B; 39],
        vec![0x2B; 40],
    ]);
    for sample in samples.clone() {
        samples.extend(corruptions(&sample));
    }
    for sample in samples {
        let theirs = ::der::asn1::ObjectIdentifier::from_bytes(&sample);
        assert_eq!(oid::check(&sample).is_ok(), theirs.is_ok(), "{sample:02x?}");
        if let Ok(theirs) = theirs {
            assert_eq!(oid_dotted(&sample), theirs.to_string());
        }
    }
}

/// Variants of a PEM block: line endings, wrapping, labels, headers, white space.
fn pem_variants(block: &str) -> Vec<String> {
    let lines: Vec<&str> = block.lines().collect();
    let (begin, end) = (lines[0], lines[lines.len() - 1]);
    let base64: String = lines[1..lines.len() - 1].concat();
    let wrapped = |width: usize, eol: &str| {
        let body: Vec<&str> = base64
            .as_bytes()
            .chunks(width)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!("{begin}{eol}{}{eol}{end}", body.join(eol))
    };
    let mut variants = vec![
        block.to_owned(),
        format!("{block}\n"),
        format!("{block}\r\n"),
        format!("{block}\n\n"),
        format!("{block} "),
        wrapped(64, "\r\n"),
        wrapped(64, "\r"),
        wrapped(64, "\n\n"),
        wrapped(63, "\n"),
        wrapped(65, "\n"),
        wrapped(76, "\n"),
        wrapped(4, "\n"),
        wrapped(base64.len(), "\n"),
        format!(
            "{begin}\n\n{}\n{end}",
            &block[begin.len() + 1..block.len() - end.len() - 1]
        ),
        format!(
            "{begin}\n{}\n\n{end}",
            &block[begin.len() + 1..block.len() - end.len() - 1]
        ),
        format!(
            "{begin}\n{}\n\n\n{end}",
            &block[begin.len() + 1..block.len() - end.len() - 1]
        ),
        format!(
            "{begin}\nProc-Type: 4,ENCRYPTED\n{}\n{end}",
            &block[begin.len() + 1..block.len() - end.len() - 1]
        ),
        format!(
            "{begin}\n{}\n{}",
            &block[begin.len() + 1..block.len() - end.len() - 1],
            end.replace("KEY", "KEX")
        ),
        block.replacen("-----BEGIN ", "-----BEGIN  ", 1),
        block.replacen("-----\n", " -----\n", 1),
        block.replacen("-----\n", "-----", 1),
        block.replace(" KEY", "  KEY"),
        block.replace(" KEY", "\tKEY"),
        block.replace("KEY", "KEY "),
        block.replacen('\n', " \n", 2),
        format!("{begin}\n{end}"),
        format!("{begin}\n\n{end}"),
        format!("{begin}\n\n\n{end}"),
        format!("{begin}\n====\n{end}"),
    ];
    for i in 0..block.len() {
        if !block.is_char_boundary(i) {
            continue;
        }
        for replacement in ["", "=", "A", "+", "-", " ", "\n", "\r"] {
            let mut variant = block.to_owned();
            variant.replace_range(i..i + 1, replacement);
            variants.push(variant);
        }
    }
    variants
}

#[test]
fn pem_decoding_accepts_and_refuses_as_pem_rfc7468_does() {
    let mut accepted = 0;
    for (name, text) in fixture_pems() {
        for block in blocks(&text) {
            let variants = if block.len() < 700 {
                pem_variants(block)
            } else {
                pem_variants(block)[..29].to_vec()
            };
            for variant in variants {
                if !variant.starts_with("-----BEGIN ") {
                    continue;
                }
                let ours = pem::decode(&variant);
                let theirs = pem_rfc7468::decode_vec(variant.as_bytes());
                assert_eq!(
                    ours.is_ok(),
                    theirs.is_ok(),
                    "{name}: {ours:?} / {theirs:?} on {variant:?}"
                );
                if let (Ok((our_label, our_der)), Ok((their_label, their_der))) = (ours, theirs) {
                    accepted += 1;
                    assert_eq!((our_label, our_der.as_slice()), (their_label, their_der.as_slice()));
                }
            }
        }
    }
    assert!(accepted > 60, "{accepted}");
}

#[test]
fn pem_encoding_is_pem_rfc7468_with_lf() {
    for (_, der) in fixture_ders() {
        for label in ["PRIVATE KEY", "PUBLIC KEY"] {
            let theirs = pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, &der).unwrap();
            assert_eq!(pem::encode(label, &der), theirs);
        }
    }
    for length in 1..200 {
        let der: Vec<u8> = (0..length).map(|i| (i * 37 + 11) as u8).collect();
        let theirs = pem_rfc7468::encode_string("PUBLIC KEY", pem_rfc7468::LineEnding::LF, &der).unwrap();
        assert_eq!(pem::encode("PUBLIC KEY", &der), theirs, "{length}");
    }
}

#[test]
fn writer_lengths_and_integers_are_minimal_as_the_der_crate_writes_them() {
    for length in [0usize, 1, 127, 128, 255, 256, 65535, 65536, 70000] {
        let contents = vec![0x5A; length];
        let mut ours = writer::Writer::default();
        ours.element(writer::tag::OCTET_STRING, &contents);
        let theirs = ::der::asn1::OctetStringRef::new(&contents).unwrap().to_der().unwrap();
        assert_eq!(ours.into_bytes().as_slice(), theirs.as_slice(), "{length}");
    }
    for magnitude in [
        &[0][..],
        &[0, 0],
        &[1],
        &[0x7F],
        &[0x80],
        &[0, 0x80],
        &[0, 0, 1, 2],
        &[0xFF; 300],
    ] {
        let mut ours = writer::Writer::default();
        ours.unsigned(magnitude);
        let theirs = ::der::asn1::UintRef::new(magnitude).unwrap().to_der().unwrap();
        assert_eq!(ours.into_bytes().as_slice(), theirs.as_slice(), "{magnitude:02x?}");
    }
    let mut zero = writer::Writer::default();
    zero.unsigned(&[]);
    assert_eq!(
        zero.into_bytes().as_slice(),
        [0x02, 0x01, 0x00],
        "zero, not the der crate's empty INTEGER"
    );
}

#[test]
fn tags_compare_by_class_form_and_number() {
    assert!(Tag::context(1, false).is_context_number(1));
    assert!(Tag::context(1, true).is_context_number(1));
    assert!(!Tag::SEQUENCE.is_context());
    assert_ne!(Tag::context(0, true), Tag::context(0, false));
}
