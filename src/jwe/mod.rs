//! JSON Web Encryption (RFC 7516), compact serialization: decryption of encrypted ID tokens and
//! userinfo responses (FTN requires them), and encryption to a public encryption key.
//!
//! Strict by design: the key-management algorithms `RSA-OAEP`, `RSA-OAEP-256`, `ECDH-ES`,
//! `ECDH-ES+A128KW`, `ECDH-ES+A256KW` and the content encryptions `A128CBC-HS256`,
//! `A256CBC-HS512`, `A128GCM`, `A256GCM` only, narrowed further by allowlists; `zip` and `crit`
//! refused; a size cap before any decoding; tags compared in constant time; and every failure
//! that depends on secret data (wrong key, tag, padding, OAEP, key unwrap, `epk`) reported as the
//! one opaque [`Error::DecryptionFailed`]. Structural problems are [`Error::JweInvalid`].

mod aes_cbc;
mod algorithms;
mod concat_kdf;
mod content;
mod ecdh;
mod header;
mod key_management;
mod key_wrap;
mod rsa_oaep;

pub use algorithms::{ContentEncryption, KeyManagementAlgorithm};
pub use concat_kdf::concat_kdf;
pub use content::Sealed;

use crate::alg::KeyFamily;
use crate::assertion::HeaderChoice;
use crate::b64;
use crate::error::{Error, Result};
use crate::json::Object;
use crate::key::Key;
use crate::random;

/// The default cap on a compact JWE, checked before anything is decoded.
pub const DEFAULT_MAX_JWE_SIZE: usize = 256 * 1024;

/// The most keys tried on one JWE (those with its `kid`, else every fitting key).
pub const MAX_CANDIDATE_KEYS: usize = 8;

/// Options for [`decrypt`].
#[derive(Debug, Clone)]
pub struct DecryptOptions {
    /// The key-management algorithms accepted; default all of [`KeyManagementAlgorithm::ALL`].
    pub algorithms: Vec<KeyManagementAlgorithm>,
    /// The content encryptions accepted; default all of [`ContentEncryption::ALL`].
    pub encryptions: Vec<ContentEncryption>,
    /// The longest JWE accepted, in bytes; default [`DEFAULT_MAX_JWE_SIZE`].
    pub max_size: usize,
}

impl Default for DecryptOptions {
    fn default() -> Self {
        DecryptOptions {
            algorithms: KeyManagementAlgorithm::ALL.to_vec(),
            encryptions: ContentEncryption::ALL.to_vec(),
            max_size: DEFAULT_MAX_JWE_SIZE,
        }
    }
}

/// A decrypted JWE.
#[derive(Debug, Clone)]
pub struct Decrypted {
    /// The protected header.
    pub header: Object,
    /// The plaintext (for a nested JWT: the inner JWS, `cty: "JWT"`).
    pub plaintext: Vec<u8>,
    /// The index in the `keys` given to [`decrypt`] of the key that decrypted it.
    pub key_index: usize,
}

impl Decrypted {
    /// The plaintext as text, when it is valid UTF-8.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.plaintext).ok()
    }
}

/// Decrypts a compact JWE with one of `keys` (private encryption keys).
///
/// Keys are chosen by the header's `kid` when it has one ([`Error::NoMatchingKey`] when no
/// private encryption key has it), else every private encryption key that fits `alg`, at most
/// [`MAX_CANDIDATE_KEYS`]. Errors: [`Error::JweInvalid`] for structure (size, segments,
/// base64url, JSON, header member types, IV length); [`Error::AlgNotAllowed`] for `RSA1_5` or an
/// algorithm outside the allowlists; [`Error::NotSupported`] for other algorithms, `zip` and
/// `crit`; [`Error::DecryptionFailed`] for everything else.
pub fn decrypt(jwe: &str, keys: &[Key], opts: &DecryptOptions) -> Result<Decrypted> {
    let compact = header::split(jwe, opts.max_size)?;
    let parsed = header::check(&compact, &opts.algorithms, &opts.encryptions)?;
    let fitting = keys
        .iter()
        .enumerate()
        .filter(|(_, key)| key.is_private() && key.fits_encryption(parsed.alg));
    let candidates: Vec<(usize, &Key)> = match &parsed.kid {
        Some(kid) => fitting.filter(|(_, key)| key.kid() == kid).collect(),
        None => fitting.collect(),
    };
    if candidates.is_empty() {
        return Err(Error::NoMatchingKey);
    }
    if candidates.len() > MAX_CANDIDATE_KEYS {
        return Err(Error::argument(format!(
            "more than {MAX_CANDIDATE_KEYS} keys fit this JWE; give it a kid or pass fewer keys"
        )));
    }
    for (key_index, key) in candidates {
        let cek = match key_management::recover_cek(key, &parsed, &compact.encrypted_key) {
            Ok(cek) => cek,
            Err(Error::DecryptionFailed) => continue,
            Err(other) => return Err(other),
        };
        let opened = parsed.enc.open(
            &cek,
            &compact.iv,
            compact.protected.as_bytes(),
            &compact.ciphertext,
            &compact.tag,
        );
        match opened {
            Ok(plaintext) => {
                return Ok(Decrypted {
                    header: compact.header,
                    plaintext: plaintext.to_vec(),
                    key_index,
                });
            }
            Err(Error::DecryptionFailed) => continue,
            Err(other) => return Err(other),
        }
    }
    Err(Error::DecryptionFailed)
}

/// Options for [`encrypt`].
#[derive(Debug, Clone)]
pub struct EncryptOptions {
    /// The key-management algorithm; default the key's own, else `RSA-OAEP-256` for RSA and
    /// `ECDH-ES` for EC keys.
    pub alg: Option<KeyManagementAlgorithm>,
    /// The content encryption; default `A256GCM`.
    pub enc: ContentEncryption,
    /// The `cty` header (`"JWT"` for a nested JWT).
    pub cty: Option<String>,
    /// The `kid` header: the key's by default, another, or none.
    pub kid: HeaderChoice,
    /// The `typ` header, if any.
    pub typ: Option<String>,
}

impl Default for EncryptOptions {
    fn default() -> Self {
        EncryptOptions {
            alg: None,
            enc: ContentEncryption::A256Gcm,
            cty: None,
            kid: HeaderChoice::Default,
            typ: None,
        }
    }
}

/// Encrypts `plaintext` to `key` (an encryption key; its public half is used) as a compact JWE
/// with a fresh random content key and IV.
pub fn encrypt(plaintext: &[u8], key: &Key, opts: &EncryptOptions) -> Result<String> {
    let alg = match (opts.alg, key.encryption_alg()) {
        (Some(given), _) => given,
        (None, Some(own)) => own,
        (None, None) if key.family() == KeyFamily::Rsa => KeyManagementAlgorithm::RsaOaep256,
        (None, None) => KeyManagementAlgorithm::EcdhEs,
    };
    if !key.fits_encryption(alg) {
        return Err(Error::AlgNotAllowed(format!(
            "{alg} does not fit this key (it must be an encryption key: use \"enc\" or a JWE alg)"
        )));
    }
    let enc = opts.enc;
    let mut header = Object::new();
    header.insert("alg".into(), alg.as_str().into());
    header.insert("enc".into(), enc.as_str().into());
    match &opts.kid {
        HeaderChoice::Default => {
            header.insert("kid".into(), key.kid().into());
        }
        HeaderChoice::Value(kid) => {
            header.insert("kid".into(), kid.as_str().into());
        }
        HeaderChoice::Omit => {}
    }
    if let Some(typ) = &opts.typ {
        header.insert("typ".into(), typ.as_str().into());
    }
    if let Some(cty) = &opts.cty {
        header.insert("cty".into(), cty.as_str().into());
    }
    let (cek, encrypted_key) = key_management::new_cek(key, alg, enc, &mut header)?;
    let protected = b64::encode(header.to_json().as_bytes());
    let mut iv = vec![0u8; enc.iv_len()];
    random::fill(&mut iv)?;
    let (ciphertext, tag) = enc.seal(&cek, &iv, protected.as_bytes(), plaintext)?;
    Ok(format!(
        "{protected}.{}.{}.{}.{}",
        b64::encode(&encrypted_key),
        b64::encode(&iv),
        b64::encode(&ciphertext),
        b64::encode(&tag)
    ))
}
