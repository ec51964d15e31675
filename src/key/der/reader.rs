//! A strict DER (X.690 §10) reader over a byte slice: tags, definite minimal lengths, and the
//! primitive values pkjwt reads (unsigned INTEGER, BIT STRING, OBJECT IDENTIFIER).

use super::DerError;

/// The class and constructed bits of an identifier octet (X.690 §8.1.2).
const CLASS_MASK: u8 = 0xC0;
const CONSTRUCTED: u8 = 0x20;
const CONTEXT_CLASS: u8 = 0x80;

/// An identifier: class, constructed bit and tag number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tag {
    /// The class bits and the constructed bit (the identifier octet without its number).
    leading: u8,
    /// The tag number, which may need the high-tag-number form (≥ 31).
    number: u32,
}

impl Tag {
    /// `INTEGER`.
    pub(crate) const INTEGER: Tag = Tag::universal(0x02);
    /// `BIT STRING`.
    pub(crate) const BIT_STRING: Tag = Tag::universal(0x03);
    /// `OCTET STRING`.
    pub(crate) const OCTET_STRING: Tag = Tag::universal(0x04);
    /// `NULL`.
    pub(crate) const NULL: Tag = Tag::universal(0x05);
    /// `OBJECT IDENTIFIER`.
    pub(crate) const OID: Tag = Tag::universal(0x06);
    /// `SEQUENCE` (always constructed).
    pub(crate) const SEQUENCE: Tag = Tag::universal(0x30);

    /// The universal tag whose one identifier octet is `octet`.
    const fn universal(octet: u8) -> Tag {
        Tag {
            leading: octet & (CLASS_MASK | CONSTRUCTED),
            number: (octet & 0x1F) as u32,
        }
    }

    /// The context-specific tag `[number]`.
    pub(crate) const fn context(number: u32, constructed: bool) -> Tag {
        Tag {
            leading: CONTEXT_CLASS | if constructed { CONSTRUCTED } else { 0 },
            number,
        }
    }

    /// True for a context-specific tag.
    pub(crate) fn is_context(self) -> bool {
        self.leading & CLASS_MASK == CONTEXT_CLASS
    }

    /// True for a constructed encoding.
    pub(crate) fn is_constructed(self) -> bool {
        self.leading & CONSTRUCTED != 0
    }

    /// True for the context-specific tag `[number]`, primitive or constructed.
    pub(crate) fn is_context_number(self, number: u32) -> bool {
        self.is_context() && self.number == number
    }
}

/// One decoded element: its tag, its contents and its whole encoding.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Element<'a> {
    /// The element's tag.
    pub(crate) tag: Tag,
    /// The contents octets.
    pub(crate) value: &'a [u8],
    /// Identifier, length and contents octets.
    pub(crate) encoded: &'a [u8],
}

/// Reads consecutive DER elements from a slice.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { rest: bytes }
    }

    /// True when every byte has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Refuses bytes left over after the last expected element.
    pub(crate) fn finish(&self) -> Result<(), DerError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(DerError::TrailingBytes)
        }
    }

    fn byte(&mut self) -> Result<u8, DerError> {
        let (&first, rest) = self.rest.split_first().ok_or(DerError::Truncated)?;
        self.rest = rest;
        Ok(first)
    }

    /// The tag of the next element without consuming it; `None` at the end.
    pub(crate) fn peek_tag(&self) -> Result<Option<Tag>, DerError> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        self.clone().tag().map(Some)
    }

    /// An identifier: the universal types of X.690 with their only valid form, or any
    /// application, context-specific or private tag (high tag numbers in minimal form).
    fn tag(&mut self) -> Result<Tag, DerError> {
        let first = self.byte()?;
        let leading = first & (CLASS_MASK | CONSTRUCTED);
        if first & CLASS_MASK == 0 {
            return match first {
                0x01..=0x06 | 0x09 | 0x0A | 0x0C | 0x0D | 0x12..=0x18 | 0x1A | 0x1B | 0x1E | 0x30 | 0x31 => {
                    Ok(Tag::universal(first))
                }
                _ => Err(DerError::TagInvalid),
            };
        }
        if first & 0x1F != 0x1F {
            return Ok(Tag {
                leading,
                number: u32::from(first & 0x1F),
            });
        }
        let mut number: u32 = 0;
        for index in 0..5 {
            let byte = self.byte()?;
            if index == 0 && byte == 0x80 {
                return Err(DerError::TagInvalid);
            }
            number = (number << 7) | u32::from(byte & 0x7F);
            if byte & 0x80 == 0 {
                return if number < 0x1F {
                    Err(DerError::TagInvalid)
                } else {
                    Ok(Tag { leading, number })
                };
            }
            if number.leading_zeros() < 7 {
                return Err(DerError::TagInvalid);
            }
        }
        Err(DerError::TagInvalid)
    }

    /// A definite length in its minimal form, at most four length octets.
    fn length(&mut self) -> Result<usize, DerError> {
        let first = self.byte()?;
        let count = match first {
            0..=0x7F => return Ok(usize::from(first)),
            0x80 => return Err(DerError::IndefiniteLength),
            0x81..=0x84 => first & 0x7F,
            _ => return Err(DerError::LengthTooLong),
        };
        let mut length: usize = 0;
        for _ in 0..count {
            length = (length << 8) | usize::from(self.byte()?);
        }
        let minimal_count = (usize::BITS - length.leading_zeros()).div_ceil(8);
        if length < 0x80 || minimal_count != u32::from(count) {
            return Err(DerError::LengthNotMinimal);
        }
        Ok(length)
    }

    /// The next element, whatever its tag.
    pub(crate) fn any(&mut self) -> Result<Element<'a>, DerError> {
        let start = self.rest;
        let tag = self.tag()?;
        let length = self.length()?;
        if length > self.rest.len() {
            return Err(DerError::Truncated);
        }
        let (value, rest) = self.rest.split_at(length);
        self.rest = rest;
        let encoded = start.get(..start.len() - rest.len()).ok_or(DerError::Truncated)?;
        Ok(Element { tag, value, encoded })
    }

    /// The next element, which must carry `tag`.
    pub(crate) fn element(&mut self, tag: Tag) -> Result<Element<'a>, DerError> {
        let element = self.any()?;
        if element.tag == tag {
            Ok(element)
        } else {
            Err(DerError::UnexpectedTag)
        }
    }

    /// The contents of the next element, which must carry `tag`.
    pub(crate) fn value(&mut self, tag: Tag) -> Result<&'a [u8], DerError> {
        self.element(tag).map(|element| element.value)
    }

    /// The next element when it is the context-specific `[number]` (either form); `None` at
    /// the end or before another tag.
    pub(crate) fn optional_context(&mut self, number: u32) -> Result<Option<Element<'a>>, DerError> {
        match self.peek_tag()? {
            Some(tag) if tag.is_context_number(number) => self.any().map(Some),
            _ => Ok(None),
        }
    }

    /// The magnitude of the next element, an `INTEGER` that must be non-negative.
    pub(crate) fn unsigned(&mut self) -> Result<&'a [u8], DerError> {
        unsigned(self.value(Tag::INTEGER)?)
    }

    /// The next element, a non-negative `INTEGER` below 256 (a version number).
    pub(crate) fn small_unsigned(&mut self) -> Result<u8, DerError> {
        match self.unsigned()? {
            [value] => Ok(*value),
            _ => Err(DerError::IntegerOutOfRange),
        }
    }

    /// The contents of the next element, a valid `OBJECT IDENTIFIER`.
    pub(crate) fn oid(&mut self) -> Result<&'a [u8], DerError> {
        let value = self.value(Tag::OID)?;
        super::oid::check(value)?;
        Ok(value)
    }

    /// The SEQUENCE whose contents `read` consumes entirely.
    pub(crate) fn sequence<T>(
        &mut self,
        read: impl FnOnce(&mut Reader<'a>) -> Result<T, DerError>,
    ) -> Result<T, DerError> {
        contents(self.value(Tag::SEQUENCE)?, read)
    }
}

/// Reads `bytes` with `read`, which must consume them entirely.
pub(crate) fn contents<'a, T>(
    bytes: &'a [u8],
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, DerError>,
) -> Result<T, DerError> {
    let mut reader = Reader::new(bytes);
    let found = read(&mut reader)?;
    reader.finish()?;
    Ok(found)
}

/// The magnitude of a non-negative `INTEGER` from its contents: minimal two's complement, its
/// sign octet (a leading zero before a high bit) removed; zero is `[0]`.
pub(crate) fn unsigned(value: &[u8]) -> Result<&[u8], DerError> {
    match value {
        [] => Err(DerError::IntegerEmpty),
        [0] => Ok(value),
        [0, next, ..] if *next < 0x80 => Err(DerError::IntegerNotMinimal),
        [0, rest @ ..] => Ok(rest),
        [first, ..] if *first >= 0x80 => Err(DerError::IntegerNegative),
        _ => Ok(value),
    }
}

/// A `BIT STRING`'s contents: the count of unused bits (0–7, 0 when empty) and the bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BitString<'a> {
    /// Unused bits in the last byte.
    pub(crate) unused_bits: u8,
    /// The string's bytes.
    pub(crate) bytes: &'a [u8],
}

impl<'a> BitString<'a> {
    /// Parses a `BIT STRING`'s contents.
    pub(crate) fn parse(value: &'a [u8]) -> Result<BitString<'a>, DerError> {
        let (&unused_bits, bytes) = value.split_first().ok_or(DerError::BitStringInvalid)?;
        if unused_bits > 7 || (unused_bits != 0 && bytes.is_empty()) {
            return Err(DerError::BitStringInvalid);
        }
        Ok(BitString { unused_bits, bytes })
    }

    /// The bytes of a string of whole bytes.
    pub(crate) fn whole_bytes(self) -> Option<&'a [u8]> {
        (self.unused_bits == 0).then_some(self.bytes)
    }
}
