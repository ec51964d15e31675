//! Client assertions (RFC 7523 §2.2 and §3, OpenID Connect Core §9): building and verifying.

pub(crate) mod build;
mod verify;

pub use build::{AssertionOptions, HeaderChoice, create_client_assertion};
pub use verify::{MAX_KEYS_TRIED, VerifiedAssertion, VerifyOptions, verify_client_assertion};

/// The `client_assertion_type` form value of RFC 7523 §2.2.
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The explicit type draft-ietf-oauth-rfc7523bis asks clients to send in `typ`.
pub const CLIENT_ASSERTION_TYP: &str = "client-authentication+jwt";

/// The longest lifetime, in seconds, the builder accepts (Okta's ceiling; most servers want less).
pub const MAX_BUILD_LIFETIME: i64 = 3600;

/// The longest `jti` accepted, in characters, by the builder and the verifier.
pub const MAX_JTI_LENGTH: usize = 256;
