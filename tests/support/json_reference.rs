//! The reference decisions pkjwt's JSON (src/json) is held to: `serde_json` 1 with the
//! duplicate-refusing visitor pkjwt used until its own parser replaced it. Shared by
//! `tests/json_differential.rs` and the fuzz target `fuzz/fuzz_targets/json_differential.rs`
//! (which includes this file by path).

#![allow(dead_code)]

use pkjwt::json;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// `serde_json::Value` parsed with duplicate member names refused at any depth.
struct Strict(serde_json::Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        serde_json::Number::from_f64(v)
            .map(serde_json::Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(name) = map.next_key::<String>()? {
            if object.contains_key(&name) {
                return Err(de::Error::custom(format!("duplicate member name \"{name}\"")));
            }
            let Strict(value) = map.next_value()?;
            object.insert(name, value);
        }
        Ok(serde_json::Value::Object(object))
    }
}

pub fn reference(bytes: &[u8]) -> Result<serde_json::Value, String> {
    serde_json::from_slice::<Strict>(bytes)
        .map(|s| s.0)
        .map_err(|e| e.to_string())
}

fn has_float(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Number(n) => n.is_f64(),
        serde_json::Value::Array(items) => items.iter().any(has_float),
        serde_json::Value::Object(members) => members.values().any(has_float),
        _ => false,
    }
}

/// Both parsers decide alike on `bytes`, and what pkjwt writes is what `serde_json` writes
/// (byte for byte without non-integer numbers; with them, read back as the same value).
pub fn check(bytes: &[u8]) {
    let ours = json::parse(bytes);
    let theirs = reference(bytes);
    let shown = String::from_utf8_lossy(bytes);
    match (&ours, &theirs) {
        (Ok(ours), Ok(theirs)) => {
            let written = ours.to_json();
            if has_float(theirs) {
                let reread: serde_json::Value = serde_json::from_str(&written).unwrap();
                assert_eq!(&reread, theirs, "{shown:?} written as {written:?}");
            } else {
                assert_eq!(written, serde_json::to_string(theirs).unwrap(), "{shown:?}");
            }
            assert_eq!(
                json::parse(written.as_bytes()).as_ref(),
                Ok(ours),
                "{written:?} does not read back"
            );
        }
        (Err(ours), Err(theirs)) => {
            let duplicate = "duplicate member name";
            if ours.contains(duplicate) {
                assert!(theirs.contains(duplicate), "{shown:?}: {ours} / {theirs}");
            }
        }
        _ => panic!("{shown:?}: pkjwt {ours:?}, serde_json {theirs:?}"),
    }
}
