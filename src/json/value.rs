//! The JSON value model: [`Value`], [`Number`] and [`Object`] (members kept sorted by name).

use std::fmt::{self, Write as _};
use std::ops::{Index, IndexMut};

/// A JSON value.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Object),
}

/// A JSON number: an integer that fits `u64` or `i64`, or any other number as its JSON text.
///
/// Integers without a fraction or an exponent are kept as integers (`as_i64`, `as_u64`); every
/// other number (`1.0`, `1e3`, `-0`, integers beyond 64 bits) is a float, kept as the text it was
/// parsed from and written back verbatim.
#[derive(Clone, Debug, PartialEq)]
pub struct Number(Repr);

#[derive(Clone, Debug, PartialEq)]
enum Repr {
    PosInt(u64),
    NegInt(i64),
    Float(Box<str>),
}

/// The value `Index` returns for a member or an element that is not there.
static NULL: Value = Value::Null;

impl Number {
    /// A float number from its validated JSON text (the parser's).
    pub(crate) fn from_float_text(text: &str) -> Number {
        Number(Repr::Float(text.into()))
    }

    /// A finite `f64` as a number, written as `serde_json` writes it (shortest round-trip
    /// digits; `3.0`, `1e+300`, `1.5e-7`); `None` for NaN and the infinities.
    pub fn from_f64(value: f64) -> Option<Number> {
        value
            .is_finite()
            .then(|| Number(Repr::Float(shortest_text(value).into())))
    }

    /// The number as an `i64`, if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            Repr::PosInt(n) => i64::try_from(n).ok(),
            Repr::NegInt(n) => Some(n),
            Repr::Float(_) => None,
        }
    }

    /// The number as a `u64`, if it is a non-negative integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            Repr::PosInt(n) => Some(n),
            _ => None,
        }
    }

    /// The number as an `f64` (integers converted, floats parsed from their text).
    pub fn as_f64(&self) -> Option<f64> {
        match &self.0 {
            Repr::PosInt(n) => Some(*n as f64),
            Repr::NegInt(n) => Some(*n as f64),
            Repr::Float(text) => text.parse().ok(),
        }
    }

    /// Whether [`Number::as_i64`] gives a value.
    pub fn is_i64(&self) -> bool {
        self.as_i64().is_some()
    }

    /// Whether [`Number::as_u64`] gives a value.
    pub fn is_u64(&self) -> bool {
        matches!(self.0, Repr::PosInt(_))
    }

    /// Whether the number is a float (not an integer of 64 bits).
    pub fn is_f64(&self) -> bool {
        matches!(self.0, Repr::Float(_))
    }

    /// Appends the number's JSON text to `out`.
    pub(crate) fn write(&self, out: &mut String) {
        let written = match &self.0 {
            Repr::PosInt(n) => write!(out, "{n}"),
            Repr::NegInt(n) => write!(out, "{n}"),
            Repr::Float(text) => out.write_str(text),
        };
        debug_assert!(written.is_ok(), "writing to a String cannot fail");
    }
}

/// `value` (finite) in `serde_json`'s layout: fixed notation for decimal exponents -5..=15
/// (`0.0001`, `3.0`, `12.5`), otherwise `d.ddde±x`.
fn shortest_text(value: f64) -> String {
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if let Some(even) = even_neighbour_on_tie(value, &digits, exponent) {
        digits = even;
    }
    let last = digits.len() as i32 - 1;
    let mut out = String::from(sign);
    if (-5..=15).contains(&exponent) {
        if last <= exponent {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', (exponent - last) as usize));
            out.push_str(".0");
        } else if exponent >= 0 {
            let (whole, fraction) = digits.split_at(exponent as usize + 1);
            out.push_str(whole);
            out.push('.');
            out.push_str(fraction);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exponent - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push_str(if exponent < 0 { "e-" } else { "e+" });
        out.push_str(&exponent.unsigned_abs().to_string());
    }
    out
}

/// On an exact tie between two shortest digit strings, Rust's formatter takes the upper one and
/// `serde_json`'s (zmij) the even one: the lower string when it is the even one and reads back.
fn even_neighbour_on_tie(value: f64, digits: &str, exponent: i32) -> Option<String> {
    if digits.bytes().last().is_none_or(|d| d % 2 == 0) {
        return None;
    }
    let exact = format!("{:.800e}", value.abs());
    let exact: String = exact.split('e').next()?.chars().filter(char::is_ascii_digit).collect();
    let (lower, rest) = exact.split_at_checked(digits.len())?;
    let tie = rest
        .strip_prefix('5')
        .is_some_and(|zeros| zeros.bytes().all(|d| d == b'0'));
    if !tie || lower == digits {
        return None;
    }
    let (first, fraction) = lower.split_at(1);
    let reads_back = format!("{first}.{fraction}e{exponent}").parse::<f64>().ok() == Some(value.abs());
    reads_back.then(|| lower.to_owned())
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        self.write(&mut text);
        f.write_str(&text)
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Number {
        Number(Repr::PosInt(n))
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Number {
        match u64::try_from(n) {
            Ok(n) => Number(Repr::PosInt(n)),
            Err(_) => Number(Repr::NegInt(n)),
        }
    }
}

/// A JSON object: member names mapped to values, iterated and written in byte order of the
/// names (as `serde_json`'s default `BTreeMap`-backed map does, which RFC 7638 thumbprints and
/// every signed header and payload rely on).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object {
    members: Vec<(String, Value)>,
}

impl Object {
    /// An empty object.
    pub fn new() -> Object {
        Object { members: Vec::new() }
    }

    /// An object of `members` in any order; `Err(name)` names a member name given twice.
    pub(crate) fn from_members(mut members: Vec<(String, Value)>) -> Result<Object, String> {
        if !members.is_sorted_by(|a, b| a.0 < b.0) {
            sort_by_name(&mut members);
            if let Some([(name, _), _]) = members.windows(2).find(|pair| matches!(pair, [a, b] if a.0 == b.0)) {
                return Err(name.clone());
            }
        }
        Ok(Object { members })
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.members.binary_search_by(|(member, _)| member.as_str().cmp(name))
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The value of member `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        let at = self.position(name).ok()?;
        self.members.get(at).map(|(_, value)| value)
    }

    /// The value of member `name`, mutably.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        let at = self.position(name).ok()?;
        self.members.get_mut(at).map(|(_, value)| value)
    }

    /// Whether member `name` is present.
    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    /// Sets member `name` to `value`, returning the value it replaces.
    pub fn insert(&mut self, name: String, value: Value) -> Option<Value> {
        match self.position(&name) {
            Ok(at) => self.members.get_mut(at).map(|(_, old)| std::mem::replace(old, value)),
            Err(at) => {
                self.members.insert(at, (name, value));
                None
            }
        }
    }

    /// Removes member `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        let at = self.position(name).ok()?;
        Some(self.members.remove(at).1)
    }

    /// The value of member `name`, inserted as `null` when missing.
    fn slot(&mut self, name: &str) -> &mut Value {
        let at = match self.position(name) {
            Ok(at) => at,
            Err(at) => {
                self.members.insert(at, (name.to_owned(), Value::Null));
                at
            }
        };
        #[allow(clippy::indexing_slicing)] // `at` is a found position or the one just inserted at.
        &mut self.members[at].1
    }

    /// The members, by name in byte order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.members.iter().map(|(name, value)| (name, value))
    }

    /// The member names, in byte order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.members.iter().map(|(name, _)| name)
    }

    /// The member values, by name in byte order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.members.iter().map(|(_, value)| value)
    }
}

/// Heapsort by member name: O(n log n) on any input, and a few hundred bytes of wasm where the
/// standard library's sorts are several KB.
fn sort_by_name(members: &mut [(String, Value)]) {
    for root in (0..members.len() / 2).rev() {
        sift_down(members, root);
    }
    for end in (1..members.len()).rev() {
        members.swap(0, end);
        if let Some(heap) = members.get_mut(..end) {
            sift_down(heap, 0);
        }
    }
}

fn sift_down(heap: &mut [(String, Value)], mut root: usize) {
    fn name(heap: &[(String, Value)], at: usize) -> Option<&str> {
        heap.get(at).map(|(name, _)| name.as_str())
    }
    loop {
        let mut child = 2 * root + 1;
        if name(heap, child + 1).is_some() && name(heap, child) < name(heap, child + 1) {
            child += 1;
        }
        if name(heap, child).is_none() || name(heap, root) >= name(heap, child) {
            return;
        }
        heap.swap(root, child);
        root = child;
    }
}

impl IntoIterator for Object {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.members.into_iter()
    }
}

impl<'a> IntoIterator for &'a Object {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (String, Value)>, fn(&'a (String, Value)) -> Self::Item>;

    fn into_iter(self) -> Self::IntoIter {
        self.members.iter().map(|(name, value)| (name, value))
    }
}

impl FromIterator<(String, Value)> for Object {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(members: I) -> Object {
        let mut object = Object::new();
        object.extend(members);
        object
    }
}

impl Extend<(String, Value)> for Object {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, members: I) {
        for (name, value) in members {
            self.insert(name, value);
        }
    }
}

impl Index<&str> for Object {
    type Output = Value;

    /// The member's value, or `null` when missing.
    fn index(&self, name: &str) -> &Value {
        self.get(name).unwrap_or(&NULL)
    }
}

impl IndexMut<&str> for Object {
    /// The member's value, inserted as `null` when missing.
    fn index_mut(&mut self, name: &str) -> &mut Value {
        self.slot(name)
    }
}

impl Value {
    /// Member `name` of an object (`None` for a missing member or a non-object).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.as_object()?.get(name)
    }

    /// Member `name` of an object, mutably.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        self.as_object_mut()?.get_mut(name)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as an `i64` ([`Number::as_i64`]).
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number()?.as_i64()
    }

    /// The number as a `u64` ([`Number::as_u64`]).
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number()?.as_u64()
    }

    /// The number as an `f64` ([`Number::as_f64`]).
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number()?.as_f64()
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The object, mutably, if this is one.
    pub fn as_object_mut(&mut self) -> Option<&mut Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The array, mutably, if this is one.
    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this is a boolean.
    pub fn is_boolean(&self) -> bool {
        matches!(self, Value::Bool(_))
    }

    /// Whether this is a number.
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    /// Whether this is a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// Whether this is an array.
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// Whether this is an integer number that fits an `i64`.
    pub fn is_i64(&self) -> bool {
        self.as_number().is_some_and(Number::is_i64)
    }

    /// Whether this is an integer number that fits a `u64`.
    pub fn is_u64(&self) -> bool {
        self.as_number().is_some_and(Number::is_u64)
    }

    /// Whether this is a float number.
    pub fn is_f64(&self) -> bool {
        self.as_number().is_some_and(Number::is_f64)
    }

    /// Replaces the value with `null`, returning it.
    pub fn take(&mut self) -> Value {
        std::mem::take(self)
    }
}

impl Index<&str> for Value {
    type Output = Value;

    /// Member `name` of an object, or `null` when missing or not an object.
    fn index(&self, name: &str) -> &Value {
        self.get(name).unwrap_or(&NULL)
    }
}

impl IndexMut<&str> for Value {
    /// Member `name`, inserted as `null` when missing; a value that is not an object is first
    /// replaced by an empty object.
    fn index_mut(&mut self, name: &str) -> &mut Value {
        if !self.is_object() {
            *self = Value::Object(Object::new());
        }
        match self {
            Value::Object(object) => object.slot(name),
            other => other,
        }
    }
}

impl Index<String> for Value {
    type Output = Value;

    /// Member `name` of an object, or `null` when missing or not an object.
    fn index(&self, name: String) -> &Value {
        &self[name.as_str()]
    }
}

impl IndexMut<String> for Value {
    /// Member `name`, as [`IndexMut<&str>`](#impl-IndexMut%3C%26str%3E-for-Value) gives it.
    fn index_mut(&mut self, name: String) -> &mut Value {
        &mut self[name.as_str()]
    }
}

impl Index<usize> for Value {
    type Output = Value;

    /// Element `at` of an array, or `null` when missing or not an array.
    fn index(&self, at: usize) -> &Value {
        self.as_array().and_then(|items| items.get(at)).unwrap_or(&NULL)
    }
}

impl fmt::Display for Value {
    /// The value's compact JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

impl fmt::Display for Object {
    /// The object's compact JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

macro_rules! from_integer {
    ($via:ty: $($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                Value::Number(Number::from(<$via>::from(n)))
            }
        }
    )*};
}

from_integer!(u64: u8, u16, u32, u64);
from_integer!(i64: i8, i16, i32, i64);

impl From<usize> for Value {
    fn from(n: usize) -> Value {
        Value::Number(Number::from(n as u64))
    }
}

impl From<f64> for Value {
    /// A finite float as a number; NaN and the infinities as `null` (as `serde_json` does).
    fn from(f: f64) -> Value {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}

impl From<Object> for Value {
    fn from(o: Object) -> Value {
        Value::Object(o)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Value {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Value {
        value.map_or(Value::Null, Into::into)
    }
}

/// Conversion to a [`Value`] by reference: what [`json!`](crate::json!) calls on an
/// interpolated expression (which it therefore does not move).
pub trait ToValue {
    /// The value as JSON.
    fn to_value(&self) -> Value;
}

macro_rules! to_value_by_copy {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}

to_value_by_copy!(u8, u16, u32, u64, usize, i8, i16, i32, i64, f64, bool);

impl ToValue for i128 {
    fn to_value(&self) -> Value {
        match (i64::try_from(*self), u64::try_from(*self)) {
            (Ok(n), _) => Value::from(n),
            (_, Ok(n)) => Value::from(n),
            _ => Value::Number(Number::from_float_text(&self.to_string())),
        }
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::from(self)
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl ToValue for Object {
    fn to_value(&self) -> Value {
        Value::Object(self.clone())
    }
}

impl ToValue for Number {
    fn to_value(&self) -> Value {
        Value::Number(self.clone())
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl<T: ToValue> ToValue for [T] {
    fn to_value(&self) -> Value {
        Value::Array(self.iter().map(ToValue::to_value).collect())
    }
}

impl<T: ToValue, const N: usize> ToValue for [T; N] {
    fn to_value(&self) -> Value {
        self.as_slice().to_value()
    }
}

impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        self.as_slice().to_value()
    }
}

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<String> for Value {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}

impl PartialEq<i64> for Value {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

impl PartialEq<u64> for Value {
    fn eq(&self, other: &u64) -> bool {
        self.as_u64() == Some(*other)
    }
}

impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}
