"""What one editor POST asks to save, split into what may be saved and what is held.

The editor sends the whole form with every autosave. Each field, and each table as a whole
(schedule, lecturers, topic scope), is valid or not on its own: the valid ones are saved and
each invalid one is held on the page with its reasons (decision 0014). The same module
compares a posted form with the stored version when another window saved first.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError

from ..domain.editing import LECTURER_COLUMNS, SESSION_COLUMNS
from ..models import Lecturer, ScheduleSession
from .forms import formset_rows

TABLES = {"sessions": "日程安排", "lecturers": "授课专家", "topic_scope": "选题范围"}


@dataclass
class EditorInput:
    fields: dict
    sessions: list | None  # None: the table is held (an invalid row), the stored rows stay
    lecturers: list | None
    claims: dict | None
    refused: dict = field(default_factory=dict)  # block name -> label, in page order

    @property
    def refused_labels(self):
        return list(self.refused.values())


def editor_input(form, sessions, lecturers, topics):
    """The valid subset of a bound editor: every valid field, every valid table."""
    for bound in (form, sessions, lecturers, topics):
        bound.is_valid()
    refused = {name: _label(form, name) for name in form.fields if name in form.errors}
    fields = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    tables = {}
    for name, formset in (("sessions", sessions), ("lecturers", lecturers)):
        tables[name] = formset_rows(formset) if formset.is_valid() else None
        if tables[name] is None:
            refused[name] = TABLES[name]
    claims = topics.claims() if topics.is_valid() else None
    if claims is None:
        refused["topic_scope"] = TABLES["topic_scope"]
    return EditorInput(fields, tables["sessions"], tables["lecturers"], claims, refused)


def _label(form, name):
    return str(form.fields[name].label)


# --- two windows: the stored version beside the user's ------------------------------------


def _text(field, value):
    if value in (None, "", []):
        return "" if not isinstance(field, forms.BooleanField) else "否"
    if isinstance(field, forms.ModelChoiceField):
        try:
            found = field.queryset.filter(pk=value.pk if hasattr(value, "pk") else value).first()
        except (ValueError, TypeError, ValidationError):
            found = None
        return str(found) if found else str(value)
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)
        return "、".join(str(labels.get(v, v)) for v in value)
    if isinstance(field, forms.BooleanField):
        return "是" if value else "否"
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


def _session_line(row):
    session = ScheduleSession(**{k: row.get(k) for k in SESSION_COLUMNS})
    speaker = f"（主讲：{session.speaker}）" if session.speaker else ""
    return f"{session.date} {session.get_half_day_display()} {session.topic}{speaker} {session.class_hours}学时"


def _lecturer_line(row):
    lecturer = Lecturer(**{k: row.get(k) for k in LECTURER_COLUMNS})
    return f"{lecturer.name}，{lecturer.affiliation}{lecturer.position or lecturer.get_title_display()}"


def _rows_text(rows, line):
    return "\n".join(sorted(line(row) for row in rows))


@dataclass(frozen=True)
class Difference:
    name: str
    label: str
    theirs: str
    mine: str


def comparison(stored, form, sessions, lecturers, topics):
    """[Difference] between the stored application (saved by another window) and what this
    page holds, field by field in page order; the user's side is what they typed, valid or not."""
    rows = []
    for name in form.fields:
        bound = form[name]
        if not bound.field.has_changed(form.initial.get(name), bound.data):
            continue
        theirs = _text(bound.field, form.initial.get(name))
        mine = _text(bound.field, bound.data)
        if theirs != mine:
            rows.append(Difference(name, str(bound.field.label), theirs, mine))
    stored_sessions = _rows_text(stored.sessions.values(*SESSION_COLUMNS), _session_line)
    stored_lecturers = _rows_text(stored.lecturers.values(*LECTURER_COLUMNS), _lecturer_line)
    stored_claims = "\n".join(f"{c.area.name}：{c.explanation}" for c in stored.topic_claims.select_related("area"))
    typed_sessions = (
        _rows_text(formset_rows(sessions), _session_line) if sessions.is_valid() else "（含填写不正确的行）"
    )
    typed_lecturers = (
        _rows_text(formset_rows(lecturers), _lecturer_line) if lecturers.is_valid() else "（含填写不正确的行）"
    )
    if topics.is_valid():
        typed_claims = "\n".join(f"{area.name}：{text}" for area, text in topics.claims().items())
    else:
        typed_claims = "（含填写不正确的说明）"
    for name, theirs, mine in (
        ("sessions", stored_sessions, typed_sessions),
        ("lecturers", stored_lecturers, typed_lecturers),
        ("topic_scope", stored_claims, typed_claims),
    ):
        if theirs != mine:
            rows.append(Difference(name, TABLES[name], theirs, mine))
    return rows
