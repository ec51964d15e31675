//! PKCS#1 `RSAPrivateKey` and `RSAPublicKey` (RFC 8017 A.1.1, A.1.2).

use super::DerError;
use super::reader::{Reader, Tag, contents};
use super::writer::{Writer, tag};
use zeroize::Zeroizing;

/// An `RSAPublicKey`'s integers (magnitudes).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RsaPublicKeyDer<'a> {
    /// The modulus `n`.
    pub(crate) n: &'a [u8],
    /// The public exponent `e`.
    pub(crate) e: &'a [u8],
}

impl<'a> RsaPublicKeyDer<'a> {
    /// Parses a DER `RSAPublicKey`.
    pub(crate) fn parse(der: &'a [u8]) -> Result<RsaPublicKeyDer<'a>, DerError> {
        contents(der, |reader| {
            reader.sequence(|fields| {
                Ok(RsaPublicKeyDer {
                    n: fields.unsigned()?,
                    e: fields.unsigned()?,
                })
            })
        })
    }

    /// Encodes an `RSAPublicKey`.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Writer::default();
        out.nested(tag::SEQUENCE, |key| {
            key.unsigned(self.n).unsigned(self.e);
        });
        out.into_bytes().to_vec()
    }
}

/// An `RSAPrivateKey`'s integers (magnitudes).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RsaPrivateKeyDer<'a> {
    /// The public half.
    pub(crate) public: RsaPublicKeyDer<'a>,
    /// `d`, `p`, `q`, `dP`, `dQ` and `qInv`, in this order.
    pub(crate) private: [&'a [u8]; 6],
    /// True for a version 1 key with `otherPrimeInfos` (more than two primes).
    pub(crate) multi_prime: bool,
}

impl<'a> RsaPrivateKeyDer<'a> {
    /// Parses a DER `RSAPrivateKey`: version 0 with two primes, or version 1 with a non-empty
    /// `otherPrimeInfos`.
    pub(crate) fn parse(der: &'a [u8]) -> Result<RsaPrivateKeyDer<'a>, DerError> {
        contents(der, |reader| reader.sequence(fields))
    }

    /// Encodes a two-prime `RSAPrivateKey` (version 0).
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Writer::default();
        out.nested(tag::SEQUENCE, |key| {
            key.unsigned(&[0]).unsigned(self.public.n).unsigned(self.public.e);
            for integer in self.private {
                key.unsigned(integer);
            }
        });
        out.into_bytes()
    }
}

fn fields<'a>(reader: &mut Reader<'a>) -> Result<RsaPrivateKeyDer<'a>, DerError> {
    let version = reader.small_unsigned()?;
    if version > 1 {
        return Err(DerError::IntegerOutOfRange);
    }
    let public = RsaPublicKeyDer {
        n: reader.unsigned()?,
        e: reader.unsigned()?,
    };
    let mut private: [&[u8]; 6] = [&[]; 6];
    for integer in &mut private {
        *integer = reader.unsigned()?;
    }
    let multi_prime = !reader.is_empty();
    if multi_prime {
        other_prime_infos(reader)?;
    }
    if (version == 1) != multi_prime {
        return Err(DerError::VersionMismatch);
    }
    Ok(RsaPrivateKeyDer {
        public,
        private,
        multi_prime,
    })
}

/// `OtherPrimeInfos ::= SEQUENCE SIZE(1..MAX) OF SEQUENCE { prime, exponent, coefficient INTEGER }`.
fn other_prime_infos(reader: &mut Reader<'_>) -> Result<(), DerError> {
    let infos = reader.value(Tag::SEQUENCE)?;
    if infos.is_empty() {
        return Err(DerError::VersionMismatch);
    }
    let mut list = Reader::new(infos);
    while !list.is_empty() {
        list.sequence(|info| {
            for _ in 0..3 {
                info.unsigned()?;
            }
            Ok(())
        })?;
    }
    Ok(())
}
