//! The Concat KDF of NIST SP 800-56A §5.8.1 with SHA-256, as JWE's ECDH-ES uses it
//! (RFC 7518 §4.6.2).

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Derives `key_len` bytes from the shared secret `z`.
///
/// `algorithm_id` is the `enc` name for direct ECDH-ES and the `alg` name for the key-wrap
/// variants; `apu` and `apv` are the decoded `apu`/`apv` header values (empty when absent).
/// OtherInfo = len‖AlgorithmID ‖ len‖PartyUInfo ‖ len‖PartyVInfo ‖ keydatalen-in-bits, each
/// length a 32-bit big-endian byte count; SuppPrivInfo is empty.
pub fn concat_kdf(z: &[u8], key_len: usize, algorithm_id: &str, apu: &[u8], apv: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut other_info = Vec::with_capacity(16 + algorithm_id.len() + apu.len() + apv.len());
    for field in [algorithm_id.as_bytes(), apu, apv] {
        other_info.extend_from_slice(&(field.len() as u32).to_be_bytes());
        other_info.extend_from_slice(field);
    }
    other_info.extend_from_slice(&((key_len as u32).wrapping_mul(8)).to_be_bytes());
    let mut out = Zeroizing::new(Vec::with_capacity(key_len + 32));
    let mut counter: u32 = 1;
    while out.len() < key_len {
        let mut round = Sha256::new();
        round.update(counter.to_be_bytes());
        round.update(z);
        round.update(&other_info);
        out.extend_from_slice(&round.finalize());
        counter = counter.wrapping_add(1);
    }
    out.truncate(key_len);
    out
}
