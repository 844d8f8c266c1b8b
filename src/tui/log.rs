//! The Log pane's memory: a bounded ring of lines. A task that prints a million lines
//! costs at most `capacity` lines of memory; the oldest go first, and the pane says how
//! many were dropped. Task headers stay addressable by a sequence number so that the
//! header written when a task started can show its outcome and duration when it ends.

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
        end: Option<(Outcome, Duration)>,
    },
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
            return false;
        }
        self.push(kind.clone(), text);
        self.pending = Some(kind);
        true
    }

    /// Appends a line (made printable), dropping the oldest when full; a line of the
    /// pending progress line's kind replaces it.
    pub fn push(&mut self, kind: LineKind, text: &str) {
        if self.pending.take().as_ref() == Some(&kind)
            && let Some(last) = self.lines.back_mut()
        {
            *last = LogLine {
                kind,
                text: sanitize(text),
            };
            return;
        }
        if self.lines.len() == self.capacity {
            self.lines.pop_front();
            self.first_seq += 1;
            self.dropped += 1;
        }
        self.lines.push_back(LogLine {
            kind,
            text: sanitize(text),
        });
    }

    /// A line per `\n` of `text`, each with `kind`.
    pub fn push_lines(&mut self, kind: LineKind, text: &str) {
        for l in text.lines() {
            self.push(kind.clone(), l);
        }
    }

    pub fn start_task(&mut self, id: TaskId, title: &str) {
        let seq = self.first_seq + self.lines.len() as u64;
        self.push(
            LineKind::Header {
                title: sanitize(title),
                end: None,
            },
            "",
        );
        self.headers.insert(id, seq);
    }

    /// Marks the task's header with how it ended (if the header is still in the ring).
    pub fn finish_task(&mut self, id: TaskId, outcome: Outcome, duration: Duration) {
        let Some(seq) = self.headers.remove(&id) else {
            return;
        };
        if seq < self.first_seq {
            return;
        }
        if let Some(LogLine {
            kind: LineKind::Header { end, .. },
            ..
        }) = self.lines.get_mut((seq - self.first_seq) as usize)
        {
            *end = Some((outcome, duration));
        }
    }
}

/// What a terminal would show of a line of child output: the text after the last
/// carriage return (progress bars redraw that way), escape sequences and control
/// characters removed (they would move the TUI's cursor), tabs expanded, length capped.
pub fn sanitize(text: &str) -> String {
    let text = text.trim_end_matches('\r');
    let text = text.rsplit('\r').next().unwrap_or(text);
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
        assert_eq!(r.len(), 3);
        assert_eq!(r.dropped, 2);
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
