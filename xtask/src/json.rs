//! Just enough JSON to read cargo's messages (`--message-format=json`, `cargo metadata`):
//! a value tree and a reader, in a page, so that the task runner needs no dependency.
//! Cargo: "JSON messages" in the cargo book · serde_json does this for real programs

/// A JSON value.
#[derive(Debug, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, its fields in order.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Reads one JSON value that fills `text` (spaces around it aside).
    pub fn parse(text: &str) -> Option<Json> {
        let mut reader = Reader {
            text: text.as_bytes(),
            at: 0,
        };
        let value = reader.value()?;
        reader.spaces();
        (reader.at == text.len()).then_some(value)
    }

    /// The field `key` of an object; `Null` for anything else.
    pub fn get(&self, key: &str) -> &Json {
        match self {
            Json::Object(fields) => fields
                .iter()
                .find(|(k, _)| k == key)
                .map_or(&Json::Null, |(_, v)| v),
            _ => &Json::Null,
        }
    }

    /// The string it is, if it is one.
    pub fn str(&self) -> Option<&str> {
        match self {
            Json::Str(text) => Some(text),
            _ => None,
        }
    }

    /// The items of an array; none for anything else.
    pub fn items(&self) -> &[Json] {
        match self {
            Json::Array(items) => items,
            _ => &[],
        }
    }
}

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn spaces(&mut self) {
        while self.text.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    /// Takes `token` if it comes next.
    fn take(&mut self, token: &str) -> bool {
        self.spaces();
        let found = self.text[self.at..].starts_with(token.as_bytes());
        if found {
            self.at += token.len();
        }
        found
    }

    fn value(&mut self) -> Option<Json> {
        self.spaces();
        match *self.text.get(self.at)? {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string().map(Json::Str),
            b't' if self.take("true") => Some(Json::Bool(true)),
            b'f' if self.take("false") => Some(Json::Bool(false)),
            b'n' if self.take("null") => Some(Json::Null),
            _ => self.number(),
        }
    }

    fn object(&mut self) -> Option<Json> {
        self.take("{");
        let mut fields = Vec::new();
        if self.take("}") {
            return Some(Json::Object(fields));
        }
        loop {
            self.spaces();
            let key = self.string()?;
            if !self.take(":") {
                return None;
            }
            fields.push((key, self.value()?));
            if self.take("}") {
                return Some(Json::Object(fields));
            }
            if !self.take(",") {
                return None;
            }
        }
    }

    fn array(&mut self) -> Option<Json> {
        self.take("[");
        let mut items = Vec::new();
        if self.take("]") {
            return Some(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            if self.take("]") {
                return Some(Json::Array(items));
            }
            if !self.take(",") {
                return None;
            }
        }
    }

    fn number(&mut self) -> Option<Json> {
        let start = self.at;
        let is_number = |b: &u8| b.is_ascii_digit() || b"+-.eE".contains(b);
        while self.text.get(self.at).is_some_and(is_number) {
            self.at += 1;
        }
        let text = std::str::from_utf8(&self.text[start..self.at]).ok()?;
        text.parse().ok().map(Json::Number)
    }

    fn string(&mut self) -> Option<String> {
        if self.text.get(self.at) != Some(&b'"') {
            return None;
        }
        self.at += 1;
        let mut bytes = Vec::new();
        loop {
            let byte = *self.text.get(self.at)?;
            self.at += 1;
            match byte {
                b'"' => return String::from_utf8(bytes).ok(),
                b'\\' => {
                    let escaped = *self.text.get(self.at)?;
                    self.at += 1;
                    let c = match escaped {
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'u' => self.unicode()?,
                        other => other as char, // \" \\ \/
                    };
                    bytes.extend(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                _ => bytes.push(byte),
            }
        }
    }

    /// The character of a `\uXXXX` escape (the `\u` already read), joining a surrogate pair.
    fn unicode(&mut self) -> Option<char> {
        let first = self.hex4()?;
        let mut code = first;
        if (0xD800..0xDC00).contains(&first) && self.text[self.at..].starts_with(b"\\u") {
            self.at += 2;
            let low = self.hex4()?.checked_sub(0xDC00)?;
            code = 0x10000 + ((first - 0xD800) << 10) + low;
        }
        Some(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = std::str::from_utf8(self.text.get(self.at..self.at + 4)?).ok()?;
        self.at += 4;
        u32::from_str_radix(digits, 16).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_messages_read_as_trees() {
        let line = r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"test":true},
            "executable":"/t/deps/step1_echo-1f","fresh":false,"n":-1.5e2,"none":null}"#;
        let json = Json::parse(line).unwrap();
        assert_eq!(Some("compiler-artifact"), json.get("reason").str());
        assert_eq!(Some("lib"), json.get("target").get("kind").items()[0].str());
        assert_eq!(&Json::Bool(true), json.get("target").get("test"));
        assert_eq!(&Json::Number(-150.0), json.get("n"));
        assert_eq!(&Json::Null, json.get("none"));
        assert_eq!(&Json::Null, json.get("missing").get("deeper"));
    }

    #[test]
    fn strings_unescape() {
        let json = Json::parse(r#"["a\"b\\c\/\n\t", "\u00e9\ud83e\udd80", ""]"#).unwrap();
        let items: Vec<_> = json.items().iter().map(|i| i.str().unwrap()).collect();
        assert_eq!(vec!["a\"b\\c/\n\t", "é🦀", ""], items);
    }

    #[test]
    fn anything_but_one_whole_value_is_refused() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "\"open",
            "[1] 2",
            "tru",
            "{1: 2}",
        ] {
            assert_eq!(None, Json::parse(bad), "{bad:?}");
        }
        assert_eq!(Some(Json::Object(vec![])), Json::parse(" {} "));
    }
}
