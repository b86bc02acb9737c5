"""附件1 / 附件2 as .docx, rendered from `official_form(application)`.

The blank official form is the layout; each value goes into its cell inside a
content control tagged `yx:<field>` (see layout.py), tick boxes are check-box
content controls showing ☑ or □. The applicant rows of 附件1 are the province
office's and stay empty (附件4 第2条).
"""

import copy

from django.utils import timezone

from yanxiu.applications.interfaces.form_context import official_form
from yanxiu.calls.enums import TopicAreaCode
from yanxiu.core.dates import chinese_date

from .. import embedded, layout
from . import fit
from .ooxml import (
    LABEL_FONT,
    IdSource,
    block_control,
    body_rpr,
    checkbox_control,
    clean_xml_text,
    core_properties,
    custom_xml_slot,
    el,
    first_rpr,
    fix_table_layout,
    keep_rows_whole,
    no_break_hyphens,
    package,
    paragraph,
    resize_runs,
    set_grid,
    set_paragraph_text,
    size_styles,
    skeleton,
    styles_with_sizes,
    text_control,
    text_runs,
    tight_paragraphs,
    w,
)

TOPIC_CODES = {label: value for value, label in TopicAreaCode.choices}


def scope_code(tick, index):
    return TOPIC_CODES.get(tick.label, f"area{index + 1}")


def _cell(rows, slot):
    return rows[slot.row].findall(w("tc"))[slot.cell]


def _clear(tc):
    """Remove the cell's paragraphs; return (run properties, paragraph properties)."""
    rpr = first_rpr(tc)
    paragraphs = tc.findall(w("p"))
    ppr = paragraphs[0].find(w("pPr")) if paragraphs else None
    ppr = copy.deepcopy(ppr) if ppr is not None else None
    for p in paragraphs:
        tc.remove(p)
    return rpr, ppr


def _tag(field):
    return layout.TAG_PREFIX + field


def _alias(field):
    return layout.FIELD_LABELS.get(field, field)


def _fill_text(tc, field, value, ids, hint=""):
    """One paragraph per line, each holding an inline control tagged `yx:<field>`; the importer
    reads the field as its whole cell. (Block-level controls, or line breaks inside one inline
    control, print wrongly or come back repeated from LibreOffice 7.4: decisions 0007, 0020.)"""
    rpr, ppr = _clear(tc)
    if not value and hint:
        tc.append(paragraph(text_runs(hint, rpr), ppr))
    for line in clean_xml_text(value).split("\n") if value else [""]:
        tc.append(paragraph([text_control(_tag(field), _alias(field), line, rpr, ids)], ppr))


def _tick_paragraph(field, tick, before_text, rpr, ppr, ids, tail=()):
    children = [checkbox_control(_tag(field), _alias(field), tick.checked, rpr, ids)]
    children += text_runs(before_text, rpr)
    children += list(tail)
    return paragraph(children, ppr)


def _fill_funding(tc, form, ids):
    rpr, ppr = _clear(tc)
    fiscal, self_funded = form.funding
    tc.append(_tick_paragraph("funding.fiscal", fiscal, fiscal.label, rpr, ppr, ids))
    tc.append(paragraph([], ppr))
    source = text_control(_tag("funding.source"), _alias("funding.source"), self_funded.text, rpr, ids)
    tc.append(
        _tick_paragraph(
            "funding.self_funded", self_funded, f"{self_funded.label}（自筹经费来源：", rpr, ppr, ids, [source]
        )
    )
    tc.append(paragraph(text_runs("）", rpr), ppr))


def _fill_scope(tc, form, ids, blank_lines=True):
    rpr, ppr = _clear(tc)
    for index, tick in enumerate(form.scope):
        code = scope_code(tick, index)
        explanation = text_control(_tag(f"scope.{code}.text"), f"{tick.label}说明", tick.text, rpr, ids)
        tc.append(_tick_paragraph(f"scope.{code}", tick, f"{tick.label}：", rpr, ppr, ids, [explanation]))
        # The blank leaves two empty lines under each area (one under the last).
        for _ in range((2 if index < len(form.scope) - 1 else 1) if blank_lines else 0):
            tc.append(paragraph([], ppr))


def _fill_base(tc, form, ids, one_line=False):
    rpr, ppr = _clear(tc)
    national, provincial, none = form.base
    batch = text_control(_tag("base.batch"), _alias("base.batch"), form.base_batch, rpr, ids)
    if one_line:  # the three choices side by side (附件2 on one page)
        children = [checkbox_control(_tag("base.national"), _alias("base.national"), national.checked, rpr, ids)]
        children += [*text_runs("是第", rpr), batch, *text_runs(f"批{national.label}　", rpr)]
        children.append(
            checkbox_control(_tag("base.provincial"), _alias("base.provincial"), provincial.checked, rpr, ids)
        )
        children += text_runs(f"是{provincial.label}　", rpr)
        children.append(checkbox_control(_tag("base.none"), _alias("base.none"), none.checked, rpr, ids))
        children += text_runs(none.label, rpr)
        tc.append(paragraph(children, ppr))
        return
    tc.append(_tick_paragraph("base.national", national, "是第", rpr, ppr, ids, [batch]))
    tc.append(paragraph(text_runs(f"批{national.label}", rpr), ppr))
    tc.append(_tick_paragraph("base.provincial", provincial, f"是{provincial.label}", rpr, ppr, ids))
    tc.append(_tick_paragraph("base.none", none, none.label, rpr, ppr, ids))


def _fill_opinion(tc, text, ids):
    if not text:
        return  # the authority writes and stamps it on paper
    rpr = first_rpr(tc)
    first = tc.find(w("p"))
    first.addprevious(paragraph([text_control(_tag("opinion"), _alias("opinion"), text, rpr, ids)]))


def _fill_submitted(p, text, ids):
    """附件2's 申报时间 line, filled with the submission date."""
    rpr = first_rpr(p)
    for run in p.findall(w("r")):
        p.remove(run)
    for node in text_runs("申报时间：", rpr):
        p.append(node)
    p.append(text_control(_tag("submitted"), _alias("submitted"), text, rpr, ids))


def render_official_form(form, uscc="", embedded_rows=None, submitted=None):
    """The .docx bytes of one OfficialForm.

    `uscc`: the institution's, kept in the document properties so the importer
    can match the institution. `embedded_rows`: the application's EmbeddedRows (schedule
    and lecturers), embedded as a custom XML part so an import restores them.
    `submitted`: the submission date, printed on 附件2's 申报时间 line.

    A form with a print layout (附件2) is rendered at the largest sizes of its `fit` ladder
    whose estimated height leaves the stamp row whole on the first page (decision 0020).
    """
    printed = layout.PRINT_LAYOUT.get(form.form_key, {})
    levels = printed.get("fit") or (None,)
    for level in levels:
        document = _document(form, submitted, printed, level)
        if level is None or _fits(document, printed):
            break
    else:  # too long even at the smallest sizes: the schedule's last lines continue on a page of their own
        lines = form.content.split("\n")
        for keep in range(len(lines) - 1, 0, -1):
            document = _document(form, submitted, printed, levels[-1], keep=keep)
            if _fits(document, printed):
                break
    overrides = {"docProps/core.xml": core_properties(form.title or form.form_label, f"uscc:{uscc}" if uscc else "")}
    parts, _ = skeleton(form.form_key)
    overrides["word/styles.xml"] = styles_with_sizes(parts["word/styles.xml"], size_styles(document))
    if embedded_rows is not None:
        item, parts = custom_xml_slot(form.form_key, embedded.ITEM_ID, embedded.NS)
        overrides.update(parts)
        overrides[item] = embedded.to_xml(embedded_rows)
    return package(form.form_key, document, overrides)


def _fits(document, printed):
    """Whether the table, by its estimated height, fits the page under the form's heading."""
    body = document.find(w("body"))
    size = body.find(f"{w('sectPr')}/{w('pgSz')}")
    margins = body.find(f"{w('sectPr')}/{w('pgMar')}")
    available = int(size.get(w("h"))) - int(margins.get(w("top"))) - int(margins.get(w("bottom")))
    available -= printed["header_twips"] + printed["safety_twips"]
    return fit.table_twips(body.find(w("tbl"))) <= available


def _document(form, submitted, printed, level, keep=None):
    """The filled document.xml of one form, at one level of its print layout's sizes.

    `keep`: how many lines of the schedule (研修内容和方式) stay in its cell; the others go to a
    marked continuation after the table.
    """
    _, template = skeleton(form.form_key)
    document = copy.deepcopy(template)
    body = document.find(w("body"))
    ids = IdSource()

    paragraphs = body.findall(w("p"))
    set_paragraph_text(paragraphs[0], form.form_label)
    for p, line in zip(paragraphs[1:3], form.heading, strict=False):
        set_paragraph_text(p, line)
    if form.show_applicant:
        # 附件2: the institution is the applicant (附件4 第3条).
        applicant = paragraphs[3]
        rpr = first_rpr(applicant)
        for run in applicant.findall(w("r")):
            applicant.remove(run)
        for node in text_runs("申报单位：", rpr):
            applicant.append(node)
        applicant.append(text_control(_tag("applicant"), _alias("applicant"), form.host.get("单位名称", ""), rpr, ids))
        for node in text_runs("（盖章）", rpr):
            applicant.append(node)
        if submitted:
            _fill_submitted(paragraphs[4], chinese_date(submitted), ids)

    table = body.find(w("tbl"))
    key = form.form_key
    if printed:
        set_grid(table, printed["grid"])
        margins = body.find(f"{w('sectPr')}/{w('pgMar')}")
        for side, twips in printed["margins"].items():
            margins.set(w(side), str(twips))
        keep_rows_whole(table, printed["min_heights"])
    fix_table_layout(table)
    rows = table.findall(w("tr"))
    values = {
        "period": form.period,
        "venue": form.venue,
        "domain": form.domain,
        "department": form.department,
        "content": form.content,
        "lecturers": form.lecturers,
        "trainees": form.trainees,
    }
    values.update(form.texts)  # the catalogue's verbatim fields (title, purpose, the host's details…), by slot
    continued = []
    if keep is not None:
        lines = form.content.split("\n")
        values["content"] = "\n".join([*lines[:keep], layout.CONTINUED_NOTE])
        continued = lines[keep:]
    for field, slot in layout.TEXT_SLOTS[key].items():
        _fill_text(_cell(rows, slot), field, values[field] or "", ids, slot.hint)
    if key in layout.FUNDING_SLOT:
        _fill_funding(_cell(rows, layout.FUNDING_SLOT[key]), form, ids)
    _fill_scope(_cell(rows, layout.SCOPE_SLOT[key]), form, ids, printed.get("scope_blank_lines", True))
    _fill_base(_cell(rows, layout.BASE_SLOT[key]), form, ids, printed.get("base_one_line", False))
    if key in layout.OPINION_SLOT:
        _fill_opinion(_cell(rows, layout.OPINION_SLOT[key]), form.opinion, ids)
    if level is not None:
        table_size, table_pitch = level["table"]
        dense_size, dense_pitch = level["dense"]
        resize_runs(table, table_size)
        tight_paragraphs(table, line=table_pitch, rule="exact")
        for field in printed["dense_fields"]:
            resize_runs(_cell(rows, layout.TEXT_SLOTS[key][field]), dense_size)
            tight_paragraphs(_cell(rows, layout.TEXT_SLOTS[key][field]), line=dense_pitch, rule="exact")
        for p in body.findall(w("p")):
            tight_paragraphs(p, after=60)
    _keep_phones_whole(rows, key)
    if continued:
        _add_continuation(body, table, continued, printed["fit"][0]["dense"], ids)  # a page of its own: 小五
    return document


PHONE_FIELDS = ("host.office_phone", "host.mobile", "host.fax")
MIN_PHONE_SIZE = 18  # half-points: 9 pt


def _keep_phones_whole(rows, key):
    """A phone number on one line: hyphens that do not break, and a size at which it fits its cell."""
    for field in PHONE_FIELDS:
        tc = _cell(rows, layout.TEXT_SLOTS[key][field])
        no_break_hyphens(tc)
        text = "".join(t.text or "" for t in tc.iter(w("t"))) + "-" * len(list(tc.iter(w("noBreakHyphen"))))
        if not text:
            continue
        room = fit.cell_width(tc) / 20  # points
        ems = fit.em_width(text) * 1.2  # the CJK faces' Latin digits are a little wider than half
        for sz in tc.iter(w("sz"), w("szCs")):
            size = int(sz.get(w("val")))
            if size / 2 * ems > room:
                sz.set(w("val"), str(max(MIN_PHONE_SIZE, int(room / ems * 2))))


def _add_continuation(body, table, lines, dense, ids):
    """The schedule's remaining lines on a new page after the table, under a heading that says so."""
    size, pitch = dense
    heading = paragraph(text_runs(layout.CONTINUED_HEADING, body_rpr(LABEL_FONT, 24)))
    heading.insert(0, el(w("pPr"), children=[el(w("pageBreakBefore"))]))
    tight_paragraphs(heading, after=120)
    rest = block_control(
        _tag("content.continued"), _alias("content.continued"), "\n".join(lines), body_rpr(size=size), None, ids
    )
    tight_paragraphs(rest, line=pitch, rule="exact")
    table.addnext(heading)
    heading.addnext(rest)


def submission_date(application):
    """The local date the application was submitted, or None."""
    return timezone.localdate(application.submitted_at) if application.submitted_at else None


def render_application_docx(application):
    return render_official_form(
        official_form(application),
        uscc=application.institution.uscc,
        embedded_rows=embedded.rows_of(application),
        submitted=submission_date(application),
    )


def form_filename(application, extension="docx"):
    label = application.call.tier_rule(application.tier).form_label
    title = (application.title or "未命名").replace("/", "／").replace("\\", "＼")[:40]
    return f"{label}-{title}-{application.pk}.{extension}"
