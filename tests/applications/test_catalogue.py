"""The application's fields are declared once (applications/catalogue.py): the model holds no field
the catalogue misses, and every list derived from it says what the catalogue says."""

import pathlib
import zipfile

import pytest
from lxml import etree

from yanxiu.api.routers.applications import ApplicationDetailOut, DraftFieldsIn
from yanxiu.applications import catalogue
from yanxiu.applications.domain import checks, snapshot
from yanxiu.applications.interfaces import form_context
from yanxiu.applications.interfaces.forms import SECTIONS, ApplicationForm
from yanxiu.applications.models import Application
from yanxiu.documents import layout
from yanxiu.documents.imports import importer, parse_forms
from yanxiu.documents.interfaces import export

ROOT = pathlib.Path(__file__).resolve().parents[2]
BLANKS = ROOT / "yanxiu" / "documents" / "blanks"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_every_field_of_the_model_is_in_the_catalogue_or_set_by_the_system():
    model = {f.name for f in Application._meta.concrete_fields if f.editable}
    assert model - set(catalogue.names()) - catalogue.NOT_FILLED == set()
    assert set(catalogue.names()) - model == set()  # and the catalogue names no field the model lacks
    assert set(catalogue.names()) & catalogue.NOT_FILLED == set()


def test_each_field_names_a_known_section_and_slot():
    sections = {key for key, _ in catalogue.SECTIONS}
    assert {f.section for f in catalogue.FIELDS} <= sections
    assert {f.slot for f in catalogue.FIELDS if f.slot} <= set(catalogue.SLOT)
    assert len(catalogue.FIELD) == len(catalogue.FIELDS)
    verbatim_slots = [f.slot for f in catalogue.verbatim()]
    assert len(verbatim_slots) == len(set(verbatim_slots))  # a verbatim field's slot is its own
    assert all(catalogue.SLOT[slot].kind == "text" for slot in verbatim_slots)  # and is a text cell
    for form in catalogue.BOTH:  # no two slots share a cell
        cells = [s.cells[form] for s in catalogue.SLOTS if form in s.cells]
        assert len(cells) == len(set(cells))


def test_the_editor_and_the_change_diff_list_the_catalogue():
    assert catalogue.names() == snapshot.FIELDS
    assert [(key, label) for key, label, _ in SECTIONS] == list(catalogue.SECTIONS)
    assert [name for _, _, names in SECTIONS for name in names] == catalogue.names()
    assert ApplicationForm._meta.fields == catalogue.names()
    national = ApplicationForm(tier="national")
    provincial = ApplicationForm(tier="provincial")
    assert list(national.fields) == [f.name for f in catalogue.for_form("att1")]
    assert list(provincial.fields) == [f.name for f in catalogue.for_form("att2")]
    assert "funding" in national.fields
    assert "funding" not in provincial.fields


def test_the_required_check_asks_for_the_catalogues_required_fields_with_each_forms_label():
    assert [(f.name, f.label) for f in catalogue.FIELDS if f.required] == checks.REQUIRED_FIELDS
    assert catalogue.FIELD["domain"].label_on("att1") == "选题所属行业领域"
    assert catalogue.FIELD["trainee_description"].label_on("att2") == "培训对象"


def test_the_word_layout_is_the_catalogues_slots():
    for form in catalogue.BOTH:
        expected = {s.key: s.cells[form] for s in catalogue.SLOTS if form in s.cells and s.kind == "text"}
        assert {key: (slot.row, slot.cell) for key, slot in layout.TEXT_SLOTS[form].items()} == expected
        assert layout.FORM_LABELS[form] == {s.key: s.labels[form] for s in catalogue.SLOTS if form in s.labels}
    assert {key: layout.FIELD_LABELS[key] for key in catalogue.SLOT} == {s.key: s.label for s in catalogue.SLOTS}
    assert layout.TEXT_SLOTS["att1"]["trainees"].hint == catalogue.HINT_TRAINEES_NATIONAL
    opinion = layout.OPINION_SLOT["att2"].row
    assert layout.PRINT_LAYOUT["att2"]["min_heights"] == {opinion: 2400}  # the opinion row, wherever it is


def _blank_rows(form):
    root = etree.fromstring(zipfile.ZipFile(BLANKS / f"{form}.docx").read("word/document.xml"))
    table = root.find(f".//{{{W}}}tbl")
    return [
        ["".join(t.text or "" for t in tc.iter(f"{{{W}}}t")) for tc in tr.findall(f"{{{W}}}tc")]
        for tr in table.findall(f"{{{W}}}tr")
    ]


@pytest.mark.parametrize("form", catalogue.BOTH)
def test_each_slots_cell_follows_its_label_on_the_blank_form(form):
    rows = _blank_rows(form)
    for slot in catalogue.SLOTS:
        if form not in slot.cells:
            continue
        row, cell = slot.cells[form]
        printed = parse_forms.label_key(rows[row][cell - 1])
        assert printed in {parse_forms.label_key(x) for x in (slot.label_on(form), *slot.aliases)}, slot.key


def test_the_import_reads_every_slot_by_each_forms_label_and_maps_every_verbatim_field():
    for slot in catalogue.SLOTS:
        if "." in slot.key:  # read within its section (承办单位信息) or its tick-box cell
            continue
        for label in (slot.label, *slot.labels.values(), *slot.aliases):
            assert parse_forms.LABELS[parse_forms.label_key(label)] == slot.key
    host = {s.key.removeprefix("host."): s for s in catalogue.SLOTS if s.key.startswith("host.")}
    assert set(parse_forms.SECTION_FIELDS.values()) == set(host)
    assert parse_forms.SECTION_FIELDS["单位名称"] == "name"
    assert importer.form_label("att2", "trainee_description") == "培训对象"
    assert importer.form_label("att1", "start_date") == "办班时间"
    assert importer.form_label("att2", "host_fax") == "传真"


def test_the_export_and_the_api_carry_every_field():
    assert {f.key for f in catalogue.verbatim()} <= set(export.FORM_KEYS)
    assert list(DraftFieldsIn.model_fields) == catalogue.names()
    assert set(catalogue.names()) <= set(ApplicationDetailOut.model_fields)
    assert DraftFieldsIn.model_fields["title"].metadata[0].max_length == 200


def test_the_preview_places_or_lists_every_verbatim_field():
    assert {f.name for f in catalogue.verbatim()} >= form_context.PREVIEW_PLACES


def test_adding_a_field_touches_the_files_the_catalogue_lists():
    assert len(catalogue.ADD_A_FIELD) <= 3
    for path in catalogue.ADD_A_FIELD + catalogue.DERIVED_BY:
        assert (ROOT / path).exists(), path
    for path in catalogue.DERIVED_BY:  # each derived module does read the catalogue
        assert "catalogue" in (ROOT / path).read_text(encoding="utf-8"), path
