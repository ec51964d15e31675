//! Strict base64url (RFC 4648 §5) without padding, as RFC 7515 §2 requires.
//!
//! Decoding accepts only the URL-safe alphabet, no `=` padding, no white space, a length that is
//! not 1 modulo 4, and zero trailing bits, so every byte string has exactly one accepted encoding.

/// A base64 alphabet of RFC 4648; the two differ only in the characters for 62 and 63.
#[derive(Clone, Copy)]
pub(crate) struct Alphabet(&'static [u8; 64]);

/// RFC 4648 §5, base64url (JWS, JWK).
pub(crate) const URL_SAFE: Alphabet = Alphabet(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

/// RFC 4648 §4, standard base64 (PEM).
pub(crate) const STANDARD: Alphabet = Alphabet(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

impl Alphabet {
    /// The 6-bit value of `c`, or `None` when `c` is not in this alphabet.
    pub(crate) fn value_of(self, c: u8) -> Option<u32> {
        let [.., c62, c63] = *self.0;
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            _ if c == c62 => 62,
            _ if c == c63 => 63,
            _ => return None,
        };
        Some(u32::from(v))
    }

    /// The character for the low six bits of `bits`.
    fn symbol(self, bits: u32) -> u8 {
        self.0.get((bits & 0x3f) as usize).copied().unwrap_or(b'A')
    }

    /// Appends the unpadded encoding of `input`: four characters per three bytes, then two or
    /// three for a last group of one or two bytes.
    pub(crate) fn encode_into(self, out: &mut Vec<u8>, input: &[u8]) {
        let mut groups = input.chunks_exact(3);
        for group in &mut groups {
            if let [a, b, c] = *group {
                let n = (u32::from(a) << 16) | (u32::from(b) << 8) | u32::from(c);
                out.extend_from_slice(&[
                    self.symbol(n >> 18),
                    self.symbol(n >> 12),
                    self.symbol(n >> 6),
                    self.symbol(n),
                ]);
            }
        }
        match *groups.remainder() {
            [a] => out.extend_from_slice(&[self.symbol(u32::from(a) >> 2), self.symbol(u32::from(a) << 4)]),
            [a, b] => {
                let n = (u32::from(a) << 8) | u32::from(b);
                out.extend_from_slice(&[self.symbol(n >> 10), self.symbol(n >> 4), self.symbol(n << 2)]);
            }
            _ => {}
        }
    }
}

/// Encodes bytes as base64url without padding.
pub fn encode(input: &[u8]) -> String {
    let mut out = Vec::with_capacity(input.len().div_ceil(3) * 4);
    URL_SAFE.encode_into(&mut out, input);
    String::from_utf8(out).unwrap_or_default()
}

/// Why a string is not canonical base64url.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// A character outside `A–Z a–z 0–9 - _` (this includes `=`, `+`, `/` and white space).
    InvalidCharacter,
    /// A length of 1 modulo 4 cannot come from any byte string.
    InvalidLength,
    /// The unused low bits of the last character are not zero.
    NonCanonical,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DecodeError::InvalidCharacter => {
                "a character outside the base64url alphabet (padding, '+', '/' or white space)"
            }
            DecodeError::InvalidLength => "a length no byte string encodes to",
            DecodeError::NonCanonical => "non-zero trailing bits",
        })
    }
}

/// Decodes canonical, unpadded base64url.
pub fn decode(input: &str) -> Result<Vec<u8>, DecodeError> {
    let bytes = input.as_bytes();
    if bytes.len() % 4 == 1 {
        return Err(DecodeError::InvalidLength);
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for chunk in bytes.chunks(4) {
        let mut n: u32 = 0;
        for (i, &c) in chunk.iter().enumerate() {
            let v = URL_SAFE.value_of(c).ok_or(DecodeError::InvalidCharacter)?;
            n |= v << (18 - 6 * i);
        }
        let produced = chunk.len() * 3 / 4;
        let unused_mask: u32 = match chunk.len() {
            2 => 0xffff,
            3 => 0xff,
            _ => 0,
        };
        if n & unused_mask != 0 {
            return Err(DecodeError::NonCanonical);
        }
        for i in 0..produced {
            out.push(((n >> (16 - 8 * i)) & 0xff) as u8);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_length_and_byte_value_round_trips() {
        for len in 0..100usize {
            for seed in [0usize, 85, 170, 255] {
                let raw: Vec<u8> = (0..len).map(|i| ((i * 37 + seed) % 256) as u8).collect();
                let text = encode(&raw);
                assert_eq!(text.len(), (len * 4).div_ceil(3), "length {len}");
                assert_eq!(decode(&text).unwrap(), raw, "length {len}, seed {seed}");
            }
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode(&encode(&all)).unwrap(), all);
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn rfc4648_vectors_round_trip() {
        let cases: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"foobar", "Zm9vYmFy"),
        ];
        for (raw, text) in cases {
            assert_eq!(encode(raw), text);
            assert_eq!(decode(text).unwrap(), raw);
        }
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn rejects_everything_non_canonical() {
        assert_eq!(decode("Zg=="), Err(DecodeError::InvalidCharacter));
        assert_eq!(decode("Zm9v+A"), Err(DecodeError::InvalidCharacter));
        assert_eq!(decode("Zm9v/A"), Err(DecodeError::InvalidCharacter));
        assert_eq!(decode("Zm 9"), Err(DecodeError::InvalidCharacter));
        assert_eq!(decode("Zm9v\nZg"), Err(DecodeError::InvalidCharacter));
        assert_eq!(decode("Zh"), Err(DecodeError::NonCanonical));
        assert_eq!(decode("Zm9"), Err(DecodeError::NonCanonical));
        assert_eq!(decode("Zm9vY"), Err(DecodeError::InvalidLength));
    }
}
