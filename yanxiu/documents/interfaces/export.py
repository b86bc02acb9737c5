"""The system's JSON export of an application (form-level, ISO dates).

Keys follow the official form (and the fixtures' .expect.json): the texts are
the ones `official_form()` prints, so an export, the HTML preview and the
.docx always agree. The importer produces the same shape for a file.
"""

from datetime import date

from yanxiu.applications import catalogue
from yanxiu.applications.enums import Funding
from yanxiu.applications.interfaces.form_context import official_form
from yanxiu.organisations.enums import BaseStatus

FUNDING_CODES = {Funding.FISCAL: "fiscal", Funding.SELF_FUNDED: "self"}
FUNDING_VALUES = {code: value for value, code in FUNDING_CODES.items()}

# The keys a form carries: a generated form, imported, gives these back. The verbatim fields' keys
# (title, purpose, the host's details…) come from the catalogue.
FORM_KEYS = (
    "form",
    "tier",
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
    "content",
    "lecturers",
    "trainees",
    "planned_trainees",
    "recruitment_scope",
    "base",
    "base_batch",
    *(spec.key for spec in catalogue.verbatim()),
)


def iso(value):
    return value.isoformat() if isinstance(value, date) else value


def application_json(application):
    form = official_form(application)
    claims = {c.area.code: c.explanation for c in application.topic_claims.all()}
    order = [a.code for a in application.call.topic_areas.all()]
    data = {
        "id": application.pk,
        "call": application.call.year,
        "state": application.state,
        "institution": {"name": application.institution.name, "uscc": application.institution.uscc},
        "form": form.form_key,
        "tier": application.tier,
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
        "content": form.content,
        "lecturers": form.lecturers,
        "trainees": form.trainees,
        "planned_trainees": application.planned_trainees,
        "recruitment_scope": application.recruitment_scope,
        "base": application.base_status,
        "base_batch": application.base_batch if application.base_status == BaseStatus.NATIONAL else None,
    }
    # Every field printed as typed in a slot of its own; "" where the application's form has no such slot.
    data.update({spec.key: form.texts.get(spec.slot, "") for spec in catalogue.verbatim()})
    return data


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
