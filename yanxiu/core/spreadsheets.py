"""Every .xlsx the system writes goes through `Workbook` here: no cell is ever a
formula, a hyperlink or a number made from text.

xlsxwriter's `write()` turns text starting with "=" into a live formula and
"http://…" into a link; a visitor's 工作单位 `=HYPERLINK(...)` would then run in
the official's Excel. Here:
- text is always written as text (`strings_to_formulas`, `strings_to_urls`,
  `strings_to_numbers` off, whatever the caller asks);
- text starting with a character Excel reads as the start of a formula
  (= + - @ tab CR LF, and their full-width forms) gets the cell's "quote
  prefix", so it stays text even when someone edits the cell and presses
  Enter; the value itself is unchanged;
- the formula methods refuse: no writer needs them, and a formula built from
  data could carry user text.
Writers keep xlsxwriter's API (`add_worksheet`, `write`, `write_row`,
`merge_range`, formats as dicts).

Every sheet also prints legibly, whoever wrote it (decision 0020), when the workbook closes:
- a row the writer gave no height gets the height its wrapped text needs (the longest cell's
  lines at its format's size), so no cell runs into the next row on paper;
- a sheet asked to fit one page wide (`fit_to_pages(1, 0)`) gets an explicit print scale
  instead: the one that fits, but never so small that its smallest text prints under 9 pt
  (then the columns continue on further pages, at 9 pt).
"""

import io
import math

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def needs_quote(text):
    return isinstance(text, str) and text.startswith(FORMULA_STARTS)


# Printing, as measured on this stack: LibreOffice 7.4 prints a column unit 7.25 pt wide (Excel's
# default Calibri is missing and its stand-in is wider); Excel shows it about 5.25 pt wide
# (7 px a digit + padding at 96 dpi). Heights use the narrower, so a row is never too short in
# either; the print scale uses the wider, so the page's width is never overrun.
PRINT_PT_PER_UNIT = 7.25
SCREEN_PT_PER_UNIT = 5.25
LINE_PER_PT = 1.45  # a CJK line (Noto fallback faces) per point of font size
ROW_PADDING_PT = 3
DEFAULT_ROW_PT = 15
DEFAULT_WIDTH = 8.43
MIN_PRINTED_PT = 9
A4_PT = (595.3, 841.9)


def text_ems(text):
    """Width in ems: CJK and full-width characters 1, others ½."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.5 for ch in text)


def lines_needed(text, width_units, font_pt):
    """Lines a wrapped cell of `width_units` (Excel column units) needs at `font_pt`."""
    per_line = max(1.0, (width_units * SCREEN_PT_PER_UNIT - 2 * ROW_PADDING_PT) / font_pt)
    return sum(max(1, math.ceil(text_ems(part) / per_line)) for part in str(text).split("\n"))


def row_height(lines, font_pt):
    """Points, rounded up to Excel's 0.75 pt steps (so what is written is what is read back)."""
    return math.ceil((lines * font_pt * LINE_PER_PT + ROW_PADDING_PT) / 0.75) * 0.75


class SafeWorksheet(Worksheet):
    book = None  # the SafeWorkbook, set when the sheet is added

    def __init__(self):
        super().__init__()
        self._texts = {}  # row -> [(col, text, format)]
        self._sized_rows = set()  # rows the writer gave a height

    def _write_string(self, row, col, string, cell_format=None):
        if needs_quote(string) and self.book is not None:
            cell_format = self.book.quoted(cell_format)
        self._texts.setdefault(row, []).append((col, string, cell_format))
        return super()._write_string(row, col, string, cell_format)

    def set_row(self, row, height=None, cell_format=None, options=None):
        if height is not None:
            self._sized_rows.add(row)
        return super().set_row(row, height, cell_format, options)

    def _width(self, col):
        """The column's width in Excel's character units (xlsxwriter keeps pixels)."""
        info = self.col_info.get(col)
        if info is None or info.width is None:
            return DEFAULT_WIDTH
        return max(0.0, (info.width - self.cell_padding) / self.max_digit_width)

    def _font_pt(self, cell_format):
        return cell_format.font_size if cell_format is not None else 11

    def fit_rows(self):
        """Heights from content for the rows the writer left unsized (merged cells excepted)."""
        merged = {(r, c) for r0, c0, r1, c1 in self.merge for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for row, cells in self._texts.items():
            if row in self._sized_rows:
                continue
            needed = max(
                (
                    row_height(
                        lines_needed(text, self._width(col), self._font_pt(fmt))
                        if fmt is not None and fmt.text_wrap
                        else 1,
                        self._font_pt(fmt),
                    )
                    for col, text, fmt in cells
                    if (row, col) not in merged
                ),
                default=0,
            )
            if needed > DEFAULT_ROW_PT:
                super().set_row(row, needed)

    def smallest_font_pt(self):
        sizes = [self._font_pt(fmt) for cells in self._texts.values() for _, _, fmt in cells]
        return min(sizes, default=11)

    def printed_width_pt(self):
        first, last = self.dim_colmin, self.dim_colmax
        if first is None:
            return 0
        return sum(self._width(col) for col in range(first, last + 1)) * PRINT_PT_PER_UNIT

    def legible_scale(self):
        """The print scale (percent) for a sheet asked to fit one page wide: fitting, but ≥ 9 pt."""
        paper_w, paper_h = A4_PT
        page = paper_w if self.orientation else paper_h  # xlsxwriter: 1 portrait, 0 landscape
        room = page - (self.margin_left + self.margin_right) * 72
        needed = self.printed_width_pt()
        fit = min(1.0, room / needed) if needed else 1.0
        legible = min(100, math.ceil(MIN_PRINTED_PT / self.smallest_font_pt() * 100))
        return max(math.floor(fit * 100), legible)

    def finish_for_print(self):
        self.fit_rows()
        if self.fit_page and self.fit_width == 1 and self.fit_height == 0:
            self.set_print_scale(self.legible_scale())

    def _refuse(self, *args, **kwargs):
        raise TypeError("yanxiu.core.spreadsheets: this system writes no formulas (see the module's docstring)")

    write_formula = write_array_formula = write_dynamic_array_formula = _refuse
    _write_formula = _write_array_formula = _refuse


class Workbook(xlsxwriter.Workbook):
    """xlsxwriter.Workbook (in memory by default) whose sheets write text only as text."""

    worksheet_class = SafeWorksheet

    def __init__(self, filename=None, options=None):
        self._properties = {}
        self._quoted = {}
        super().__init__(filename, {"in_memory": True, **(options or {}), **SAFE_OPTIONS})

    def add_format(self, properties=None):
        cell_format = super().add_format(properties)
        self._properties[id(cell_format)] = dict(properties or {})
        return cell_format

    def quoted(self, cell_format):
        """The same format with the quote prefix (made once per format)."""
        key = id(cell_format) if cell_format is not None else None
        if key not in self._quoted:
            properties = self._properties.get(key, {}) if cell_format is not None else {}
            self._quoted[key] = self.add_format({**properties, "quote_prefix": True})
        return self._quoted[key]

    def add_notes(self, lines, width):
        """The "填写说明" sheet of an import template: one instruction a row."""
        notes = self.add_worksheet("填写说明")
        for row, line in enumerate(lines):
            notes.write_string(row, 0, line)
        notes.set_column(0, 0, width)
        return notes

    def close(self):
        if not self.fileclosed:
            for sheet in self.worksheets():
                if isinstance(sheet, SafeWorksheet):
                    sheet.finish_for_print()
        return super().close()

    def _add_sheet(self, name, worksheet_class=None):
        sheet = super()._add_sheet(name, worksheet_class=worksheet_class)
        if isinstance(sheet, SafeWorksheet):
            sheet.book = self
        return sheet


def xlsx_bytes(write, **options):
    """Run `write(workbook)` on a new safe workbook and return the .xlsx bytes."""
    buffer = io.BytesIO()
    workbook = Workbook(buffer, options)
    write(workbook)
    workbook.close()
    return buffer.getvalue()
