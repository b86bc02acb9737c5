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
"""

import io

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def needs_quote(text):
    return isinstance(text, str) and text.startswith(FORMULA_STARTS)


class SafeWorksheet(Worksheet):
    book = None  # the SafeWorkbook, set when the sheet is added

    def _write_string(self, row, col, string, cell_format=None):
        if needs_quote(string) and self.book is not None:
            cell_format = self.book.quoted(cell_format)
        return super()._write_string(row, col, string, cell_format)

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
