//! A strict RFC 8259 parser: UTF-8 only, no comments, no trailing commas, no leading zeros,
//! no NaN or Infinity, no control characters or lone UTF-16 surrogates in strings, nothing but
//! whitespace after the value; duplicate member names refused at any depth; nesting up to 127
//! levels; numbers that would round to an infinite `f64` refused. These are `serde_json`'s
//! decisions (its recursion limit is 128), so both accept and refuse the same texts
//! (tests/json_differential.rs), but for numbers next to `f64::MAX`, decided exactly here.

use super::value::{Number, Object, Value};

/// Arrays and objects may nest this many levels deep, not deeper.
pub const MAX_DEPTH: usize = 127;

/// The significant digits (trailing zeros removed) of 2^1024 - 2^970, the smallest number that
/// rounds to infinity as an `f64` (halfway between `f64::MAX` and 2^1024, and ties go to the even
/// significand, 2^1024). Its value is `0.DIGITS × 10^309`.
const OVERFLOW_DIGITS: &[u8] = b"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

/// Parses `bytes` as one JSON value; the error says what is wrong and at which byte offset.
pub fn parse(bytes: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let mut parser = Parser { text, at: 0, depth: 0 };
    let value = parser.value()?;
    parser.skip_whitespace();
    match parser.peek() {
        None => Ok(value),
        Some(_) => Err(parser.error("trailing characters")),
    }
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        format!("{what} at byte {}", self.at)
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn eat(&mut self, expected: u8) -> bool {
        let found = self.peek() == Some(expected);
        self.at += usize::from(found);
        found
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.nested(Parser::object).map(Value::Object),
            Some(b'[') => self.nested(Parser::array).map(Value::Array),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end of input")),
        }
    }

    fn nested<T>(&mut self, parse: fn(&mut Self) -> Result<T, String>) -> Result<T, String> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.depth += 1;
        self.at += 1;
        let parsed = parse(self)?;
        self.depth -= 1;
        Ok(parsed)
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, String> {
        match self.text.get(self.at..) {
            Some(rest) if rest.starts_with(word) => {
                self.at += word.len();
                Ok(value)
            }
            _ => Err(self.error("expected a value")),
        }
    }

    fn array(&mut self) -> Result<Vec<Value>, String> {
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.eat(b']') {
            return Ok(items);
        }
        loop {
            items.push(self.value()?);
            self.skip_whitespace();
            match self.next() {
                Some(b',') => {}
                Some(b']') => return Ok(items),
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self) -> Result<Object, String> {
        let mut members = Vec::new();
        self.skip_whitespace();
        if !self.eat(b'}') {
            loop {
                self.skip_whitespace();
                if self.peek() != Some(b'"') {
                    return Err(self.error("expected a member name"));
                }
                let name = self.string()?;
                self.skip_whitespace();
                if !self.eat(b':') {
                    return Err(self.error("expected ':'"));
                }
                members.push((name, self.value()?));
                self.skip_whitespace();
                match self.next() {
                    Some(b',') => {}
                    Some(b'}') => break,
                    _ => return Err(self.error("expected ',' or '}'")),
                }
            }
        }
        Object::from_members(members).map_err(|name| self.error(&format!("duplicate member name \"{name}\"")))
    }

    fn string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let rest = self.text.get(self.at..).unwrap_or_default();
            let run = rest
                .bytes()
                .position(|b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(rest.len());
            out.push_str(rest.get(..run).unwrap_or_default());
            self.at += run;
            match self.next() {
                Some(b'"') => return Ok(out),
                Some(b'\\') => out.push(self.escape()?),
                Some(_) => {
                    self.at -= 1;
                    return Err(self.error("control character in a string"));
                }
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    fn escape(&mut self) -> Result<char, String> {
        let c = match self.next() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(),
            _ => return Err(self.error("invalid escape")),
        };
        Ok(c)
    }

    fn unicode_escape(&mut self) -> Result<char, String> {
        let unit = self.hex4()?;
        let code = match unit {
            0xD800..=0xDBFF => {
                if !(self.eat(b'\\') && self.eat(b'u')) {
                    return Err(self.error("lone leading surrogate in a \\u escape"));
                }
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.error("lone leading surrogate in a \\u escape"));
                }
                0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone trailing surrogate in a \\u escape")),
            _ => unit,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut unit = 0;
        for _ in 0..4 {
            let digit = self.next().and_then(|b| char::from(b).to_digit(16));
            unit = unit * 16 + digit.ok_or_else(|| self.error("invalid \\u escape"))?;
        }
        Ok(unit)
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Number, String> {
        let start = self.at;
        let negative = self.eat(b'-');
        let integer_start = self.at;
        match self.digits() {
            0 => return Err(self.error("invalid number")),
            n if n > 1 && self.text.as_bytes().get(integer_start) == Some(&b'0') => {
                return Err(self.error("invalid number (leading zero)"));
            }
            _ => {}
        }
        let integer_end = self.at;
        let mut is_float = false;
        if self.eat(b'.') {
            is_float = true;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            is_float = true;
            self.at += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        let text = self.text.get(start..self.at).unwrap_or_default();
        if !is_float {
            let magnitude = self.text.get(integer_start..integer_end).unwrap_or_default();
            if let Some(n) = integer(magnitude, negative) {
                return Ok(n);
            }
        }
        if !is_finite(text) {
            return Err(self.error("number out of range"));
        }
        Ok(Number::from_float_text(text))
    }
}

/// The integer with these decimal digits, if it fits `u64` (or `i64` when negative); `-0` is
/// a float, as in `serde_json`.
fn integer(digits: &str, negative: bool) -> Option<Number> {
    let magnitude = digits
        .bytes()
        .try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d - b'0')))?;
    if !negative {
        return Some(Number::from(magnitude));
    }
    let n = 0i64.checked_sub_unsigned(magnitude)?;
    (n < 0).then(|| Number::from(n))
}

/// Whether the number `text` (valid JSON number syntax) rounds to a finite `f64`.
fn is_finite(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (
            unsigned.get(..at).unwrap_or_default(),
            unsigned.get(at + 1..).unwrap_or_default(),
        ),
        None => (unsigned, "0"),
    };
    let exponent_digits = exponent.trim_start_matches(['+', '-']);
    let magnitude = exponent_digits
        .bytes()
        .fold(0i64, |e, d| (e * 10 + i64::from(d - b'0')).min(1 << 40));
    let exponent = if exponent.starts_with('-') {
        -magnitude
    } else {
        magnitude
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = whole.bytes().chain(fraction.bytes());
    let leading_zeros = digits.clone().take_while(|&d| d == b'0').count();
    let significant: Vec<u8> = digits.skip(leading_zeros).collect();
    let significant = match significant.iter().rposition(|&d| d != b'0') {
        Some(last) => significant.get(..=last).unwrap_or_default(),
        None => return true,
    };
    match (whole.len() as i64 - leading_zeros as i64 + exponent).cmp(&309) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => significant < OVERFLOW_DIGITS,
    }
}

impl std::str::FromStr for Value {
    type Err = String;

    /// [`parse`] on the text's bytes.
    fn from_str(text: &str) -> Result<Value, String> {
        parse(text.as_bytes())
    }
}

impl std::str::FromStr for Object {
    type Err = String;

    /// [`parse`] on the text's bytes; anything but an object is an error.
    fn from_str(text: &str) -> Result<Object, String> {
        match parse(text.as_bytes())? {
            Value::Object(object) => Ok(object),
            _ => Err("not a JSON object".to_owned()),
        }
    }
}
