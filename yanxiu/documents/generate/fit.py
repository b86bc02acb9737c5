"""How tall a generated table prints: an estimate from its WordprocessingML, no renderer.

附件2 must stay on one page with its stamp row whole (decision 0020). `forms_docx` renders the
form at the sizes of `layout.PRINT_LAYOUT["att2"]["fit"]`, from the largest down, and keeps the
first whose estimated height fits the page. The estimate follows what LibreOffice does with
these forms: every paragraph at an exact line pitch, CJK characters one em wide and ASCII half,
lines broken anywhere (Chinese text) within the cell's width less its margins, a row as tall as
its tallest cell or its `atLeast` height.
"""

import math

from .ooxml import w

CELL_MARGINS = 2 * 108  # twips: TableGrid's left and right cell margins
ROW_EXTRA = 20  # twips a row adds to its content in print (borders, rounding; measured)


def em_width(text):
    """Width of `text` in ems: wide (CJK, full-width) characters 1, others ½."""
    return sum(1 if ord(c) >= 0x2E80 else 0.5 for c in text)


def _size(p, default):
    sz = p.find(f".//{w('r')}/{w('rPr')}/{w('sz')}")
    if sz is None:
        sz = p.find(f"{w('pPr')}/{w('rPr')}/{w('sz')}")
    return int(sz.get(w("val"))) if sz is not None else default


def _spacing(p, size):
    """(line pitch, space before + after) in twips."""
    spacing = p.find(f"{w('pPr')}/{w('spacing')}")
    if spacing is None:
        return round(size * 10 * 1.45), 0
    line = int(spacing.get(w("line"), "240"))
    pitch = line if spacing.get(w("lineRule")) == "exact" else round(size * 10 * 1.45 * line / 240)
    return pitch, int(spacing.get(w("before"), "0")) + int(spacing.get(w("after"), "0"))


def paragraph_twips(p, width, default_size=21):
    """Height of one paragraph printed in a column `width` twips wide."""
    size = _size(p, default_size)  # half-points
    pitch, space = _spacing(p, size)
    em = size * 10  # twips
    per_line = max(1, math.floor(width / em * 2) / 2)  # ems a line holds
    segments = [""]
    for node in p.iter(w("t"), w("br"), w("tab")):
        if node.tag == w("br"):
            segments.append("")
        elif node.tag == w("tab"):
            segments[-1] += "　　"
        else:
            segments[-1] += node.text or ""
    lines = sum(max(1, math.ceil(em_width(s) / per_line)) for s in segments)
    return lines * pitch + space


def cell_width(tc):
    """The cell's text width in twips (its width less its margins)."""
    tcw = tc.find(f"{w('tcPr')}/{w('tcW')}")
    return int(tcw.get(w("w"))) - CELL_MARGINS


def row_twips(tr, default_size=21):
    cells = [
        sum(paragraph_twips(p, cell_width(tc), default_size) for p in tc.iter(w("p"))) for tc in tr.findall(w("tc"))
    ]
    height = max(cells, default=0)
    tr_height = tr.find(f"{w('trPr')}/{w('trHeight')}")
    if tr_height is not None:
        height = max(height, int(tr_height.get(w("val"))))
    return height + ROW_EXTRA


def table_twips(tbl, default_size=21):
    return sum(row_twips(tr, default_size) for tr in tbl.findall(w("tr")))
