//! `AlgorithmIdentifier` and `SubjectPublicKeyInfo` (RFC 5280 §4.1.1.2, §4.1.2.7).

use super::reader::{BitString, Element, Reader, Tag, contents};
use super::writer::{Writer, tag};
use super::{DerError, oid};

/// `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AlgorithmIdentifier<'a> {
    /// The algorithm's identifier (contents octets, valid).
    pub(crate) oid: &'a [u8],
    /// The parameters element, when present.
    pub(crate) parameters: Option<Element<'a>>,
}

impl<'a> AlgorithmIdentifier<'a> {
    /// Reads the next element of `reader` as an `AlgorithmIdentifier`.
    pub(crate) fn read(reader: &mut Reader<'a>) -> Result<AlgorithmIdentifier<'a>, DerError> {
        reader.sequence(|fields| {
            let oid = fields.oid()?;
            let parameters = if fields.is_empty() { None } else { Some(fields.any()?) };
            Ok(AlgorithmIdentifier { oid, parameters })
        })
    }

    /// True when the parameters are the `NULL` element (RSA's, RFC 3279 §2.3.1).
    pub(crate) fn has_null_parameters(&self) -> bool {
        self.parameters
            .is_some_and(|p| p.tag == Tag::NULL && p.value.is_empty())
    }

    /// The parameters as an identifier (a named curve); an error when they are absent, of
    /// another type, or malformed.
    pub(crate) fn parameters_oid(&self) -> Result<&'a [u8], DerError> {
        match self.parameters {
            Some(p) if p.tag == Tag::OID => {
                oid::check(p.value)?;
                Ok(p.value)
            }
            Some(_) => Err(DerError::UnexpectedTag),
            None => Err(DerError::UnexpectedTag),
        }
    }
}

/// `SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SubjectPublicKeyInfo<'a> {
    /// The key's algorithm.
    pub(crate) algorithm: AlgorithmIdentifier<'a>,
    /// The encoded key.
    pub(crate) public_key: BitString<'a>,
}

impl<'a> SubjectPublicKeyInfo<'a> {
    /// Parses a DER `SubjectPublicKeyInfo`.
    pub(crate) fn parse(der: &'a [u8]) -> Result<SubjectPublicKeyInfo<'a>, DerError> {
        contents(der, |reader| {
            reader.sequence(|fields| {
                let algorithm = AlgorithmIdentifier::read(fields)?;
                let public_key = BitString::parse(fields.value(Tag::BIT_STRING)?)?;
                Ok(SubjectPublicKeyInfo { algorithm, public_key })
            })
        })
    }

    /// Encodes a `SubjectPublicKeyInfo` of the key `public_key`, its algorithm `algorithm_oid`
    /// with `parameters` (whole encoded elements, possibly none).
    pub(crate) fn encode(algorithm_oid: &[u8], parameters: &[u8], public_key: &[u8]) -> Vec<u8> {
        let mut out = Writer::default();
        out.nested(tag::SEQUENCE, |info| {
            algorithm_identifier(info, algorithm_oid, parameters);
            info.bit_string(public_key);
        });
        out.into_bytes().to_vec()
    }
}

/// Writes an `AlgorithmIdentifier`.
pub(crate) fn algorithm_identifier(out: &mut Writer, algorithm_oid: &[u8], parameters: &[u8]) {
    out.nested(tag::SEQUENCE, |algorithm| {
        algorithm.element(tag::OID, algorithm_oid).raw(parameters);
    });
}
