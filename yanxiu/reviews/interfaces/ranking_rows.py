"""The ranking page's rows and review comments written in Python (issue 13): the same markup
reviews/results.html had, without a template lookup per cell (tests/reviews check it)."""

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.safestring import mark_safe

from yanxiu.core.cells import number, text, two_places

MARK = "987654321"
DASH = "—"


def _value(value):
    return DASH if value is None else number(value)


def _lines(r):
    if not r.lines:
        return '<span class="help">尚无评审意见</span>'
    return "".join(
        f"<div>{text(line.expert)}：{_value(line.total)}{_normalised(line)}（{text(line.recommendation_label)}）</div>"
        for line in r.lines
    )


def _normalised(line):
    if line.normalised is None:
        return ""
    return f'<span class="help">（标准化{two_places(line.normalised)}）</span>'


def _basis(value, ranks):
    """The figure the round ranks by is bold."""
    return f"<strong>{_value(value)}</strong>" if ranks else _value(value)


def ranking_rows(items, basis="raw"):
    """The ranking table's <tr> of each PageRow; `basis` is the round's ranking basis."""
    detail = reverse("applications:detail", args=[MARK])
    html = []
    for r in items:
        a, summary = r.application, r.summary
        incomplete = ' <span class="state state-returned">未完成</span>' if not r.complete else ""
        conflicts = f'<div class="help">回避{number(r.conflicts)}人</div>' if r.conflicts else ""
        disagreement = (
            ' <span class="state state-authority_declined" data-testid="disagreement">分歧较大</span>'
            if summary.disagreement
            else ""
        )
        counts = r.recommendations
        html.append(
            f"<tr{' class=' + chr(34) + 'highlight' + chr(34) if summary.disagreement else ''}>\n"
            f"    <td>{number(r.rank) if r.rank else DASH}</td>\n"
            f'    <td><a href="{detail.replace(MARK, str(a.pk))}">{text(str(a))}</a>'
            f'<div class="help">{text(a.institution_name)}</div></td>\n'
            f"    <td>{number(r.submitted)} / {number(r.reviews_needed)}{incomplete}{conflicts}</td>\n"
            f"    <td>{_value(summary.mean)}</td>\n"
            f"    <td>{_basis(summary.trimmed_mean, basis == 'raw')}</td>\n"
            f"    <td>{_value(summary.median)}</td>\n"
            f"    <td>{_value(summary.sd)}</td>\n"
            f"    <td>{_basis(summary.normalised_mean, basis == 'normalised')}</td>\n"
            f"    <td>{_value(summary.spread)}{disagreement}</td>\n"
            f"    <td>{counts['recommend']} / {counts['consider']} / {counts['not_recommend']}</td>\n"
            f"    <td>{_lines(r)}</td>\n"
            "  </tr>\n  "
        )
    return mark_safe("".join(html))  # noqa: S308 (every text above is escaped; numbers are digits)


def ranking_comments(items):
    """The cards of review comments under the table, for the rows with a submitted review."""
    html = []
    for r in items:
        if not r.lines:
            continue
        comments = "".join(
            f"<p><strong>{text(line.expert)}</strong>（{_value(line.total)}分，{text(line.recommendation_label)}）："
            f"{linebreaksbr(line.comment, autoescape=True)}</p>"
            for line in r.lines
        )
        html.append(
            f'\n<div class="card">\n  <strong>{text(str(r.application))}</strong>'
            f"（{text(r.application.get_tier_display())}）\n  {comments}\n</div>\n"
        )
    return mark_safe("".join(html))  # noqa: S308 (every text above is escaped; numbers are digits)
