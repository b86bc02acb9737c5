"""The import report: one line per file, on screen and as .xlsx."""

import io

from yanxiu.core.spreadsheets import Workbook

from .importer import FORM_NAMES

STATUS = {
    "imported": "已导入（草稿）",
    "updated": "已更新原草稿",
    "checked": "可导入（试运行，未保存）",
    "refused": "未导入",
}
HEADER = ["文件", "识别为", "结果", "申报编号", "读到的栏目", "未能读取 / 问题", "规则检查"]


def _split(result):
    reading = [p for p in result.problems if p.code.startswith("import.")]
    checks = [p for p in result.problems if not p.code.startswith("import.")]
    return reading, checks


def _lines(problems):
    return "\n".join(f"{'【错误】' if p.severity == 'error' else '【提醒】'}{p.message}" for p in problems)


def rows(results):
    for r in results:
        reading, checks = _split(r)
        yield [
            r.file,
            FORM_NAMES.get(r.form, "无法识别"),
            STATUS[r.status],
            r.application_id or r.summary_id or r.duplicate_of or "",
            "、".join(r.fields),
            _lines(reading),
            _lines(checks),
        ]


def screen(results):
    out = []
    for line in rows(results):
        out.append(f"■ {line[0]}\n  识别为：{line[1]}　结果：{line[2]}{('　编号：' + str(line[3])) if line[3] else ''}")
        if line[4]:
            out.append(f"  读到：{line[4]}")
        for label, text in (("问题", line[5]), ("规则检查", line[6])):
            if text:
                out.append(f"  {label}：")
                out.extend("    " + t for t in text.split("\n"))
    return "\n".join(out)


def xlsx(results):
    buffer = io.BytesIO()
    book = Workbook(buffer)
    sheet = book.add_worksheet("导入报告")
    head = book.add_format({"bold": True, "border": 1, "bg_color": "#DDDDDD", "text_wrap": True, "valign": "top"})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    for col, (title, width) in enumerate(zip(HEADER, (40, 16, 22, 10, 40, 50, 60), strict=False)):
        sheet.write(0, col, title, head)
        sheet.set_column(col, col, width)
    for number, line in enumerate(rows(results), start=1):
        sheet.write_row(number, 0, line, cell)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(number if results else 0, 0), len(HEADER) - 1) if results else None
    book.close()
    return buffer.getvalue()
