"""Tick boxes as people really fill them.

Ticked: ☑ ☒ ■ √ ✓ ✔ ● ▇ █ ◼ ✗ ✘ ×, or a Wingdings / Wingdings 2 tick symbol
(normalised to ☑ by the reader). Empty: □ ☐ ○ ◯ or nothing.
"""

TICKED = set("☑☒■√✓✔●▇█◼▪✗✘×✅")
EMPTY = set("□☐○◯▢")

# Private-use code points Word uses for symbol fonts (w:sym w:char="F0FE" or
# a run in the font with the shifted character).
SYMBOL_FONTS = {
    "wingdings": {
        0xFE: "☑",
        0xFD: "☒",
        0xFC: "✓",
        0xFB: "✗",
        0xA8: "□",
        0x6F: "□",
        0x71: "□",
        0x6E: "■",
        0x6C: "●",
        0x78: "☒",
    },
    "wingdings 2": {0x52: "☑", 0x53: "☒", 0x54: "☒", 0x50: "✓", 0xA3: "□", 0x2A: "□", 0x51: "☒", 0x4F: "✗"},
    "symbol": {0xD6: "√", 0xB4: "×"},
}


def symbol_char(font, code):
    """The Unicode mark for a character of a symbol font, or None."""
    table = SYMBOL_FONTS.get((font or "").strip().lower())
    if table is None:
        return None
    if code >= 0xF000:
        code -= 0xF000
    return table.get(code)


def is_symbol_font(font):
    return (font or "").strip().lower() in SYMBOL_FONTS


def mark_state(text):
    """True if `text` (the characters just before a label) holds a tick, False
    if it holds only an empty box, None if it holds no mark at all."""
    found = None
    for ch in text:
        if ch in TICKED:
            return True
        if ch in EMPTY:
            found = False
    return found
