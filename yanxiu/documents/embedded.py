"""The rows behind 研修内容和方式 and 授课专家情况, embedded in a generated form.

The official form prints prose (applications.domain.snapshot's `schedule_text`
and `lecturer_text`), not the ScheduleSession / Lecturer rows. So that a generated
form imports back into the same application, the rows and the two summary
texts travel in the package as a custom XML part (customXml/itemN.xml with its
item properties and relationship). Word, WPS and LibreOffice keep such a part
when a person edits and saves the file (tests/documents/test_import.py checks
LibreOffice).

On import the rows are restored only while the printed text still equals the
text these rows produce: if a person edited the text, the text wins and the
report says why the rows were not restored.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from lxml import etree

from yanxiu.applications.domain.snapshot import lecturer_text, schedule_text
from yanxiu.applications.models import Lecturer, ScheduleSession
from yanxiu.core.validators import normalise_spaces

from .generate.ooxml import clean_xml_text

NS = "urn:yanxiu:form-rows:1"
MARKER = NS.encode("ascii")  # looked for in a part's bytes before parsing it
VERSION = "1"
# A fixed id for the system's data store (Word identifies custom XML parts by it).
ITEM_ID = "{5B0E7A3C-2F4D-4C1B-9E6A-7D1F0C3B8A21}"

SESSION_FIELDS = ("date", "half_day", "topic", "speaker", "format", "mode", "class_hours")
LECTURER_FIELDS = ("name", "title", "position", "affiliation", "topic")

MAX_PART_BYTES = 1024 * 1024  # the part is refused above this (a real one is a few KB)
MAX_ROWS = 500  # per list


def q(tag):
    return f"{{{NS}}}{tag}"


class Unreadable(ValueError):
    """The embedded part is not what the system writes."""


@dataclass
class EmbeddedRows:
    """The rows as text, exactly as stored (dates ISO, class hours as decimal text)."""

    content_summary: str = ""
    sessions: list = field(default_factory=list)  # [{SESSION_FIELDS: str}]
    lecturer_summary: str = ""
    lecturers: list = field(default_factory=list)  # [{LECTURER_FIELDS: str}]


def _text(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def rows_of(application):
    """The EmbeddedRows of a saved application."""
    return EmbeddedRows(
        content_summary=application.content_summary or "",
        sessions=[{name: _text(getattr(s, name)) for name in SESSION_FIELDS} for s in application.sessions.all()],
        lecturer_summary=application.lecturer_summary or "",
        lecturers=[{name: _text(getattr(lt, name)) for name in LECTURER_FIELDS} for lt in application.lecturers.all()],
    )


# --- the XML part ---------------------------------------------------------------------------------


def _element(tag, text=None):
    node = etree.Element(q(tag), nsmap={"yx": NS})
    if text is not None:
        node.text = clean_xml_text(text)
    return node


def _sub(parent, tag, text=None):
    node = etree.SubElement(parent, q(tag))
    if text is not None:
        node.text = clean_xml_text(text)
    return node


def to_xml(rows):
    """The custom XML part (bytes)."""
    root = _element("rows")
    root.set("version", VERSION)
    schedule = _sub(root, "schedule")
    _sub(schedule, "summary", rows.content_summary)
    for row in rows.sessions:
        session = _sub(schedule, "session")
        for name in SESSION_FIELDS:
            _sub(session, name, row.get(name, ""))
    lecturers = _sub(root, "lecturers")
    _sub(lecturers, "summary", rows.lecturer_summary)
    for row in rows.lecturers:
        lecturer = _sub(lecturers, "lecturer")
        for name in LECTURER_FIELDS:
            _sub(lecturer, name, row.get(name, ""))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def is_rows_part(data):
    return MARKER in data[:1024]


def _rows(parent, tag, names):
    found = parent.findall(q(tag))
    if len(found) > MAX_ROWS:
        raise Unreadable(f"too many {tag} rows")
    return [{name: (node.findtext(q(name)) or "") for name in names} for node in found]


def from_xml(root):
    """EmbeddedRows from the parsed part, or Unreadable."""
    if root is None or root.tag != q("rows"):
        raise Unreadable("not the rows part")
    if root.get("version") != VERSION:
        raise Unreadable(f"unknown version {root.get('version')!r}")
    schedule, lecturers = root.find(q("schedule")), root.find(q("lecturers"))
    if schedule is None or lecturers is None:
        raise Unreadable("schedule or lecturers missing")
    return EmbeddedRows(
        content_summary=schedule.findtext(q("summary")) or "",
        sessions=_rows(schedule, "session", SESSION_FIELDS),
        lecturer_summary=lecturers.findtext(q("summary")) or "",
        lecturers=_rows(lecturers, "lecturer", LECTURER_FIELDS),
    )


# --- restoring ---------------------------------------------------------------------------------------


def _clean_row(model, row, names):
    """Model values for one row (converted and validated like a form would), or ValidationError."""
    values = {}
    for name in names:
        model_field = model._meta.get_field(name)
        value = normalise_spaces(row.get(name, ""))
        if value == "" and model_field.blank:
            values[name] = ""
            continue
        values[name] = model_field.clean(value, None)
    return values


def clean_sessions(rows):
    return [_clean_row(ScheduleSession, row, SESSION_FIELDS) for row in rows]


def clean_lecturers(rows):
    return [_clean_row(Lecturer, row, LECTURER_FIELDS) for row in rows]


class _Rows(list):
    def all(self):
        return self


def printed_schedule(summary, sessions):
    """What form_context prints for these rows (`sessions`: cleaned model values)."""
    application = SimpleNamespace(content_summary=summary, sessions=_Rows(ScheduleSession(**row) for row in sessions))
    return schedule_text(application)


def printed_lecturers(summary, lecturers):
    application = SimpleNamespace(lecturer_summary=summary, lecturers=_Rows(Lecturer(**row) for row in lecturers))
    return lecturer_text(application)


__all__ = [
    "EmbeddedRows",
    "Unreadable",
    "ValidationError",
    "clean_lecturers",
    "clean_sessions",
    "from_xml",
    "is_rows_part",
    "printed_lecturers",
    "printed_schedule",
    "rows_of",
    "to_xml",
]
