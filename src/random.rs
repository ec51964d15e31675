//! The platform's cryptographic random source (getrandom; `crypto.getRandomValues` under wasm).
//!
//! Secrets (keys, nonces, blinding values, content keys, salts) are drawn straight from the
//! platform for each use. Identifiers that are published anyway (an assertion's `jti`) come from a
//! small pool refilled from the same source, because one `crypto.getRandomValues` call costs about
//! as much as building the rest of an Ed25519 assertion's claims.

use crate::error::{Error, Result};
use std::sync::{Mutex, PoisonError};

/// Bytes fetched from the platform per refill of the identifier pool.
const POOL_BYTES: usize = 512;

/// Random bytes not yet handed out, for public identifiers only.
static IDENTIFIER_POOL: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Fills `buf` with random bytes, or fails with [`Error::CryptoFailure`].
pub(crate) fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::CryptoFailure(format!("no random source available: {e}")))
}

/// Fills `buf` from the identifier pool, refilling it from [`fill`] when it runs short. Every byte
/// is handed out once. Never use it for anything secret.
fn fill_public(buf: &mut [u8]) -> Result<()> {
    if buf.len() > POOL_BYTES {
        return fill(buf);
    }
    let mut pool = IDENTIFIER_POOL.lock().unwrap_or_else(PoisonError::into_inner);
    if pool.len() < buf.len() {
        let mut fresh = vec![0u8; POOL_BYTES];
        fill(&mut fresh)?;
        *pool = fresh;
    }
    let rest = pool.len() - buf.len();
    for (out, byte) in buf.iter_mut().zip(pool.drain(rest..)) {
        *out = byte;
    }
    Ok(())
}

/// A fresh base64url identifier carrying `bytes` random bytes (published, so drawn from the pool).
pub(crate) fn token_id(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    fill_public(&mut buf)?;
    Ok(crate::b64::encode(&buf))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn identifiers_never_repeat_across_refills() {
        let ids: HashSet<String> = (0..3 * POOL_BYTES / 16).map(|_| token_id(16).unwrap()).collect();
        assert_eq!(ids.len(), 3 * POOL_BYTES / 16);
    }

    #[test]
    fn identifiers_have_the_requested_length() {
        assert_eq!(token_id(16).unwrap().len(), 22);
        assert_eq!(
            token_id(POOL_BYTES + 1).unwrap().len(),
            ((POOL_BYTES + 1) * 4).div_ceil(3)
        );
    }
}
