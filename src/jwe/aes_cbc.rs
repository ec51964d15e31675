//! AES in CBC mode with PKCS#7 padding (NIST SP 800-38A §6.2, RFC 5652 §6.3), over the `aes`
//! block cipher. Only the JWE CBC-HMAC layer uses it, after the tag has been checked.

use aes::cipher::{Block, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use aes::{Aes128, Aes256};

const BLOCK: usize = 16;

/// An AES key of 128 or 256 bits.
pub(crate) enum AesKey {
    Aes128(Box<Aes128>),
    Aes256(Box<Aes256>),
}

impl AesKey {
    /// `None` unless `key` is 16 or 32 bytes.
    pub(crate) fn new(key: &[u8]) -> Option<AesKey> {
        match key.len() {
            16 => Aes128::new_from_slice(key).ok().map(|k| AesKey::Aes128(Box::new(k))),
            32 => Aes256::new_from_slice(key).ok().map(|k| AesKey::Aes256(Box::new(k))),
            _ => None,
        }
    }

    fn encrypt_block(&self, block: &mut Block<Aes128>) {
        match self {
            AesKey::Aes128(k) => k.encrypt_block(block),
            AesKey::Aes256(k) => k.encrypt_block(block),
        }
    }

    fn decrypt_block(&self, block: &mut Block<Aes128>) {
        match self {
            AesKey::Aes128(k) => k.decrypt_block(block),
            AesKey::Aes256(k) => k.decrypt_block(block),
        }
    }
}

/// Pads `plaintext` with PKCS#7 and encrypts it in CBC mode under `iv` (16 bytes).
pub(crate) fn encrypt(key: &AesKey, iv: &[u8; BLOCK], plaintext: &[u8]) -> Vec<u8> {
    let pad = BLOCK - plaintext.len() % BLOCK;
    let mut out = Vec::with_capacity(plaintext.len() + pad);
    out.extend_from_slice(plaintext);
    out.resize(plaintext.len() + pad, pad as u8);
    let mut chain = *iv;
    for chunk in out.chunks_exact_mut(BLOCK) {
        let mut block = Block::<Aes128>::default();
        for ((b, p), c) in block.iter_mut().zip(chunk.iter()).zip(chain.iter()) {
            *b = p ^ c;
        }
        key.encrypt_block(&mut block);
        chunk.copy_from_slice(&block);
        chain.copy_from_slice(&block);
    }
    out
}

/// Decrypts CBC `ciphertext` under `iv` and strips PKCS#7 padding; `None` when the length is
/// not a positive multiple of 16 or the padding is malformed.
pub(crate) fn decrypt(key: &AesKey, iv: &[u8; BLOCK], ciphertext: &[u8]) -> Option<Vec<u8>> {
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(BLOCK) {
        return None;
    }
    let mut out = Vec::with_capacity(ciphertext.len());
    let mut chain = *iv;
    for chunk in ciphertext.chunks_exact(BLOCK) {
        let mut block = Block::<Aes128>::default();
        block.copy_from_slice(chunk);
        key.decrypt_block(&mut block);
        out.extend(block.iter().zip(chain.iter()).map(|(b, c)| b ^ c));
        chain.copy_from_slice(chunk);
    }
    let pad = usize::from(*out.last()?);
    if pad == 0 || pad > BLOCK || !out.get(out.len() - pad..)?.iter().all(|&b| usize::from(b) == pad) {
        return None;
    }
    out.truncate(out.len() - pad);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NIST SP 800-38A F.2.1 (CBC-AES128.Encrypt), first two blocks; PKCS#7 adds a full block.
    #[test]
    fn sp800_38a_cbc_aes128() {
        let key = AesKey::new(&hex("2b7e151628aed2a6abf7158809cf4f3c")).unwrap();
        let iv: [u8; 16] = hex("000102030405060708090a0b0c0d0e0f").try_into().unwrap();
        let plaintext = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        let ciphertext = encrypt(&key, &iv, &plaintext);
        assert_eq!(
            ciphertext[..32],
            hex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2")[..]
        );
        assert_eq!(ciphertext.len(), 48);
        assert_eq!(decrypt(&key, &iv, &ciphertext).unwrap(), plaintext);
        assert!(decrypt(&key, &iv, &ciphertext[..32]).is_none());
        assert!(decrypt(&key, &iv, &ciphertext[..47]).is_none());
        assert!(decrypt(&key, &iv, &[]).is_none());
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }
}
