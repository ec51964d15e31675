//! Strict JSON for JOSE headers, claims and JWKs: pkjwt's own value type, parser and writer.
//!
//! The parser ([`parse`], [`parse_object`]) is strict RFC 8259 and refuses duplicate member names
//! at any depth: RFC 7515 §4 and RFC 7519 §4 allow a parser to reject them, and we do, so that
//! the Rust and JavaScript sides never read different claims from one token. Nesting is limited
//! to [`MAX_DEPTH`] levels, numbers that overflow an `f64` and lone UTF-16 surrogates are refused.
//!
//! Objects keep their members sorted by name and are written that way, so every header, payload
//! and JWK pkjwt writes is byte for byte what `serde_json` (with its default `BTreeMap` map)
//! wrote before this module replaced it (tests/json_differential.rs). Where it differs, on purpose:
//!
//! - A number that is not a 64-bit integer keeps the text it was parsed from and is written back
//!   verbatim (`1e3`, `0.000001`, `-0`, `100000000000000000000`), where `serde_json` rewrote its
//!   `f64` (`1000.0`, `1e-6`, `-0.0`, `1e+20`). No float is ever formatted or parsed on the
//!   library's paths, and claims given from JavaScript are signed as `JSON.stringify` wrote them.
//!   Integers, and floats built in Rust ([`Number::from_f64`]), are written as `serde_json` does.
//! - Within about one unit in the last place of `f64::MAX` the overflow decision is exact;
//!   `serde_json` computes it in inexact `f64` arithmetic there.
//! - Error messages are pkjwt's own (`expected ':' at byte 12`); when a text has a duplicate
//!   member name and a syntax error further on, the syntax error may be the one reported.

mod parse;
mod value;
mod write;

pub use parse::{MAX_DEPTH, parse};
pub use value::{Number, Object, ToValue, Value};

/// Parses bytes as a strict JSON object; `what` names it in the error (`header`, `payload`).
pub fn parse_object(bytes: &[u8], what: &str) -> Result<Object, String> {
    match parse(bytes) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(format!("{what}: not a JSON object")),
        Err(e) => Err(format!("{what}: not valid JSON ({e})")),
    }
}

/// Builds a [`Value`] from JSON-like syntax, as `serde_json::json!` does: `null`, arrays
/// `[..]`, objects `{"name": value, ..}` (a name is a literal or any one token that converts with
/// `ToString`, such as a variable or a parenthesised expression), and any other expression through
/// [`ToValue`] (by reference: the expression is not moved).
///
/// ```
/// use pkjwt::json;
/// let now = 1_700_000_000;
/// let claims = json!({"iss": "client", "exp": now + 60, "aud": ["a", "b"], "nonce": null});
/// assert_eq!(claims.to_json(), r#"{"aud":["a","b"],"exp":1700000060,"iss":"client","nonce":null}"#);
/// ```
#[macro_export]
macro_rules! json {
    (@array [$($done:expr,)*]) => { vec![$($done,)*] };
    (@array [$($done:expr,)*] null $(, $($rest:tt)*)?) => {
        $crate::json!(@array [$($done,)* $crate::json::Value::Null,] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] [$($inner:tt)*] $(, $($rest:tt)*)?) => {
        $crate::json!(@array [$($done,)* $crate::json!([$($inner)*]),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] {$($inner:tt)*} $(, $($rest:tt)*)?) => {
        $crate::json!(@array [$($done,)* $crate::json!({$($inner)*}),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] $next:expr $(, $($rest:tt)*)?) => {
        $crate::json!(@array [$($done,)* $crate::json!($next),] $($($rest)*)?)
    };
    (@object $object:ident) => {};
    (@object $object:ident $name:tt : null $(, $($rest:tt)*)?) => {
        $object.insert(::std::string::ToString::to_string(&$name), $crate::json::Value::Null);
        $crate::json!(@object $object $($($rest)*)?);
    };
    (@object $object:ident $name:tt : [$($inner:tt)*] $(, $($rest:tt)*)?) => {
        $object.insert(::std::string::ToString::to_string(&$name), $crate::json!([$($inner)*]));
        $crate::json!(@object $object $($($rest)*)?);
    };
    (@object $object:ident $name:tt : {$($inner:tt)*} $(, $($rest:tt)*)?) => {
        $object.insert(::std::string::ToString::to_string(&$name), $crate::json!({$($inner)*}));
        $crate::json!(@object $object $($($rest)*)?);
    };
    (@object $object:ident $name:tt : $value:expr $(, $($rest:tt)*)?) => {
        $object.insert(::std::string::ToString::to_string(&$name), $crate::json!($value));
        $crate::json!(@object $object $($($rest)*)?);
    };
    (null) => { $crate::json::Value::Null };
    ([$($body:tt)*]) => { $crate::json::Value::Array($crate::json!(@array [] $($body)*)) };
    ({$($body:tt)*}) => {
        $crate::json::Value::Object({
            #[allow(unused_mut)]
            let mut object = $crate::json::Object::new();
            $crate::json!(@object object $($body)*);
            object
        })
    };
    ($value:expr) => { $crate::json::ToValue::to_value(&$value) };
}

#[cfg(test)]
mod tests;
