//! Compact JWS (RFC 7515 §7.1): encoding, and strict decoding as the verifier policy asks.

use crate::alg::Algorithm;
use crate::b64;
use crate::error::{Error, Result};
use crate::json::Value;
use crate::json::{self, Object};
use crate::key::Key;

/// The default cap on a compact JWS, checked before anything is decoded. A client assertion
/// with an `x5c` chain of two 2048-bit certificates stays under 8 KiB.
pub const DEFAULT_MAX_TOKEN_LENGTH: usize = 16 * 1024;

/// A compact JWS, split and decoded but not verified.
#[derive(Debug, Clone)]
pub struct DecodedJws {
    /// The protected header.
    pub header: Object,
    /// The payload (for a JWT: the claims set).
    pub payload: Object,
    /// The signature bytes.
    pub signature: Vec<u8>,
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`: the bytes the signature covers.
    pub signing_input: String,
}

impl DecodedJws {
    /// The header's `alg`, parsed: `none`/`HS*` are [`Error::AlgNotAllowed`], unknown names
    /// [`Error::NotSupported`].
    pub fn alg(&self) -> Result<Algorithm> {
        match self.header.get("alg") {
            Some(Value::String(name)) => name.parse(),
            Some(_) => Err(Error::jws("the \"alg\" header parameter must be a string")),
            None => Err(Error::jws("the \"alg\" header parameter is missing")),
        }
    }

    /// The header's `kid`, if present (it must then be a string).
    pub fn kid(&self) -> Result<Option<&str>> {
        match self.header.get("kid") {
            None => Ok(None),
            Some(Value::String(kid)) => Ok(Some(kid)),
            Some(_) => Err(Error::jws("the \"kid\" header parameter must be a string")),
        }
    }
}

fn segment<'a>(token: &'a str, what: &str) -> Result<(&'a str, Vec<u8>)> {
    if token.is_empty() {
        return Err(Error::jws(format!("the {what} segment is empty")));
    }
    let bytes =
        b64::decode(token).map_err(|e| Error::jws(format!("the {what} segment is not canonical base64url: {e}")))?;
    Ok((token, bytes))
}

/// Splits and decodes a compact JWS strictly.
///
/// Refuses, in this order: a token longer than `max_length` (before any decoding); anything
/// but exactly three non-empty segments of canonical base64url; a header or payload that is not
/// a JSON object without duplicate member names; a header with `crit` (no extension is
/// understood) or `b64` (RFC 7797 unencoded payloads are not JWTs). Header members `jwk`, `jku`,
/// `x5c` and `x5u` are left in place but never used to find a key.
pub fn decode(token: &str, max_length: usize) -> Result<DecodedJws> {
    if token.len() > max_length {
        return Err(Error::jws(format!("the token is longer than {max_length} bytes")));
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(Error::jws("a compact JWS has exactly three segments separated by '.'"));
    };
    let (h, header_bytes) = segment(h, "header")?;
    let (p, payload_bytes) = segment(p, "payload")?;
    let (_, signature) = segment(s, "signature")?;
    let header = json::parse_object(&header_bytes, "header").map_err(Error::JwsInvalid)?;
    if header.contains_key("crit") {
        return Err(Error::unsupported(
            "the \"crit\" header parameter is not supported: no extension is understood",
        ));
    }
    if header.contains_key("b64") {
        return Err(Error::unsupported(
            "the \"b64\" header parameter (RFC 7797) is not supported for JWTs",
        ));
    }
    let payload = json::parse_object(&payload_bytes, "payload").map_err(Error::JwtInvalid)?;
    Ok(DecodedJws {
        header,
        payload,
        signature,
        signing_input: format!("{h}.{p}"),
    })
}

/// Signs `header` and `payload` with `key`, after setting the header's `alg`.
pub fn encode(mut header: Object, payload: &Object, key: &Key, alg: Algorithm) -> Result<String> {
    header.insert("alg".into(), Value::String(alg.as_str().into()));
    let (header, payload) = (header.to_json(), payload.to_json());
    let mut token = Vec::with_capacity((header.len() + payload.len() + 600).div_ceil(3) * 4);
    b64::URL_SAFE.encode_into(&mut token, header.as_bytes());
    token.push(b'.');
    b64::URL_SAFE.encode_into(&mut token, payload.as_bytes());
    append_signature(token, key, alg)
}

/// Signs an already encoded signing input (`header.payload`), for published vectors whose
/// exact header bytes must be kept.
pub fn sign_encoded(signing_input: &str, key: &Key, alg: Algorithm) -> Result<String> {
    append_signature(signing_input.as_bytes().to_vec(), key, alg)
}

/// `signing_input` followed by `.` and its signature in base64url, as text.
fn append_signature(mut signing_input: Vec<u8>, key: &Key, alg: Algorithm) -> Result<String> {
    let signature = key.sign(alg, &signing_input)?;
    signing_input.push(b'.');
    b64::URL_SAFE.encode_into(&mut signing_input, &signature);
    String::from_utf8(signing_input).map_err(|_| Error::CryptoFailure("the JWS is not UTF-8".into()))
}

/// Decodes a compact JWS and verifies its signature with `key`, without any claim checks.
///
/// The header's `alg` must fit the key; the result is returned only when the signature holds.
pub fn verify(token: &str, key: &Key, max_length: usize) -> Result<DecodedJws> {
    let decoded = decode(token, max_length)?;
    let alg = decoded.alg()?;
    key.verify(alg, decoded.signing_input.as_bytes(), &decoded.signature)?;
    Ok(decoded)
}
