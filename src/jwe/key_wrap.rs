//! AES Key Wrap (RFC 3394) of the content key, for `ECDH-ES+A128KW` and `ECDH-ES+A256KW`.

use crate::error::{Error, Result};
use aes_kw::cipher::KeyInit;
use aes_kw::{KwAes128, KwAes256};
use zeroize::Zeroizing;

/// Wraps `cek` (a multiple of 8 bytes, at least 16) under `kek` (16 or 32 bytes).
pub(crate) fn wrap(kek: &[u8], cek: &[u8]) -> Result<Vec<u8>> {
    let failed = |_| Error::CryptoFailure("AES key wrap failed".into());
    let mut out = vec![0u8; cek.len() + 8];
    match kek.len() {
        16 => KwAes128::new_from_slice(kek)
            .map_err(|_| Error::CryptoFailure("bad key-wrap key".into()))?
            .wrap_key(cek, &mut out)
            .map_err(failed)?,
        _ => KwAes256::new_from_slice(kek)
            .map_err(|_| Error::CryptoFailure("bad key-wrap key".into()))?
            .wrap_key(cek, &mut out)
            .map_err(failed)?,
    };
    Ok(out)
}

/// Unwraps `wrapped` under `kek`; any failure (length, integrity check) is
/// [`Error::DecryptionFailed`].
pub(crate) fn unwrap(kek: &[u8], wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if wrapped.len() < 24 || !wrapped.len().is_multiple_of(8) {
        return Err(Error::DecryptionFailed);
    }
    let mut out = Zeroizing::new(vec![0u8; wrapped.len() - 8]);
    let unwrapped = match kek.len() {
        16 => KwAes128::new_from_slice(kek)
            .map_err(|_| Error::DecryptionFailed)?
            .unwrap_key(wrapped, &mut out)
            .map(<[u8]>::len),
        _ => KwAes256::new_from_slice(kek)
            .map_err(|_| Error::DecryptionFailed)?
            .unwrap_key(wrapped, &mut out)
            .map(<[u8]>::len),
    };
    match unwrapped {
        Ok(len) if len == out.len() => Ok(out),
        _ => Err(Error::DecryptionFailed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3394 §4.1 and §4.6 (128-bit and 256-bit KEK wrapping 128/256 bits of key data).
    #[test]
    fn rfc3394_vectors() {
        let kek128 = hex("000102030405060708090A0B0C0D0E0F");
        let data128 = hex("00112233445566778899AABBCCDDEEFF");
        let wrapped = wrap(&kek128, &data128).unwrap();
        assert_eq!(wrapped, hex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"));
        assert_eq!(unwrap(&kek128, &wrapped).unwrap().as_slice(), data128.as_slice());

        let kek256 = hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
        let data256 = hex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
        let wrapped = wrap(&kek256, &data256).unwrap();
        assert_eq!(
            wrapped,
            hex("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21")
        );
        assert_eq!(unwrap(&kek256, &wrapped).unwrap().as_slice(), data256.as_slice());

        let mut tampered = wrapped.clone();
        tampered[3] ^= 1;
        assert_eq!(unwrap(&kek256, &tampered).unwrap_err(), Error::DecryptionFailed);
        assert_eq!(unwrap(&kek256, &wrapped[..16]).unwrap_err(), Error::DecryptionFailed);
    }

    /// RFC 7516 Appendix A.3.3: the published KEK unwraps the published encrypted key to the CEK
    /// of A.3.2 (pkjwt refuses `alg: A128KW` itself, but ECDH-ES+A128KW uses the same wrap).
    #[test]
    fn rfc7516_a3_key_wrap() {
        let kek = crate::b64::decode("GawgguFyGrWKav7AX4VKUg").unwrap();
        let wrapped = crate::b64::decode("6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ").unwrap();
        let cek = [
            4u8, 211, 31, 197, 84, 157, 252, 254, 11, 100, 157, 250, 63, 170, 106, 206, 107, 124, 212, 45, 111, 107, 9,
            219, 200, 177, 0, 240, 143, 156, 44, 207,
        ];
        assert_eq!(unwrap(&kek, &wrapped).unwrap().as_slice(), cek.as_slice());
        assert_eq!(wrap(&kek, &cek).unwrap(), wrapped);
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }
}
