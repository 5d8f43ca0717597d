//! The whole text normalized, and its hash (the `duplicate` relation): ASCII 16 bytes at a
//! time, NFKC around the rest.

use super::*;

/// The normalized text: runs of whitespace become one space, and leading and trailing
/// whitespace is dropped. Whitespace is collapsed again after NFKC, which can produce spaces
/// (U+00A8 becomes a space and a combining mark), so that normalizing twice changes nothing.
pub fn normalized(text: &str) -> String {
    if text.is_ascii() {
        ascii_normalized(text.as_bytes())
    } else {
        unicode_normalized(text)
    }
}

/// [`normalized`] for any text.
pub(super) fn unicode_normalized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut buf = String::new();
    for piece in text.split_whitespace() {
        buf.clear();
        normalize_word(piece, &mut buf);
        for word in buf.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// [`normalized`] for ASCII text: one pass over the bytes, without branches on them. Each
/// byte is written folded (whitespace as a space), and the write position advances unless the
/// byte is whitespace after whitespace; starting "after whitespace" drops leading whitespace.
/// Sixteen bytes at a time where no whitespace follows whitespace, which in prose is most of
/// the text.
pub(super) fn ascii_normalized(text: &[u8]) -> String {
    // 16 bytes of slack: a block is stored whole before the position advances.
    let mut out = vec![0u8; text.len() + 16];
    let mut len = 0;
    let mut after_space = 1;
    #[inline(always)]
    fn step(out: &mut [u8], len: &mut usize, after_space: &mut usize, b: u8) {
        let folded = ASCII_FOLD[b as usize];
        let space = usize::from(folded == b' ');
        out[*len] = folded;
        *len += 1 - (space & *after_space);
        *after_space = space;
    }
    let mut blocks = text.chunks_exact(16);
    for block in &mut blocks {
        let block: &[u8; 16] = block.try_into().expect("chunks of 16");
        let (folded, spaces) = fold_block(block);
        if spaces & ((spaces << 1) | after_space as u16) == 0 {
            out[len..len + 16].copy_from_slice(&folded);
            len += 16;
            after_space = usize::from(spaces >> 15);
        } else {
            for &b in block {
                step(&mut out, &mut len, &mut after_space, b);
            }
        }
    }
    for &b in blocks.remainder() {
        step(&mut out, &mut len, &mut after_space, b);
    }
    if len > 0 && out[len - 1] == b' ' {
        len -= 1;
    }
    out.truncate(len);
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// Sixteen ASCII bytes folded as [`ASCII_FOLD`] folds them, and the mask of those that are
/// whitespace.
#[cfg(target_arch = "x86_64")]
pub(super) fn fold_block(block: &[u8; 16]) -> ([u8; 16], u16) {
    use std::arch::x86_64::*;
    let mut folded = [0u8; 16];
    // SAFETY: SSE2 is part of the x86_64 baseline; unaligned loads and stores of 16 bytes
    // within 16-byte arrays.
    let spaces = unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        let upper = simd::within(v, b'A', b'Z');
        let space = _mm_or_si128(simd::within(v, b'\t', b'\r'), simd::is(v, b' '));
        let tick = simd::is(v, b'`');
        let lowered = _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
        // Replace the backticks by apostrophes and whitespace by spaces: (x & !m) | (c & m).
        let select = |x: __m128i, m: __m128i, c: u8| {
            _mm_or_si128(
                _mm_andnot_si128(m, x),
                _mm_and_si128(m, _mm_set1_epi8(c as i8)),
            )
        };
        let out = select(select(lowered, tick, b'\''), space, b' ');
        _mm_storeu_si128(folded.as_mut_ptr().cast(), out);
        _mm_movemask_epi8(space) as u16
    };
    (folded, spaces)
}

/// [`fold_block`] where SSE2 is not the baseline.
#[cfg(not(target_arch = "x86_64"))]
pub(super) fn fold_block(block: &[u8; 16]) -> ([u8; 16], u16) {
    fold_block_by_table(block)
}

/// [`fold_block`] from [`ASCII_FOLD`]; the reference the SIMD version is tested against.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
pub(super) fn fold_block_by_table(block: &[u8; 16]) -> ([u8; 16], u16) {
    let folded = block.map(|b| ASCII_FOLD[b as usize]);
    let spaces = folded
        .iter()
        .enumerate()
        .fold(0u16, |m, (i, &b)| m | (u16::from(b == b' ') << i));
    (folded, spaces)
}

/// [`fold_ascii`], with whitespace as a space.
pub(super) static ASCII_FOLD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if ascii_space(c) { b' ' } else { fold_ascii(c) };
        b += 1;
    }
    t
};

/// Hash of [`normalized`]`(text)`.
///
/// The normalized text is built and hashed in one call: feeding a streaming hasher word by
/// word cost more than the hash itself (same bytes, same hash).
pub fn text_hash(text: &str) -> u64 {
    hash::text_hash(normalized(text).as_bytes())
}

#[cfg(test)]
mod tests {

    #[test]
    fn normalized_folds_quotes_dashes_and_width() {
        assert_eq!(crate::normalize::normalized("  “Hello”\u{2014}\n\tＷｏｒｌｄ "), "\"hello\"- world");
    }
}
