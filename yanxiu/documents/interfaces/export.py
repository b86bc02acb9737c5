"""The system's JSON export of an application (form-level, ISO dates).

Keys follow the official form (and the fixtures' .expect.json): the texts are
the ones `official_form()` prints, so an export, the HTML preview and the
.docx always agree. The importer produces the same shape for a file.
"""

from datetime import date

from yanxiu.applications.enums import Funding
from yanxiu.applications.interfaces.form_context import official_form
from yanxiu.organisations.enums import BaseStatus

FUNDING_CODES = {Funding.FISCAL: "fiscal", Funding.SELF_FUNDED: "self"}
FUNDING_VALUES = {code: value for value, code in FUNDING_CODES.items()}

# The keys a form carries: a generated form, imported, gives these back.
FORM_KEYS = (
    "form",
    "tier",
    "title",
    "start",
    "end",
    "days",
    "venue",
    "domain",
    "department",
    "funding",
    "funding_source",
    "scope",
    "scope_text",
    "purpose",
    "content",
    "lecturers",
    "trainees",
    "planned_trainees",
    "recruitment_scope",
    "host",
    "contact",
    "office_phone",
    "mobile",
    "fax",
    "address",
    "base",
    "base_batch",
)


def iso(value):
    return value.isoformat() if isinstance(value, date) else value


def application_json(application):
    form = official_form(application)
    claims = {c.area.code: c.explanation for c in application.topic_claims.all()}
    order = [a.code for a in application.call.topic_areas.all()]
    return {
        "id": application.pk,
        "call": application.call.year,
        "state": application.state,
        "institution": {"name": application.institution.name, "uscc": application.institution.uscc},
        "form": form.form_key,
        "tier": application.tier,
        "title": form.title,
        "start": iso(application.start_date),
        "end": iso(application.end_date),
        "days": application.days,
        "venue": form.venue,
        "domain": form.domain,
        "department": form.department,
        "funding": FUNDING_CODES.get(application.funding, ""),
        "funding_source": application.funding_source if application.funding == Funding.SELF_FUNDED else "",
        "scope": [code for code in order if code in claims],
        "scope_text": {code: claims[code] for code in order if code in claims},
        "purpose": form.purpose,
        "content": form.content,
        "lecturers": form.lecturers,
        "trainees": form.trainees,
        "planned_trainees": application.planned_trainees,
        "recruitment_scope": application.recruitment_scope,
        "host": application.host_name,
        "contact": application.host_contact,
        "office_phone": application.host_office_phone,
        "mobile": application.host_mobile,
        "fax": application.host_fax,
        "address": application.host_address,
        "base": application.base_status,
        "base_batch": application.base_batch if application.base_status == BaseStatus.NATIONAL else None,
    }


def record_json(record, **extra):
    """A parsed record (dates as date objects) in the export's JSON shape."""
    data = {"id": None, "call": None, "state": None, "institution": None, **extra}
    for key, value in record.items():
        if key == "rows":
            data[key] = [{k: iso(v) for k, v in row.items()} for row in value]
        else:
            data[key] = iso(value)
    return data


def form_part(data):
    return {key: data.get(key) for key in FORM_KEYS}
