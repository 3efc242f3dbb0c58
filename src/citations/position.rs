//! Positions in a text besides bytes: Unicode code-point offsets (the unit
//! of a W3C TextPositionSelector) and line:column, for any number of spans
//! of one text at a cost independent of how many there are.
//!
//! Built once per text in O(text): the byte offset of every line start, and
//! the number of code points before every 1 KiB block; a lookup then costs
//! a binary search and at most one block scan.

use super::model::TextSpan;

/// The byte offsets where code points are counted in advance.
const BLOCK: usize = 1024;

/// A text's line starts and code-point checkpoints.
#[derive(Clone, Debug)]
pub(crate) struct Positions<'t> {
    text: &'t str,
    /// Byte offset of each line's first byte (the first is 0).
    lines: Vec<usize>,
    /// Code points before byte `i * BLOCK`.
    blocks: Vec<u64>,
}

impl<'t> Positions<'t> {
    /// Indexes `text`.
    pub fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let mut lines = vec![0];
        let mut blocks = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut count = 0u64;
        for (i, &b) in bytes.iter().enumerate() {
            if i % BLOCK == 0 {
                blocks.push(count);
            }
            if !is_continuation(b) {
                count += 1;
            }
            if b == b'\n' {
                lines.push(i + 1);
            }
        }
        blocks.push(count);
        Positions {
            text,
            lines,
            blocks,
        }
    }

    /// Code points before byte `at` (clamped to the text).
    pub fn chars_before(&self, at: usize) -> u64 {
        let at = at.min(self.text.len());
        let block = at / BLOCK;
        let base = self.blocks.get(block).copied().unwrap_or(0);
        let from = block * BLOCK;
        let tail = self.text.as_bytes().get(from..at).unwrap_or_default();
        base + tail.iter().filter(|&&b| !is_continuation(b)).count() as u64
    }

    /// Line (from 1) and column in code points (from 1) of byte `at`.
    pub fn line_column(&self, at: usize) -> (u64, u64) {
        let line = self.lines.partition_point(|&s| s <= at).max(1);
        let start = self.lines.get(line - 1).copied().unwrap_or(0);
        let column = self.chars_before(at) - self.chars_before(start) + 1;
        (line as u64, column)
    }

    /// The byte offset of the first byte of line `line` (from 1).
    pub fn line_start(&self, line: u64) -> Option<usize> {
        let i = usize::try_from(line).ok()?.checked_sub(1)?;
        self.lines.get(i).copied()
    }

    /// The full span of bytes `start..end`, with every position filled in.
    pub fn span(&self, start: usize, end: usize) -> TextSpan {
        let (line, column) = self.line_column(start);
        TextSpan {
            start: start as u64,
            end: end as u64,
            char_start: Some(self.chars_before(start)),
            char_end: Some(self.chars_before(end)),
            line: Some(line),
            column: Some(column),
            text: self.text.get(start..end).unwrap_or_default().to_owned(),
        }
    }

    /// Line `line` (from 1) without its line break.
    pub fn line_text(&self, line: u64) -> Option<&'t str> {
        let start = self.line_start(line)?;
        let end = self
            .line_start(line + 1)
            .map_or(self.text.len(), |e| e.saturating_sub(1));
        self.text.get(start..end.max(start))
    }

    /// Byte offset of code point number `n`, if the text has that many.
    #[allow(dead_code)]
    pub fn byte_of_char(&self, n: u64) -> Option<usize> {
        let block = self.blocks.partition_point(|&c| c <= n).checked_sub(1)?;
        let mut count = self.blocks.get(block).copied()?;
        let from = block * BLOCK;
        for (i, &b) in self.text.as_bytes().get(from..)?.iter().enumerate() {
            if !is_continuation(b) {
                if count == n {
                    return Some(from + i);
                }
                count += 1;
            }
        }
        (count == n).then_some(self.text.len())
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

#[cfg(test)]
mod tests {
    use super::Positions;

    #[test]
    fn positions_agree_with_a_naive_count() {
        let text = "ab\nЖё“x”\n\nend ".repeat(300);
        let p = Positions::new(&text);
        for (at, _) in text.char_indices().step_by(7) {
            let chars = text[..at].chars().count() as u64;
            assert_eq!(p.chars_before(at), chars);
            assert_eq!(p.byte_of_char(chars), Some(at));
            let line = 1 + text[..at].matches('\n').count() as u64;
            let col = 1 + text[..at].rsplit('\n').next().unwrap().chars().count() as u64;
            assert_eq!(p.line_column(at), (line, col));
        }
        assert_eq!(p.line_text(2), Some("Жё“x”"));
        assert_eq!(p.line_text(3), Some(""));
    }
}
