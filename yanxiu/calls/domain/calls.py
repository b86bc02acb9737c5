"""Loading a call from its data file and copying it to another year."""

import json
import re
from datetime import date
from pathlib import Path

from django.db import transaction

from yanxiu.accounts.rules import require
from yanxiu.audit.log import record, record_change
from yanxiu.core.dates import chinese_date
from yanxiu.core.refusal import Refused

from ..models import Call, TierRule, TopicArea
from . import date_moves

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CALL_FIELDS = [
    "title",
    "document_number",
    "document_date",
    "completion_date",
    "previous_year_for_completion",
    "office_name",
    "issuing_authority",
    "printing_office",
    "office_address",
    "office_postcode",
    "office_email",
    "contact_persons",
    "contact_phones",
]
RULE_FIELDS = [
    "form_label",
    "form_title",
    "deadline",
    "min_days",
    "max_days",
    "duration_wording",
    "duration_is_strict",
    "min_trainees",
    "trainees_wording",
    "trainees_is_strict",
    "recruitment_scope",
]
# Copied to next year's call but not read from the notice's JSON file (set by the office).
COPIED_RULE_FIELDS = [*RULE_FIELDS, "authority_quota", "min_lead_days"]
DATE_FIELDS = {"document_date", "completion_date", "deadline"}


def _value(name, raw):
    return date.fromisoformat(raw) if name in DATE_FIELDS and raw else raw


@transaction.atomic
def load_call(data, actor=None):
    """Create or update the call described by `data` (the JSON format of data/call-2026.json).
    Recorded as the system's (`actor` None: `manage.py load_call`, the demo) or the actor's."""
    call, created = Call.objects.update_or_create(
        year=data["year"], defaults={name: _value(name, data.get(name)) for name in CALL_FIELDS if name in data}
    )
    for rule in data["tier_rules"]:
        TierRule.objects.update_or_create(
            call=call, tier=rule["tier"], defaults={name: _value(name, rule[name]) for name in RULE_FIELDS}
        )
    for order, area in enumerate(data["topic_areas"]):
        TopicArea.objects.update_or_create(
            call=call,
            code=area["code"],
            defaults={
                "name": area["name"],
                "description": area["description"],
                "keywords": area["keywords"],
                "sort_order": order,
            },
        )
    label = "载入年度通知" if created else "按数据文件更新年度通知"
    record(call, action="load_call", label=label, actor=actor, data={"year": call.year})
    return call


def load_call_file(path=None, actor=None):
    path = Path(path) if path else DATA_DIR / "call-2026.json"
    return load_call(json.loads(path.read_text(encoding="utf-8")), actor)


def _shift(d, years):
    if d is None:
        return None
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _shift_text(text, old_year, new_year):
    return text.replace(str(old_year), str(new_year)) if text else text


@transaction.atomic
@transaction.atomic
def copy_call(source, year, actor=None):
    """Next year's call: every field copied (quotas too), every date and year moved by the
    difference. The copy is closed: applicants see it once the office opens it. Recorded on the
    copy (`actor` None: the system's, from `manage.py copy_call` or the demo)."""
    if Call.objects.filter(year=year).exists():
        raise ValueError(f"{year}年度通知已存在。")
    years = year - source.year
    call = Call.objects.create(
        year=year,
        title=_shift_text(source.title, source.year, year),
        document_number="",
        document_date=_shift(source.document_date, years),
        completion_date=_shift(source.completion_date, years),
        previous_year_for_completion=(source.previous_year_for_completion or source.year - 1) + years,
        office_name=source.office_name,
        issuing_authority=source.issuing_authority,
        printing_office=source.printing_office,
        office_address=source.office_address,
        office_postcode=source.office_postcode,
        office_email=source.office_email,
        contact_persons=source.contact_persons,
        contact_phones=source.contact_phones,
        is_open=False,  # the office opens it when it is ready (calls/views.py)
    )
    for rule in source.tier_rules.all():
        values = {name: getattr(rule, name) for name in COPIED_RULE_FIELDS}
        values["deadline"] = _shift(rule.deadline, years)
        values["form_title"] = _shift_text(rule.form_title, source.year, year)
        TierRule.objects.create(call=call, tier=rule.tier, **values)
    for area in source.topic_areas.all():
        TopicArea.objects.create(
            call=call,
            code=area.code,
            name=area.name,
            description=area.description,
            keywords=area.keywords,
            sort_order=area.sort_order,
        )
    record(call, action="copy_call", label=f"由{source.year}年度通知复制", actor=actor)
    return call


# --- managed by the province office (calls/views.py) --------------------------------------

EDITABLE_CALL_FIELDS = [*CALL_FIELDS]
# The rule fields a tier's wording must agree with (wording_problems).
WORDED_FIELDS = (
    "min_days",
    "max_days",
    "duration_wording",
    "duration_is_strict",
    "min_trainees",
    "trainees_wording",
    "trainees_is_strict",
)
EDITABLE_RULE_FIELDS = ["deadline", *WORDED_FIELDS, "recruitment_scope", "authority_quota", "min_lead_days"]


def problems(call):
    """What would make the call wrong to open: its dates and ranges must agree."""
    found = []
    for rule in call.tier_rules.all():
        label = rule.get_tier_display()
        if rule.deadline > call.completion_date:
            found.append(f"{label}申报截止日期晚于办班完成截止日期{chinese_date(call.completion_date)}。")
        if rule.min_days > rule.max_days:
            found.append(f"{label}研修天数下限大于上限。")
        if rule.min_trainees < 1:
            found.append(f"{label}学员数量下限至少为1人。")
        found.extend(message for _field, message in wording_problems(rule))
    if call.completion_date.year != call.year:
        found.append(f"办班完成截止日期应在{call.year}年内。")
    if not call.topic_areas.exists():
        found.append("请填写选题范围。")
    return found


# Words by which the notice makes a requirement a guideline (warning) rather than a rule (error).
SOFT_WORDS = ("一般", "原则上", "左右")


def wording_problems(rule):
    """Where a tier's wording says something else than its numbers and strictness: (field, message).

    The checks quote the wording to applicants beside the numbers they test, so the two are one
    fact written twice: the office may phrase it as the notice does, but not contradict it
    (decision 0022)."""
    label = rule.get_tier_display()
    found = []
    trainees = rule.trainees_wording
    if f"{rule.min_trainees}人" not in trainees:
        found.append(("trainees_wording", f"{label}学员数量要求原文“{trainees}”与下限{rule.min_trainees}人不一致。"))
    if _is_soft(trainees) == rule.trainees_is_strict:
        found.append(("trainees_wording", f"{label}学员数量要求原文“{trainees}”与“学员数量为硬性要求”不一致。"))
    duration = rule.duration_wording
    numbers = [int(n) for n in re.findall(r"\d+", duration)]
    centre = (rule.min_days + rule.max_days) / 2
    spelled = sorted(numbers) == sorted({rule.min_days, rule.max_days}) or (numbers == [centre] and "左右" in duration)
    if not spelled:
        found.append(
            ("duration_wording", f"{label}天数要求原文“{duration}”与{rule.min_days}至{rule.max_days}天不一致。")
        )
    if _is_soft(duration) == rule.duration_is_strict:
        found.append(("duration_wording", f"{label}天数要求原文“{duration}”与“天数为硬性要求”不一致。"))
    return found


def _is_soft(wording):
    return any(word in wording for word in SOFT_WORDS)


@transaction.atomic
def copy_for_next_year(source, actor):
    require(actor, "calls.manage_calls")
    try:
        return copy_call(source, source.year + 1, actor)
    except ValueError as problem:
        raise Refused(str(problem)) from problem


@transaction.atomic
def update_call(call, actor, *, fields, rules, areas):
    """`fields`: Call attributes; `rules`: {tier: {field: value}}; `areas`: {code: {name, keywords}}."""
    require(actor, "calls.manage_calls")
    moved = date_moves.moves(call, fields, rules) if call.is_open else []
    before = {name: str(getattr(call, name)) for name in EDITABLE_CALL_FIELDS}
    for name in EDITABLE_CALL_FIELDS:
        if name in fields:
            setattr(call, name, fields[name])
    call.save()
    changed = {
        name: [before[name], str(getattr(call, name))] for name in before if before[name] != str(getattr(call, name))
    }
    for rule in call.tier_rules.all():
        for name, value in rules.get(rule.tier, {}).items():
            if name in EDITABLE_RULE_FIELDS and getattr(rule, name) != value:
                changed[f"{rule.tier}.{name}"] = [str(getattr(rule, name)), str(value)]
                setattr(rule, name, value)
        rule.save()
    for area in call.topic_areas.all():
        for name, value in areas.get(area.code, {}).items():
            if name in ("name", "keywords") and getattr(area, name) != value:
                changed[f"{area.code}.{name}"] = [getattr(area, name), value]
                setattr(area, name, value)
        area.save()
    if call.is_open:
        found = problems(call)
        if found:
            raise Refused("通知已开放申报，修改后" + found[0] + "未保存。")
    data = {"notified": date_moves.tell(call, moved)} if moved else {}  # those an open call's dates touch (0016)
    record_change(
        call,
        action="update_call",
        label="修改年度通知",
        actor=actor,
        before={name: values[0] for name, values in changed.items()},
        after={name: values[1] for name, values in changed.items()},
        data=data,
    )
    return changed


@transaction.atomic
def set_open(call, actor, *, open_):
    require(actor, "calls.manage_calls")
    if open_:
        found = problems(call)
        if found:
            raise Refused("还不能开放申报：" + "；".join(found))
    if call.is_open == open_:
        return call
    call.is_open = open_
    call.save(update_fields=["is_open"])
    record(call, action="open_call" if open_ else "close_call", label="开放申报" if open_ else "关闭申报", actor=actor)
    return call
