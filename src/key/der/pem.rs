//! RFC 7468 PEM, strict: one block from `-----BEGIN label-----` to `-----END label-----`,
//! base64 lines of exactly 64 characters but the last, line breaks CRLF, LF or CR, canonical
//! padded base64 (RFC 4648 §4), no headers. Output wraps at 64 with LF line endings.

use crate::b64::STANDARD;
use zeroize::Zeroizing;

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";
const LINE_WIDTH: usize = 64;

/// Why a PEM block was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PemError {
    /// No `-----BEGIN label-----` line, or an invalid label.
    Begin,
    /// No `-----END label-----` with the same label after the base64 text.
    End,
    /// The base64 text is empty, mis-wrapped, not canonical base64, or has headers.
    Base64,
}

impl std::fmt::Display for PemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PemError::Begin => "malformed BEGIN line or label",
            PemError::End => "missing or mismatched END line",
            PemError::Base64 => "the base64 text is not canonical, 64-column base64 (or has headers)",
        })
    }
}

fn strip_leading_eol(bytes: &[u8]) -> Option<&[u8]> {
    match bytes {
        [b'\r', b'\n', rest @ ..] | [b'\n', rest @ ..] | [b'\r', rest @ ..] => Some(rest),
        _ => None,
    }
}

fn strip_trailing_eol(bytes: &[u8]) -> Option<&[u8]> {
    match bytes {
        [head @ .., b'\r', b'\n'] | [head @ .., b'\n'] | [head @ .., b'\r'] => Some(head),
        _ => None,
    }
}

/// The label up to `-----` and the text after the BEGIN line: label characters are printable
/// ASCII but `-`, with single spaces or tabs between them (RFC 7468 §3).
fn split_label(bytes: &[u8]) -> Option<(&str, &[u8])> {
    let mut length = 0;
    let mut last_was_space = false;
    for &c in bytes {
        match c {
            b'-' => break,
            0x21..=0x7E => last_was_space = false,
            b' ' | b'\t' if length != 0 && !last_was_space => last_was_space = true,
            _ => return None,
        }
        length += 1;
    }
    let (label, rest) = bytes.split_at(length);
    let body = strip_leading_eol(rest.strip_prefix(DASHES)?)?;
    Some((std::str::from_utf8(label).ok()?, body))
}

/// Decodes one PEM block (`-----BEGIN` at its start, its END line's dashes at its end, one line
/// break after them allowed) into its label and contents.
pub(crate) fn decode(block: &str) -> Result<(&str, Zeroizing<Vec<u8>>), PemError> {
    let after_begin = block.as_bytes().strip_prefix(BEGIN).ok_or(PemError::Begin)?;
    let (label, body) = split_label(after_begin).ok_or(PemError::Begin)?;
    let body = strip_trailing_eol(body).unwrap_or(body);
    let text = body
        .strip_suffix(DASHES)
        .and_then(|b| b.strip_suffix(label.as_bytes()))
        .and_then(|b| b.strip_suffix(END))
        .and_then(strip_trailing_eol)
        .ok_or(PemError::End)?;
    let base64 = unwrap_lines(text).ok_or(PemError::Base64)?;
    Ok((label, decode_base64(&base64).ok_or(PemError::Base64)?))
}

/// The base64 text without its line breaks: every line but the last exactly 64 characters.
fn unwrap_lines(mut text: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let mut joined = Zeroizing::new(Vec::with_capacity(text.len()));
    while text.len() > LINE_WIDTH {
        let (line, rest) = text.split_at(LINE_WIDTH);
        joined.extend_from_slice(line);
        text = strip_leading_eol(rest)?;
    }
    joined.extend_from_slice(strip_trailing_eol(text).unwrap_or(text));
    Some(joined)
}

/// Decodes canonical padded base64: a non-empty multiple of 4 characters, `=` only as the
/// last one or two, zero unused bits.
fn decode_base64(text: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if text.is_empty() || !text.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Zeroizing::new(Vec::with_capacity(text.len() / 4 * 3));
    let last = text.len() / 4 - 1;
    for (index, chunk) in text.chunks_exact(4).enumerate() {
        let padding = match chunk {
            [_, _, b'=', b'='] if index == last => 2,
            [_, _, _, b'='] if index == last => 1,
            _ => 0,
        };
        let mut n: u32 = 0;
        for (i, &c) in chunk.iter().take(4 - padding).enumerate() {
            n |= STANDARD.value_of(c)? << (18 - 6 * i);
        }
        let unused_mask: u32 = match padding {
            2 => 0xFFFF,
            1 => 0xFF,
            _ => 0,
        };
        if n & unused_mask != 0 {
            return None;
        }
        out.extend_from_slice(n.to_be_bytes().get(1..4 - padding)?);
    }
    Some(out)
}

/// Encodes `der` as a PEM block labelled `label`, base64 wrapped at 64 columns, LF line ends.
pub(crate) fn encode(label: &str, der: &[u8]) -> String {
    let mut pem = Vec::with_capacity(der.len() * 4 / 3 + der.len() / 48 + 2 * label.len() + 40);
    pem.extend_from_slice(b"-----BEGIN ");
    pem.extend_from_slice(label.as_bytes());
    pem.extend_from_slice(b"-----\n");
    for line in der.chunks(LINE_WIDTH / 4 * 3) {
        STANDARD.encode_into(&mut pem, line);
        pem.resize(pem.len() + (3 - line.len() % 3) % 3, b'=');
        pem.push(b'\n');
    }
    pem.extend_from_slice(b"-----END ");
    pem.extend_from_slice(label.as_bytes());
    pem.extend_from_slice(b"-----\n");
    String::from_utf8(pem).unwrap_or_default()
}
