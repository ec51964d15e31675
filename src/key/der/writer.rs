//! A DER writer for the structures pkjwt exports: definite lengths in their minimal form.

use zeroize::Zeroizing;

/// The identifier octets pkjwt writes.
pub(crate) mod tag {
    /// `INTEGER`.
    pub(crate) const INTEGER: u8 = 0x02;
    /// `BIT STRING`.
    pub(crate) const BIT_STRING: u8 = 0x03;
    /// `OCTET STRING`.
    pub(crate) const OCTET_STRING: u8 = 0x04;
    /// `OBJECT IDENTIFIER`.
    pub(crate) const OID: u8 = 0x06;
    /// `SEQUENCE`.
    pub(crate) const SEQUENCE: u8 = 0x30;
    /// `[1]` IMPLICIT, primitive.
    pub(crate) const CONTEXT_1_PRIMITIVE: u8 = 0x81;
    /// `[1]` EXPLICIT.
    pub(crate) const CONTEXT_1: u8 = 0xA1;
}

/// A growing DER encoding; it is zeroized on drop, as exports of private keys pass through it.
#[derive(Default)]
pub(crate) struct Writer {
    out: Zeroizing<Vec<u8>>,
}

impl Writer {
    /// The encoding written so far.
    pub(crate) fn into_bytes(self) -> Zeroizing<Vec<u8>> {
        self.out
    }

    /// Appends already encoded elements.
    pub(crate) fn raw(&mut self, encoded: &[u8]) -> &mut Writer {
        self.out.extend_from_slice(encoded);
        self
    }

    fn header(&mut self, tag: u8, length: usize) {
        self.out.push(tag);
        if length < 0x80 {
            self.out.push(length as u8);
            return;
        }
        let octets = length.to_be_bytes();
        let significant = octets.iter().position(|&b| b != 0).unwrap_or(octets.len() - 1);
        let used = octets.get(significant..).unwrap_or_default();
        self.out.push(0x80 | used.len() as u8);
        self.out.extend_from_slice(used);
    }

    /// Appends the element `tag` with `contents`.
    pub(crate) fn element(&mut self, tag: u8, contents: &[u8]) -> &mut Writer {
        self.header(tag, contents.len());
        self.out.extend_from_slice(contents);
        self
    }

    /// Appends the element `tag` whose contents `write` produces.
    pub(crate) fn nested(&mut self, tag: u8, write: impl FnOnce(&mut Writer)) -> &mut Writer {
        let mut inner = Writer::default();
        write(&mut inner);
        self.element(tag, &inner.out)
    }

    /// Appends a non-negative `INTEGER` from its big-endian magnitude (leading zeros dropped, a
    /// sign octet added before a high bit).
    pub(crate) fn unsigned(&mut self, magnitude: &[u8]) -> &mut Writer {
        let start = magnitude.iter().position(|&b| b != 0).unwrap_or(magnitude.len());
        let digits = magnitude.get(start..).unwrap_or_default();
        match digits.first() {
            None => self.element(tag::INTEGER, &[0]),
            Some(&high) if high >= 0x80 => {
                self.header(tag::INTEGER, digits.len() + 1);
                self.out.push(0);
                self.out.extend_from_slice(digits);
                self
            }
            Some(_) => self.element(tag::INTEGER, digits),
        }
    }

    /// Appends a `BIT STRING` of whole bytes.
    pub(crate) fn bit_string(&mut self, bytes: &[u8]) -> &mut Writer {
        self.bit_string_tagged(tag::BIT_STRING, bytes)
    }

    /// Appends a string of whole bytes in the `BIT STRING` form under `tag` (for IMPLICIT tags).
    pub(crate) fn bit_string_tagged(&mut self, tag: u8, bytes: &[u8]) -> &mut Writer {
        self.header(tag, bytes.len() + 1);
        self.out.push(0);
        self.out.extend_from_slice(bytes);
        self
    }
}
