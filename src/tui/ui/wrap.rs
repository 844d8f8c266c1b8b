//! Wrapping styled lines to a width ourselves, so every pane knows exactly how many
//! rows its content takes (scrolling is exact, and the Log can fill its view from the
//! bottom without laying out lines it does not show). Breaks at the last space that
//! fits, else mid-word; continuation rows are indented.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// Wraps `line` to `width` columns; rows after the first start with `indent` spaces.
pub fn wrap(line: &Line<'_>, width: usize, indent: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let cells: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| {
            let style = line.style.patch(s.style);
            s.content.chars().map(move |c| (c, style))
        })
        .collect();
    // Continuation rows line up under the line's own indentation, plus `indent`.
    let lead = cells.iter().take_while(|(c, _)| *c == ' ').count();
    let indent = indent + lead;
    let indent = if indent * 2 >= width { 0 } else { indent };
    let total: usize = cells.iter().map(|(c, _)| c.width().unwrap_or(0)).sum();
    if total <= width {
        return vec![to_line(&cells, 0)];
    }
    let mut rows = Vec::new();
    let mut start = 0;
    let mut first = true;
    while start < cells.len() {
        let avail = if first { width } else { width - indent };
        let mut w = 0;
        let mut end = start;
        let mut last_space = None;
        // Spaces that indent the row are not places to break.
        let mut seen_text = false;
        while end < cells.len() {
            let cw = cells[end].0.width().unwrap_or(0);
            if w + cw > avail {
                break;
            }
            if cells[end].0 == ' ' {
                if seen_text {
                    last_space = Some(end);
                }
            } else {
                seen_text = true;
            }
            w += cw;
            end += 1;
        }
        let mut at_space = false;
        if end == start {
            // A character wider than the row: take it anyway.
            end = start + 1;
        } else if end < cells.len()
            && let Some(sp) = last_space.filter(|sp| *sp > start)
        {
            end = sp + 1;
            at_space = true;
        }
        rows.push(to_line(&cells[start..end], if first { 0 } else { indent }));
        start = end;
        // Spaces at the start of a continuation row are noise.
        while at_space && start < cells.len() && cells[start].0 == ' ' {
            start += 1;
        }
        first = false;
    }
    rows
}

fn to_line(cells: &[(char, Style)], indent: usize) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    if indent > 0 {
        spans.push(Span::raw(" ".repeat(indent)));
    }
    let mut cur = String::new();
    let mut style = None;
    for (c, s) in cells {
        if style != Some(*s) {
            if let Some(st) = style
                && !cur.is_empty()
            {
                spans.push(Span::styled(std::mem::take(&mut cur), st));
            }
            style = Some(*s);
        }
        cur.push(*c);
    }
    if let Some(st) = style
        && !cur.is_empty()
    {
        spans.push(Span::styled(cur, st));
    }
    Line::from(spans)
}

/// Wraps every line; the total is the exact number of rows.
pub fn wrap_all(lines: &[Line<'_>], width: usize, indent: usize) -> Vec<Line<'static>> {
    lines.iter().flat_map(|l| wrap(l, width, indent)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn wraps_at_spaces_and_indents() {
        let l = Line::from("the quick brown fox jumps");
        assert_eq!(
            text(&wrap(&l, 10, 2)),
            vec!["the quick ", "  brown ", "  fox ", "  jumps"]
        );
        let l = Line::from("/a/very/long/path/without/spaces");
        assert_eq!(
            text(&wrap(&l, 12, 0)),
            vec!["/a/very/long", "/path/withou", "t/spaces"]
        );
        assert_eq!(text(&wrap(&Line::from("short"), 10, 2)), vec!["short"]);
        assert_eq!(text(&wrap(&Line::from(""), 10, 2)), vec![""]);
        // Indentation is not a break point.
        assert_eq!(
            text(&wrap(&Line::from("  /abcdefghijkl"), 12, 2)),
            vec!["  /abcdefghi", "    jkl"]
        );
    }
}
