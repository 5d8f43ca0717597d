//! Document text made safe to print on a terminal or into a CI log.
//!
//! Ids, titles and passages come from the documents, so they may hold escape sequences (ESC,
//! OSC, BEL, C1 codes) that a terminal obeys, a newline that starts a line a CI runner reads
//! as a command (`::error ...` on GitHub Actions), or bidirectional overrides that make text
//! read other than it is. As ripgrep and `ls` do, such characters are shown as escapes.

use std::borrow::Cow;

/// Whether `c` must be shown as an escape.
fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every control character and bidirectional override written as an escape (`\n`,
/// `\t`, `\r`, else `\u{1b}`); borrowed when it holds none.
///
/// ```
/// use neardup::report::visible;
/// assert_eq!(visible("plain"), "plain");
/// assert_eq!(visible("x\n::error title=pwned::"), "x\\n::error title=pwned::");
/// assert_eq!(visible("\u{1b}]8;;http://x\u{7}"), "\\u{1b}]8;;http://x\\u{7}");
/// ```
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_c1_and_bidi_are_escaped_and_the_rest_is_kept() {
        assert_eq!(visible("a\u{9b}31mb"), "a\\u{9b}31mb");
        assert_eq!(visible("\u{202E}abc"), "\\u{202e}abc");
        assert_eq!(visible("é 中文 🙂 – “quoted”"), "é 中文 🙂 – “quoted”");
        assert!(matches!(visible("clean id"), Cow::Borrowed(_)));
    }
}
