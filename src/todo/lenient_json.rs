//! A lenient JSON reader for the classic profile.
//!
//! The classic server read bodies with Gson's default, lenient reader, so suites written
//! against it may send `{"doneStatus": done}` or `{'title': 'x'}` and expect a
//! *validation* error rather than a syntax error. This reader accepts what that reader
//! accepts in practice:
//!
//! * names and strings in double quotes, single quotes, or unquoted;
//! * unquoted values: `true`/`false`/`null` (any letter case), numbers, anything else
//!   as a string;
//! * `=` or `=>` after a name, `;` between members, `//`, `/* */` and `#` comments;
//! * omitted array elements (`[1,,2]`) as `null`.
//!
//! Every number becomes a float, because Gson reads untyped numbers as doubles (so a
//! number's source type is always `NUMERIC`). A document must be exactly one value;
//! nesting deeper than [`MAX_DEPTH`] is refused. The reader never recurses: open
//! containers wait on an explicit stack.

use serde_json::{Map, Number, Value};

/// Deepest nesting accepted (the strict parser stops at the same depth).
pub const MAX_DEPTH: usize = 128;

/// Why a document could not be read (the caller only reports "invalid JSON").
#[derive(Debug, PartialEq, Eq)]
pub struct SyntaxError;

/// Parse a whole document.
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
    let mut reader = Reader {
        chars: text.chars().collect(),
        at: 0,
    };
    reader.skip_non_execute_prefix();
    let value = reader.value()?;
    match reader.next_token_char()? {
        None => Ok(value),
        Some(_) => Err(SyntaxError),
    }
}

struct Reader {
    chars: Vec<char>,
    at: usize,
}

/// A container whose closing bracket has not been read yet.
enum Open {
    /// Members so far, and the name of the member whose value is being read.
    Object(Map<String, Value>, String),
    /// Elements so far.
    Array(Vec<Value>),
}

/// Characters that end an unquoted literal.
fn ends_literal(c: char) -> bool {
    matches!(
        c,
        '/' | '\\'
            | ';'
            | '#'
            | '='
            | '{'
            | '}'
            | '['
            | ']'
            | ':'
            | ','
            | ' '
            | '\t'
            | '\u{c}'
            | '\r'
            | '\n'
    )
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// Gson skips the `)]}'` anti-hijacking prefix in lenient mode.
    fn skip_non_execute_prefix(&mut self) {
        let prefix: Vec<char> = ")]}'\n".chars().collect();
        if self.chars.starts_with(&prefix) {
            self.at = prefix.len();
        }
    }

    /// The next character that is not whitespace or inside a comment, without
    /// consuming it.
    fn next_token_char(&mut self) -> Result<Option<char>, SyntaxError> {
        loop {
            let Some(c) = self.peek() else {
                return Ok(None);
            };
            match c {
                ' ' | '\t' | '\r' | '\n' => self.at += 1,
                '#' => self.skip_line(),
                '/' => match self.chars.get(self.at + 1) {
                    Some('/') => self.skip_line(),
                    Some('*') => self.skip_block_comment()?,
                    _ => return Ok(Some(c)),
                },
                _ => return Ok(Some(c)),
            }
        }
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.peek() {
            self.at += 1;
            if c == '\n' || c == '\r' {
                return;
            }
        }
    }

    fn skip_block_comment(&mut self) -> Result<(), SyntaxError> {
        self.at += 2;
        while self.at + 1 < self.chars.len() {
            if self.chars[self.at] == '*' && self.chars[self.at + 1] == '/' {
                self.at += 2;
                return Ok(());
            }
            self.at += 1;
        }
        Err(SyntaxError)
    }

    /// Read one value. Containers being read wait on an explicit stack (never the
    /// thread's stack), so nesting costs one entry each and stops at [`MAX_DEPTH`].
    fn value(&mut self) -> Result<Value, SyntaxError> {
        let mut open: Vec<Open> = Vec::new();
        'value: loop {
            if open.len() >= MAX_DEPTH {
                return Err(SyntaxError);
            }
            let mut done = match self.next_token_char()?.ok_or(SyntaxError)? {
                '{' => {
                    self.at += 1;
                    if self.next_token_char()? == Some('}') {
                        self.at += 1;
                        Value::Object(Map::new())
                    } else {
                        let name = self.member_name()?;
                        open.push(Open::Object(Map::new(), name));
                        continue 'value;
                    }
                }
                '[' => {
                    self.at += 1;
                    let mut items = Vec::new();
                    if self.next_token_char()? == Some(']') {
                        self.at += 1;
                        Value::Array(items)
                    } else if self.skip_omitted_elements(&mut items)? {
                        Value::Array(items)
                    } else {
                        open.push(Open::Array(items));
                        continue 'value;
                    }
                }
                quote @ ('"' | '\'') => {
                    self.at += 1;
                    Value::String(self.quoted(quote)?)
                }
                c if ends_literal(c) => return Err(SyntaxError),
                _ => literal_value(&self.literal()),
            };
            // Hand the finished value to the container around it, closing every
            // container that it completes.
            loop {
                match open.last_mut() {
                    None => return Ok(done),
                    Some(Open::Object(fields, name)) => {
                        if fields.insert(std::mem::take(name), done).is_some() {
                            // Gson's map reader refuses duplicate keys.
                            return Err(SyntaxError);
                        }
                        match self.next_token_char()? {
                            Some(',' | ';') => {
                                self.at += 1;
                                *name = self.member_name()?;
                                continue 'value;
                            }
                            Some('}') => {
                                self.at += 1;
                                done = Value::Object(std::mem::take(fields));
                            }
                            _ => return Err(SyntaxError),
                        }
                    }
                    Some(Open::Array(items)) => {
                        items.push(done);
                        match self.next_token_char()? {
                            Some(',' | ';') => {
                                self.at += 1;
                                let ended = if self.next_token_char()? == Some(']') {
                                    self.at += 1;
                                    items.push(Value::Null);
                                    true
                                } else {
                                    self.skip_omitted_elements(items)?
                                };
                                if !ended {
                                    continue 'value;
                                }
                            }
                            Some(']') => self.at += 1,
                            _ => return Err(SyntaxError),
                        }
                        done = Value::Array(std::mem::take(items));
                    }
                }
                open.pop();
            }
        }
    }

    /// A member's name and its separator.
    fn member_name(&mut self) -> Result<String, SyntaxError> {
        let name = self.name()?;
        self.name_separator()?;
        Ok(name)
    }

    /// Where an array element is due: omitted elements (`,` or `;` with nothing
    /// before them) are nulls. True when the array ended (`]`, which also stands for
    /// one last omitted element); false when a value follows.
    fn skip_omitted_elements(&mut self, items: &mut Vec<Value>) -> Result<bool, SyntaxError> {
        loop {
            match self.next_token_char()? {
                Some(',' | ';') => {
                    self.at += 1;
                    items.push(Value::Null);
                }
                Some(']') => {
                    self.at += 1;
                    items.push(Value::Null);
                    return Ok(true);
                }
                _ => return Ok(false),
            }
        }
    }

    fn name(&mut self) -> Result<String, SyntaxError> {
        match self.next_token_char()?.ok_or(SyntaxError)? {
            quote @ ('"' | '\'') => {
                self.at += 1;
                self.quoted(quote)
            }
            c if ends_literal(c) => Err(SyntaxError),
            _ => Ok(self.literal()),
        }
    }

    /// `:`, `=` or `=>`.
    fn name_separator(&mut self) -> Result<(), SyntaxError> {
        match self.next_token_char()? {
            Some(':') => self.at += 1,
            Some('=') => {
                self.at += 1;
                if self.peek() == Some('>') {
                    self.at += 1;
                }
            }
            _ => return Err(SyntaxError),
        }
        Ok(())
    }

    /// The rest of a quoted string whose opening quote was consumed.
    fn quoted(&mut self, quote: char) -> Result<String, SyntaxError> {
        let mut out = String::new();
        loop {
            let c = self.peek().ok_or(SyntaxError)?;
            self.at += 1;
            match c {
                c if c == quote => return Ok(out),
                '\\' => out.push(self.escape()?),
                c => out.push(c),
            }
        }
    }

    fn escape(&mut self) -> Result<char, SyntaxError> {
        let c = self.peek().ok_or(SyntaxError)?;
        self.at += 1;
        Ok(match c {
            'u' => return self.unicode_escape(),
            't' => '\t',
            'b' => '\u{8}',
            'n' => '\n',
            'r' => '\r',
            'f' => '\u{c}',
            '\n' | '\'' | '"' | '\\' | '/' => c,
            _ => return Err(SyntaxError),
        })
    }

    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let unit = self.hex4()?;
        if !(0xD800..0xDC00).contains(&unit) {
            return Ok(char::from_u32(unit).unwrap_or('\u{fffd}'));
        }
        // A high surrogate: pair it with a following `\uDC00`-`\uDFFF` when present.
        let pair = self.chars.get(self.at..self.at + 2) == Some(&['\\', 'u'][..]);
        if pair {
            let saved = self.at;
            self.at += 2;
            if let Ok(low @ 0xDC00..=0xDFFF) = self.hex4() {
                let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            self.at = saved;
        }
        Ok('\u{fffd}')
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self.chars.get(self.at..self.at + 4).ok_or(SyntaxError)?;
        let mut unit = 0;
        for d in digits {
            unit = unit * 16 + d.to_digit(16).ok_or(SyntaxError)?;
        }
        self.at += 4;
        Ok(unit)
    }

    /// An unquoted run of characters up to the next delimiter.
    fn literal(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(|c| !ends_literal(c)) {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }
}

/// An unquoted value: a keyword (each letter in either case, as Gson compares them), a
/// JSON number (as a float), or else the text itself.
fn literal_value(text: &str) -> Value {
    if text.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if text.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if text.eq_ignore_ascii_case("null") {
        return Value::Null;
    }
    if is_json_number(text) {
        if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(text.to_string())
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
fn is_json_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let whole_start = i;
    let whole = digits(&mut i);
    if whole == 0 || (whole > 1 && bytes[whole_start] == b'0') {
        return false;
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(text: &str) -> Value {
        parse(text).unwrap_or_else(|_| panic!("should parse: {text}"))
    }

    #[test]
    fn strict_json_reads_the_same_except_numbers_are_floats() {
        assert_eq!(
            ok(r#"{"title":"a \"b\" \u00e9","doneStatus":true,"n":null,"l":[1,2]}"#),
            json!({"title":"a \"b\" é","doneStatus":true,"n":null,"l":[1.0,2.0]})
        );
        assert!(ok("5").as_f64().is_some_and(|n| n == 5.0));
        assert!(ok("5").as_u64().is_none(), "numbers are doubles");
    }

    #[test]
    fn unquoted_and_single_quoted_values_and_names() {
        assert_eq!(
            ok(r#"{"doneStatus": done, "title": 'my title'}"#),
            json!({"doneStatus":"done","title":"my title"})
        );
        assert_eq!(
            ok("{title: x, doneStatus: TRUE}"),
            json!({"title":"x","doneStatus":true})
        );
        assert_eq!(ok("{'a' = 1; b => 01}"), json!({"a":1.0,"b":"01"}));
        assert_eq!(ok("{a: x-y.z}"), json!({"a":"x-y.z"}));
    }

    #[test]
    fn comments_and_omitted_array_elements() {
        assert_eq!(
            ok("// lead\n{ /* c */ a: [1,,2,] # tail\n}"),
            json!({"a":[1.0,null,2.0,null]})
        );
    }

    #[test]
    fn what_stays_invalid() {
        for bad in [
            "{",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{\"a\":1}{}",
            "{\"a\":\"\\x\"}",
            "{\"a\":1,\"a\":2}",
            "{\"a\":\"open",
            "/* open",
            "",
        ] {
            assert_eq!(parse(bad), Err(SyntaxError), "{bad:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep), Err(SyntaxError));
    }

    #[test]
    fn nesting_stops_at_the_limit_without_recursion() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        assert_eq!(parse(&nested(MAX_DEPTH + 1)), Err(SyntaxError));
        assert_eq!(parse(&"{a:[".repeat(200_000)), Err(SyntaxError));
        let mixed = "{a:[1,,{'b':{c=>[;]}}]}";
        assert_eq!(
            ok(mixed),
            serde_json::json!({"a":[1.0,null,{"b":{"c":[null,null]}}]})
        );
    }

    #[test]
    fn number_grammar() {
        for n in ["0", "-1", "1.5", "2e3", "-0.5E-2"] {
            assert!(is_json_number(n), "{n}");
        }
        for n in ["01", "1.", ".5", "1e", "-", "+1", "0x10", "NaN"] {
            assert!(!is_json_number(n), "{n}");
        }
    }
}
