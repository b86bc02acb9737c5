"""The intake list's rows written in Python (issue 13): the same markup applications/inbox.html
had for a row, without a template lookup, filter call and URL reverse per cell."""

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from yanxiu.core.cells import quality_cell, text
from yanxiu.core.dates import chinese_date

MARK = "987654321"

FLAGS = (
    ("missed_last_year", "error", "missed_last_year", "往年未按计划完成"),
    ("enterprise_without_invoice", "error", "invoice", "企业不能开具培训费发票"),
    ("missing_scan", "error", "missing_scan", "缺盖章扫描件"),
    ("same_institution_twice", "warning", "same_institution", "同一单位申报多项"),
    ("similar_title", "warning", "similar_title", "项目名称与他项相近"),
)


def _flags(f):
    parts = [
        f'<div class="msg warning" title="理由：{text(w.get("reason", ""))}">'
        f"{text(Truncator(w.get('message', '')).chars(40))}</div>"
        for w in f.warnings
    ]
    if f.too_close:
        parts.append(f'<div class="msg warning" data-flag="too_close" title="{text(f.too_close)}">开班时间紧张</div>')
    parts += [
        f'<div class="msg {severity}" data-flag="{name}">{label}</div>'
        for attribute, severity, name, label in FLAGS
        if getattr(f, attribute)
    ]
    return "".join(parts)


def inbox_rows(rows, *, with_authority):
    """The <tr> of each (ListRow, flags) row; `with_authority`: the province's column."""
    detail = reverse("applications:detail", args=[MARK])
    html = []
    for a, f in rows:
        authority = f"<td>{text(a.authority_name)}</td>" if with_authority else ""
        end = f"—{chinese_date(a.end_date)}" if a.end_date else ""
        html.append(
            "<tr>\n"
            f"    <td>{a.year}</td><td>{text(a.get_tier_display())}</td>"
            f'<td><a href="{detail.replace(MARK, str(a.pk))}">{text(str(a))}</a></td>\n'
            f"    <td>{text(a.institution_name)}{quality_cell(a.quality_score, a.quality_summary)}</td>{authority}<td>{text(a.domain_name or '')}</td>\n"
            f"    <td>{chinese_date(a.start_date)}{end}</td>\n"
            f'    <td><span class="state state-{text(a.state)}">{text(a.get_state_display())}</span></td>\n'
            f'    <td class="flags">{_flags(f)}</td>\n'
            "  </tr>\n  "
        )
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)
