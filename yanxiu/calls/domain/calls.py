"""Loading a call from its data file and copying it to another year."""

import json
from datetime import date
from pathlib import Path

from django.db import transaction

from ..models import Call, TierRule, TopicArea

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CALL_FIELDS = [
    "title",
    "document_number",
    "document_date",
    "completion_date",
    "previous_year_for_completion",
    "office_name",
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
def load_call(data):
    """Create or update the call described by `data` (the JSON format of data/call-2026.json)."""
    call, _ = Call.objects.update_or_create(
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
    return call


def load_call_file(path=None):
    path = Path(path) if path else DATA_DIR / "call-2026.json"
    return load_call(json.loads(path.read_text(encoding="utf-8")))


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
def copy_call(source, year):
    """Next year's call: every field copied (quotas too), every date and year moved by the
    difference. The copy is closed: applicants see it once the office opens it."""
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
    return call
