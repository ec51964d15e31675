//! The one error type of pkjwt, with a stable `ERR_…` code per variant.

use std::fmt;

/// Everything that can go wrong in pkjwt.
///
/// Each variant maps to one stable code returned by [`Error::code`]; the codes follow `jose` where
/// it has one, so servers can switch on them. Signature failures are deliberately opaque: they say
/// nothing about *why* a signature did not verify.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The compact JWS is malformed: size, segment count, base64url, JSON, or a header member.
    JwsInvalid(String),
    /// The JWS is well formed but its payload is not a valid JWT claims set.
    JwtInvalid(String),
    /// The `alg` is never acceptable here (`none`, `HS*`) or is outside the caller's allowlist,
    /// or does not fit the key.
    AlgNotAllowed(String),
    /// A feature, algorithm, curve or key format that pkjwt does not implement.
    NotSupported(String),
    /// The signature did not verify. Opaque by design.
    SignatureVerificationFailed,
    /// `exp` has passed (clock tolerance included).
    Expired,
    /// A claim is missing, of the wrong type, or fails a check.
    ClaimValidationFailed {
        /// The claim's name, such as `aud`.
        claim: String,
        /// A short machine-readable reason: `missing`, `invalid`, `mismatch`, `check_failed`.
        reason: &'static str,
        /// A sentence for humans.
        message: String,
    },
    /// No registered key has the token's `kid`, or (without `kid`) none fits its `alg`.
    /// A key that has the `kid` but does not fit the `alg` gives [`Error::AlgNotAllowed`].
    NoMatchingKey,
    /// A key could not be imported or is unacceptable (size, curve point, exponent, length).
    KeyInvalid(String),
    /// The `(iss, jti)` pair was already used and has not expired yet.
    Replayed,
    /// The replay cache is full of unexpired entries; it refuses rather than forget one.
    ReplayCacheFull,
    /// The caller passed an option that cannot be honoured.
    InvalidArgument(String),
    /// The platform's random source or a low-level crypto operation failed.
    CryptoFailure(String),
    /// The compact JWE is malformed: size, segment count, base64url, JSON, a header member, or
    /// the IV length.
    JweInvalid(String),
    /// The JWE did not decrypt. Opaque by design: wrong key, tag, padding, OAEP, key unwrap or
    /// ephemeral key all give this one error.
    DecryptionFailed,
}

impl Error {
    /// The stable code of this error, such as `ERR_JWT_EXPIRED`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::JwsInvalid(_) => "ERR_JWS_INVALID",
            Error::JwtInvalid(_) => "ERR_JWT_INVALID",
            Error::AlgNotAllowed(_) => "ERR_JOSE_ALG_NOT_ALLOWED",
            Error::NotSupported(_) => "ERR_JOSE_NOT_SUPPORTED",
            Error::SignatureVerificationFailed => "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
            Error::Expired => "ERR_JWT_EXPIRED",
            Error::ClaimValidationFailed { .. } => "ERR_JWT_CLAIM_VALIDATION_FAILED",
            Error::NoMatchingKey => "ERR_JWKS_NO_MATCHING_KEY",
            Error::KeyInvalid(_) => "ERR_JWK_INVALID",
            Error::Replayed => "ERR_JWT_REPLAYED",
            Error::ReplayCacheFull => "ERR_REPLAY_CACHE_FULL",
            Error::InvalidArgument(_) => "ERR_INVALID_ARGUMENT",
            Error::CryptoFailure(_) => "ERR_CRYPTO_FAILURE",
            Error::JweInvalid(_) => "ERR_JWE_INVALID",
            Error::DecryptionFailed => "ERR_JWE_DECRYPTION_FAILED",
        }
    }

    /// The claim a claim failure is about (`exp` for [`Error::Expired`]).
    pub fn claim(&self) -> Option<&str> {
        match self {
            Error::ClaimValidationFailed { claim, .. } => Some(claim),
            Error::Expired => Some("exp"),
            _ => None,
        }
    }

    /// The machine-readable reason of a claim failure.
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            Error::ClaimValidationFailed { reason, .. } => Some(reason),
            Error::Expired => Some("check_failed"),
            _ => None,
        }
    }

    pub(crate) fn claim_failed(claim: &str, reason: &'static str, message: impl Into<String>) -> Self {
        Error::ClaimValidationFailed {
            claim: claim.to_owned(),
            reason,
            message: message.into(),
        }
    }

    pub(crate) fn jws(message: impl Into<String>) -> Self {
        Error::JwsInvalid(message.into())
    }

    pub(crate) fn key(message: impl Into<String>) -> Self {
        Error::KeyInvalid(message.into())
    }

    pub(crate) fn unsupported(message: impl Into<String>) -> Self {
        Error::NotSupported(message.into())
    }

    pub(crate) fn argument(message: impl Into<String>) -> Self {
        Error::InvalidArgument(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::JwsInvalid(m)
            | Error::JwtInvalid(m)
            | Error::NotSupported(m)
            | Error::KeyInvalid(m)
            | Error::InvalidArgument(m)
            | Error::CryptoFailure(m)
            | Error::JweInvalid(m) => f.write_str(m),
            Error::AlgNotAllowed(alg) => write!(f, "algorithm not allowed: {alg}"),
            Error::SignatureVerificationFailed => f.write_str("signature verification failed"),
            Error::DecryptionFailed => f.write_str("decryption failed"),
            Error::Expired => f.write_str("\"exp\" claim timestamp check failed: the assertion has expired"),
            Error::ClaimValidationFailed { message, .. } => f.write_str(message),
            Error::NoMatchingKey => f.write_str("no registered key matches the token's kid and alg"),
            Error::Replayed => f.write_str("this assertion (iss, jti) was already used"),
            Error::ReplayCacheFull => {
                f.write_str("the replay cache is full of unexpired entries; refusing rather than forgetting one")
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self)
    }
}

impl std::error::Error for Error {}

/// The result type used throughout pkjwt.
pub type Result<T> = std::result::Result<T, Error>;
