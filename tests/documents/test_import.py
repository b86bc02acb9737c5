"""Import: the shared examples, the round trip, tolerant reading, refusals."""

import io
import json
import secrets
import zipfile
from datetime import UTC, date, timedelta
from decimal import Decimal
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from yanxiu.applications.domain import editing
from yanxiu.applications.enums import DeliveryMode, HalfDay, LecturerTitle, SessionFormat
from yanxiu.applications.models import Application
from yanxiu.documents.generate import pdf
from yanxiu.documents.generate.forms_docx import render_application_docx
from yanxiu.documents.imports.dates import DateUnreadable, parse_period
from yanxiu.documents.imports.importer import COPY, import_source
from yanxiu.documents.imports.sources import Source, expand_bytes
from yanxiu.documents.interfaces.export import application_json, form_part
from yanxiu.organisations.models import Institution
from yanxiu.reference.models import CompetentDepartment, ProfessionalDomain

from .helpers import NS, W, document_xml, expectation, handfill, replace_document, shared_example


def run(name, data, actor, dry_run=True, on_duplicate=COPY):
    """Import one file; these tests are about reading, so a form of a demo application already in the
    system is imported as a copy on purpose (tests/documents/test_reimport.py covers the choice)."""
    return import_source(Source(name, data), actor=actor, dry_run=dry_run, on_duplicate=on_duplicate)


SESSION_KEYS = ("date", "half_day", "topic", "speaker", "format", "mode", "class_hours")
LECTURER_KEYS = ("name", "title", "position", "affiliation", "topic")


def rows(application):
    """(content_summary, sessions, lecturer_summary, lecturers) as plain values."""
    application = Application.objects.get(pk=application.pk)
    return (
        application.content_summary,
        [{key: getattr(s, key) for key in SESSION_KEYS} for s in application.sessions.all()],
        application.lecturer_summary,
        [{key: getattr(lt, key) for key in LECTURER_KEYS} for lt in application.lecturers.all()],
    )


# --- the shared hand-filled examples ------------------------------------------------------


@pytest.mark.parametrize("name", ["example-att1", "example-att2"])
def test_examples_import_to_their_expectation(province, name):
    expected = expectation(f"{name}.expect.json")
    result = run(name, shared_example(f"{name}.docx").read_bytes(), province)
    assert result.form == expected["form"]
    assert result.status == "checked"
    assert {key: result.application[key] for key in expected if key != "form"} == {
        k: v for k, v in expected.items() if k != "form"
    }
    assert [p.code for p in result.problems if p.code.startswith("import.")] == []


def test_summary_example_imports_to_its_expectation(province):
    expected = expectation("example-att3.expect.json")
    result = run("example-att3", shared_example("example-att3.docx").read_bytes(), province, dry_run=False)
    assert result.form == "att3"
    assert result.status == "imported"
    assert result.application["authority"] == expected["authority"]
    assert result.application["rows"] == expected["rows"]
    assert result.application["date"] == "2026-02-16"
    linked = Application.objects.get(title="文物数字化保护与利用高级研修班")
    assert result.application["applications"] == [linked.pk]
    from yanxiu.documents.models import SummarySheet

    assert list(SummarySheet.objects.get(pk=result.summary_id).applications.all()) == [linked]


def test_import_creates_a_draft_with_checks(province):
    before = Application.objects.count()
    result = run("example-att1", shared_example("example-att1.docx").read_bytes(), province, dry_run=False)
    assert Application.objects.count() == before + 1
    created = Application.objects.get(pk=result.application_id)
    assert (created.state, created.tier, created.institution.name) == ("draft", "national", "福建现代种业研究院")
    assert (created.start_date, created.end_date, created.planned_trainees) == (date(2026, 8, 3), date(2026, 8, 8), 55)
    codes = {p.code for p in result.problems}
    assert "schedule.empty" in codes
    assert "lecturers.empty" in codes
    assert result.application["id"] == created.pk


# --- round trip: generate -> import -> the same application ------------------------------------


def test_round_trip_of_the_demo_applications(demo, province):
    originals = list(Application.objects.select_related("call", "institution").exclude(title=""))
    assert len(originals) == 5
    for original in originals:
        # the same institution, call, tier and title: a copy made on purpose (decision 0016)
        result = run(f"{original.pk}.docx", render_application_docx(original), province, dry_run=False)
        assert result.status == "imported", result.problems
        assert form_part(result.application) == form_part(application_json(original))
        assert result.application["institution"] == {
            "name": original.institution.name,
            "uscc": original.institution.uscc,
        }
        imported = Application.objects.get(pk=result.application_id)
        assert rows(imported) == rows(original)
        assert len(rows(imported)[1]) >= 4
        assert len(rows(imported)[3]) == 2
        codes = [p.code for p in result.problems]
        assert [c for c in codes if c.startswith("import.") or c in ("schedule.empty", "lecturers.empty")] == []


def _edit_tagged(data, tag, old, new):
    """The form with `old` replaced by `new` in one tagged field, as a person would in Word."""
    root = document_xml(data)
    changed = 0
    for sdt in root.iter(f"{{{W}}}sdt"):
        if sdt.find("w:sdtPr/w:tag", NS).get(f"{{{W}}}val") == tag:
            for t in sdt.findall(".//w:t", NS):
                changed += old in t.text
                t.text = t.text.replace(old, new)
    assert changed
    return replace_document(data, root)


def test_edited_schedule_text_keeps_the_text_and_warns(national, province):
    original = rows(national)
    data = _edit_tagged(render_application_docx(national), "yx:content", "（主讲：张教授）", "（主讲：王教授）")
    result = run("edited.docx", data, province, dry_run=False)
    assert result.status == "imported"
    edited = [p.as_dict() for p in result.problems if p.code.startswith("import.")]
    assert edited == [
        {
            "code": "import.schedule_edited",
            "severity": "warning",
            "message": "“研修内容和方式”的文字在系统生成后被修改过，无法恢复逐条日程安排，仅导入了文字；请在系统中核对。",
        }
    ]
    imported = Application.objects.get(pk=result.application_id)
    summary, sessions, lecturer_summary, lecturers = rows(imported)
    assert summary == application_json(national)["content"].replace("（主讲：张教授）", "（主讲：王教授）")
    assert sessions == []
    assert (lecturer_summary, lecturers) == (original[2], original[3])  # untouched: restored
    assert result.application["content"] == summary
    codes = [p.code for p in result.problems]
    assert "schedule.empty" in codes
    assert "lecturers.empty" not in codes


def test_edited_lecturer_text_keeps_the_text_and_warns(provincial, province):
    original = rows(provincial)
    data = _edit_tagged(render_application_docx(provincial), "yx:lecturers", "★", "")
    result = run("edited.docx", data, province, dry_run=False)
    assert [(p.code, p.severity) for p in result.problems if p.code.startswith("import.")] == [
        ("import.lecturers_edited", "warning")
    ]
    imported = Application.objects.get(pk=result.application_id)
    assert rows(imported)[:2] == original[:2]
    assert rows(imported)[3] == []
    assert rows(imported)[2] == application_json(provincial)["lecturers"].replace("★", "")


def test_hand_filled_form_without_embedded_rows_is_text_only(province, demo):
    data = handfill(
        "att2", {(0, 1): "测试研修班", (8, 2): "泉州文博数字研究中心", (5, 1): "5月12日上午 主题报告：数字化保护"}
    )
    result = run("hand.docx", data, province, dry_run=False)
    assert [p.code for p in result.problems if p.code.startswith("import.")] == []
    imported = Application.objects.get(pk=result.application_id)
    assert rows(imported) == ("5月12日上午 主题报告：数字化保护", [], "", [])


def _with_rows_part(data, content):
    """The form with its embedded rows part replaced by `content`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename.startswith("customXml/item") and b"urn:yanxiu:form-rows:1" in body:
                body = content(body)
            archive.writestr(info.filename, body)
    return out.getvalue()


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        (
            lambda body: body.replace(b"?>", b'?><!DOCTYPE r [<!ENTITY x "boom">]>', 1),
            "import.rows_unreadable",
            "表内嵌的日程安排和授课专家数据含有不允许的 XML 声明（DOCTYPE/ENTITY），已忽略，仅导入了文字。",
        ),
        (
            lambda body: body.replace(b'version="1"', b'version="9"'),
            "import.rows_unreadable",
            "表内嵌的日程安排和授课专家数据格式不正确，已忽略，仅导入了文字。",
        ),
        (
            lambda body: body.replace(b"<yx:half_day>am</yx:half_day>", b"<yx:half_day>midnight</yx:half_day>", 1),
            "import.rows_invalid",
            "表内嵌的逐条日程安排不符合填写要求，未恢复，“研修内容和方式”仅导入了文字。",
        ),
        (
            lambda body: body.replace(b"<yx:summary>", b"<yx:summary>" + secrets.token_hex(600_000).encode(), 1),
            "import.rows_unreadable",
            "表内嵌的日程安排和授课专家数据过大，已忽略，仅导入了文字。",
        ),
        (
            lambda body: body.replace(b"</yx:rows>", b"</yx:rowz>"),
            "import.rows_unreadable",
            "表内嵌的日程安排和授课专家数据已损坏，已忽略，仅导入了文字。",
        ),
    ],
    ids=["doctype", "version", "invalid-choice", "oversized", "bad-xml"],
)
def test_unsafe_or_invalid_embedded_rows_fall_back_to_text(national, province, change, code, message):
    result = run("forged.docx", _with_rows_part(render_application_docx(national), change), province, dry_run=False)
    assert result.status == "imported"
    assert [p.as_dict() for p in result.problems if p.code.startswith("import.")] == [
        {"code": code, "severity": "warning", "message": message}
    ]
    imported = Application.objects.get(pk=result.application_id)
    assert rows(imported)[1] == []
    assert form_part(result.application) == form_part(application_json(national))


@pytest.mark.skipif(not pdf.is_available(), reason="LibreOffice is not installed")
def test_embedded_rows_survive_a_libreoffice_save(national, province):
    """LibreOffice keeps the custom XML part as it is. LibreOffice 7.4 drops the content
    controls' tags but (since decision 0020) keeps each value once, so the printed schedule and
    lecturers still match the rows and the import restores them."""
    from yanxiu.documents import embedded
    from yanxiu.documents.imports.reader import read_document
    from yanxiu.documents.imports.safety import open_docx

    converted = pdf.convert(render_application_docx(national), ".docx", "docx")
    doc = read_document(open_docx(converted))
    assert embedded.from_xml(doc.embedded) == embedded.rows_of(national)
    result = run("libreoffice.docx", converted, province, dry_run=False)
    assert result.status == "imported"
    assert [p.code for p in result.problems if p.code.startswith("import.")] == []
    assert rows(Application.objects.get(pk=result.application_id)) == rows(national)


def test_submission_date_is_printed_on_att2_and_read_back(provincial, province):
    from django.utils import timezone

    assert timezone.localdate(provincial.submitted_at) == date(2026, 2, 10)
    data = render_application_docx(provincial)
    texts = [
        "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))
        for p in document_xml(data).find("w:body", NS).findall("w:p", NS)
    ]
    assert texts[4] == "申报时间：2026年2月10日"
    result = run("submitted.docx", data, province)
    assert result.application["submitted"] == "2026-02-10"
    assert form_part(result.application) == form_part(application_json(provincial))


def test_submission_date_is_the_local_date(provincial, province):
    from datetime import datetime

    provincial.submitted_at = datetime(2026, 2, 9, 17, 30, tzinfo=UTC)  # 2026-02-10 01:30 in Fuzhou
    data = render_application_docx(provincial)
    texts = [
        "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))
        for p in document_xml(data).find("w:body", NS).findall("w:p", NS)
    ]
    assert texts[4] == "申报时间：2026年2月10日"
    provincial.submitted_at = None
    data = render_application_docx(provincial)
    texts = [
        "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))
        for p in document_xml(data).find("w:body", NS).findall("w:p", NS)
    ]
    assert texts[4] == "申报时间：  年  月  日"
    assert run("blank-date.docx", data, province).application["submitted"] is None


def test_round_trip_after_a_person_edits_the_tagged_form(national, province):
    root = document_xml(render_application_docx(national))
    for sdt in root.iter(f"{{{W}}}sdt"):
        tag = sdt.find("w:sdtPr/w:tag", NS).get(f"{{{W}}}val")
        texts = sdt.findall(".//w:t", NS)
        if tag == "yx:title":
            texts[0].text = "种业振兴高级研修班（修改）"
        if tag == "yx:scope.digital":
            texts[0].text = "√"  # typed over the empty box
        if tag == "yx:scope.digital.text":
            sdt.find("w:sdtContent/w:r", NS).append(_t("人工智能育种，含对接产业需求的说明"))
    result = run("edited.docx", replace_document(render_application_docx(national), root), province)
    assert result.application["title"] == "种业振兴高级研修班（修改）"
    assert result.application["scope"] == ["strategy", "industry", "digital"]
    assert result.application["scope_text"]["digital"] == "人工智能育种，含对接产业需求的说明"


def _t(text):
    from lxml import etree

    node = etree.Element(f"{{{W}}}t")
    node.text = text
    return node


LINE = (
    st.text(
        alphabet=st.one_of(
            st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
            st.characters(
                codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), exclude_characters="<"
            ),
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
PARA = st.lists(LINE, min_size=0, max_size=4).map("\n".join)
LANDLINES = st.sampled_from(["", "0591-87612629", "0592-2000003", "059187716637"])
MOBILES = st.sampled_from(["", "13900000001", "18659000000"])


@st.composite
def applications(draw):
    institution = Institution.objects.order_by("pk")[draw(st.integers(0, 7))]
    tier = draw(st.sampled_from(["national", "provincial"]))
    from yanxiu.calls.models import Call

    call = Call.objects.get(year=2026)
    from yanxiu.accounts.models import User

    actor = User.objects.filter(institution=institution).first()
    application = editing.create_application(call=call, tier=tier, institution=institution, actor=actor)
    start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 330)))
    level = "national" if tier == "national" else "provincial"
    domains = list(ProfessionalDomain.objects.all()[:10])
    departments = list(CompetentDepartment.objects.filter(level=level)[:10])
    base = draw(st.sampled_from(["national", "provincial", "none", ""]))
    fields = {
        "title": draw(LINE.map(lambda s: s[:60])),
        "start_date": start,
        "end_date": start + timedelta(days=draw(st.integers(0, 9))),
        "venue_city": draw(st.sampled_from(["", "福州市", "厦门市"])),
        "venue_place": draw(st.one_of(st.just(""), LINE)),
        "domain": draw(st.one_of(st.none(), st.sampled_from(domains))),
        "competent_department": draw(st.one_of(st.none(), st.sampled_from(departments))),
        "funding": draw(st.sampled_from(["fiscal", "self_funded", ""])) if tier == "national" else "",
        "funding_source": draw(st.one_of(st.just(""), LINE)),
        "purpose": draw(PARA),
        "content_summary": draw(PARA),
        "lecturer_summary": draw(PARA),
        "trainee_description": draw(PARA),
        "planned_trainees": draw(st.one_of(st.none(), st.integers(1, 500))),
        "recruitment_scope": draw(st.sampled_from(["", "nationwide", "province", "local"])),
        "host_name": draw(LINE),
        "host_contact": draw(st.one_of(st.just(""), LINE.map(lambda s: s[:50]))),
        "host_office_phone": draw(LANDLINES),
        "host_mobile": draw(MOBILES),
        "host_fax": draw(LANDLINES),
        "host_address": draw(st.one_of(st.just(""), LINE)),
        "base_status": base,
        "base_batch": draw(st.one_of(st.none(), st.integers(1, 30))),
    }
    areas = list(call.topic_areas.all())
    chosen = draw(st.lists(st.sampled_from(areas), unique=True, max_size=3))
    claims = {area: draw(PARA) for area in chosen}
    sessions = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "date": st.integers(0, 9).map(lambda n: start + timedelta(days=n)),
                    "half_day": st.sampled_from(HalfDay.values),
                    "topic": LINE,
                    "speaker": st.one_of(st.just(""), LINE),
                    "format": st.sampled_from(SessionFormat.values),
                    "mode": st.sampled_from(DeliveryMode.values),
                    "class_hours": st.sampled_from([Decimal(n) / 2 for n in range(1, 9)]),
                }
            ),
            max_size=6,
        )
    )
    lecturers = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "name": LINE,
                    "title": st.sampled_from(LecturerTitle.values),
                    "position": st.one_of(st.just(""), LINE),
                    "affiliation": LINE,
                    "topic": st.one_of(st.just(""), LINE),
                }
            ),
            max_size=4,
        )
    )
    editing.save_draft(
        application,
        fields=fields,
        sessions=sessions,
        lecturers=lecturers,
        claims=claims,
        actor=actor,
        expected_version=application.version,
    )
    return Application.objects.select_related("call", "institution", "domain", "competent_department").get(
        pk=application.pk
    )


@pytest.mark.django_db
@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_round_trip_property(demo, province, data):
    original = data.draw(applications())
    result = run("generated.docx", render_application_docx(original), province, dry_run=False)
    assert result.status == "imported", [p.message for p in result.problems]
    assert form_part(result.application) == form_part(application_json(original))
    assert rows(Application.objects.get(pk=result.application_id)) == rows(original)
    assert [p.code for p in result.problems if p.code.startswith("import.rows") or p.code.endswith("_edited")] == []


# --- tolerant reading of hand-filled forms ---------------------------------------------------------


@pytest.mark.parametrize("mark", ["☑", "■", "√", "✓", "✔", "●", "☒"])
def test_tick_variants(province, mark, demo):
    data = handfill(
        "att2",
        {
            (0, 1): "测试研修班",
            (8, 2): "泉州文博数字研究中心",
            (3, 1): f"□服务重大战略：\n\n\n{mark}对接产业需求：海洋装备\n\n\n□突出数字技术：",
        },
    )
    result = run("ticks.docx", data, province)
    assert (result.application["scope"], result.application["scope_text"]) == (["industry"], {"industry": "海洋装备"})


@pytest.mark.parametrize("spec", [[("þ", "Wingdings")], [("R", "Wingdings 2")]])
def test_wingdings_ticks(province, spec, demo):
    cell = [
        [("□", None), ("财政资助项目", None)],
        "",
        [*spec, ("自筹经费项目（自筹经费来源：单位自有资金", None)],
        "）",
    ]
    data = handfill("att1", {(0, 1): "测试研修班", (12, 2): "福建现代种业研究院", (3, 1): cell})
    result = run("wingdings.docx", data, province)
    assert (result.application["funding"], result.application["funding_source"]) == ("self", "单位自有资金")


def test_wingdings_symbol_element(province, demo):
    data = handfill(
        "att1",
        {
            (0, 1): "测试研修班",
            (12, 2): "福建现代种业研究院",
            (15, 2): "□是第\n批国家级继续教育基地\n□是省级继续教育基地\nX否",
        },
    )
    root = document_xml(data)
    for t in root.iter(f"{{{W}}}t"):
        if t.text == "X否":
            from lxml import etree

            t.text = "否"
            sym = etree.Element(f"{{{W}}}sym")
            sym.set(f"{{{W}}}font", "Wingdings")
            sym.set(f"{{{W}}}char", "F0FE")
            t.addprevious(sym)
    result = run("sym.docx", replace_document(data, root), province)
    assert (result.application["base"], result.application["base_batch"]) == ("none", None)


def test_broken_labels_hints_and_spaces(province, demo):
    data = handfill(
        "att1",
        {
            (0, 1): "  测试研修班 ",
            (1, 0): "办 班\n时 间",
            (1, 1): "2026年10月20-23日",
            (6, 1): "（包括但不限于主题报告、专题研讨、学术交流、现场教学）主题报告3场。",
            (12, 2): "福建现代种业研究院",
            (15, 2): "√是第 十 批国家级继续教育基地\n□是省级继续教育基地\n□否",
        },
    )
    result = run("labels.docx", data, province)
    app = result.application
    assert (app["title"], app["start"], app["end"], app["days"]) == ("测试研修班", "2026-10-20", "2026-10-23", 4)
    assert app["content"] == "主题报告3场。"
    assert (app["base"], app["base_batch"]) == ("national", 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年6月15日—6月20日", (date(2026, 6, 15), date(2026, 6, 20))),
        ("2026.9.7-9.12", (date(2026, 9, 7), date(2026, 9, 12))),
        ("2026/7/6-2026/7/10", (date(2026, 7, 6), date(2026, 7, 10))),
        ("2026年10月20-23日", (date(2026, 10, 20), date(2026, 10, 23))),
        ("2026年5月12日至15日", (date(2026, 5, 12), date(2026, 5, 15))),
        ("２０２６年６月３０日～７月３日", (date(2026, 6, 30), date(2026, 7, 3))),
        ("2026-06-15—2026-06-20（含报到）", (date(2026, 6, 15), date(2026, 6, 20))),
        ("6月15日-20日", (date(2026, 6, 15), date(2026, 6, 20))),
        ("2026年8月3日", (date(2026, 8, 3), date(2026, 8, 3))),
    ],
)
def test_date_ranges(text, expected):
    assert parse_period(text, 2026) == expected


@pytest.mark.parametrize("text", ["下半年", "2026年13月1日-3日", "2026年6月"])
def test_unreadable_dates(text):
    with pytest.raises(DateUnreadable):
        parse_period(text, 2026)


# --- refusals: never stop the others, nothing half-imported ---------------------------------------


def _bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    return out.getvalue()


def _encrypted():
    # An encrypted .docx is an OLE compound file holding EncryptionInfo / EncryptedPackage.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100


BAD_FILES = {
    "corrupt.docx": (lambda good: good[: len(good) // 2], "import.corrupt"),
    "encrypted.docx": (lambda good: _encrypted(), "import.encrypted"),
    "program.docx": (lambda good: b"MZ\x90\x00" + b"\0" * 200, "import.executable"),
    "bomb.docx": (lambda good: _bomb(), "import.zip_bomb"),
    "old.doc": (lambda good: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "import.legacy_doc"),
    "text.docx": (lambda good: "不是文档".encode(), "import.not_docx"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_refused_with_a_message(province, national, name):
    make, code = BAD_FILES[name]
    before = Application.objects.count()
    result = run(name, make(render_application_docx(national)), province, dry_run=False)
    assert (result.status, [p.code for p in result.problems]) == ("refused", [code])
    assert result.problems[0].message
    assert Application.objects.count() == before


def test_oversized_file_is_refused(province, national, settings):
    settings.DOCUMENTS_IMPORT_MAX_BYTES = 10_000
    result = run("big.docx", render_application_docx(national), province)
    assert [p.code for p in result.problems] == ["import.too_large"]


def test_unknown_institution_imports_nothing(province, national):
    data = handfill("att1", {(0, 1): "测试研修班", (12, 2): "不存在的单位"})
    before = Application.objects.count()
    result = run("unknown.docx", data, province, dry_run=False)
    assert (result.status, result.problems[-1].code) == ("refused", "import.unknown_institution")
    assert result.application["title"] == "测试研修班"
    assert Application.objects.count() == before


def test_institution_staff_cannot_import_for_another_institution(national):
    from yanxiu.accounts.models import User

    staff = User.objects.get(username="xmhy")
    result = run("other.docx", render_application_docx(national), staff, dry_run=False)
    assert [p.code for p in result.problems][-1] == "import.not_allowed"


# --- the command: files, folders, zips, e-mails; --json ------------------------------------------------


def test_command_json_over_folders_zip_and_eml(tmp_path, national, provincial, capsys):
    good = render_application_docx(national)
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "a.docx").write_bytes(good)
    (tmp_path / "folder" / "broken.docx").write_bytes(b"MZ" + b"\0" * 100)
    with zipfile.ZipFile(tmp_path / "batch.zip", "w") as archive:
        archive.writestr("b.docx", render_application_docx(provincial))
    message = EmailMessage()
    message["Subject"] = "申报表"
    message.set_content("见附件")
    message.add_attachment(good, maintype="application", subtype="octet-stream", filename="c.docx")
    (tmp_path / "mail.eml").write_bytes(message.as_bytes())
    report = tmp_path / "report.xlsx"
    before = Application.objects.count()
    call_command(
        "import_forms",
        str(tmp_path / "folder"),
        str(tmp_path / "batch.zip"),
        str(tmp_path / "mail.eml"),
        "--json",
        "--dry-run",
        "--report",
        str(report),
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["file"].split("/")[-1], line["form"]) for line in lines] == [
        ("a.docx", "att1"),
        ("broken.docx", None),
        ("b.docx", "att2"),
        ("c.docx", "att1"),
    ]
    assert lines[0]["application"]["start"] == "2026-08-03"
    assert lines[0]["application"]["id"] is None
    assert lines[1]["problems"] == [
        {"code": "import.executable", "severity": "error", "message": "这是一个可执行程序，不是 Word 文档，已拒绝。"}
    ]
    assert Application.objects.count() == before
    import openpyxl

    sheet = openpyxl.load_workbook(report).active
    assert [c.value for c in sheet[1]] == [
        "文件",
        "识别为",
        "结果",
        "申报编号",
        "读到的栏目",
        "未能读取 / 问题",
        "规则检查",
    ]
    assert sheet.max_row == 5


def test_expand_refuses_nested_bomb_zip_without_stopping():
    inner = _bomb()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.zip", inner)
        archive.writestr("note.txt", "ignored")
    sources = list(expand_bytes("outer.zip", out.getvalue()))
    assert [(s.name, s.refused.code if s.refused else None) for s in sources] == [
        ("outer.zip/bomb.zip", "import.zip_bomb")
    ]
