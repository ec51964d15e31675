//! The compact serialization (RFC 7516 §7.1) and the protected-header policy.

use super::algorithms::{ContentEncryption, KeyManagementAlgorithm};
use super::ecdh::{self, Epk};
use crate::b64;
use crate::error::{Error, Result};
use crate::json::Value;
use crate::json::{self, Object};

/// The largest `apu` or `apv` accepted, decoded.
const MAX_PARTY_INFO: usize = 1024;

/// The five parts of a compact JWE, decoded.
pub(crate) struct CompactJwe<'a> {
    /// The protected header segment as sent: its ASCII bytes are the AAD.
    pub protected: &'a str,
    pub header: Object,
    pub encrypted_key: Vec<u8>,
    pub iv: Vec<u8>,
    pub ciphertext: Vec<u8>,
    pub tag: Vec<u8>,
}

fn invalid(message: impl Into<String>) -> Error {
    Error::JweInvalid(message.into())
}

fn segment(text: &str, what: &str) -> Result<Vec<u8>> {
    b64::decode(text).map_err(|e| invalid(format!("the {what} segment is not canonical base64url: {e}")))
}

/// Splits a compact JWE: at most `max_size` bytes (checked before any decoding), five
/// segments, canonical base64url, a protected header that is a JSON object, a non-empty IV
/// and tag.
pub(crate) fn split(jwe: &str, max_size: usize) -> Result<CompactJwe<'_>> {
    if jwe.len() > max_size {
        return Err(invalid(format!("the JWE is longer than {max_size} bytes")));
    }
    let parts: Vec<&str> = jwe.split('.').collect();
    let [protected, encrypted_key, iv, ciphertext, tag] = parts.as_slice() else {
        return Err(invalid(format!(
            "a compact JWE has five segments, not {} (JSON serialization is not supported)",
            parts.len()
        )));
    };
    if protected.is_empty() || iv.is_empty() || tag.is_empty() {
        return Err(invalid("the protected header, IV and tag segments must not be empty"));
    }
    let header_bytes = segment(protected, "protected header")?;
    let header = json::parse_object(&header_bytes, "JWE protected header").map_err(Error::JweInvalid)?;
    Ok(CompactJwe {
        protected,
        header,
        encrypted_key: segment(encrypted_key, "encrypted key")?,
        iv: segment(iv, "IV")?,
        ciphertext: segment(ciphertext, "ciphertext")?,
        tag: segment(tag, "tag")?,
    })
}

/// The header members decryption acts on, checked against the policy.
pub(crate) struct ParsedHeader {
    pub alg: KeyManagementAlgorithm,
    pub enc: ContentEncryption,
    pub kid: Option<String>,
    pub epk: Option<Epk>,
    pub apu: Vec<u8>,
    pub apv: Vec<u8>,
}

fn optional_string<'a>(header: &'a Object, name: &str) -> Result<Option<&'a str>> {
    match header.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid(format!("the \"{name}\" header parameter must be a string"))),
    }
}

fn required_string<'a>(header: &'a Object, name: &str) -> Result<&'a str> {
    optional_string(header, name)?.ok_or_else(|| invalid(format!("the \"{name}\" header parameter is missing")))
}

fn party_info(header: &Object, name: &str) -> Result<Vec<u8>> {
    let Some(text) = optional_string(header, name)? else {
        return Ok(Vec::new());
    };
    let bytes = segment(text, name)?;
    if bytes.len() > MAX_PARTY_INFO {
        return Err(invalid(format!("\"{name}\" is longer than {MAX_PARTY_INFO} bytes")));
    }
    Ok(bytes)
}

/// Applies the policy: `alg` and `enc` implemented and in the allowlists, no `zip`, no `crit`,
/// string `kid`/`typ`/`cty`, an `epk` for ECDH-ES, the IV length of `enc`, and an encrypted key
/// exactly when the algorithm sends one.
pub(crate) fn check(
    jwe: &CompactJwe<'_>,
    algorithms: &[KeyManagementAlgorithm],
    encryptions: &[ContentEncryption],
) -> Result<ParsedHeader> {
    let header = &jwe.header;
    let alg: KeyManagementAlgorithm = required_string(header, "alg")?.parse()?;
    let enc: ContentEncryption = required_string(header, "enc")?.parse()?;
    if !algorithms.contains(&alg) {
        return Err(Error::AlgNotAllowed(format!(
            "{alg} is not in the allowed JWE algorithms"
        )));
    }
    if !encryptions.contains(&enc) {
        return Err(Error::AlgNotAllowed(format!(
            "{enc} is not in the allowed JWE encryptions"
        )));
    }
    if header.contains_key("zip") {
        return Err(Error::unsupported("compressed JWE (\"zip\") is refused"));
    }
    if header.contains_key("crit") {
        return Err(Error::unsupported("JWE \"crit\" extensions are not supported"));
    }
    for name in ["typ", "cty"] {
        optional_string(header, name)?;
    }
    let kid = optional_string(header, "kid")?.map(str::to_owned);
    if jwe.iv.len() != enc.iv_len() {
        return Err(invalid(format!("{enc} needs a {}-byte IV", enc.iv_len())));
    }
    let sends_key = alg != KeyManagementAlgorithm::EcdhEs;
    if sends_key == jwe.encrypted_key.is_empty() {
        return Err(invalid(if sends_key {
            format!("{alg} needs an encrypted key")
        } else {
            "ECDH-ES (direct) must have an empty encrypted key".into()
        }));
    }
    let (epk, apu, apv) = if alg.is_rsa() {
        (None, Vec::new(), Vec::new())
    } else {
        let apu = party_info(header, "apu")?;
        let apv = party_info(header, "apv")?;
        (Some(ecdh::parse_epk(header.get("epk"))?), apu, apv)
    };
    Ok(ParsedHeader {
        alg,
        enc,
        kid,
        epk,
        apu,
        apv,
    })
}
