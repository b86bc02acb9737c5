"""The expert pool (专家库): list and filters, masked and encrypted contacts with a logged full view,
history from the stored standings, .xlsx export and the all-or-nothing import."""

import io
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from tests import factories as f
from tests.reviews import factories as rf
from yanxiu.accounts.models import User
from yanxiu.audit.models import AuditEntry
from yanxiu.reference.models import ProfessionalDomain
from yanxiu.reviews.domain import experts as pool
from yanxiu.reviews.domain.operations import declare_conflict
from yanxiu.reviews.interfaces import expert_pool
from yanxiu.reviews.models import ExpertProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return f.province_officer()


def domains(n=2):
    names = ["人工智能", "卫生健康", "智能制造"][:n]
    return [ProfessionalDomain.objects.get_or_create(name=name)[0] for name in names]


# --- the list -------------------------------------------------------------------------------------------


def test_search_and_filters(client, officer):
    ai, health = domains()
    fz = f.authority("350100-RS")
    a = rf.expert(affiliation="福州大学", display_name="林一", authority=fz)
    ExpertProfile.objects.filter(user=a).update(primary_domain=ai, keywords="人工智能、工业互联网")
    b = rf.expert(affiliation="厦门大学", display_name="陈二", domains=[health])
    ExpertProfile.objects.filter(user=b).update(available=False)
    c = rf.expert(affiliation="集美大学", display_name="黄三")
    ExpertProfile.objects.filter(user=c).update(active_until=2025)  # the clock is in 2026
    client.force_login(officer)

    def names(**query):
        response = client.get(reverse("reviews:experts"), query)
        assert response.status_code == 200
        return [row["profile"].user.display_name for row in response.context["rows"]]

    assert names() == ["林一", "陈二", "黄三"]  # by name (code point order)
    assert names(q="工业互联网") == ["林一"]
    assert names(q="厦门") == ["陈二"]
    assert names(domain=ai.pk) == ["林一"]
    assert names(domain=health.pk) == ["陈二"]
    assert names(authority=fz.pk) == ["林一"]
    assert names(availability="yes") == ["林一"]
    assert names(availability="no") == ["陈二", "黄三"]


def test_contacts_are_masked_in_the_list_encrypted_at_rest_and_logged_when_shown(client, officer):
    expert = rf.expert(display_name="林一", phone="13912345678", email="lin.yi@example.com")
    profile = expert.expert_profile
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email FROM accounts_user WHERE id = %s", [expert.pk])
        stored = cursor.fetchone()
    assert all(value.startswith("sm4gcm$") for value in stored)
    client.force_login(officer)
    html = client.get(reverse("reviews:experts")).content.decode()
    assert "139****5678" in html
    assert "l***@example.com" in html
    assert "13912345678" not in html
    assert "lin.yi@example.com" not in html
    page = client.get(reverse("reviews:expert_edit", args=[profile.pk])).content.decode()
    assert "13912345678" not in page  # not even in the form
    assert "lin.yi@example.com" not in page
    assert not AuditEntry.objects.filter(action="view_expert_contacts").exists()
    response = client.post(reverse("reviews:expert_contacts", args=[profile.pk]), REMOTE_ADDR="10.1.2.3")
    assert "13912345678" in response.content.decode()
    entry = AuditEntry.objects.get(action="view_expert_contacts")
    assert (entry.actor, entry.object_id, entry.client_ip) == (officer, profile.pk, "10.1.2.3")
    assert "no-store" in response["Cache-Control"]


def test_editing_keeps_contacts_left_blank(client, officer):
    ai = domains(1)[0]
    expert = rf.expert(display_name="林一", phone="13912345678", email="lin.yi@example.com")
    profile = expert.expert_profile
    client.force_login(officer)
    response = client.post(
        reverse("reviews:expert_edit", args=[profile.pk]),
        {
            "display_name": "林一",
            "affiliation": "福州大学",
            "is_active": "on",
            "primary_domain": ai.pk,
            "keywords": "智能制造",
            "active_from": "2024",
            "active_until": "2027",
            "available": "on",
        },
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    profile.refresh_from_db()
    assert (expert.phone, expert.email) == ("13912345678", "lin.yi@example.com")
    assert (profile.primary_domain, profile.keywords, profile.active_from, profile.active_until) == (
        ai,
        "智能制造",
        2024,
        2027,
    )
    assert list(profile.domains.all()) == [ai]  # the primary domain is one of the expert's domains


def test_history_rounds_load_and_divergence():
    apps = [rf.forwarded("provincial") for _ in range(3)]
    expert, peer = rf.expert(affiliation="外省大学甲"), rf.expert(affiliation="外省大学乙")
    first = rf.review_round(reviews_per_application=2, disagreement_threshold=20, name="第一轮")
    # app 0: 90 vs 50 (diverged, this expert the highest); app 1: 80 vs 78 (agreed)
    for application, mine, theirs in ((apps[0], 9, 5), (apps[1], 8, 7.8)):
        rf.submit(rf.assign(first, application, expert), values=(mine,) * 5)
        rf.submit(rf.assign(first, application, peer), values=(theirs,) * 5)
    second = rf.review_round(officer=first.created_by, reviews_per_application=1, name="第二轮")
    declare_conflict(rf.assign(second, apps[2], expert), expert, reason="利害关系。")
    found = pool.history(expert.expert_profile)
    assert [(h.name, h.tasks, h.submitted, h.conflicts, h.disagreed, h.extreme) for h in found] == [
        ("第二轮", 0, 0, 1, 0, 0),
        ("第一轮", 2, 2, 0, 1, 1),
    ]
    assert str(found[1].mean_total) == "85.00"


# --- export and import ------------------------------------------------------------------------------------


def read(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]


def test_export_masks_contacts_and_imports_back_unchanged(client, officer):
    ai = domains(1)[0]
    expert = rf.expert(display_name="林一", affiliation="=HYPERLINK(1)", phone="13912345678", email="lin@example.com")
    ExpertProfile.objects.filter(user=expert).update(primary_domain=ai, active_from=2024)
    client.force_login(officer)
    response = client.get(reverse("reviews:experts_export"))
    rows = read(response.content)
    assert rows[0] == rf.POOL_HEADER
    line = rows[1]
    assert line[:4] == [expert.username, "林一", "", "=HYPERLINK(1)"]  # text, not a formula
    assert (line[6], line[9], line[10], line[11], line[13]) == (ai.name, "139****5678", "l***@example.com", 2024, "是")
    report = expert_pool.import_pool(response.content, actor=officer)
    assert (report.ok, report.created, report.updated) == (True, 0, 1)
    expert.refresh_from_db()
    assert (expert.phone, expert.email) == ("13912345678", "lin@example.com")  # masked cells keep the values


def test_import_is_all_or_nothing_with_an_error_per_row(officer):
    ai = domains(1)[0]
    good = [
        "new_one",
        "新专家",
        "教授",
        "福建师范大学",
        "",
        "",
        ai.name,
        "",
        "数字经济",
        "0591-12345678",
        "a@b.cn",
        2026,
        "",
        "是",
    ]
    rows = [
        good,
        [
            "new_two",
            "",
            "",
            "集美大学",
            "",
            "",
            "不存在的领域",
            "",
            "",
            "139****0001",
            "bad-mail",
            "二〇二六",
            "",
            "也许",
        ],
        ["new_one", "重复", "", "福州大学", "", "无此部门", "", "", "", "", "", 2027, 2025, ""],
    ]
    report = expert_pool.import_pool(rf.pool_bytes(rows), actor=officer)
    assert not report.ok
    assert report.row_errors == [
        (
            3,
            [
                "姓名：必填。",
                "主要专业技术领域：“不存在的领域”不在专业技术领域目录中。",
                "电话：是脱敏内容，新专家请填写完整号码或留空。",
                "电子邮箱：格式不正确。",
                "入库年度：请填写四位年份，如 2026。",
                "本年度可参加评审：请填写“是”或“否”。",
            ],
        ),
        (
            4,
            [
                "登录用户名：与第2行重复。",
                "所属主管部门：“无此部门”不是启用的主管部门（请填写名称或代码，或留空）。",
                "有效期至：不能早于入库年度。",
            ],
        ),
    ]
    assert not User.objects.filter(username="new_one").exists()  # the good row is not saved either
    report = expert_pool.import_pool(rf.pool_bytes([good]), actor=officer)
    assert (report.ok, report.created) == (True, 1)
    user = User.objects.get(username="new_one")
    assert (user.display_name, user.phone, user.email, user.has_usable_password()) == (
        "新专家",
        "0591-12345678",
        "a@b.cn",
        False,
    )
    assert user.expert_profile.primary_domain == ai


def test_a_failure_while_saving_leaves_nothing(officer, monkeypatch):
    rows = [["first", "甲", "", "福州大学"] + [""] * 10, ["second", "乙", "", "厦门大学"] + [""] * 10]
    original = expert_pool._apply

    def fail_on_second(row, actor):
        if row["username"] == "second":
            raise RuntimeError("disk full")
        return original(row, actor)

    monkeypatch.setattr(expert_pool, "_apply", fail_on_second)
    with pytest.raises(RuntimeError):
        expert_pool.import_pool(rf.pool_bytes(rows), actor=officer)
    assert not User.objects.filter(username__in=["first", "second"]).exists()


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的，请重新选择。"),
        (b"not a spreadsheet", "文件不是有效的Excel 文件（.xlsx）：可能已损坏，或只是改了扩展名。"),
        (b"x" * (expert_pool.MAX_BYTES + 1), "文件过大：专家库文件不能超过2 MB。"),
        (
            zip_bytes({"xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><workbook/>'}),
            "Excel 文件内含不允许的 XML 声明（DOCTYPE/ENTITY），疑似恶意文件，已拒绝。",
        ),
        (
            zip_bytes({"xl/workbook.xml": b"\x00" * (3 * 1024 * 1024)}),
            "Excel 文件的压缩比异常（疑似“压缩炸弹”），已拒绝。",
        ),
        (rf.pool_bytes([], header=["姓名", "登录用户名"]), None),
    ],
)
def test_malformed_or_huge_files_are_refused_clearly(officer, data, message):
    report = expert_pool.import_pool(data, actor=officer)
    if message is None:
        assert report.file_errors[0].startswith("表头与模板不一致（缺少列：职称/职务")
    else:
        assert report.file_errors == [message]
    assert report.rows == [] or not report.ok


def test_too_many_rows(officer, monkeypatch):
    monkeypatch.setattr(expert_pool, "MAX_ROWS", 2)
    rows = [[f"u{i}", "甲", "", "福州大学"] + [""] * 10 for i in range(3)]
    report = expert_pool.import_pool(rf.pool_bytes(rows), actor=officer)
    assert report.file_errors == ["超过每次最多导入2行的限制，请分批导入。"]


def test_upload_previews_then_confirms(client, officer):
    client.force_login(officer)
    upload = rf.pool_workbook([["via_page", "页面专家", "", "福州大学"] + [""] * 10])
    response = client.post(reverse("reviews:experts_import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["report"]["to_create"] == 1
    assert not User.objects.filter(username="via_page").exists()  # only a preview
    token = response.context["token"]
    response = client.post(reverse("reviews:experts_import_confirm"), {"token": token})
    assert response.status_code == 302
    assert User.objects.get(username="via_page").expert_profile.affiliation == "福州大学"
    # the token is used up: posting it again imports nothing more and says so
    response = client.post(reverse("reviews:experts_import_confirm"), {"token": token}, follow=True)
    assert "导入已失效，请重新上传专家库文件。" in response.content.decode()


def test_upload_with_errors_shows_the_report(client, officer):
    client.force_login(officer)
    upload = rf.pool_workbook([["bad name!", "某", "", "福州大学"] + [""] * 10])
    response = client.post(reverse("reviews:experts_import"), {"file": upload}, follow=True)
    report = response.context["import_report"]
    assert report["row_errors"] == [[2, ["登录用户名：只能包含字母、数字和 @ . + - _，不超过150个字符。"]]]
