//! The Log pane's memory: a bounded ring of lines. A task that prints a million lines
//! costs at most `capacity` lines of memory; the oldest go first, and the pane says how
//! many were dropped. Task headers stay addressable by a sequence number so that the
//! header written when a job or task started can show its outcome and duration when it
//! ends. A line can replace the one before it (a progress bar redrawn with `\r`):
//! [`LogRing::replace_last`]; a progress line keeps the fraction it reports, for the
//! pane's gauge.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use pyve_core::tasks::{Outcome, TaskId};

/// Lines kept by default.
pub const DEFAULT_CAPACITY: usize = 10_000;
/// Longer lines are cut: one runaway line must not hold megabytes.
pub const MAX_LINE_CHARS: usize = 2_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// A task began; updated in place when it ends.
    Header {
        title: String,
        /// The command the task is, quoted as a shell would (`pyve init --force`).
        command: Option<String>,
        end: Option<(Outcome, Duration)>,
    },
    /// Between tasks.
    Blank,
    /// A step of a task: what it does (`» create .venv with python 3.11.7`).
    Step,
    /// The command line a step runs.
    Command,
    Stdout,
    Stderr,
    /// What the TUI's own jobs say, from engine data: plans, notes, results.
    Info,
    Warn,
    Error,
    Success,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub kind: LineKind,
    pub text: String,
    /// A progress line (a redrawn bar, a `12/40 MB` count): how far, in per mille.
    pub progress: Option<u16>,
}

#[derive(Clone, Debug)]
pub struct LogRing {
    lines: VecDeque<LogLine>,
    capacity: usize,
    /// Sequence number of `lines[0]`.
    first_seq: u64,
    /// Lines pushed out of the ring so far.
    pub dropped: u64,
    headers: HashMap<TaskId, u64>,
    /// The last line is a progress line of this kind: the next redraw or line of the
    /// same kind replaces it.
    pending: Option<LineKind>,
}

impl Default for LogRing {
    fn default() -> Self {
        LogRing::new(DEFAULT_CAPACITY)
    }
}

impl LogRing {
    pub fn new(capacity: usize) -> LogRing {
        LogRing {
            lines: VecDeque::with_capacity(capacity.min(1024)),
            capacity: capacity.max(1),
            first_seq: 0,
            dropped: 0,
            headers: HashMap::new(),
            pending: None,
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&LogLine> {
        self.lines.get(i)
    }

    /// The sequence number the next line will get (lines pushed so far).
    pub fn next_seq(&self) -> u64 {
        self.first_seq + self.lines.len() as u64
    }

    /// The line with sequence number `seq`, if still in the ring.
    fn by_seq(&mut self, seq: u64) -> Option<&mut LogLine> {
        if seq < self.first_seq {
            return None;
        }
        self.lines.get_mut((seq - self.first_seq) as usize)
    }

    /// Whether the last line is a progress line that a `kind` line would replace.
    pub fn pending_is(&self, kind: &LineKind) -> bool {
        self.pending.as_ref() == Some(kind)
    }

    /// A progress line: replaces the pending one of the same kind, else is appended
    /// and becomes pending. Returns whether a line was appended.
    pub fn redraw(&mut self, kind: LineKind, text: &str) -> bool {
        if self.pending_is(&kind)
            && let Some(last) = self.lines.back_mut()
        {
            last.text = sanitize(text);
            last.progress = progress_of(&last.text, true);
            return false;
        }
        self.push(kind.clone(), text);
        if let Some(last) = self.lines.back_mut() {
            last.progress = progress_of(&last.text, true);
        }
        self.pending = Some(kind);
        true
    }

    /// Appends a line (made printable), dropping the oldest when full; a line of the
    /// pending progress line's kind replaces it.
    pub fn push(&mut self, kind: LineKind, text: &str) {
        if self.pending.take().as_ref() == Some(&kind)
            && let Some(last) = self.lines.back_mut()
        {
            let text = sanitize(text);
            let progress = progress_of(&text, false);
            *last = LogLine {
                kind,
                text,
                progress,
            };
            return;
        }
        if self.lines.len() == self.capacity {
            self.lines.pop_front();
            self.first_seq += 1;
            self.dropped += 1;
        }
        let text = sanitize(text);
        let progress = progress_of(&text, false);
        self.lines.push_back(LogLine {
            kind,
            text,
            progress,
        });
    }

    /// A progress bar that follows a progress bar of the same kind redraws it (a
    /// child that draws its bar line by line rather than with `\r`).
    pub fn continues_progress(&self, kind: &LineKind, text: &str) -> bool {
        self.lines
            .back()
            .is_some_and(|l| l.kind == *kind && l.progress.is_some())
            && text.contains(BAR_GLYPHS)
    }

    /// A line that redraws the previous one (a `\r` progress update): it replaces the
    /// last line when that is of the same kind, and is appended otherwise. Returns
    /// whether it was appended.
    pub fn replace_last(&mut self, kind: LineKind, text: &str) -> bool {
        match self.lines.back_mut() {
            Some(last) if last.kind == kind => {
                last.text = sanitize(text);
                last.progress = progress_of(&last.text, true);
                false
            }
            _ => {
                self.push(kind, text);
                if let Some(last) = self.lines.back_mut() {
                    last.progress = progress_of(&last.text, true);
                }
                true
            }
        }
    }

    /// A line per `\n` of `text`, each with `kind`.
    pub fn push_lines(&mut self, kind: LineKind, text: &str) {
        for l in text.lines() {
            self.push(kind.clone(), l);
        }
    }

    /// A header (after a blank line, unless it is the first line); returns its
    /// sequence number, for [`LogRing::finish`].
    pub fn start_header(&mut self, title: &str, command: Option<String>) -> u64 {
        if !self.lines.is_empty() && self.lines.back().map(|l| &l.kind) != Some(&LineKind::Blank) {
            self.push(LineKind::Blank, "");
        }
        let seq = self.next_seq();
        self.push(
            LineKind::Header {
                title: sanitize(title),
                command: command.map(|c| sanitize(&c)),
                end: None,
            },
            "",
        );
        seq
    }

    /// The queue's task `id` reports under the header `seq` (a job's header).
    pub fn attach(&mut self, id: TaskId, seq: u64) {
        self.headers.insert(id, seq);
    }

    pub fn start_task(&mut self, id: TaskId, title: &str) {
        let seq = self.start_header(title, None);
        self.attach(id, seq);
    }

    /// The title of the header task `id` reports under.
    pub fn task_title(&self, id: TaskId) -> Option<&str> {
        let seq = *self.headers.get(&id)?;
        let i = seq.checked_sub(self.first_seq)? as usize;
        match &self.lines.get(i)?.kind {
            LineKind::Header { title, .. } => Some(title),
            _ => None,
        }
    }

    /// Marks the header `seq` with how it ended, unless it says so already (a job's
    /// header is finished by its task, and again, as a no-op, when the job is done).
    pub fn finish(&mut self, seq: u64, outcome: Outcome, duration: Duration) {
        if let Some(LogLine {
            kind: LineKind::Header { end, .. },
            ..
        }) = self.by_seq(seq)
            && end.is_none()
        {
            *end = Some((outcome, duration));
        }
    }

    /// Marks the task's header with how it ended (if the header is still in the ring).
    pub fn finish_task(&mut self, id: TaskId, outcome: Outcome, duration: Duration) {
        let Some(seq) = self.headers.remove(&id) else {
            return;
        };
        self.finish(seq, outcome, duration);
    }
}

/// Glyphs progress bars are drawn with (pip's rich bar, micromamba's, tqdm's).
const BAR_GLYPHS: &[char] = &[
    '━', '╸', '╺', '█', '▉', '▊', '▋', '▌', '▍', '▎', '▏', '░', '▒', '▓', '■', '□',
];

/// How far a progress line says it is: `2.1/4.2 MB`, `12.3MB / 45.6MB`, or `37%`.
/// Only for lines that look like progress (a redrawn line, or one with a bar).
pub fn progress_of(text: &str, redrawn: bool) -> Option<u16> {
    if !redrawn && !text.contains(BAR_GLYPHS) {
        return None;
    }
    fn num(s: &str) -> Option<f32> {
        let end = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        s[..end].parse().ok()
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        // `a/b` in one word, or `a / b` in three.
        let pair = match w.split_once('/') {
            Some((a, b)) if !a.is_empty() && !b.is_empty() => Some((a, b)),
            _ if *w == "/" && i > 0 && i + 1 < words.len() => Some((words[i - 1], words[i + 1])),
            _ => None,
        };
        if let Some((a, b)) = pair
            && let (Some(done), Some(total)) = (num(a), num(b))
            && total > 0.0
            && a.starts_with(|c: char| c.is_ascii_digit())
        {
            return Some(((done / total).clamp(0.0, 1.0) * 1000.0).round() as u16);
        }
    }
    words.iter().rev().find_map(|w| {
        let p = w.strip_suffix('%')?;
        let v: f32 = p.parse().ok()?;
        (0.0..=100.0)
            .contains(&v)
            .then_some((v * 10.0).round() as u16)
    })
}

/// A progress line without its own bar (the pane draws a gauge instead).
pub fn without_bar(text: &str) -> String {
    let s: String = text.chars().filter(|c| !BAR_GLYPHS.contains(c)).collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An argument as a shell reads it back: plain words as they are, anything else in
/// single quotes (`'a b'`, `'requests>=2.31'`, `'it'\''s'`).
pub fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// A command line quoted as a shell would read it.
pub fn shell_line(argv: &[String]) -> String {
    argv.iter()
        .map(|a| shell_quote(a))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a terminal would show of a line of child output: the text after the last
/// carriage return (progress bars redraw that way), escape sequences and control
/// characters removed (they would move the TUI's cursor), tabs expanded, length capped.
/// The widest a rule line is kept in the Log (an 80-column terminal's Log, less its
/// borders and the output indent).
const RULE_WIDTH: usize = 70;

pub fn sanitize(text: &str) -> String {
    let text = text.trim_end_matches('\r');
    let text = text.rsplit('\r').next().unwrap_or(text);
    // A table's rule (micromamba's transaction table) is decoration: cut to what fits
    // an 80-column Log under its indent, so it never wraps into a stray stub.
    let trimmed = text.trim();
    if trimmed.chars().count() > RULE_WIDTH && trimmed.chars().all(|c| "─━-═".contains(c)) {
        let lead = &text[..text.len() - text.trim_start().len()];
        return format!(
            "{lead}{}",
            trimmed.chars().take(RULE_WIDTH).collect::<String>()
        );
    }
    if text.len() <= MAX_LINE_CHARS
        && text.bytes().all(|b| (0x20..0x7f).contains(&b) || b >= 0x80)
        && !text.contains(['\u{7f}', '\u{9b}'])
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len().min(MAX_LINE_CHARS));
    let mut chars = text.chars().peekable();
    let mut n = 0;
    while let Some(c) = chars.next() {
        if n >= MAX_LINE_CHARS {
            out.push('…');
            break;
        }
        match c {
            '\x1b' => {
                // CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`, or a two-byte escape.
                match chars.peek() {
                    Some('[') => {
                        chars.next();
                        for c in chars.by_ref() {
                            if ('@'..='~').contains(&c) {
                                break;
                            }
                        }
                    }
                    Some(']') => {
                        chars.next();
                        while let Some(c) = chars.next() {
                            if c == '\x07' {
                                break;
                            }
                            if c == '\x1b' {
                                chars.next();
                                break;
                            }
                        }
                    }
                    Some(_) => {
                        chars.next();
                    }
                    None => {}
                }
            }
            '\t' => {
                let spaces = 4 - (n % 4);
                out.push_str(&" ".repeat(spaces));
                n += spaces;
            }
            c if c.is_control() => {}
            c => {
                out.push(c);
                n += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_line_is_updated_in_place_and_its_line_replaces_it() {
        let mut r = LogRing::new(10);
        r.push(LineKind::Stdout, "before");
        assert!(r.redraw(LineKind::Stdout, "10%"));
        assert!(!r.redraw(LineKind::Stdout, "50%"));
        assert!(r.pending_is(&LineKind::Stdout));
        // A line of another stream does not end it, but comes after it.
        r.push(LineKind::Stdout, "done");
        r.push(LineKind::Stderr, "warn");
        assert!(r.redraw(LineKind::Stdout, "again"));
        r.push(LineKind::Stderr, "other");
        let texts: Vec<&str> = (0..r.len())
            .map(|i| r.get(i).unwrap().text.as_str())
            .collect();
        assert_eq!(texts, ["before", "done", "warn", "again", "other"]);
    }

    #[test]
    fn ring_is_bounded_and_headers_survive_until_dropped() {
        let mut r = LogRing::new(3);
        r.start_task(7, "init .venv");
        r.push(LineKind::Stdout, "a");
        r.finish_task(7, Outcome::Succeeded, Duration::from_secs(1));
        assert!(matches!(
            &r.get(0).unwrap().kind,
            LineKind::Header {
                end: Some((Outcome::Succeeded, _)),
                ..
            }
        ));
        r.start_task(8, "run");
        r.push(LineKind::Stdout, "b");
        r.push(LineKind::Stdout, "c");
        // (a blank line before the second header)
        assert_eq!(r.len(), 3);
        assert_eq!(r.dropped, 3);
        // The header of task 8 was dropped: finishing it is a no-op, not a panic.
        r.finish_task(8, Outcome::Cancelled, Duration::ZERO);
        assert_eq!(r.get(2).unwrap().text, "c");
    }

    #[test]
    fn child_output_is_made_printable() {
        assert_eq!(sanitize("\x1b[31mred\x1b[0m"), "red");
        assert_eq!(sanitize("10%\r50%\r100%"), "100%");
        assert_eq!(sanitize("a\tb"), "a   b");
        assert_eq!(sanitize("bell\x07"), "bell");
        assert_eq!(sanitize("\x1b]0;title\x07text"), "text");
        let long = "x".repeat(MAX_LINE_CHARS + 10);
        assert_eq!(sanitize(&long).chars().count(), MAX_LINE_CHARS + 1);
    }
}
