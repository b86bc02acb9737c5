"""Import: the shared examples, the round trip, tolerant reading, refusals."""

import io
import json
import zipfile
from datetime import date, timedelta
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from yanxiu.applications.domain import editing
from yanxiu.applications.models import Application
from yanxiu.documents.generate.forms_docx import render_application_docx
from yanxiu.documents.imports.dates import DateUnreadable, parse_period
from yanxiu.documents.imports.importer import import_source
from yanxiu.documents.imports.sources import Source, expand_bytes
from yanxiu.documents.interfaces.export import application_json, form_part
from yanxiu.organisations.models import Institution
from yanxiu.reference.models import CompetentDepartment, ProfessionalDomain

from .helpers import NS, W, document_xml, expectation, handfill, replace_document, shared_example


def run(name, data, actor, dry_run=True):
    return import_source(Source(name, data), actor=actor, dry_run=dry_run)


# --- the shared hand-filled examples ------------------------------------------------------


@pytest.mark.parametrize("name", ["example-att1", "example-att2"])
def test_examples_import_to_their_expectation(province, name):
    expected = expectation(f"{name}.expect.json")
    result = run(name, shared_example(f"{name}.docx").read_bytes(), province)
    assert result.form == expected["form"]
    assert result.status == "checked"
    assert {key: result.application[key] for key in expected if key != "form"} == {k: v for k, v in expected.items() if k != "form"}
    assert [p.code for p in result.problems if p.code.startswith("import.")] == []


def test_summary_example_imports_to_its_expectation(province):
    expected = expectation("example-att3.expect.json")
    result = run("example-att3", shared_example("example-att3.docx").read_bytes(), province, dry_run=False)
    assert result.form == "att3" and result.status == "imported"
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
    assert "schedule.empty" in codes and "lecturers.empty" in codes  # the form has prose, not rows
    assert result.application["id"] == created.pk


# --- round trip: generate -> import -> the same application ------------------------------------


def test_round_trip_of_the_demo_applications(demo, province):
    for original in Application.objects.select_related("call", "institution").exclude(title=""):
        result = run(f"{original.pk}.docx", render_application_docx(original), province, dry_run=False)
        assert result.status == "imported", result.problems
        assert form_part(result.application) == form_part(application_json(original))
        assert result.application["institution"] == {"name": original.institution.name, "uscc": original.institution.uscc}


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


LINE = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), exclude_characters="<"),
    ),
    min_size=1,
    max_size=30,
).map(str.strip).filter(bool)
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
    editing.save_draft(application, fields=fields, sessions=[], lecturers=[], claims=claims, actor=actor, expected_version=application.version)
    return Application.objects.select_related("call", "institution", "domain", "competent_department").get(pk=application.pk)


@pytest.mark.django_db
@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_round_trip_property(demo, province, data):
    original = data.draw(applications())
    result = run("generated.docx", render_application_docx(original), province)
    assert result.status == "checked", [p.message for p in result.problems]
    assert form_part(result.application) == form_part(application_json(original))


# --- tolerant reading of hand-filled forms ---------------------------------------------------------


@pytest.mark.parametrize("mark", ["☑", "■", "√", "✓", "✔", "●", "☒"])
def test_tick_variants(province, mark, demo):
    data = handfill("att2", {(0, 1): "测试研修班", (8, 2): "泉州文博数字研究中心", (3, 1): f"□服务重大战略：\n\n\n{mark}对接产业需求：海洋装备\n\n\n□突出数字技术："})
    result = run("ticks.docx", data, province)
    assert (result.application["scope"], result.application["scope_text"]) == (["industry"], {"industry": "海洋装备"})


@pytest.mark.parametrize("spec", [[("þ", "Wingdings")], [("R", "Wingdings 2")]])
def test_wingdings_ticks(province, spec, demo):
    cell = [[("□", None), ("财政资助项目", None)], "", spec + [("自筹经费项目（自筹经费来源：单位自有资金", None)], "）"]
    data = handfill("att1", {(0, 1): "测试研修班", (12, 2): "福建现代种业研究院", (3, 1): cell})
    result = run("wingdings.docx", data, province)
    assert (result.application["funding"], result.application["funding_source"]) == ("self", "单位自有资金")


def test_wingdings_symbol_element(province, demo):
    data = handfill("att1", {(0, 1): "测试研修班", (12, 2): "福建现代种业研究院", (15, 2): "□是第\n批国家级继续教育基地\n□是省级继续教育基地\nX否"})
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
    "text,expected",
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
    call_command("import_forms", str(tmp_path / "folder"), str(tmp_path / "batch.zip"), str(tmp_path / "mail.eml"),
                 "--json", "--dry-run", "--report", str(report))
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["file"].split("/")[-1], line["form"]) for line in lines] == [("a.docx", "att1"), ("broken.docx", None), ("b.docx", "att2"), ("c.docx", "att1")]
    assert lines[0]["application"]["start"] == "2026-08-03" and lines[0]["application"]["id"] is None
    assert lines[1]["problems"] == [{"code": "import.executable", "severity": "error", "message": "这是一个可执行程序，不是 Word 文档，已拒绝。"}]
    assert Application.objects.count() == before
    import openpyxl

    sheet = openpyxl.load_workbook(report).active
    assert [c.value for c in sheet[1]] == ["文件", "识别为", "结果", "申报编号", "读到的栏目", "未能读取 / 问题", "规则检查"]
    assert sheet.max_row == 5


def test_expand_refuses_nested_bomb_zip_without_stopping():
    inner = _bomb()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.zip", inner)
        archive.writestr("note.txt", "ignored")
    sources = list(expand_bytes("outer.zip", out.getvalue()))
    assert [(s.name, s.refused.code if s.refused else None) for s in sources] == [("outer.zip/bomb.zip", "import.zip_bomb")]
