//! Compact JSON text, byte for byte as `serde_json::to_string` writes it: no whitespace, members
//! in byte order of their names, `"` `\` and control characters escaped (`\b \f \n \r \t`, others
//! as `\u00xx`), `/` and non-ASCII characters as they are.

use super::value::{Object, Value};

impl Value {
    /// The value as compact JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_value(&mut out, self);
        out
    }
}

impl Object {
    /// The object as compact JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_object(&mut out, self);
        out
    }
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => n.write(out),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(object) => write_object(out, object),
    }
}

fn write_object(out: &mut String, object: &Object) {
    out.push('{');
    for (i, (name, value)) in object.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, name);
        out.push(':');
        write_value(out, value);
    }
    out.push('}');
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let mut rest = s;
    while let Some(at) = rest.bytes().position(|b| b == b'"' || b == b'\\' || b < 0x20) {
        let (plain, tail) = rest.split_at(at);
        out.push_str(plain);
        let mut tail = tail.chars();
        if let Some(c) = tail.next() {
            push_escape(out, c);
        }
        rest = tail.as_str();
    }
    out.push_str(rest);
    out.push('"');
}

fn push_escape(out: &mut String, c: char) {
    let short = match c {
        '"' => '"',
        '\\' => '\\',
        '\u{8}' => 'b',
        '\u{c}' => 'f',
        '\n' => 'n',
        '\r' => 'r',
        '\t' => 't',
        _ => {
            let code = u32::from(c);
            out.push_str("\\u00");
            out.push(char::from_digit(code >> 4, 16).unwrap_or('0'));
            out.push(char::from_digit(code & 15, 16).unwrap_or('0'));
            return;
        }
    };
    out.push('\\');
    out.push(short);
}
