//! A strict DER and PEM codec for the key structures pkjwt reads and writes: PKCS#8
//! `PrivateKeyInfo` (RFC 5958), `SubjectPublicKeyInfo` (RFC 5280 §4.1), SEC 1 `ECPrivateKey`
//! (RFC 5915), PKCS#1 RSA keys (RFC 8017 A.1), the path to an X.509 certificate's public key, and
//! RFC 7468 PEM. Every element must be DER: definite minimal lengths, minimal INTEGERs, known tags
//! in their only form, nothing left over at any level.

mod ec_private_key;
mod oid;
pub(crate) mod pem;
mod private_key_info;
mod public_key_info;
mod reader;
mod rsa_keys;
mod writer;
mod x509;

#[cfg(test)]
mod tests;

pub(crate) use ec_private_key::EcPrivateKey;
pub(crate) use oid::{dotted as oid_dotted, *};
pub(crate) use private_key_info::PrivateKeyInfo;
pub(crate) use public_key_info::{AlgorithmIdentifier, SubjectPublicKeyInfo};
pub(crate) use rsa_keys::{RsaPrivateKeyDer, RsaPublicKeyDer};
pub(crate) use x509::certificate_public_key_info;

/// Why an input is not the DER structure expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DerError {
    /// The input ends inside an element.
    Truncated,
    /// An indefinite length (BER, not DER).
    IndefiniteLength,
    /// A long-form length where the short form fits, or with leading zero octets.
    LengthNotMinimal,
    /// A length of more than four octets.
    LengthTooLong,
    /// An identifier octet of no known universal type, or a high tag number not in minimal form.
    TagInvalid,
    /// An element of another type than the structure has there.
    UnexpectedTag,
    /// A primitive encoding where a constructed one is required, or the reverse.
    WrongForm,
    /// Bytes after the last element of a structure.
    TrailingBytes,
    /// An INTEGER without contents.
    IntegerEmpty,
    /// An INTEGER with a redundant leading octet.
    IntegerNotMinimal,
    /// A negative INTEGER where only non-negative ones are allowed.
    IntegerNegative,
    /// A version or other small INTEGER outside its range.
    IntegerOutOfRange,
    /// A BIT STRING without its unused-bits octet, or with more than 7 unused bits.
    BitStringInvalid,
    /// A malformed OBJECT IDENTIFIER.
    OidInvalid,
    /// A version that does not fit the fields present.
    VersionMismatch,
}

impl std::fmt::Display for DerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DerError::Truncated => "truncated element",
            DerError::IndefiniteLength => "indefinite length (BER, not DER)",
            DerError::LengthNotMinimal => "length not minimal",
            DerError::LengthTooLong => "length of more than four octets",
            DerError::TagInvalid => "invalid or unknown tag",
            DerError::UnexpectedTag => "unexpected element",
            DerError::WrongForm => "constructed/primitive form not allowed here",
            DerError::TrailingBytes => "trailing bytes",
            DerError::IntegerEmpty => "empty INTEGER",
            DerError::IntegerNotMinimal => "INTEGER not minimal",
            DerError::IntegerNegative => "negative INTEGER",
            DerError::IntegerOutOfRange => "INTEGER out of range",
            DerError::BitStringInvalid => "invalid BIT STRING",
            DerError::OidInvalid => "invalid OBJECT IDENTIFIER",
            DerError::VersionMismatch => "version does not match the fields present",
        })
    }
}
