"""Every .xlsx the system reads goes through `read_sheet` here, and every import from one reports in a
`SheetReport` (the reading twin of `spreadsheets.Workbook`, the one writer; decision 0031).

The file is untrusted: a zip bomb or an XML part declaring a DOCTYPE/ENTITY is refused before openpyxl
parses it (`uploads.refuse_unsafe_xlsx`), and whatever openpyxl cannot read is a `SheetUnreadable`
with a Chinese reason, never a server error. Cells are read as the text a person sees: empty is "",
a whole number typed as 12 stays "12" (not "12.0"), surrounding spaces go.

The report keeps what an all-or-nothing import says: problems with the file as a whole
(`file_errors`), problems of a row (`row_errors`: (row number, [messages])), `ok` when there are none.
The importers (roster, expert pool, reference dictionaries, the ministry's answer) add their own counts.
"""

import io
from dataclasses import dataclass, field

from openpyxl import load_workbook

from .uploads import refuse_unsafe_xlsx


class SheetUnreadable(ValueError):
    """The file is not a sound .xlsx; the message says why, in Chinese."""


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(data, *, what="Excel 文件", max_rows=None):
    """[(row number, [cell texts])] of the first sheet of an .xlsx given as bytes.

    `max_rows`: past that many rows under the header, a further non-empty row stops the reading
    (SheetUnreadable), so a huge file is not read to the end."""
    try:
        refuse_unsafe_xlsx(data, what=what)
    except ValueError as unsafe:
        raise SheetUnreadable(str(unsafe)) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise SheetUnreadable("文件不是有效的 Excel（.xlsx）文件。") from exc
    try:
        rows = []
        for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            if max_rows is not None and number > max_rows + 1 and any(v is not None for v in row):
                raise SheetUnreadable(f"超过每次最多导入{max_rows}行的限制，请分批导入。")
            rows.append((number, [cell_text(v) for v in row]))
        return rows
    except SheetUnreadable:
        raise
    except Exception as exc:  # a malformed sheet part, read lazily
        raise SheetUnreadable("Excel 文件的内容已损坏，无法读取。") from exc
    finally:
        workbook.close()


def padded(cells, width):
    """The row cut or filled with "" to `width` cells."""
    return (list(cells) + [""] * width)[:width]


@dataclass
class SheetReport:
    file_errors: list = field(default_factory=list)
    row_errors: list = field(default_factory=list)  # (row number, [messages])

    @property
    def ok(self):
        return not self.file_errors and not self.row_errors

    def refuse_file(self, message):
        self.file_errors.append(message)
        return self

    def row_problems(self, number, messages):
        if messages:
            self.row_errors.append((number, list(messages)))

    def header_matches(self, header, columns, advice):
        """Whether the header row is the template's `columns`, in order; if not, say which are missing."""
        header = padded(header, len(columns))
        if header == list(columns):
            return True
        missing = [c for c in columns if c not in header]
        detail = f"缺少列：{'、'.join(missing)}" if missing else "列的顺序不对"
        self.file_errors.append(f"表头与模板不一致（{detail}）。{advice}")
        return False

    def messages(self):
        """Every problem as one line of text: the file's, then each row's ("第3行：…")."""
        return [*self.file_errors, *(f"第{number}行：{'；'.join(m)}" for number, m in self.row_errors)]
