//! # pkjwt
//!
//! Sign and verify OAuth 2.0 / OpenID Connect client assertions (`private_key_jwt`, RFC 7523
//! §2.2/§3, OpenID Connect Core §9), strictly.
//!
//! The client side builds assertions with the defaults current guidance asks for: `iss` = `sub`
//! = client id, an explicit single `aud`, a fresh 128-bit `jti`, a 60-second lifetime, `kid`,
//! and `typ: client-authentication+jwt` (draft-ietf-oauth-rfc7523bis). The server side verifies
//! them under one strict, documented policy: see [`verify_client_assertion`].
//!
//! ```
//! use pkjwt::{Algorithm, AssertionOptions, GenerateOptions, Key, ReplayCache, VerifyOptions};
//!
//! let key = Key::generate(Algorithm::ES256, &GenerateOptions::default())?;
//! let token = pkjwt::create_client_assertion(&key, &AssertionOptions {
//!     client_id: "my-client".into(),
//!     audience: "https://as.example.com".into(),
//!     ..Default::default()
//! })?;
//!
//! let registered = [key.public_key()];
//! let cache = ReplayCache::default();
//! let opts = VerifyOptions { audiences: vec!["https://as.example.com".into()], ..Default::default() };
//! let verified = pkjwt::verify_client_assertion(&token, &registered, &opts, Some(&cache))?;
//! assert_eq!(verified.client_id, "my-client");
//!
//! let again = pkjwt::verify_client_assertion(&token, &registered, &opts, Some(&cache));
//! assert_eq!(again.unwrap_err().code(), "ERR_JWT_REPLAYED");
//! # Ok::<(), pkjwt::Error>(())
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

pub mod alg;
pub mod assertion;
pub mod b64;
mod claims;
mod error;
pub mod id_token;
pub mod json;
pub mod jwe;
pub mod jws;
pub mod key;
mod random;
pub mod replay;
pub mod request_object;
pub mod signed_jwks;
pub mod time;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use alg::{Algorithm, KeyFamily};
pub use assertion::{
    AssertionOptions, CLIENT_ASSERTION_TYP, CLIENT_ASSERTION_TYPE, HeaderChoice, VerifiedAssertion, VerifyOptions,
    create_client_assertion, verify_client_assertion,
};
pub use error::{Error, Result};
pub use id_token::{IdTokenOptions, UserinfoOptions, VerifiedJwt, verify_id_token, verify_userinfo};
pub use jwe::{ContentEncryption, KeyManagementAlgorithm};
pub use jws::DecodedJws;
pub use key::export::{JwksOptions, from_jwks, to_jwks, to_jwks_with};
pub use key::{Certificate, GenerateOptions, ImportOptions, Key, KeyType};
pub use replay::ReplayCache;
pub use request_object::{
    REQUEST_OBJECT_TYP, RequestObjectOptions, RequestObjectVerifyOptions, VerifiedRequestObject, create_request_object,
    verify_request_object,
};
pub use signed_jwks::{
    SignedJwksFormat, SignedJwksOptions, SignedJwksVerifyOptions, VerifiedSignedJwks, create_signed_jwks,
    verify_signed_jwks,
};

/// Decodes a compact JWS without verifying anything but its form (strict, size-capped).
pub fn decode_unverified(token: &str) -> Result<DecodedJws> {
    jws::decode(token, jws::DEFAULT_MAX_TOKEN_LENGTH)
}
