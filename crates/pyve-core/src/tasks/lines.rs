//! A child's output as lines a person can read, once for both faces: text ended by a
//! carriage return is a progress display redrawn in place (a [`Piece::Redraw`] the next
//! piece replaces), text ended by a newline is a finished [`Piece::Line`].
//!
//! micromamba's own progress, when its output is not a terminal, comes as pairs of
//! padded status lines, `LABEL   ✔ Starting` then `LABEL   ✔ Done (0.0 sec)`: the first
//! becomes a redraw the second replaces, and the padding (up to 100 columns) goes. Its
//! 80-column rules (`────…`) are cut to [`RULE_WIDTH`] so that, indented by a face,
//! the transaction table still fits in 80 columns.

/// The widest rule a line keeps: 76 characters, plus a face's indent, stays within 80.
pub const RULE_WIDTH: usize = 76;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// A finished line (it replaces a pending redraw of the same stream).
    Line(String),
    /// The current state of an unfinished line: it replaces the previous redraw.
    Redraw(String),
}

/// Splits a byte stream on `\n` and `\r` (`\r\n` is one line end).
#[derive(Debug, Default)]
pub struct Splitter {
    buf: Vec<u8>,
    cr: bool,
    /// The last redraw's text: what a terminal shows when a line end follows it.
    shown: Option<Vec<u8>>,
    /// The last piece given out was this redraw (no line has replaced it yet).
    open: Option<String>,
}

impl Splitter {
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Piece> {
        let out = self.split(bytes);
        match out.last() {
            Some(Piece::Redraw(t)) => self.open = Some(t.clone()),
            Some(Piece::Line(_)) => self.open = None,
            None => {}
        }
        out
    }

    /// Whole runs of text between line ends are copied at once (a flood of output is a
    /// million short lines: a byte at a time, each line's buffer grew and was copied
    /// again and again).
    fn split(&mut self, mut bytes: &[u8]) -> Vec<Piece> {
        let mut out = Vec::new();
        while let Some((&first, rest)) = bytes.split_first() {
            if self.cr {
                self.cr = false;
                if first == b'\n' {
                    out.push(self.take_line());
                    bytes = rest;
                    continue;
                }
                if let Some(p) = self.take_redraw() {
                    out.push(p);
                }
            }
            let Some(i) = memchr::memchr2(b'\n', b'\r', bytes) else {
                self.buf.extend_from_slice(bytes);
                break;
            };
            let text = &bytes[..i];
            if bytes[i] == b'\n' {
                out.push(self.line_of(text));
            } else {
                self.buf.extend_from_slice(text);
                self.cr = true;
            }
            bytes = &bytes[i + 1..];
        }
        out
    }

    /// The end of the stream: what is left is a finished line (a redraw nothing
    /// replaced becomes one, so a face never keeps a half-drawn line).
    pub fn finish(&mut self) -> Option<Piece> {
        self.cr = false;
        let open = self.open.take();
        if !self.buf.is_empty() || self.shown.is_some() {
            return Some(self.take_line());
        }
        open.map(Piece::Line)
    }

    /// The line `text` ends (after what an earlier read left in the buffer).
    fn line_of(&mut self, text: &[u8]) -> Piece {
        if self.buf.is_empty() && !text.is_empty() {
            // The common case: the whole line came in one read.
            self.shown = None;
            return shape(Piece::Line(String::from_utf8_lossy(text).into_owned()));
        }
        self.buf.extend_from_slice(text);
        self.take_line()
    }

    fn take_line(&mut self) -> Piece {
        let shown = self.shown.take();
        let bytes = if self.buf.is_empty() {
            shown.unwrap_or_default()
        } else {
            std::mem::take(&mut self.buf)
        };
        shape(Piece::Line(String::from_utf8_lossy(&bytes).into_owned()))
    }

    fn take_redraw(&mut self) -> Option<Piece> {
        if self.buf.is_empty() {
            return None;
        }
        let bytes = std::mem::take(&mut self.buf);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        self.shown = Some(bytes);
        Some(shape(Piece::Redraw(text)))
    }
}

/// micromamba's status lines and rules, made legible (see the module docs).
fn shape(p: Piece) -> Piece {
    // Rules and status marks are not ASCII; most output is, and passes as it came.
    let (Piece::Line(t) | Piece::Redraw(t)) = &p;
    if t.is_ascii() {
        return p;
    }
    let (text, redraw) = match p {
        Piece::Line(t) => (t, false),
        Piece::Redraw(t) => (t, true),
    };
    if text.chars().all(|c| c == '─') && text.chars().count() > RULE_WIDTH {
        let cut: String = text.chars().take(RULE_WIDTH).collect();
        return if redraw {
            Piece::Redraw(cut)
        } else {
            Piece::Line(cut)
        };
    }
    if let Some((label, mark, status)) = status_line(&text) {
        let t = format!("{label} {mark} {status}");
        return if redraw || status == "Starting" {
            Piece::Redraw(t)
        } else {
            Piece::Line(t)
        };
    }
    if redraw {
        Piece::Redraw(text)
    } else {
        Piece::Line(text)
    }
}

/// `LABEL<2+ spaces>MARK STATUS` with MARK one of micromamba's ✔ ⧖ ✖.
fn status_line(text: &str) -> Option<(&str, char, &str)> {
    const MARKS: [(char, &str); 3] = [('✔', " ✔ "), ('⧖', " ⧖ "), ('✖', " ✖ ")];
    for (mark, pat) in MARKS {
        if let Some(i) = text.find(pat) {
            let (label, rest) = text.split_at(i);
            if !label.ends_with("  ") || label.trim().is_empty() {
                continue;
            }
            let status = rest[pat.len()..].trim_end();
            return Some((label.trim_end(), mark, status));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(chunks: &[&[u8]]) -> Vec<Piece> {
        let mut s = Splitter::default();
        let mut out: Vec<Piece> = chunks.iter().flat_map(|c| s.feed(c)).collect();
        out.extend(s.finish());
        out
    }

    #[test]
    fn carriage_returns_are_redraws_and_newlines_lines() {
        use Piece::*;
        assert_eq!(
            all(&[b"10%\r20%\r", b"done\nnext\r\nlast"]),
            [
                Redraw("10%".into()),
                Redraw("20%".into()),
                Line("done".into()),
                Line("next".into()),
                Line("last".into()),
            ]
        );
        // A \r\n split across reads is one line end; a bare \r before \n is no redraw.
        assert_eq!(
            all(&[b"a\r", b"\nb\r\r\n"]),
            [Line("a".into()), Redraw("b".into()), Line("b".into())]
        );
        assert_eq!(all(&[b"\rx\r"]), [Line("x".into())]);
        // A status line left at "Starting" by the end of the stream is finished as is.
        assert_eq!(
            all(&["Resolving Environment      ⧖ Starting\n".as_bytes()]),
            [
                Redraw("Resolving Environment ⧖ Starting".into()),
                Line("Resolving Environment ⧖ Starting".into())
            ]
        );
    }

    /// The splitter as first written, a byte at a time: the reference the fast one
    /// must agree with.
    fn one_byte_at_a_time(bytes: &[u8]) -> Vec<Piece> {
        let mut s = Splitter::default();
        let mut out = Vec::new();
        for &b in bytes {
            if s.cr {
                s.cr = false;
                if b == b'\n' {
                    out.push(s.take_line());
                    continue;
                }
                out.extend(s.take_redraw());
            }
            match b {
                b'\n' => out.push(s.take_line()),
                b'\r' => s.cr = true,
                _ => s.buf.push(b),
            }
        }
        if let Some(last) = out.last() {
            s.open = match last {
                Piece::Redraw(t) => Some(t.clone()),
                Piece::Line(_) => None,
            };
        }
        out.extend(s.finish());
        out
    }

    #[test]
    fn any_reads_of_any_output_give_the_pieces_a_byte_at_a_time_gives() {
        // Line ends, progress redraws, status marks, rules and a cut UTF-8 character,
        // in a fixed pseudo-random order, read in pseudo-random sizes.
        let rule = "─".repeat(40);
        let parts: [&[u8]; 9] = [
            b"\n",
            b"\r",
            b"\r\n",
            b"text",
            b"  ",
            " ✔ Done".as_bytes(),
            rule.as_bytes(),
            &[0xe2, 0x9c],
            b"12%",
        ];
        let mut state = 0x7079_7665_u64;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        for _ in 0..500 {
            let bytes: Vec<u8> = (0..next(30))
                .flat_map(|_| parts[next(parts.len())].iter().copied())
                .collect();
            let mut chunks = Vec::new();
            let mut rest = &bytes[..];
            while !rest.is_empty() {
                let (c, r) = rest.split_at((1 + next(12)).min(rest.len()));
                chunks.push(c);
                rest = r;
            }
            assert_eq!(all(&chunks), one_byte_at_a_time(&bytes), "{bytes:?}");
            assert_eq!(all(&[&bytes]), one_byte_at_a_time(&bytes), "{bytes:?}");
        }
    }

    #[test]
    fn micromambas_status_pairs_collapse_and_rules_fit() {
        use Piece::*;
        let out = all(&[
            "Using Flat Repodata for file:///c/noarch                                       ✔ Starting\n"
                .as_bytes(),
            "Using Flat Repodata for file:///c/noarch                                 ✔ Done (0.0 sec)\n"
                .as_bytes(),
            "⚠ Shard Index for file:///c/noarch not available, falling back to flat repodata\n"
                .as_bytes(),
            "─".repeat(80).as_bytes(),
            b"\n",
        ]);
        assert_eq!(
            out,
            [
                Redraw("Using Flat Repodata for file:///c/noarch ✔ Starting".into()),
                Line("Using Flat Repodata for file:///c/noarch ✔ Done (0.0 sec)".into()),
                Line(
                    "⚠ Shard Index for file:///c/noarch not available, falling back to flat repodata"
                        .into()
                ),
                Line("─".repeat(RULE_WIDTH)),
            ]
        );
    }
}
