//! pkjwt's JSON (src/json) against the reference it replaced: `serde_json` 1 with the
//! duplicate-refusing visitor pkjwt used until then (`Strict` below, the same decisions), over
//! hand-picked texts, the repository's JSON fixtures, and generated valid and broken texts.
//!
//! Both must accept and refuse the same texts, and pkjwt must write what `serde_json::to_string`
//! writes: byte for byte for every value built in Rust and for every parsed text without
//! non-integer numbers. A parsed float is written back as its source text (pkjwt keeps it,
//! `serde_json` reformats its `f64`), so for texts with floats the check is that `serde_json`
//! reads pkjwt's output as the same value it read from the input.
//!
//! One documented difference is left out of the generated texts: numbers within about one unit
//! in the last place of `f64::MAX`, where pkjwt decides overflow exactly and `serde_json` (without
//! its `float_roundtrip` feature) multiplies by an inexact power of ten
//! ([`overflow_boundary_is_exact_where_serde_json_is_not`] shows one).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

#[path = "support/json_reference.rs"]
mod json_reference;

use json_reference::{check, reference};
use pkjwt::json::{self, Value};

const CORPUS: &[&str] = &[
    "",
    " ",
    "{}",
    "[]",
    " \t\r\n[ ] ",
    "{",
    "}",
    "[",
    "]",
    "{\"a\"}",
    "{\"a\":}",
    "{\"a\":1,}",
    "[1,]",
    "[,1]",
    "{,}",
    "{1:2}",
    "{'a':1}",
    "{a:1}",
    "[01]",
    "[-]",
    "[1.]",
    "[.5]",
    "[+1]",
    "[1e]",
    "[1e+]",
    "[0x1]",
    "[NaN]",
    "[Infinity]",
    "[-Infinity]",
    "[tru]",
    "[nul]",
    "[True]",
    "{} x",
    "{}{}",
    "[1] 2",
    "/*c*/{}",
    "{}//",
    "[\"\t\"]",
    "[\"\n\"]",
    "[\"\u{1f}\"]",
    "[\"\\x\"]",
    "[\"\\u12\"]",
    "[\"\\u12g4\"]",
    "[\"\\udc00\"]",
    "[\"\\ud800\"]",
    "[\"\\ud800\\u0041\"]",
    "[\"\\ud800x\"]",
    "[\"\\ud800\\\\\"]",
    "[\"\\ud800\\ud800\"]",
    "[\"abc]",
    "\u{feff}{}",
    "[1 2]",
    "{\"a\" 1}",
    "[-01]",
    "[00]",
    "[-0.0e-0]",
    "[1e400]",
    "[-1e400]",
    "[1e-400]",
    "[0e400]",
    "[0.0e99999999999999999999]",
    "\u{a0}[]",
    "\u{2028}[]",
    "[\"\u{2028}\u{7f}\"]",
    "0",
    "-0",
    "1",
    "-1",
    "1.5",
    "1e5",
    "1E+5",
    "1e-5",
    "0.0",
    "\"\"",
    "\"\\u00e9\\ud83d\\ude00\\/\"",
    "true",
    "false",
    "null",
    "[1.7976931348623157e308]",
    "{\"\":{\"\":[]}}",
    "[18446744073709551615]",
    "[18446744073709551616]",
    "[-9223372036854775808]",
    "[-9223372036854775809]",
    "[123456789012345678901234567890]",
    "[0.1,0.10,1.0,1e3]",
    "{\"a\":1,\"a\":2}",
    "{\"a\":1,\"b\":{\"c\":1,\"c\":1}}",
    "{\"a\":[{\"b\":1,\"b\":1}]}",
    "{\"b\":1,\"a\":2,\"b\":3}",
    "{\"a\":1,\"\\u0061\":2}",
    "{\"a\":1,\"A\":2,\"\u{e9}\":3,\"e\\u0301\":4,\"\":5}",
    "{\"esc\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u001F\\u007f\\u0080\\uFFFF\"}",
    "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"0vx7\",\"exp\":1700000060,\"aud\":[\"a\",\"b\"],\"x\":null,\"t\":true}",
    "{\"a\":1}\n",
    "{\"a\":1} \u{0}",
    "{\"a\":1}\u{0}",
    "[\"\u{0}\"]",
    "[1,[2,[3,[4,{\"5\":[6]}]]]]",
];

#[test]
fn hand_picked_texts() {
    for text in CORPUS {
        check(text.as_bytes());
    }
    for bytes in [
        &b"[\"\xff\"]"[..],
        b"[\"\xc3\"]",
        b"[\"\xed\xa0\x80\"]",
        b"\xef\xbb\xbf{}",
        b"[\"\xc3\xa9\"]",
    ] {
        check(bytes);
    }
}

#[test]
fn nesting_limits_agree() {
    for levels in [1, 2, 64, 126, 127, 128, 129, 1000] {
        check(format!("{}{}", "[".repeat(levels), "]".repeat(levels)).as_bytes());
        check(format!("{}0{}", "{\"a\":".repeat(levels), "}".repeat(levels)).as_bytes());
        check(format!("{}\"x\"{}", "[{\"a\":".repeat(levels / 2), "}]".repeat(levels / 2)).as_bytes());
    }
}

#[test]
fn repository_fixtures() {
    let mut seen = 0;
    let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests"))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                check(&std::fs::read(&path).unwrap());
                seen += 1;
            }
        }
    }
    assert!(seen >= 25, "only {seen} fixtures");
}

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &[
    "a",
    "b",
    "A",
    "aa",
    "",
    "é",
    "\\u0061",
    "kid",
    "\\n",
    "z\\u0000",
    "\\ud83d\\ude00",
];
const STRINGS: &[&str] = &[
    "",
    "x",
    "\\\"",
    "\\\\",
    "\\/",
    "\\b\\f\\n\\r\\t",
    "\\u001f",
    "\\u00E9",
    "é",
    "😀",
    "\u{7f}",
];
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "7",
    "-7",
    "1.5",
    "-0.25",
    "1e3",
    "1E-3",
    "2.5e+10",
    "1e308",
    "-1e308",
    "1e-320",
    "4294967296",
    "9007199254740993",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "1e309",
    "1e400",
    "0.1",
    "100000000000000000000",
    "1.7976931348623157e308",
    "5e-324",
    "0.000001",
    "123.456e-7",
];

/// A random JSON text: whitespace, duplicate names and every kind of value included.
fn text(rng: &mut Rng, depth: usize, out: &mut String) {
    let ws = [" ", "", "", "\n", "\t", "\r\n"];
    out.push_str(rng.pick(&ws));
    let kind = if depth > 5 { 3 + rng.below(4) } else { rng.below(7) };
    match kind {
        0 | 1 => {
            out.push('{');
            for i in 0..rng.below(5) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(rng.pick(&ws));
                out.push('"');
                out.push_str(rng.pick(NAMES));
                out.push('"');
                out.push_str(rng.pick(&ws));
                out.push(':');
                text(rng, depth + 1, out);
            }
            out.push('}');
        }
        2 => {
            out.push('[');
            for i in 0..rng.below(5) {
                if i > 0 {
                    out.push(',');
                }
                text(rng, depth + 1, out);
            }
            out.push(']');
        }
        3 => {
            out.push('"');
            out.push_str(rng.pick(STRINGS));
            out.push_str(rng.pick(STRINGS));
            out.push('"');
        }
        4 => out.push_str(rng.pick(NUMBERS)),
        5 => out.push_str(rng.pick(&["true", "false", "null"])),
        _ => {
            let digits: String = (0..1 + rng.below(25))
                .map(|_| char::from(b'0' + rng.below(10) as u8))
                .collect();
            out.push_str(&digits);
        }
    }
    out.push_str(rng.pick(&ws));
}

/// Generated texts, then the same texts with one byte removed, replaced or inserted.
#[test]
fn generated_and_mutated_texts() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let alphabet = b"{}[]\",:0123456789-+.eE \\ntrufalsn\x00\x1f\x7f\xc3\xa9\xff";
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..20_000 {
        let mut generated = String::new();
        text(&mut rng, 0, &mut generated);
        check(generated.as_bytes());
        let mut bytes = generated.into_bytes();
        if bytes.is_empty() {
            continue;
        }
        let at = rng.below(bytes.len());
        match rng.below(3) {
            0 => {
                bytes.remove(at);
            }
            1 => bytes[at] = rng.pick(alphabet),
            _ => bytes.insert(at, rng.pick(alphabet)),
        }
        if bytes.windows(6).any(|w| w == b"797693") {
            continue;
        }
        match json::parse(&bytes) {
            Ok(_) => accepted += 1,
            Err(_) => refused += 1,
        }
        check(&bytes);
    }
    assert!(
        accepted > 2_000 && refused > 2_000,
        "{accepted} accepted, {refused} refused"
    );
}

/// Random numbers in every range an `f64` has, and integers around the 64-bit limits.
#[test]
fn generated_numbers() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for _ in 0..50_000 {
        let f = f64::from_bits(rng.next());
        if !f.is_finite() {
            continue;
        }
        let mut text = format!("{f:e}");
        if text.contains("e308") || text.contains("e307") {
            continue;
        }
        check(text.as_bytes());
        text = format!("{f}");
        check(text.as_bytes());
        let n = rng.next();
        check(n.to_string().as_bytes());
        check(format!("-{n}").as_bytes());
        check(format!("{n}{}", rng.below(10)).as_bytes());
        check(format!("{}e{}", rng.below(1000), rng.below(700) as i64 - 350).as_bytes());
    }
}

/// The same tree built as a pkjwt value and as a `serde_json` one: the written bytes agree
/// (member order, escapes, integers, and floats formatted from Rust `f64`s).
#[test]
fn values_built_in_rust_are_written_alike() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    fn build(rng: &mut Rng, depth: usize) -> (Value, serde_json::Value) {
        match if depth > 4 { 2 + rng.below(5) } else { rng.below(7) } {
            0 => {
                let mut ours = json::Object::new();
                let mut theirs = serde_json::Map::new();
                for _ in 0..rng.below(6) {
                    let name: String = (0..rng.below(4)).map(|_| random_char(rng)).collect();
                    let (a, b) = build(rng, depth + 1);
                    ours.insert(name.clone(), a);
                    theirs.insert(name, b);
                }
                (Value::Object(ours), serde_json::Value::Object(theirs))
            }
            1 => {
                let (a, b): (Vec<_>, Vec<_>) = (0..rng.below(4)).map(|_| build(rng, depth + 1)).unzip();
                (Value::Array(a), serde_json::Value::Array(b))
            }
            2 => {
                let s: String = (0..rng.below(8)).map(|_| random_char(rng)).collect();
                (pkjwt::json!(s), serde_json::json!(s))
            }
            3 => {
                let n = rng.next() as i64 >> rng.below(64);
                (pkjwt::json!(n), serde_json::json!(n))
            }
            4 => {
                let n = rng.next();
                (pkjwt::json!(n), serde_json::json!(n))
            }
            5 => {
                let f = match rng.below(3) {
                    0 => f64::from_bits(rng.next()),
                    1 => (rng.next() % 1_000_000) as f64 / 1000.0,
                    _ => (rng.next() >> 11) as f64 * 10f64.powi(rng.below(40) as i32 - 20),
                };
                (pkjwt::json!(f), serde_json::json!(f))
            }
            _ => {
                let b = rng.below(3);
                let pair = [
                    (pkjwt::json!(true), serde_json::json!(true)),
                    (pkjwt::json!(false), serde_json::json!(false)),
                ];
                pair.into_iter()
                    .nth(b)
                    .unwrap_or((Value::Null, serde_json::Value::Null))
            }
        }
    }
    fn random_char(rng: &mut Rng) -> char {
        match rng.below(4) {
            0 => char::from(rng.below(0x20) as u8),
            1 => rng.pick(&['"', '\\', '/', '\u{7f}', 'é', '😀', '\u{2028}']),
            _ => char::from(b'a' + rng.below(4) as u8),
        }
    }
    for _ in 0..20_000 {
        let (ours, theirs) = build(&mut rng, 0);
        assert_eq!(ours.to_json(), serde_json::to_string(&theirs).unwrap());
    }
}

/// Near `f64::MAX` `serde_json` (without `float_roundtrip`) computes in inexact `f64` arithmetic:
/// 17976931348623158e292 is below the overflow threshold 2^1024 - 2^970 and rounds to `f64::MAX`,
/// but `serde_json` refuses it; 1.79769313486231597e308 is above it and rounds to infinity, but
/// `serde_json` reads `f64::MAX`. pkjwt decides both exactly, as Rust's correctly rounded parser does.
#[test]
fn overflow_boundary_is_exact_where_serde_json_is_not() {
    for (text, finite) in [("17976931348623158e292", true), ("1.79769313486231597e308", false)] {
        assert_eq!(text.parse::<f64>().unwrap().is_finite(), finite, "{text}");
        assert_eq!(json::parse(text.as_bytes()).is_ok(), finite, "{text}");
        assert_eq!(
            reference(text.as_bytes()).is_ok(),
            !finite,
            "{text}: serde_json changed"
        );
    }
}

/// Around `f64::MAX` pkjwt's overflow decision is Rust's correctly rounded `str::parse::<f64>`:
/// random digit strings starting like 2^1024 - 2^970, in several notations.
#[test]
fn overflow_decision_matches_rusts_correctly_rounded_parser() {
    let mut rng = Rng(0x8CB9_2BA7_2F3D_8DD7);
    let threshold = "17976931348623158079372897140530341507993413271003782693617377898044496829276475094664901797758720709633028641669288791094655554785194040263065748867150582068190890200070838367627385484581771153176447573027006985557136695962284291481986083493647529271907416844436551070434271155969950809304288017790417449779";
    for _ in 0..20_000 {
        let keep = rng.below(threshold.len());
        let mut digits = threshold[..keep].to_owned();
        for _ in 0..rng.below(4) {
            digits.push(char::from(b'0' + rng.below(10) as u8));
        }
        if rng.below(2) == 0 {
            digits.push('2');
        }
        if digits.is_empty() || digits.starts_with('0') {
            continue;
        }
        let shift = rng.below(3) as i64 - 1;
        let exponent = 309 - digits.len() as i64 + shift;
        let sign = if rng.below(2) == 0 { "" } else { "-" };
        let leading = "0".repeat(rng.below(2));
        for text in [
            format!("{sign}{digits}e{exponent}"),
            format!("{sign}{}.{}e{}", &digits[..1], &digits[1..], 308),
            format!("{sign}0.{leading}{digits}E+{}", 309 + leading.len()),
        ] {
            if text.contains(".e") {
                continue;
            }
            let finite = text.parse::<f64>().unwrap().is_finite();
            assert_eq!(json::parse(text.as_bytes()).is_ok(), finite, "{text}");
        }
    }
}
