//! SEC 1 `ECPrivateKey` (RFC 5915 §3).

use super::DerError;
use super::reader::{BitString, Reader, Tag, contents};
use super::writer::{Writer, tag};
use zeroize::Zeroizing;

/// The fields of an `ECPrivateKey`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EcPrivateKey<'a> {
    /// The private scalar's octets.
    pub(crate) private_key: &'a [u8],
    /// The `[0]` named curve's identifier (contents octets, valid).
    pub(crate) named_curve: Option<&'a [u8]>,
    /// The `[1]` public key's encoded point.
    pub(crate) public_key: Option<&'a [u8]>,
}

impl<'a> EcPrivateKey<'a> {
    /// Parses a DER `ECPrivateKey` of version 1.
    pub(crate) fn parse(der: &'a [u8]) -> Result<EcPrivateKey<'a>, DerError> {
        contents(der, |reader| reader.sequence(fields))
    }

    /// Encodes an `ECPrivateKey` without curve parameters, with its public key.
    pub(crate) fn encode(private_key: &[u8], public_key: &[u8]) -> Zeroizing<Vec<u8>> {
        let mut out = Writer::default();
        out.nested(tag::SEQUENCE, |key| {
            key.unsigned(&[1])
                .element(tag::OCTET_STRING, private_key)
                .nested(tag::CONTEXT_1, |point| {
                    point.bit_string(public_key);
                });
        });
        out.into_bytes()
    }
}

/// The element inside an EXPLICIT `[number]`, when that is next.
fn explicit<'a, T>(
    reader: &mut Reader<'a>,
    number: u32,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, DerError>,
) -> Result<Option<T>, DerError> {
    match reader.optional_context(number)? {
        Some(element) if !element.tag.is_constructed() => Err(DerError::WrongForm),
        Some(element) => contents(element.value, read).map(Some),
        None => Ok(None),
    }
}

fn fields<'a>(reader: &mut Reader<'a>) -> Result<EcPrivateKey<'a>, DerError> {
    if reader.small_unsigned()? != 1 {
        return Err(DerError::IntegerOutOfRange);
    }
    let private_key = reader.value(Tag::OCTET_STRING)?;
    let named_curve = explicit(reader, 0, Reader::oid)?;
    let public_key = explicit(reader, 1, |inner| {
        BitString::parse(inner.value(Tag::BIT_STRING)?)?
            .whole_bytes()
            .ok_or(DerError::BitStringInvalid)
    })?;
    Ok(EcPrivateKey {
        private_key,
        named_curve,
        public_key,
    })
}
