//! Strict JSON for JOSE headers and claims: objects only, no duplicate member names.
//!
//! `serde_json` keeps the last of two equal member names; RFC 7515 §4 and RFC 7519 §4 allow a
//! parser to reject them instead, and we do, so that the Rust and JavaScript sides never read
//! different claims from one token. Nesting depth is bounded by `serde_json`'s recursion limit
//! (128), numbers out of the f64 range and lone UTF-16 surrogates are refused by `serde_json`.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// A JSON object: the header or the claims of a JWT.
pub type Object = Map<String, Value>;

struct StrictValue(Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(name) = map.next_key::<String>()? {
            if object.contains_key(&name) {
                return Err(de::Error::custom(format!("duplicate member name \"{name}\"")));
            }
            let StrictValue(value) = map.next_value()?;
            object.insert(name, value);
        }
        Ok(Value::Object(object))
    }
}

/// Parses bytes as a strict JSON object; `what` names it in the error (`header`, `payload`).
pub fn parse_object(bytes: &[u8], what: &str) -> Result<Object, String> {
    match serde_json::from_slice::<StrictValue>(bytes) {
        Ok(StrictValue(Value::Object(object))) => Ok(object),
        Ok(_) => Err(format!("{what}: not a JSON object")),
        Err(e) => Err(format!("{what}: not valid JSON ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_rejected_at_any_depth() {
        assert!(
            parse_object(br#"{"a":1,"a":2}"#, "payload")
                .unwrap_err()
                .contains("duplicate")
        );
        assert!(parse_object(br#"{"a":{"b":1,"b":1}}"#, "payload").is_err());
        assert!(parse_object(br#"{"a":[{"b":1,"b":1}]}"#, "payload").is_err());
        assert!(parse_object(br#"{"a":1,"b":2}"#, "payload").is_ok());
    }

    #[test]
    fn non_objects_deep_nesting_and_bad_numbers_rejected() {
        assert!(parse_object(b"[1]", "payload").is_err());
        assert!(parse_object(b"\"x\"", "payload").is_err());
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_object(deep.as_bytes(), "payload").is_err());
        assert!(parse_object(br#"{"exp":1e400}"#, "payload").is_err());
        assert!(parse_object(br#"{"iss":"\ud800"}"#, "payload").is_err());
        assert!(parse_object(b"{\"iss\":\"\xff\"}", "payload").is_err());
    }
}
