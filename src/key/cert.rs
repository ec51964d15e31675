//! X.509 certificates: their public key and the `x5t` / `x5t#S256` thumbprints (RFC 7515 §4.1.7–8).

use super::{ImportOptions, Key};
use crate::b64;
use crate::error::{Error, Result};
use der::asn1::AnyRef;
use der::{Decode, Encode, Reader, SliceReader, Tag, Tagged};
use sha2::Digest;

/// A parsed X.509 certificate.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    spki: Vec<u8>,
}

impl Certificate {
    /// Parses a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Certificate> {
        let spki = subject_public_key_info(der).map_err(|e| Error::key(format!("invalid X.509 certificate: {e}")))?;
        Ok(Certificate {
            der: der.to_vec(),
            spki,
        })
    }

    /// Parses the first `CERTIFICATE` block of a PEM text.
    pub fn from_pem(text: &str) -> Result<Certificate> {
        let start = text
            .find("-----BEGIN CERTIFICATE-----")
            .ok_or_else(|| Error::key("no PEM CERTIFICATE block found"))?;
        let block = &text[start..];
        let end = block
            .find("-----END CERTIFICATE-----")
            .ok_or_else(|| Error::key("unterminated PEM CERTIFICATE block"))?;
        let pem = &block[..end + "-----END CERTIFICATE-----".len()];
        let (_, der) = pem_rfc7468::decode_vec(pem.as_bytes()).map_err(|e| Error::key(format!("invalid PEM: {e}")))?;
        Certificate::from_der(&der)
    }

    /// The certificate's DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// `x5t`: base64url of the SHA-1 digest of the DER certificate (legacy; Entra with RS256).
    pub fn x5t(&self) -> String {
        b64::encode(&sha1::Sha1::digest(&self.der))
    }

    /// `x5t#S256`: base64url of the SHA-256 digest of the DER certificate.
    pub fn x5t_s256(&self) -> String {
        b64::encode(&sha2::Sha256::digest(&self.der))
    }

    /// The certificate's subject public key, validated like any imported key.
    pub fn public_key(&self, opts: &ImportOptions) -> Result<Key> {
        Key::from_spki(&self.spki, opts)
    }

    /// True when `key` (public or private) is the certificate's subject key.
    pub fn matches(&self, key: &Key) -> bool {
        key.to_spki_der().is_ok_and(|spki| spki == self.spki)
    }
}

/// The DER `SubjectPublicKeyInfo` of a DER certificate, found by walking the structure of RFC 5280
/// §4.1: every element must be well-formed DER with the expected tag, in order, with nothing left
/// over. The contents of names, validity and extensions are not interpreted (they are never used).
fn subject_public_key_info(der: &[u8]) -> der::Result<Vec<u8>> {
    let certificate = contents(der, |reader| element(reader, Tag::Sequence))?;
    let tbs = contents(certificate.value(), |reader| {
        let tbs = element(reader, Tag::Sequence)?;
        element(reader, Tag::Sequence)?;
        element(reader, Tag::BitString)?;
        Ok(tbs)
    })?;
    let spki = contents(tbs.value(), |reader| {
        if Tag::peek(reader)?.is_context_specific() {
            element(reader, context(0))?;
        }
        element(reader, Tag::Integer)?;
        for _ in 0..4 {
            element(reader, Tag::Sequence)?;
        }
        let spki = element(reader, Tag::Sequence)?;
        for number in 1..=3 {
            if !reader.is_finished() && Tag::peek(reader)? == context(number) {
                element(reader, context(number))?;
            }
        }
        Ok(spki)
    })?;
    spki.to_der()
}

/// Reads `bytes` with `read`, which must consume them entirely.
fn contents<'a>(
    bytes: &'a [u8],
    read: impl FnOnce(&mut SliceReader<'a>) -> der::Result<AnyRef<'a>>,
) -> der::Result<AnyRef<'a>> {
    let mut reader = SliceReader::new(bytes)?;
    let found = read(&mut reader)?;
    reader.finish()?;
    Ok(found)
}

/// The next element, which must carry `tag`.
fn element<'a>(reader: &mut SliceReader<'a>, tag: Tag) -> der::Result<AnyRef<'a>> {
    let any = AnyRef::decode(reader)?;
    any.tag().assert_eq(tag)?;
    Ok(any)
}

/// The constructed context-specific tag `[number]`.
fn context(number: u32) -> Tag {
    Tag::ContextSpecific {
        constructed: true,
        number: der::TagNumber(number),
    }
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("x5t#S256", &self.x5t_s256())
            .finish()
    }
}
