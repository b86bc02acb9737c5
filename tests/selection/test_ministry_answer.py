"""The ministry's answer by file (issue 25): the recommendation package with its keys, a preview that
checks every row, and all the answers recorded through the one door, or none."""

import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.selection.test_selection import forwarded
from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.core.sheets import read_sheet
from yanxiu.core.spreadsheets import xlsx_bytes
from yanxiu.selection.domain import decisions
from yanxiu.selection.interfaces import ministry_answer
from yanxiu.selection.models import Outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return factories.province_officer()


@pytest.fixture
def candidates(officer):
    found = [forwarded("national", code) for code in ("350100-RS", "350200-RS")]
    for application in found:
        decisions.stage(application, Outcome.NATIONAL_CANDIDATE, actor=officer)
    decisions.publish(found[0].call, actor=officer, without_publicity="（测试）不经公示")
    return [Application.objects.get(pk=a.pk) for a in found]


def answer_file(rows, header=ministry_answer.COLUMNS):
    def write(workbook):
        sheet = workbook.add_worksheet()
        for number, row in enumerate([header, *rows]):
            sheet.write_row(number, 0, row)

    return xlsx_bytes(write)


def states(applications):
    return [(a.state, a.tier) for a in Application.objects.filter(pk__in=[a.pk for a in applications]).order_by("pk")]


def test_the_package_holds_each_recommended_form_and_a_summary_with_its_key(candidates):
    first, second = candidates
    archive = zipfile.ZipFile(io.BytesIO(ministry_answer.recommendation_package(first.call)))
    names = archive.namelist()
    assert names[0] == ministry_answer.SUMMARY_NAME
    assert len([n for n in names if n.startswith("附件1/") and n.endswith(".docx")]) == 2
    rows = read_sheet(archive.read(ministry_answer.SUMMARY_NAME))
    assert rows[0][1] == ministry_answer.COLUMNS
    assert [cells[:3] for _, cells in rows[1:]] == [
        [str(first.pk), first.title, first.institution.name],
        [str(second.pk), second.title, second.institution.name],
    ]


def test_the_summary_filled_in_is_previewed_then_applied_through_the_door(candidates, officer):
    first, second = candidates
    data = answer_file([[str(first.pk), first.title, "", "入选", ""], [str(second.pk), "", "", "未入选", "名额已满"]])
    preview = ministry_answer.read_answer(first.call, data)
    assert preview.ok
    assert [row[:2] + row[4:] for row in preview.preview()] == [
        (2, first.pk, "入选", ""),
        (3, second.pk, "未入选", "名额已满"),
    ]
    assert states(candidates) == [(ApplicationState.NATIONAL_CANDIDATE, "national")] * 2  # a preview saves nothing

    report = ministry_answer.apply_answer(first.call, data, actor=officer)
    assert (report.ok, report.applied) == (True, 2)
    assert states(candidates) == [
        (ApplicationState.MINISTRY_SELECTED, "national"),
        (ApplicationState.FORWARDED, "provincial"),  # the fallback to the provincial pool
    ]
    entry = AuditEntry.objects.get(action="import_ministry_answer")
    assert entry.data == {"selected": [first.pk], "not_selected": [second.pk]}


def test_one_bad_row_and_nothing_is_applied(candidates, officer):
    first, second = candidates
    data = answer_file(
        [
            [str(first.pk), first.title, "", "入选", ""],
            [str(second.pk), "另一个项目", "", "待定", ""],
            ["99999", "", "", "入选", ""],
            [str(first.pk), "", "", "未入选", ""],
        ]
    )
    report = ministry_answer.apply_answer(first.call, data, actor=officer)
    assert report.row_errors == [
        (3, [f"项目名称：与编号{second.pk}的项目“{second.title}”不一致。", "人社部结果：请填写“入选”或“未入选”。"]),
        (4, ["申报编号：99999不是本年度推荐申报国家级、尚待人社部结果的项目。"]),
        (5, ["申报编号：与第2行重复。"]),
    ]
    assert report.applied == 0
    assert states(candidates) == [(ApplicationState.NATIONAL_CANDIDATE, "national")] * 2
    assert not AuditEntry.objects.filter(action="import_ministry_answer").exists()


def test_a_file_that_is_not_the_summary_is_refused_whole(candidates, officer):
    report = ministry_answer.read_answer(candidates[0].call, answer_file([["1"]], header=["编号", "结果"]))
    assert report.file_errors == [
        "表头与模板不一致（缺少列：申报编号、项目名称、承办单位、人社部结果、备注）。请使用推荐材料包中的推荐汇总表填写结果。"
    ]
    report = ministry_answer.read_answer(candidates[0].call, b"not a spreadsheet")
    assert report.file_errors == ["文件不是有效的人社部结果文件（.xlsx）：可能已损坏，或只是改了扩展名。"]


def test_only_the_province_office_may_apply_the_answer(candidates):
    first, _ = candidates
    data = answer_file([[str(first.pk), "", "", "入选", ""]])
    reviewer = factories.reviewer(first.institution.authority)
    assert ministry_answer.read_answer(first.call, data).ok  # the same file would be applied
    with pytest.raises(Refused):
        ministry_answer.apply_answer(first.call, data, actor=reviewer)
    assert states([first]) == [(ApplicationState.NATIONAL_CANDIDATE, "national")]


def test_the_office_downloads_the_package_uploads_the_answer_previews_and_confirms(candidates, officer, client):
    first, second = candidates
    client.force_login(officer)
    package = client.get(reverse("selection:ministry_package", args=[first.call.pk]))
    assert package.status_code == 200
    summary = zipfile.ZipFile(io.BytesIO(package.content)).read(ministry_answer.SUMMARY_NAME)
    filled = answer_file([[cells[0], cells[1], cells[2], "入选", ""] for _, cells in read_sheet(summary)[1:]])

    preview = client.post(
        reverse("selection:ministry_import", args=[first.call.pk]), {"file": SimpleUploadedFile("a.xlsx", filled)}
    )
    assert preview.status_code == 200
    assert [row[1] for row in preview.context["report"].preview()] == [first.pk, second.pk]
    assert states(candidates) == [(ApplicationState.NATIONAL_CANDIDATE, "national")] * 2
    token = preview.context["token"]

    done = client.post(reverse("selection:ministry_import_confirm", args=[first.call.pk]), {"token": token})
    assert done.status_code == 302
    assert states(candidates) == [(ApplicationState.MINISTRY_SELECTED, "national")] * 2
    again = client.post(reverse("selection:ministry_import_confirm", args=[first.call.pk]), {"token": token})
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == "导入已失效，请重新上传人社部结果文件。"


def test_a_bad_answer_file_is_reported_on_the_page_and_nothing_waits(candidates, officer, client):
    first, _ = candidates
    client.force_login(officer)
    bad = answer_file([[str(first.pk), "", "", "待定", ""]])
    response = client.post(
        reverse("selection:ministry_import", args=[first.call.pk]), {"file": SimpleUploadedFile("a.xlsx", bad)}
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "人社部结果未导入：请按报告修改后重新上传，整个文件都没有导入。",
        "第2行：人社部结果：请填写“入选”或“未入选”。",
    ]
    assert "ministry-answer-import" not in client.session
