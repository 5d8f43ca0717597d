//! Word wrapping for the formats people read, a char counted as one column.

use super::visible;

/// Packs words, each given as its shown form and its width in columns (a styled word is wider
/// in bytes than on screen), into lines of at most `width` columns; returns each line with its
/// width. A word wider than a line is cut to fit.
pub(super) fn pack(
    words: impl IntoIterator<Item = (String, usize)>,
    width: usize,
) -> Vec<(String, usize)> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let (mut line, mut len) = (String::new(), 0);
    for (word, cols) in words {
        let (word, cols) = if cols > width {
            (word.chars().take(width).collect(), width)
        } else {
            (word, cols)
        };
        if len > 0 && len + 1 + cols > width {
            lines.push((std::mem::take(&mut line), len));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(&word);
        len += cols;
    }
    if len > 0 {
        lines.push((line, len));
    }
    lines
}

/// `text` made visible, on lines of at most `width` columns: the first after `first`, the
/// others after `rest`, an indent. Whitespace, line breaks included, separates words.
pub(super) fn indented(text: &str, width: usize, first: &str, rest: &str) -> String {
    let lead = first.chars().count().max(rest.chars().count());
    let words = text.split_whitespace().map(|w| {
        let w = visible(w).into_owned();
        let cols = w.chars().count();
        (w, cols)
    });
    let mut out = first.to_string();
    for (i, (line, _)) in pack(words, width.saturating_sub(lead))
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            out.push('\n');
            out.push_str(rest);
        }
        out.push_str(&line);
    }
    out
}

/// The first `max` words of `text`, with `…` where words were left out.
pub(super) fn excerpt(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= max {
        return words.join(" ");
    }
    words[..max].join(" ") + " …"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_and_keep_every_word() {
        let text = "The quick brown fox jumps over the lazy dog near the riverbank";
        let out = indented(text, 20, "  a: ", "     ");
        assert!(out.lines().all(|l| l.chars().count() <= 20), "{out}");
        assert!(out.starts_with("  a: The quick"));
        let words: Vec<&str> = out.split_whitespace().filter(|w| *w != "a:").collect();
        assert_eq!(words.join(" "), text);
        assert_eq!(indented("", 20, "x: ", "   "), "x: ");
    }

    #[test]
    fn long_words_are_cut_and_excerpts_marked() {
        let lines = pack([("abcdefghij".to_string(), 10)], 4);
        assert_eq!(lines, [("abcd".to_string(), 4)]);
        assert_eq!(excerpt("one two three", 2), "one two …");
        assert_eq!(excerpt("one  two", 2), "one two");
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert!(!indented("a\u{1b}[2Jb", 80, "", "").contains('\u{1b}'));
    }
}
