//! PKCS#8 `PrivateKeyInfo` / `OneAsymmetricKey` (RFC 5958 §2), unencrypted.

use super::DerError;
use super::public_key_info::{AlgorithmIdentifier, algorithm_identifier};
use super::reader::{BitString, Reader, Tag, contents};
use super::writer::{Writer, tag};
use zeroize::Zeroizing;

/// The fields pkjwt uses of a `OneAsymmetricKey`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrivateKeyInfo<'a> {
    /// The key's algorithm.
    pub(crate) algorithm: AlgorithmIdentifier<'a>,
    /// The `privateKey` OCTET STRING's contents.
    pub(crate) private_key: &'a [u8],
    /// The version 2 `publicKey` `[1]` BIT STRING.
    pub(crate) public_key: Option<BitString<'a>>,
}

impl<'a> PrivateKeyInfo<'a> {
    /// Parses a DER `OneAsymmetricKey`: version 0 without a public key or 1 with one,
    /// `[0]` attributes skipped, and any later `[n]` extension (one element each) ignored.
    pub(crate) fn parse(der: &'a [u8]) -> Result<PrivateKeyInfo<'a>, DerError> {
        contents(der, |reader| reader.sequence(fields))
    }

    /// Encodes a `OneAsymmetricKey`: version 0, or 1 when `public_key` is given.
    pub(crate) fn encode(
        algorithm_oid: &[u8],
        parameters: &[u8],
        private_key: &[u8],
        public_key: Option<&[u8]>,
    ) -> Zeroizing<Vec<u8>> {
        let mut out = Writer::default();
        out.nested(tag::SEQUENCE, |info| {
            info.unsigned(&[u8::from(public_key.is_some())]);
            algorithm_identifier(info, algorithm_oid, parameters);
            info.element(tag::OCTET_STRING, private_key);
            if let Some(public_key) = public_key {
                info.bit_string_tagged(tag::CONTEXT_1_PRIMITIVE, public_key);
            }
        });
        out.into_bytes()
    }
}

fn fields<'a>(reader: &mut Reader<'a>) -> Result<PrivateKeyInfo<'a>, DerError> {
    let version = reader.small_unsigned()?;
    if version > 1 {
        return Err(DerError::IntegerOutOfRange);
    }
    let algorithm = AlgorithmIdentifier::read(reader)?;
    let private_key = reader.value(Tag::OCTET_STRING)?;
    if let Some(attributes) = reader.optional_context(0)? {
        if !attributes.tag.is_constructed() {
            return Err(DerError::WrongForm);
        }
    }
    let public_key = match reader.optional_context(1)? {
        Some(element) if element.tag.is_constructed() => return Err(DerError::WrongForm),
        Some(element) => Some(BitString::parse(element.value)?),
        None => None,
    };
    if (version == 1) != public_key.is_some() {
        return Err(DerError::VersionMismatch);
    }
    while !reader.is_empty() {
        let extension = reader.any()?;
        if !extension.tag.is_context() || !extension.tag.is_constructed() {
            return Err(DerError::UnexpectedTag);
        }
        contents(extension.value, |inner| inner.any().map(drop))?;
    }
    Ok(PrivateKeyInfo {
        algorithm,
        private_key,
        public_key,
    })
}
