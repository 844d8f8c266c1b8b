#!/usr/bin/env python3
"""Renders a terminal capture with SGR colours (`tmux capture-pane -p -e`) to a PNG.

Usage: ansi2png.py CAPTURE.ansi OUT.png [COLS ROWS]

Only what ratatui emits is understood: SGR bold, dim, reverse, reset, the 16 named colours,
256-colour and true-colour foreground/background. Needs Pillow and DejaVu Sans Mono
(Debian's fonts-dejavu-core).
"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SIZE = 15
BG = (30, 30, 36)
FG = (212, 212, 212)
# A dark palette: black red green yellow blue magenta cyan white, then bright.
PALETTE = [
    (40, 42, 54), (231, 76, 60), (80, 200, 120), (230, 190, 80),
    (90, 150, 230), (200, 120, 220), (80, 200, 220), (212, 212, 212),
    (110, 110, 120), (255, 110, 100), (120, 230, 150), (255, 220, 120),
    (130, 180, 255), (230, 150, 250), (130, 230, 250), (255, 255, 255),
]


def color256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


def parse(text, cols, rows):
    grid = [[(" ", None, None, False, False, False) for _ in range(cols)] for _ in range(rows)]
    for y, line in enumerate(text.split("\n")[:rows]):
        fg = bg = None
        bold = rev = dim = False
        x = 0
        i = 0
        while i < len(line):
            m = re.match(r"\x1b\[([0-9;]*)m", line[i:])
            if m:
                params = [int(p) if p else 0 for p in m.group(1).split(";")] or [0]
                j = 0
                while j < len(params):
                    p = params[j]
                    if p == 0:
                        fg = bg = None
                        bold = rev = dim = False
                    elif p == 1:
                        bold = True
                    elif p == 2:
                        dim = True
                    elif p == 22:
                        bold = dim = False
                    elif p == 7:
                        rev = True
                    elif p == 27:
                        rev = False
                    elif 30 <= p <= 37:
                        fg = PALETTE[p - 30]
                    elif 90 <= p <= 97:
                        fg = PALETTE[p - 90 + 8]
                    elif p == 39:
                        fg = None
                    elif 40 <= p <= 47:
                        bg = PALETTE[p - 40]
                    elif 100 <= p <= 107:
                        bg = PALETTE[p - 100 + 8]
                    elif p == 49:
                        bg = None
                    elif p in (38, 48) and j + 1 < len(params):
                        if params[j + 1] == 5 and j + 2 < len(params):
                            c = color256(params[j + 2])
                            j += 2
                        elif params[j + 1] == 2 and j + 4 < len(params):
                            c = tuple(params[j + 2 : j + 5])
                            j += 4
                        else:
                            c = None
                        if p == 38:
                            fg = c
                        else:
                            bg = c
                    j += 1
                i += m.end()
                continue
            if line[i] == "\x1b":
                # Another escape (OSC, cursor…): skip to its final byte.
                m = re.match(r"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07|.)", line[i:])
                i += m.end() if m else 1
                continue
            if x < cols:
                grid[y][x] = (line[i], fg, bg, bold, rev, dim)
            x += 1
            i += 1
    return grid


def main():
    src, out = sys.argv[1], sys.argv[2]
    cols = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    rows = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    text = open(src, encoding="utf-8").read()
    grid = parse(text, cols, rows)
    font = ImageFont.truetype(FONT, SIZE)
    bold = ImageFont.truetype(BOLD, SIZE)
    cw = round(font.getlength("M"))
    ch = round(SIZE * 1.3)
    pad = 12
    img = Image.new("RGB", (cols * cw + 2 * pad, rows * ch + 2 * pad), BG)
    d = ImageDraw.Draw(img)
    for y, row in enumerate(grid):
        for x, (c, fg, bg, b, rev, dim) in enumerate(row):
            f, k = fg or FG, bg or BG
            if dim:
                # Faint: halfway to the background, as terminals draw it.
                f = tuple((a + c2) // 2 for a, c2 in zip(f, k))
            if rev:
                f, k = k, f
            px, py = pad + x * cw, pad + y * ch
            if k != BG:
                d.rectangle([px, py, px + cw - 1, py + ch - 1], fill=k)
            if c.strip():
                # Box-drawing characters fill their cell edge to edge.
                if "\u2500" <= c <= "\u257f":
                    draw_box(d, c, px, py, cw, ch, f)
                else:
                    d.text((px, py + 1), c, font=bold if b else font, fill=f)
    img.save(out)


def draw_box(d, c, px, py, cw, ch, color):
    """Lines of the box-drawing characters ratatui uses, drawn to the cell edges."""
    heavy = c in "━┃┏┓┗┛"
    w = 2 if heavy else 1
    cx, cy = px + cw // 2, py + ch // 2
    left = c in "─━┐┘┓┛"
    right = c in "─━┌└┏┗"
    up = c in "│┃└┘┗┛"
    down = c in "│┃┌┐┏┓"
    if c in "─━":
        left = right = True
    if left:
        d.rectangle([px, cy, cx, cy + w - 1], fill=color)
    if right:
        d.rectangle([cx, cy, px + cw, cy + w - 1], fill=color)
    if up:
        d.rectangle([cx, py, cx + w - 1, cy], fill=color)
    if down:
        d.rectangle([cx, cy, cx + w - 1, py + ch], fill=color)


if __name__ == "__main__":
    main()
