//! Windows of a long text: where [`Deidentifier::detect`](crate::Deidentifier::detect) cuts a
//! text longer than [`WINDOW_BYTES`], so the memory detection needs does not grow with the
//! text (tokens, candidates and the name rules' labels cost tens of bytes per byte of text).
//!
//! A text is cut near every [`WINDOW_BYTES`] at a natural boundary: after a blank line if the
//! last 64 KB before the mark hold one, else after a line end, else after a space, else at a
//! character boundary. Each window is detected on its own text plus [`WINDOW_OVERLAP_BYTES`]
//! read past its cut (right context), and keeps the spans that start before the cut; the
//! next window drops or trims what the previous one's last span already covers. So a span
//! that crosses a cut is found whole when it is at most [`WINDOW_OVERLAP_BYTES`] long, and
//! document-level evidence (a name found once labelling its other occurrences, initials
//! matched to a found name) reaches across one window, not across the whole text.

use crate::span::Span;
use std::ops::Range;

/// Texts longer than this are detected in windows of about this many bytes.
pub const WINDOW_BYTES: usize = 256 << 10;

/// How far a window reads past its cut; the longest span that is still found whole when it
/// crosses a cut.
pub const WINDOW_OVERLAP_BYTES: usize = 4 << 10;

/// How far before the mark a cut looks for a blank line, a line end or a space.
const CUT_SEARCH_BYTES: usize = 64 << 10;

/// The cuts of `text` into windows of at most about `window` bytes: `0`, the cuts, and
/// `text.len()`, increasing, each on a character boundary.
pub(crate) fn cuts(text: &str, window: usize) -> Vec<usize> {
    let mut out = vec![0];
    let mut from = 0;
    while text.len() - from > window {
        let cut = cut_near(text, from, from + window);
        out.push(cut);
        from = cut;
    }
    if from < text.len() {
        out.push(text.len());
    }
    out
}

/// A cut in `(from, mark]`: after the last blank line, line end or space of the bytes just
/// before `mark`, else the character boundary at or before `mark` (after `from`).
fn cut_near(text: &str, from: usize, mark: usize) -> usize {
    let lo = mark.saturating_sub(CUT_SEARCH_BYTES).max(from + 1);
    let zone = &text.as_bytes()[lo..mark];
    let after = |i: Option<usize>, len: usize| i.map(|i| lo + i + len);
    if let Some(c) = after(find_last(zone, b"\n\n"), 2)
        .or_else(|| after(zone.iter().rposition(|&b| b == b'\n'), 1))
        .or_else(|| after(zone.iter().rposition(|&b| b == b' ' || b == b'\t'), 1))
    {
        return c;
    }
    let mut c = mark;
    while c > from + 1 && !text.is_char_boundary(c) {
        c -= 1;
    }
    if text.is_char_boundary(c) {
        c
    } else {
        // A window smaller than one character: the end of the character at `from`.
        from + text[from..].chars().next().map_or(1, char::len_utf8)
    }
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// How far the window ending at `cut` reads: [`WINDOW_OVERLAP_BYTES`] past it, back to the
/// last line end or space there (a word is not cut in two), on a character boundary.
pub(crate) fn reach(text: &str, cut: usize) -> usize {
    let mark = (cut + WINDOW_OVERLAP_BYTES).min(text.len());
    if mark == text.len() {
        return mark;
    }
    let zone = &text.as_bytes()[cut..mark];
    if let Some(i) = zone.iter().rposition(|&b| b == b'\n' || b == b' ') {
        return cut + i + 1;
    }
    let mut r = mark;
    while !text.is_char_boundary(r) {
        r -= 1;
    }
    r
}

/// Joins a window's spans to the text before it: `floor` is where the previous window's
/// spans end. A span that ends by `floor` is dropped (found already); one that starts before
/// it keeps its part after it. Returns the window's range: from `floor` (or the window's
/// start) to its cut or the end of its last span, whichever is later.
pub(crate) fn seam(floor: usize, range: Range<usize>, spans: &mut Vec<Span>) -> Range<usize> {
    spans.retain_mut(|s| {
        if s.end <= floor {
            return false;
        }
        s.start = s.start.max(floor);
        true
    });
    let start = range.start.max(floor);
    let end = spans.last().map_or(range.end, |s| s.end.max(range.end));
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::{Category, Kind};

    #[test]
    fn cuts_fall_after_blank_lines_then_line_ends_then_spaces_on_char_boundaries() {
        // (text, window, expected cuts)
        let cases: &[(&str, usize, &[usize])] = &[
            ("short", 10, &[0, 5]),
            ("", 10, &[0]),
            ("aaaa\n\nbbbb\ncccc", 12, &[0, 6, 15]),
            ("aaaa\nbbbb cccc", 12, &[0, 5, 14]),
            ("aaaa bbbbbbbbbb", 8, &[0, 5, 13, 15]),
            ("ééééé", 3, &[0, 2, 4, 6, 8, 10]),
        ];
        for (text, window, want) in cases {
            let got = cuts(text, *window);
            assert_eq!(&got, want, "{text:?} / {window}");
            for c in &got {
                assert!(text.is_char_boundary(*c));
            }
        }
    }

    #[test]
    fn a_cut_prefers_the_last_blank_line_before_the_mark() {
        let text = format!(
            "{}\n\n{}\n{}",
            "a".repeat(50),
            "b".repeat(30),
            "c".repeat(50)
        );
        assert_eq!(cuts(&text, 100), vec![0, 52, text.len()]);
    }

    #[test]
    fn reach_stops_at_a_line_end_or_space_within_the_overlap() {
        let text = format!(
            "{}\n{} tail",
            "x".repeat(10),
            "y".repeat(WINDOW_OVERLAP_BYTES)
        );
        assert_eq!(reach(&text, 0), 11);
        assert_eq!(reach("short text", 2), 10);
    }

    fn span(start: usize, end: usize) -> Span {
        Span {
            start,
            end,
            category: Category::Name,
            kind: Kind::Direct,
            rule: "t".into(),
            confidence: 1.0,
        }
    }

    #[test]
    fn a_seam_drops_what_the_window_before_found_and_trims_what_runs_past_it() {
        let mut spans = vec![span(10, 14), span(16, 25), span(30, 34)];
        let range = seam(20, 10..40, &mut spans);
        let got: Vec<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(got, vec![(20, 25), (30, 34)]);
        assert_eq!(range, 20..40);
        // The last span runs past the cut: the window's range ends with it.
        let mut spans = vec![span(38, 45)];
        assert_eq!(seam(0, 10..40, &mut spans), 10..45);
    }
}
