"""The selection pool's rows written in Python (issue 13): a hundred rows, each with a form, a
select and links, cost more through the template engine than everything else on the page.
The markup is the one selection/pool.html had for a row (tests/selection check it)."""

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import mark_safe

from yanxiu.core.cells import number, quality_cell, text

MARK = "987654321"
HIGHLIGHT = ' class="highlight"'


def _url(name, *args):
    """A URL pattern with the application's id as a placeholder: one reverse for the page."""
    return reverse(name, args=[*args, MARK])


def _figure(value):
    """As {{ value }} showed it: "None" when missing (a standing outside the round's basis)."""
    return "None" if value is None else number(value)


def _results(rounds):
    if not rounds:
        return '<span class="help">未进入评审</span>'
    parts = []
    several = len(rounds) > 1
    for review_round, r in rounds:
        part = f'<span class="help">{text(review_round.name)}：</span>' if several else ""
        if r.submitted:
            basis = (
                f"标准化均分 {_figure(r.summary.normalised_mean)}"
                if review_round.ranking_basis == "normalised"
                else f"截尾均分 {_figure(r.summary.trimmed_mean)}"
            )
            part += f"第{_figure(r.rank)}名 · {basis}（{number(r.submitted)}/{number(r.reviews_needed)}份）"
            if r.summary.disagreement:
                part += '<br><span class="msg warning">专家意见分歧较大</span>'
        else:
            part += f'<span class="help">评审中（0/{number(r.reviews_needed)}份）</span>'
        parts.append(f"<div>{part}</div>")
    return "".join(parts)


def _findings(pk, results):
    """A flagged row's findings (selection.domain.findings): past dates, the provincial re-check."""
    if not results:
        return ""
    items = "".join(f"<li>{text(r.message)}</li>" for r in results)
    return (
        f'<div class="msg warning" data-testid="findings-{pk}"><strong>列入计划须填写理由：</strong>'
        f'<ul style="margin:4px 0 0 1.2em;padding:0">{items}</ul></div>'
    )


def pool_rows(request, call, rows, outcomes, flagged=None):
    """The <tr> of each (Waiting application, staged outcome, [(round, standing)]) row;
    `flagged`: {application id: [CheckResult]} shown under the title."""
    flagged = flagged or {}
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{text(get_token(request))}">'
    detail, stage = _url("applications:detail"), _url("selection:stage", call.pk)
    options = [(value, text(value), text(label)) for value, label in outcomes]
    selects = {}  # (staged outcome, national?) -> the select's options, written once a page

    def select_for(chosen, national):
        if (chosen, national) not in selects:
            selects[chosen, national] = "".join(
                f'<option value="{v}"{" selected" if chosen == value else ""}>{label}</option>'
                for value, v, label in options
                if value != "national_candidate" or national
            )
        return selects[chosen, national]

    html = []
    for a, d, rounds in rows:
        pk = str(a.pk)
        fallback = '<br><span class="msg warning">国家级未入选转入</span>' if a.fallback_from_national else ""
        rank = f"（第{number(a.authority_rank)}）" if a.authority_rank else ""
        select = select_for(d, a.tier == "national")
        html.append(
            f"<tr{HIGHLIGHT if d else ''}>\n"
            f"    <td>{text(a.get_tier_display())}{fallback}</td>\n"
            f'    <td><a href="{detail.replace(MARK, pk)}">{text(str(a))}</a>{_findings(pk, flagged.get(a.pk))}</td>'
            f"<td>{text(a.institution_name)}{quality_cell(a.quality_score, a.quality_summary)}</td>\n"
            f"    <td>{text(a.authority_name)}{rank}</td>\n"
            f'    <td data-testid="round-results">{_results(rounds)}</td>\n'
            f'    <td><form method="post" action="{stage.replace(MARK, pk)}" style="display:flex;gap:6px">{csrf}\n'
            f'      <select name="outcome" data-testid="outcome-{pk}" aria-label="“{text(a.title)}”的拟定结果">'
            '<option value="">（未拟定）</option>\n'
            f"      {select}</select>\n"
            f'      <button class="btn secondary" type="submit" data-testid="stage-{pk}">拟定</button></form></td>\n'
            "  </tr>\n  "
        )
    return mark_safe("".join(html))  # noqa: S308 (every text above is escaped; numbers are digits)
