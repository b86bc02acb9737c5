"""Recognise a form and read 附件1 / 附件2 / 附件3 into plain records.

A record uses the keys of the JSON export (interfaces/export.py). Forms the
system generated carry `yx:` content controls and are read by tag, exactly;
anything else (hand-filled forms, tags a person deleted) is read by label,
tolerating labels broken across lines or padded with spaces, printed hints
left in front of the text, and every common way of ticking a box.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from yanxiu.applications import catalogue
from yanxiu.calls.enums import RecruitmentScope, TopicAreaCode
from yanxiu.core.validators import normalise_spaces

from .. import embedded, layout
from .dates import DateUnreadable, parse_period
from .ticks import mark_state

SPACE_RE = re.compile(r"[\s\u3000\u00a0]+")
BRACKETED_RE = re.compile(r"[（(][^）)]*[）)]")


def compact(text):
    return SPACE_RE.sub("", text or "")


def label_key(text):
    return BRACKETED_RE.sub("", compact(text)).rstrip("：:")


# A row's label -> the slot it holds: the catalogue's slots (each form's wording and aliases,
# the tick-box and opinion rows). The 承办单位信息 rows are read within their section (SECTION_FIELDS).
LABELS = {
    label_key(label): slot.key
    for slot in catalogue.SLOTS
    if "." not in slot.key
    for label in (slot.label, *slot.labels.values(), *slot.aliases)
}
SECTIONS = {"申报单位信息": "applicant", "承办单位信息": "host"}
# Within a section, a row's label -> the field ("单位名称" -> "name"): the catalogue's host.* slots, by
# their aliases where they have some (承办单位名称 is printed 单位名称 in its section).
SECTION_FIELDS = {
    label: slot.key.removeprefix("host.")
    for slot in catalogue.SLOTS
    if slot.key.startswith("host.")
    for label in (slot.aliases or (slot.label,))
}

TOPIC_LABELS = [(code, label) for code, label in TopicAreaCode.choices]
SCOPE_LABELS = {label: code for code, label in RecruitmentScope.choices}
FACTS_RE = re.compile(r"^(?:计划招收(\d+)人)?(?:，)?(" + "|".join(SCOPE_LABELS) + r")?。$")
YEAR_RE = re.compile(r"(\d{4})\s*年")
USCC_RE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass
class Problem:
    code: str
    severity: str  # "error" | "warning"
    message: str

    def as_dict(self):
        return {"code": self.code, "severity": self.severity, "message": self.message}


@dataclass
class Parsed:
    form: str  # att1 / att2 / att3
    record: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    tagged: bool = False
    year: int = None
    uscc: str = ""
    # Restored from the rows a generated form embeds (None: text only).
    schedule: "Restored" = None
    lecturer_rows: "Restored" = None
    submitted: object = None  # 附件2's 申报时间, a date

    def problem(self, code, message, severity="warning"):
        self.problems.append(Problem(code, severity, message))


@dataclass
class Restored:
    summary: str  # content_summary / lecturer_summary
    rows: list  # ScheduleSession / Lecturer values, in order


# --- recognising the form ---------------------------------------------------------


def recognise(doc):
    """ "att1", "att2", "att3" or None."""
    for table in doc.tables:
        if table and {"序号", "研修选题", "承办单位"} <= {label_key(c.text) for c in table[0]}:
            return "att3"
    heading = compact("".join(doc.paragraphs[:8]))
    labels = {label_key(c.text) for table in doc.tables for row in table for c in row}
    if "汇总表" in heading and "序号" in labels:
        return "att3"
    national = sum(label in labels for label in ("申报项目类别", "选题所属行业领域", "研修对象", "申报单位信息"))
    provincial = sum(
        label in labels for label in ("省直主管单位或设区市人社部门审核意见", "培训对象", "选题所属专业技术领域")
    )
    if "省级高级研修项目申报表" in heading:
        provincial += 2
    elif "高级研修项目申报表" in heading:
        national += 2
    if not (national or provincial) or "项目名称" not in labels:
        return None
    return "att2" if provincial > national else "att1"


# --- text helpers -----------------------------------------------------------------------


def clean_text(text):
    """Trim each line's end and the blank lines around the text."""
    lines = [line.rstrip() for line in (text or "").replace("\r", "").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines).strip()


def strip_hint(text):
    """Drop a printed hint left in front of the typed text."""
    stripped = text.lstrip()
    for hint in layout.HINTS:
        key = compact(hint)
        if compact(stripped).startswith(key):
            # Walk the original text until the hint's characters are consumed.
            consumed, index = 0, 0
            while index < len(stripped) and consumed < len(key):
                if not SPACE_RE.match(stripped[index]):
                    consumed += 1
                index += 1
            return clean_text(stripped[index:])
    return clean_text(text)


def small_number(text):
    text = compact(text)
    if text.isdigit():
        return int(text)
    if text and all(ch in CN_DIGITS or ch == "十" for ch in text):
        if "十" in text:
            tens, _, ones = text.partition("十")
            return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)
        return CN_DIGITS.get(text)
    return None


def _tail_mark(segment):
    """Tick state from the characters just before a label."""
    tail = segment.split("\n")[-1]
    tail = compact(tail)[-3:]
    return mark_state(tail)


def split_ticks(text, anchors):
    """For anchors (label strings, in order), [(state, text after the label)].

    `state` is True (ticked), False (empty box) or None (anchor or mark missing).
    """
    positions = []
    start = 0
    for anchor in anchors:
        index = text.find(anchor, start)
        positions.append(index)
        if index >= 0:
            start = index + len(anchor)
    results = []
    for number, (anchor, index) in enumerate(zip(anchors, positions, strict=False)):
        if index < 0:
            results.append((None, ""))
            continue
        previous_end = 0
        for earlier in range(number - 1, -1, -1):
            if positions[earlier] >= 0:
                previous_end = positions[earlier] + len(anchors[earlier])
                break
        state = _tail_mark(text[previous_end:index])
        after_start = index + len(anchor)
        next_index = next((p for p in positions[number + 1 :] if p >= 0), len(text))
        after = text[after_start:next_index]
        if next_index < len(text):
            # Leave the next anchor's tick mark out of this one's text.
            last_line_start = after.rfind("\n") + 1
            tail = after[last_line_start:]
            stripped = tail.rstrip()
            while stripped and (stripped[-1] in "□☐○◯▢☑☒■√✓✔●▇█◼▪✗✘×✅" or stripped[-1].isspace()):
                stripped = stripped[:-1]
            after = after[:last_line_start] + stripped
        results.append((state, after))
    return results


def _after_colon(text):
    text = text.lstrip()
    if text[:1] in ("：", ":"):
        text = text[1:]
    return clean_text(text)


# --- reading 附件1 / 附件2 by label ---------------------------------------------------------


def label_values(doc):
    """{field: raw cell text} from the form's table, by label."""
    values = {}
    for table in doc.tables:
        for row in table:
            section = None
            index = 0
            while index < len(row):
                cell = row[index]
                key = label_key(cell.text)
                if key in SECTIONS:
                    section = SECTIONS[key]
                    index += 1
                    continue
                name = LABELS.get(key)
                if name is None and section and key in SECTION_FIELDS:
                    name = f"{section}.{SECTION_FIELDS[key]}"
                if name is None:
                    # "联系人：陈禾" typed into the label cell itself.
                    for label, field_name in SECTION_FIELDS.items():
                        if section and compact(cell.text).startswith(label + "："):
                            values.setdefault(f"{section}.{field_name}", compact(cell.text)[len(label) + 1 :])
                    index += 1
                    continue
                if index + 1 < len(row) and not row[index + 1].continued:
                    values.setdefault(name, row[index + 1].text)
                    index += 2
                else:
                    index += 1
    return values


def _tag(doc, field_name):
    return doc.tags.get(layout.TAG_PREFIX + field_name)


def _tick(doc, field_name):
    """A tagged tick box: the glyph decides (a person may type over it), else w14:checked."""
    text = _tag(doc, field_name)
    if text is None:
        return None
    state = mark_state(text)
    if state is None:
        state = doc.checked.get(layout.TAG_PREFIX + field_name)
    return bool(state)


def _read_scope(doc, raw, parsed):
    by_label = {}
    if raw is not None:
        for (code, _label), (state, after) in zip(
            TOPIC_LABELS, split_ticks(raw, [label for _, label in TOPIC_LABELS]), strict=False
        ):
            by_label[code] = (state, _after_colon(after))
    scope, texts = [], {}
    for code, label in TOPIC_LABELS:
        tick = _tick(doc, f"scope.{code}")
        text = _tag(doc, f"scope.{code}.text")
        state, after = by_label.get(code, (None, ""))
        if tick is None:
            tick = bool(state)
        if text is None:
            text = after
        text = clean_text(text)
        if tick:
            scope.append(code)
            texts[code] = text
        elif text:
            parsed.problem("import.scope_text_unticked", f"“{label}”未勾选，但填写了说明，已忽略该说明。")
    return scope, texts


def _read_funding(doc, raw, parsed):
    anchors = ["财政资助项目", "自筹经费项目"]
    states = split_ticks(raw or "", anchors)
    fiscal = _tick(doc, "funding.fiscal")
    self_funded = _tick(doc, "funding.self_funded")
    if fiscal is None:
        fiscal = bool(states[0][0])
    if self_funded is None:
        self_funded = bool(states[1][0])
    source = _tag(doc, "funding.source")
    if source is None:
        after = states[1][1]
        source = ""
        match = re.search(r"自筹经费来源[：:]?(.*)", after, re.S)
        if match:
            source = match.group(1)
            if "）" in source or ")" in source:
                source = source[: max(source.rfind("）"), source.rfind(")"))]
    source = clean_text(source)
    if fiscal and self_funded:
        parsed.problem("import.funding_both", "“申报项目类别”仅可单选，但两项都已勾选，未导入该项。", "error")
        return "", source
    if fiscal:
        return "fiscal", ""
    if self_funded:
        return "self", source
    return "", source


def _read_base(doc, raw, parsed):
    text = raw or ""
    ticks = {code: _tick(doc, f"base.{code}") for code in layout.BASE_CODES}
    batch_text = _tag(doc, "base.batch")
    if None in ticks.values() or batch_text is None:
        national_at = text.find("是第")
        provincial_at = text.find("是省级")
        none_at = text.rfind("否")
        found = {}
        anchors = [("national", national_at), ("provincial", provincial_at), ("none", none_at)]
        previous = 0
        for code, index in anchors:
            if index < 0:
                found[code] = None
                continue
            found[code] = _tail_mark(text[previous:index])
            previous = index + 1
        for code in layout.BASE_CODES:
            if ticks[code] is None:
                ticks[code] = bool(found.get(code))
        if batch_text is None:
            match = re.search(r"是第(.*?)批", text, re.S)
            batch_text = match.group(1) if match else ""
    chosen = [code for code in layout.BASE_CODES if ticks[code]]
    batch = None
    if compact(batch_text):
        batch = small_number(batch_text)
        if batch is None:
            parsed.problem("import.base_batch", f"无法识别国家级继续教育基地批次“{compact(batch_text)}”。")
    if len(chosen) > 1:
        parsed.problem("import.base_multiple", "“是否继续教育基地”勾选了多项，未导入该项。", "error")
        return "", None
    base = chosen[0] if chosen else ""
    return base, batch if base == "national" else None


def split_trainees(text, tagged):
    """(description, planned trainees, recruitment scope) from 研修对象.

    The system writes the facts on a last line (“计划招收60人，面向全国。”);
    for hand-filled forms the number and scope are looked for in the text.
    """
    lines = text.split("\n") if text else []
    if lines:
        match = FACTS_RE.match(lines[-1].strip())
        if match and (match.group(1) or match.group(2)):
            planned = int(match.group(1)) if match.group(1) else None
            scope = SCOPE_LABELS.get(match.group(2), "") if match.group(2) else ""
            return "\n".join(lines[:-1]), planned, scope
    if tagged:
        return text, None, ""
    planned_match = re.search(r"(\d+)\s*(?:名|人)", text)
    scope = next((code for label, code in SCOPE_LABELS.items() if label in compact(text)), "")
    return text, int(planned_match.group(1)) if planned_match else None, scope


STAMP_LINE_RE = re.compile(r"^(?:[（(]盖章[）)])?(?:\d{0,4}年\d{0,2}月\d{0,2}日)?$")


def opinion_text(text):
    """The authority's opinion without the printed stamp and date lines."""
    lines = [line for line in clean_text(text).split("\n") if not STAMP_LINE_RE.match(compact(line))]
    return clean_text("\n".join(lines))


ROW_PARTS = (
    # record key, label, summary attribute, rows attribute, clean, printed text, Parsed attribute, code, what
    (
        "content",
        "研修内容和方式",
        "content_summary",
        "sessions",
        embedded.clean_sessions,
        embedded.printed_schedule,
        "schedule",
        "import.schedule_edited",
        "逐条日程安排",
    ),
    (
        "lecturers",
        "授课专家情况",
        "lecturer_summary",
        "lecturers",
        embedded.clean_lecturers,
        embedded.printed_lecturers,
        "lecturer_rows",
        "import.lecturers_edited",
        "授课专家名单",
    ),
)


UNREADABLE_REASONS = {
    "import.malicious": "含有不允许的 XML 声明（DOCTYPE/ENTITY）",
    "import.zip_bomb": "过大",
    "import.corrupt": "已损坏",
}


def same_text(a, b):
    return normalise_spaces(clean_text(a)) == normalise_spaces(clean_text(b))


def restore_rows(doc, parsed):
    """Restore the schedule and lecturer rows a generated form embeds.

    Each list comes back only while the field's text on the form is still the
    text these rows print; otherwise the text is kept and the report says so.
    """
    if doc.embedded_refused is not None:
        reason = UNREADABLE_REASONS.get(doc.embedded_refused.code, "无法解析")
        parsed.problem("import.rows_unreadable", f"表内嵌的日程安排和授课专家数据{reason}，已忽略，仅导入了文字。")
        return
    if doc.embedded is None:
        return  # a hand-filled form
    try:
        rows = embedded.from_xml(doc.embedded)
    except embedded.Unreadable:
        parsed.problem("import.rows_unreadable", "表内嵌的日程安排和授课专家数据格式不正确，已忽略，仅导入了文字。")
        return
    for key, label, summary_name, rows_name, clean, printed, target, code, what in ROW_PARTS:
        summary = getattr(rows, summary_name)
        try:
            values = clean(getattr(rows, rows_name))
        except embedded.ValidationError:
            parsed.problem("import.rows_invalid", f"表内嵌的{what}不符合填写要求，未恢复，“{label}”仅导入了文字。")
            continue
        if same_text(parsed.record[key], printed(summary, values)):
            setattr(parsed, target, Restored(summary, values))
        else:
            parsed.problem(code, f"“{label}”的文字在系统生成后被修改过，无法恢复{what}，仅导入了文字；请在系统中核对。")


SUBMITTED_RE = re.compile(r"申报时间[：:](\d{4})年(\d{1,2})月(\d{1,2})日")


def read_submitted(doc):
    """附件2's 申报时间 (“申报时间：2026年2月10日”), or None while the line is blank."""
    text = _tag(doc, "submitted")
    text = f"申报时间：{text}" if text is not None else "\n".join(doc.paragraphs[:8])
    match = SUBMITTED_RE.search(compact(text))
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def parse_application_form(doc, form, default_year=None):
    parsed = Parsed(form=form, tagged=doc.tagged)
    heading = compact("".join(doc.paragraphs[:8]))
    year_match = YEAR_RE.search(heading)
    parsed.year = int(year_match.group(1)) if year_match else default_year
    raw = label_values(doc)

    def text(field_name, hint=True):
        tagged = _tag(doc, field_name)
        if tagged is not None:
            return clean_text(tagged)
        value = raw.get(field_name)
        if value is None:
            return ""
        return strip_hint(value) if hint else clean_text(value)

    record = parsed.record
    record["form"] = form
    record["tier"] = "national" if form == "att1" else "provincial"
    record["title"] = text("title") if doc.tagged else "".join(line.strip() for line in text("title").split("\n"))
    period = text("period")
    record["start"] = record["end"] = None
    if period:
        try:
            start, end = parse_period(period, parsed.year)
            record["start"], record["end"] = start, end
        except DateUnreadable as exc:
            parsed.problem("import.period", str(exc), "error")
    record["days"] = (
        (record["end"] - record["start"]).days + 1
        if record["start"] and record["end"] and record["end"] >= record["start"]
        else None
    )
    record["venue"] = text("venue")
    record["domain"] = text("domain")
    record["department"] = text("department")
    if form == "att1":
        record["funding"], record["funding_source"] = _read_funding(doc, raw.get("funding"), parsed)
    else:
        record["funding"], record["funding_source"] = "", ""
    record["scope"], record["scope_text"] = _read_scope(doc, raw.get("scope"), parsed)
    record["content"] = text("content")
    record["lecturers"] = text("lecturers")
    record["trainees"] = text("trainees")
    _, record["planned_trainees"], record["recruitment_scope"] = split_trainees(record["trainees"], doc.tagged)
    # Every field printed as typed in a slot of its own (the catalogue's verbatim fields).
    for spec in catalogue.verbatim():
        if spec.key not in record:
            record[spec.key] = text(spec.slot) if spec.on(form) else ""
    record["base"], record["base_batch"] = _read_base(doc, raw.get("base"), parsed)
    opinion = _tag(doc, "opinion")
    record["opinion"] = clean_text(opinion) if opinion is not None else opinion_text(raw.get("opinion", ""))

    restore_rows(doc, parsed)
    if form == "att2":
        parsed.submitted = read_submitted(doc)

    if form == "att1" and any(compact(raw.get(f"applicant.{n}", "")) for n in SECTION_FIELDS.values()):
        parsed.problem(
            "import.applicant_rows", "附件1的“申报单位信息”由省人社厅填写，承办单位无需填写；已忽略其中内容。"
        )
    everything = "\n".join(doc.paragraphs) + "\n" + "\n".join(c.text for t in doc.tables for r in t for c in r)
    match = USCC_RE.search(everything)
    if doc.identifier.startswith("uscc:"):
        parsed.uscc = doc.identifier[len("uscc:") :]
    else:
        parsed.uscc = match.group(0) if match else ""
    for field_name, label in (("title", "项目名称"), ("host", "承办单位名称")):
        if not record[field_name]:
            parsed.problem(f"import.missing.{field_name}", f"未读到“{label}”。", "error")
    # A label the form always has but that is nowhere in the file: its structure was not read
    # (an edited or foreign table), so whatever else was read cannot be trusted to be the form.
    own = layout.FORM_LABELS[form]
    for field_name, label in EXPECTED_LABELS:
        if _tag(doc, field_name) is None and field_name not in raw:
            label = own.get(field_name, label)
            parsed.problem(f"import.unread.{field_name}", f"未找到“{label}”栏。", "error")
    return parsed


# The labels every 附件1 and 附件2 has (each form's own wording from layout.FORM_LABELS).
EXPECTED_LABELS = (
    ("period", "办班时间"),
    ("venue", "办班地点"),
    ("domain", "选题所属领域"),
    ("department", "选题所属行业主管部门"),
    ("purpose", "研修目的和作用"),
    ("content", "研修内容和方式"),
    ("lecturers", "授课专家情况"),
    ("trainees", "研修对象"),
    ("host.contact", "承办单位信息·联系人"),
    ("host.office_phone", "承办单位信息·办公电话"),
    ("host.address", "承办单位信息·地址"),
)


# --- 附件3 ----------------------------------------------------------------------------------


SUMMARY_HEADERS = {
    "序号": "seq",
    "研修选题": "title",
    "承办单位": "host",
    "联系人": "contact",
    "联系电话": "phone",
    "所属专业技术领域": "domain",
}
SIGNATURE_RE = re.compile(
    r"主管部门或申报单位\s*[（(]\s*盖章\s*[）)]\s*[:：]?(?P<name>.*?)(?:填表日期\s*[:：]?(?P<date>.*))?$", re.S
)


def parse_summary(doc):
    parsed = Parsed(form="att3", tagged=doc.tagged)
    heading = compact("".join(doc.paragraphs[:4]))
    year_match = YEAR_RE.search(heading)
    parsed.year = int(year_match.group(1)) if year_match else None
    table = next(t for t in doc.tables if t and {"序号", "研修选题"} <= {label_key(c.text) for c in t[0]})
    columns = [SUMMARY_HEADERS.get(label_key(c.text)) for c in table[0]]
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {}
        for name, cell in zip(columns, cells, strict=False):
            if name:
                values[name] = compact(cell.text) if name in ("seq", "phone") else clean_text(cell.text)
        if not any(values.get(k) for k in ("title", "host", "contact", "phone", "domain")):
            continue  # the empty rows of the blank form
        rows.append({k: values.get(k, "") for k in ("title", "host", "contact", "phone", "domain")})
        if not values.get("title"):
            parsed.problem("import.summary_row", f"第{number - 1}行没有研修选题。", "error")
    authority, filled = "", None
    for paragraph in doc.paragraphs:
        match = SIGNATURE_RE.search(paragraph)
        if match:
            authority = clean_text(match.group("name"))
            when = compact(match.group("date") or "")
            date_match = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日", when)
            if date_match:
                filled = date(*(int(g) for g in date_match.groups()))
    parsed.record = {"form": "att3", "authority": authority, "date": filled, "rows": rows}
    if not rows:
        parsed.problem("import.summary_empty", "汇总表没有填写任何项目。", "error")
    return parsed
