//! The RSA signature encodings JWS uses: EMSA-PKCS1-v1_5 (RFC 8017 §9.2) for RS256/384/512 and
//! EMSA-PSS with MGF1 of the same hash and a salt as long as the hash (RFC 8017 §9.1,
//! RFC 7518 §3.5) for PS256/384/512.

use crate::alg::Hash;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The DER `DigestInfo` prefixes of RFC 8017 §9.2, note 1.
fn digest_info_prefix(hash: Hash) -> &'static [u8] {
    match hash {
        Hash::Sha256 => &[
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
            0x20,
        ],
        Hash::Sha384 => &[
            0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04,
            0x30,
        ],
        Hash::Sha512 => &[
            0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04,
            0x40,
        ],
    }
}

/// The digest of the concatenation of `parts`.
fn digest(hash: Hash, parts: &[&[u8]]) -> Vec<u8> {
    fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
        let mut d = D::new();
        for part in parts {
            d.update(part);
        }
        d.finalize().to_vec()
    }
    match hash {
        Hash::Sha256 => run::<Sha256>(parts),
        Hash::Sha384 => run::<Sha384>(parts),
        Hash::Sha512 => run::<Sha512>(parts),
    }
}

/// The digest length in bytes.
pub(crate) fn hash_len(hash: Hash) -> usize {
    match hash {
        Hash::Sha256 => 32,
        Hash::Sha384 => 48,
        Hash::Sha512 => 64,
    }
}

/// EMSA-PKCS1-v1_5 of `message` for a modulus of `k` bytes: `00 01 FF…FF 00 DigestInfo`; `None`
/// when the modulus is too short.
pub(crate) fn pkcs1v15_encode(hash: Hash, message: &[u8], k: usize) -> Option<Vec<u8>> {
    let prefix = digest_info_prefix(hash);
    let h = digest(hash, &[message]);
    let t_len = prefix.len() + h.len();
    let padding = k.checked_sub(t_len + 3).filter(|&ps| ps >= 8)?;
    let mut em = Vec::with_capacity(k);
    em.extend_from_slice(&[0x00, 0x01]);
    em.resize(2 + padding, 0xff);
    em.push(0x00);
    em.extend_from_slice(prefix);
    em.extend_from_slice(&h);
    Some(em)
}

/// `out ^= MGF1(seed)` (RFC 8017 §B.2.1).
fn mgf1_xor(hash: Hash, seed: &[u8], out: &mut [u8]) {
    for (counter, chunk) in (0u32..).zip(out.chunks_mut(hash_len(hash))) {
        let mask = digest(hash, &[seed, &counter.to_be_bytes()]);
        for (o, m) in chunk.iter_mut().zip(mask) {
            *o ^= m;
        }
    }
}

/// The length of the encoded message and the number of high bits of its first byte that must be
/// zero, for a modulus of `mod_bits` bits (emBits = modBits − 1).
fn pss_lengths(mod_bits: usize) -> (usize, u32) {
    let em_bits = mod_bits.saturating_sub(1);
    let em_len = em_bits.div_ceil(8);
    (em_len, (8 * em_len - em_bits) as u32)
}

/// The high bits of the first byte that `zero_bits` says must be zero.
fn high_mask(zero_bits: u32) -> u8 {
    !(0xffu8 >> zero_bits)
}

/// EMSA-PSS-ENCODE (RFC 8017 §9.1.1) of `message` with `salt`, for a modulus of `mod_bits` bits,
/// left-padded with zero bytes to `k` bytes; `None` when the modulus is too short.
pub(crate) fn pss_encode(hash: Hash, message: &[u8], salt: &[u8], mod_bits: usize, k: usize) -> Option<Vec<u8>> {
    let h_len = hash_len(hash);
    let (em_len, zero_bits) = pss_lengths(mod_bits);
    let db_len = em_len.checked_sub(h_len + 1)?;
    let ps_len = db_len.checked_sub(salt.len() + 1)?;
    let m_hash = digest(hash, &[message]);
    let h = digest(hash, &[&[0u8; 8], &m_hash, salt]);
    let mut em = vec![0u8; k.checked_sub(em_len)?];
    let start = em.len();
    em.resize(start + ps_len, 0);
    em.push(0x01);
    em.extend_from_slice(salt);
    mgf1_xor(hash, &h, em.get_mut(start..)?);
    if let Some(first) = em.get_mut(start) {
        *first &= !high_mask(zero_bits);
    }
    em.extend_from_slice(&h);
    em.push(0xbc);
    Some(em)
}

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with a salt of the hash's length, for the `k`-byte result
/// `em` of the public operation with a modulus of `mod_bits` bits.
pub(crate) fn pss_verify(hash: Hash, message: &[u8], em: &[u8], mod_bits: usize) -> bool {
    let h_len = hash_len(hash);
    let (em_len, zero_bits) = pss_lengths(mod_bits);
    let Some((extra, em)) = em.len().checked_sub(em_len).map(|extra| em.split_at(extra)) else {
        return false;
    };
    if extra.iter().any(|&b| b != 0) || em.len() < 2 * h_len + 2 || em.last() != Some(&0xbc) {
        return false;
    }
    let db_len = em_len - h_len - 1;
    let (masked_db, rest) = em.split_at(db_len);
    let h = rest.get(..h_len).unwrap_or_default();
    if masked_db.first().is_some_and(|&b| b & high_mask(zero_bits) != 0) {
        return false;
    }
    let mut db = masked_db.to_vec();
    mgf1_xor(hash, h, &mut db);
    if let Some(first) = db.first_mut() {
        *first &= !high_mask(zero_bits);
    }
    let ps_len = db_len - h_len - 1;
    let (ps, tail) = db.split_at(ps_len);
    if ps.iter().any(|&b| b != 0) || tail.first() != Some(&0x01) {
        return false;
    }
    let salt = tail.get(1..).unwrap_or_default();
    let m_hash = digest(hash, &[message]);
    digest(hash, &[&[0u8; 8], &m_hash, salt]) == h
}
