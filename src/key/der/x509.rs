//! The path to an X.509 certificate's `SubjectPublicKeyInfo` (RFC 5280 §4.1).

use super::DerError;
use super::reader::{Element, Reader, Tag, contents};

/// The encoded `SubjectPublicKeyInfo` of a DER certificate, found by walking the structure of
/// RFC 5280 §4.1: every element must be well-formed DER with the expected tag, in order, with
/// nothing left over. The contents of names, validity and extensions are not interpreted (they
/// are never used).
pub(crate) fn certificate_public_key_info(der: &[u8]) -> Result<&[u8], DerError> {
    let certificate = contents(der, |reader| reader.element(Tag::SEQUENCE))?;
    let tbs = contents(certificate.value, |reader| {
        let tbs = reader.element(Tag::SEQUENCE)?;
        reader.element(Tag::SEQUENCE)?;
        reader.element(Tag::BIT_STRING)?;
        Ok(tbs)
    })?;
    let spki = contents(tbs.value, tbs_fields)?;
    Ok(spki.encoded)
}

/// `TBSCertificate`'s fields up to the extensions; returns `subjectPublicKeyInfo`.
fn tbs_fields<'a>(reader: &mut Reader<'a>) -> Result<Element<'a>, DerError> {
    if reader.peek_tag()?.is_some_and(Tag::is_context) {
        reader.element(Tag::context(0, true))?;
    }
    reader.element(Tag::INTEGER)?;
    for _ in 0..4 {
        reader.element(Tag::SEQUENCE)?;
    }
    let spki = reader.element(Tag::SEQUENCE)?;
    for number in 1..=3 {
        if reader.peek_tag()? == Some(Tag::context(number, true)) {
            reader.element(Tag::context(number, true))?;
        }
    }
    Ok(spki)
}
