//! The platform's cryptographic random source (getrandom; `crypto.getRandomValues` under wasm).

use crate::error::{Error, Result};

/// Fills `buf` with random bytes, or fails with [`Error::CryptoFailure`].
pub(crate) fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::CryptoFailure(format!("no random source available: {e}")))
}

/// A fresh base64url identifier carrying `bytes` random bytes.
pub(crate) fn token_id(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    fill(&mut buf)?;
    Ok(crate::b64::encode(&buf))
}
