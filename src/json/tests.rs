use super::*;

fn reparsed(text: &str) -> String {
    parse(text.as_bytes()).unwrap().to_json()
}

#[test]
fn duplicates_rejected_at_any_depth() {
    let e = parse_object(br#"{"a":1,"a":2}"#, "payload").unwrap_err();
    assert!(e.starts_with("payload: not valid JSON ("), "{e}");
    assert!(e.contains("duplicate member name \"a\""), "{e}");
    assert!(
        parse_object(br#"{"b":1,"a":{"b":1,"b":1}}"#, "payload")
            .unwrap_err()
            .contains("name \"b\"")
    );
    assert!(parse_object(br#"{"a":[{"b":1,"b":1}]}"#, "payload").is_err());
    assert!(parse_object(br#"{"z":1,"a":1,"m":1,"a":2}"#, "payload").is_err());
    assert!(parse_object(br#"{"a":1,"b":2}"#, "payload").is_ok());
    assert!(parse_object(br#"{"b":1,"a":2,"A":3,"\u0061b":4}"#, "payload").is_ok());
}

#[test]
fn non_objects_deep_nesting_and_bad_numbers_rejected() {
    assert_eq!(
        parse_object(b"[1]", "payload").unwrap_err(),
        "payload: not a JSON object"
    );
    assert!(parse_object(b"\"x\"", "payload").is_err());
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(parse_object(deep.as_bytes(), "payload").is_err());
    assert!(parse_object(br#"{"exp":1e400}"#, "payload").is_err());
    assert!(parse_object(br#"{"iss":"\ud800"}"#, "payload").is_err());
    assert!(parse_object(b"{\"iss\":\"\xff\"}", "payload").is_err());
}

#[test]
fn nesting_limit_is_127_levels() {
    let nested = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
    assert!(parse(nested(MAX_DEPTH).as_bytes()).is_ok());
    assert!(
        parse(nested(MAX_DEPTH + 1).as_bytes())
            .unwrap_err()
            .contains("nesting too deep")
    );
    let objects = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
    assert!(parse(objects.as_bytes()).is_ok());
}

#[test]
fn grammar_is_strict() {
    for bad in [
        "",
        " ",
        "{",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1,}",
        "[1,]",
        "[,1]",
        "{,}",
        "{1:2}",
        "{'a':1}",
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
        "[\"\\ud800\\u0041\"]",
        "[\"\\ud800x\"]",
        "[\"abc]",
        "\u{feff}{}",
        "[1 2]",
        "{\"a\" 1}",
        "[-01]",
        "[00]",
        "[1e400]",
        "[-1e400]",
        "\u{a0}[]",
    ] {
        assert!(parse(bad.as_bytes()).is_err(), "accepted {bad:?}");
    }
    for good in [
        "{}",
        "[]",
        " \t\r\n[ ] ",
        "0",
        "-0",
        "1",
        "-1",
        "1.5",
        "1e5",
        "1E+5",
        "1e-5",
        "0.0",
        "-0.0e-0",
        "\"\"",
        "\"\\u00e9\\ud83d\\ude00\\/\"",
        "true",
        "false",
        "null",
        "[1e-400]",
        "[1.7976931348623157e308]",
        "{\"\":{\"\":[]}}",
    ] {
        assert!(parse(good.as_bytes()).is_ok(), "refused {good:?}");
    }
    assert!(parse(b"\"\x7f\"").is_ok());
}

#[test]
fn overflow_boundary_is_exact() {
    assert!(parse(b"1.7976931348623158079e308").is_ok());
    assert!(parse(b"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791").is_ok());
    assert!(parse(b"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792").is_err());
    assert!(parse(b"-1.79769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792e308").is_err());
    assert!(parse(b"0.00017976931348623158e312").is_ok());
    assert!(parse(b"0.00017976931348623159e312").is_err());
    assert!(parse(b"0e99999999999999999999").is_ok());
    assert!(parse(b"1e-99999999999999999999").is_ok());
    assert!(parse(b"1e99999999999999999999").is_err());
}

#[test]
fn integers_floats_and_their_accessors() {
    let v = parse(br#"[0, 18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809, -0, 1.0, 1e3, 7]"#).unwrap();
    assert_eq!(v[0].as_u64(), Some(0));
    assert_eq!(v[1].as_u64(), Some(u64::MAX));
    assert_eq!(v[1].as_i64(), None);
    assert!(v[2].is_f64());
    assert_eq!(v[2].as_f64(), Some(18446744073709551616.0));
    assert_eq!(v[3].as_i64(), Some(i64::MIN));
    assert!(v[4].is_f64() && v[5].is_f64() && v[6].is_f64() && v[7].is_f64());
    assert_eq!(v[6].as_i64(), None);
    assert_eq!(v[7].as_f64(), Some(1000.0));
    assert_eq!(v[8].as_i64(), Some(7));
    assert_eq!(v[8], json!(7));
}

#[test]
fn writes_sorted_members_escapes_and_numbers() {
    assert_eq!(
        reparsed(r#" { "b" : 1 , "a" : [ true , null ] , "B" : { } } "#),
        r#"{"B":{},"a":[true,null],"b":1}"#
    );
    assert_eq!(
        reparsed(r#""\u0000\u001f\b\f\n\r\t\"\\\/é\u00e9\ud83d\ude00\u007f""#),
        "\"\\u0000\\u001f\\b\\f\\n\\r\\t\\\"\\\\/éé😀\u{7f}\""
    );
    assert_eq!(
        reparsed("[1.50, 1E3, -0, 100000000000000000000, -12]"),
        "[1.50,1E3,-0,100000000000000000000,-12]"
    );
    let mut o = Object::new();
    o.insert("é".into(), json!(1));
    o.insert("z".into(), json!(2));
    o.insert("Z".into(), json!(3));
    assert_eq!(o.to_json(), r#"{"Z":3,"z":2,"é":1}"#);
    assert_eq!(o.insert("z".into(), json!("x")), Some(json!(2)));
    assert_eq!(o.remove("Z"), Some(json!(3)));
    assert_eq!(Value::Object(o).to_string(), r#"{"z":"x","é":1}"#);
}

#[test]
fn floats_from_rust_are_written_like_serde_json() {
    for (f, text) in [
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (3.0, "3.0"),
        (1.5, "1.5"),
        (0.1, "0.1"),
        (1e15, "1000000000000000.0"),
        (1e16, "1e+16"),
        (1.5e300, "1.5e+300"),
        (0.00001, "0.00001"),
        (0.000001, "1e-6"),
        (1.25e-7, "1.25e-7"),
        (f64::MAX, "1.7976931348623157e+308"),
        (5e-324, "5e-324"),
    ] {
        assert_eq!(json!(f).to_json(), text, "{f:e}");
    }
    assert_eq!(json!(f64::NAN), Value::Null);
    assert_eq!(json!(f64::INFINITY), Value::Null);
}

#[test]
fn json_macro_builds_values() {
    let name = String::from("n");
    let list = vec!["x", "y"];
    let v = json!({
        "a": null,
        "b": [1, -2, [true], {"c": "d"}, null],
        (name.clone() + "2"): 1 + 2,
        name: list,
        "e": {},
        "f": [],
    });
    assert_eq!(
        v.to_json(),
        r#"{"a":null,"b":[1,-2,[true],{"c":"d"},null],"e":{},"f":[],"n":["x","y"],"n2":3}"#
    );
    assert_eq!(name, "n");
    assert_eq!(v["b"][3]["c"], "d");
    assert!(v["missing"].is_null() && v["b"][99].is_null());
    let mut w = v.clone();
    w["g"]["h"] = json!(true);
    assert_eq!(w["g"].to_json(), r#"{"h":true}"#);
}

#[test]
fn large_objects_in_any_order_are_sorted_and_checked_for_duplicates() {
    let names: Vec<String> = (0..20_000u32)
        .map(|i| format!("m{}", i.wrapping_mul(2_654_435_761) % 100_000))
        .collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    let members = |list: &[String]| list.iter().map(|n| format!("\"{n}\":0")).collect::<Vec<_>>().join(",");
    let reversed: Vec<String> = unique.iter().rev().cloned().collect();
    let parsed = parse_object(format!("{{{}}}", members(&reversed)).as_bytes(), "x").unwrap();
    assert_eq!(parsed.keys().cloned().collect::<Vec<_>>(), unique);
    let shuffled: Vec<String> = names
        .iter()
        .filter(|n| unique.binary_search(n).is_ok())
        .cloned()
        .collect();
    let mut seen = std::collections::HashSet::new();
    let first_free: Vec<String> = shuffled.into_iter().filter(|n| seen.insert(n.clone())).collect();
    let parsed = parse_object(format!("{{{}}}", members(&first_free)).as_bytes(), "x").unwrap();
    assert_eq!(parsed.keys().cloned().collect::<Vec<_>>(), unique);
    let mut with_duplicate = first_free.clone();
    with_duplicate.insert(7, first_free[12_000].clone());
    let e = parse_object(format!("{{{}}}", members(&with_duplicate)).as_bytes(), "x").unwrap_err();
    assert!(
        e.contains(&format!("duplicate member name \"{}\"", first_free[12_000])),
        "{e}"
    );
}
