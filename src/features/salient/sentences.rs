//! Sentences: where a text's sentences start and end, for sentence openers and evidence.

/// The sentences of `text` with their byte offsets: a sentence ends after `.`, `!` or `?` (and
/// any closing quotes or brackets) followed by whitespace, or at a line break.
///
/// Simpler than Unicode sentence segmentation (UAX #29), which took a sixth of a scan's time:
/// both split after abbreviations ("Mr. Smith"), and sentences only serve to find sentence
/// openers and to pair sentences as evidence.
pub fn sentences(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut start = 0;
    // The next line break at or after the scan position, found once per line rather than
    // once per full stop.
    let mut newline: Option<usize> = None;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let mut i = start;
        while i < bytes.len() {
            let line_end = match newline {
                Some(n) if n >= i => n,
                _ => memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |k| i + k),
            };
            newline = Some(line_end);
            let stop = memchr::memchr3(b'.', b'!', b'?', &bytes[i..line_end]).map(|k| i + k);
            let Some(stop) = stop else {
                // The line ends the sentence, or the text does.
                i = (line_end + 1).min(bytes.len());
                break;
            };
            let ends;
            (i, ends) = after_stop(text, stop + 1);
            if ends {
                break;
            }
        }
        let s = start;
        start = i;
        Some((s, &text[s..i]))
    })
}

/// After a `.`, `!` or `?` whose next byte is at `i`: where scanning resumes, and whether the
/// sentence ends there. Closing marks stay with the sentence (. " ' ) ] and curly quotes), and
/// so does the whitespace after it; a lower-case word after the stop continues the sentence
/// ("U.S. forces").
pub(super) fn after_stop(text: &str, mut i: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    while i < bytes.len() && matches!(bytes[i], b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']') {
        i += 1;
    }
    while text[i..].starts_with(['\u{201D}', '\u{2019}']) {
        i += 3;
    }
    let next = text[i..].trim_start().chars().next();
    if i >= bytes.len() || !bytes[i].is_ascii_whitespace() || next.is_some_and(char::is_lowercase) {
        return (i, false);
    }
    while i < bytes.len() && bytes[i].is_ascii_whitespace() && bytes[i] != b'\n' {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'\n' {
        i += 1;
    }
    (i, true)
}

#[cfg(test)]
mod tests {

    #[test]
    fn sentences_end_after_stops_and_line_breaks() {
        let s: Vec<_> = crate::features::salient::sentences("One. Two!\nThree \"four.\" Five").collect();
        assert_eq!(s, [(0, "One. "), (5, "Two!\n"), (10, "Three \"four.\" "), (24, "Five")]);
    }
}
