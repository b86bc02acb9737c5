"""The applicant's journey in a real browser.

An institution creates a national and a provincial application, fills the
editor (which autosaves through htmx), sees a rule fail, fixes it, submits
and withdraws; an authority reviewer returns a submitted application with a
comment and the institution edits and resubmits it.

The clock is fixed at 2026-01-10 10:00 (tests/conftest.py): both 2026
deadlines (national 2026-01-16, provincial 2026-02-20) are open.
"""

import re
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.core import clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDIT_URL = re.compile(r"/applications/(\d+)/edit/$")
VERSION_IN_RESPONSE = re.compile(r'id="version-field" value="(\d+)"')
DECLARATIONS = ["declares_independent_hosting", "declares_no_trainee_fees", "declares_mainly_offline"]


# --- helpers -----------------------------------------------------------------


def create_application(page, tier):
    """Press "新建…申报" for the 2026 call; return the new application's pk."""
    page.goto("/applications/")
    page.get_by_test_id(f"new-2026-{tier}").click()
    expect(page).to_have_url(EDIT_URL)
    expect(page.locator(".messages")).to_contain_text("项目申报草稿")
    return int(EDIT_URL.search(page.url).group(1))


def autosave(page, pk, edit, **final):
    """Run `edit`, leave the field, and wait until the autosave that carries
    the `final` form values has been answered and swapped into the page.

    Matching on the posted values (not on "any response") makes sure the save
    we wait for was sent after the last edit, whatever the debounce did with
    the earlier ones.
    """

    def carries_final_values(response):
        request = response.request
        if request.method != "POST" or not request.url.endswith(f"/applications/{pk}/edit/"):
            return False
        posted = parse_qs(request.post_data or "", keep_blank_values=True)
        return all(posted.get(name, [None])[-1] == value for name, value in final.items())

    with page.expect_response(carries_final_values) as answer:
        edit()
        page.keyboard.press("Tab")  # blur the last field: `change` fires and the 600 ms debounce starts
    response = answer.value
    body = response.text()
    assert response.status == 200
    assert 'data-testid="saved"' in body, body[:500]
    # The new version is swapped in out of band together with the checks:
    # once it shows, the whole answer is in the page.
    version = VERSION_IN_RESPONSE.search(body).group(1)
    expect(page.locator("#version-field")).to_have_value(version)
    expect(page.locator("#autosave-status")).to_contain_text(f"已自动保存（版本 {version}）")
    return int(version)


def check_codes(page):
    """The codes of the rule checks listed in the sidebar, by severity."""
    items = page.locator("#checks li[data-code]")
    found = items.evaluate_all("items => items.map(li => [li.className, li.dataset.code])")
    return {severity: {code for cls, code in found if cls == severity} for severity in ("error", "warning")}


def add_session(page, date, half_day, topic, speaker, format_):
    index = page.locator("#sessions-rows tr").count()
    page.get_by_role("button", name="＋ 添加一行日程").click()
    row = f"sessions-{index}-"
    page.fill(f'[name="{row}date"]', date)
    page.select_option(f'[name="{row}half_day"]', half_day)
    page.fill(f'[name="{row}topic"]', topic)
    page.fill(f'[name="{row}speaker"]', speaker)
    page.select_option(f'[name="{row}format"]', format_)
    expect(page.locator(f'[name="{row}mode"]')).to_have_value("offline")
    expect(page.locator(f'[name="{row}class_hours"]')).to_have_value("3")


def add_lecturer(page, name, title, position, affiliation, topic):
    index = page.locator("#lecturers-rows tr").count()
    page.get_by_role("button", name="＋ 添加一位专家").click()
    row = f"lecturers-{index}-"
    page.fill(f'[name="{row}name"]', name)
    page.select_option(f'[name="{row}title"]', title)
    page.fill(f'[name="{row}position"]', position)
    page.fill(f'[name="{row}affiliation"]', affiliation)
    page.fill(f'[name="{row}topic"]', topic)


def fill_application(page, *, title, start, end, place, domain, department, topic, trainees, session_date):
    """Everything an institution types into a new application (host details are prefilled)."""
    page.fill('[name="title"]', title)
    page.fill('[name="start_date"]', start)
    page.fill('[name="end_date"]', end)
    page.fill('[name="venue_place"]', place)
    page.select_option('[name="domain"]', label=domain)
    page.select_option('[name="competent_department"]', label=department)
    page.check(f'[name="topic_{topic}"]')
    page.fill(
        f'[name="topic_{topic}_explanation"]',
        "项目紧扣通知所列海洋装备、数字化转型等重点领域，服务海洋强省建设和产业升级。",
    )
    page.fill('[name="purpose"]', "提升海洋装备领域高层次专业技术人才的创新能力，推动关键核心技术攻关和成果转化。")
    page.fill('[name="content_summary"]', "主题报告、专题研讨与现场教学相结合。")
    page.fill('[name="trainee_description"]', "海洋装备领域具有中级及以上职称的专业技术人员。")
    page.fill('[name="planned_trainees"]', str(trainees))
    page.check('[name="trainee_title_levels"][value="middle"]')
    page.check('[name="trainee_title_levels"][value="deputy_senior"]')
    for name in DECLARATIONS:
        page.check(f'[name="{name}"]')
    add_session(page, session_date, "am", "深远海装备智能运维前沿", "王研究员", "keynote")
    add_session(page, session_date, "pm", "海洋牧场装备现场教学", "陈高工", "site_visit")
    add_lecturer(page, "王研究员", "full_senior", "研究员", "自然资源部第三海洋研究所", "智能运维前沿")


def audit_trail(pk):
    application = Application.objects.get(pk=pk)
    return [(e.action, e.to_state, e.reason) for e in AuditEntry.objects.for_object(application)]


def submit_and_expect_state(page, pk):
    submit = page.get_by_test_id("submit")
    expect(page.get_by_test_id("checks-ok")).to_be_visible()
    expect(submit).to_be_enabled()
    submit.click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/$"))
    expect(page.locator(".messages")).to_contain_text("已提交主管部门。")
    expect(page.get_by_test_id("state")).to_have_text("已提交主管部门")


def withdraw_and_expect_draft(page, pk, note):
    page.fill("#reason-withdraw", note)
    page.get_by_test_id("action-withdraw").click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/$"))
    expect(page.locator(".messages")).to_contain_text("已撤回。")
    expect(page.get_by_test_id("state")).to_have_text("草稿")
    expect(page.get_by_test_id("action-withdraw")).to_have_count(0)
    expect(page.locator(".tabs").get_by_role("link", name="填写")).to_be_visible()


# --- the institution: national ------------------------------------------------------


def test_national_application_fill_fix_submit_withdraw(login):
    page = login("xmhy")
    pk = create_application(page, "national")

    # A new draft: host details copied from the institution, nothing submittable yet.
    expect(page.locator("h1")).to_contain_text("2026年国家级高级研修项目申报（附件1）")
    expect(page.locator('[name="host_name"]')).to_have_value("厦门海洋装备研究院")
    expect(page.locator('[name="recruitment_scope"][value="nationwide"]')).to_be_checked()
    expect(page.locator('#checks li.error[data-code="required.title"]')).to_be_visible()
    expect(page.get_by_test_id("submit")).to_be_disabled()

    # Filled in, but the class ends after the completion date (30 Nov) and
    # plans fewer than 50 trainees.
    autosave(
        page,
        pk,
        lambda: (
            fill_application(
                page,
                title="海洋牧场智能装备运维高级研修班",
                start="2026-11-26",
                end="2026-12-01",
                place="厦门国际会议中心",
                domain="工程技术（海洋）",
                department="工业和信息化部",
                topic="industry",
                trainees=45,
                session_date="2026-11-27",
            ),
            page.check('[name="funding"][value="fiscal"]'),
            page.fill('[name="lecturers-0-topic"]', "深远海装备智能运维"),
        ),
        **{"lecturers-0-topic": "深远海装备智能运维", "end_date": "2026-12-01"},
    )
    assert check_codes(page) == {"error": {"dates.completion"}, "warning": {"trainees.minimum"}}
    expect(page.locator('#msgs-end_date [data-code="dates.completion"]')).to_contain_text(
        "应在2026年11月30日之前完成办班"
    )
    expect(page.locator('#msgs-planned_trainees .warning[data-code="trainees.minimum"]')).to_contain_text(
        "一般不少于50人"
    )
    expect(page.get_by_test_id("submit")).to_be_disabled()
    application = Application.objects.get(pk=pk)
    assert application.state == ApplicationState.DRAFT
    assert (application.title, str(application.end_date), application.planned_trainees) == (
        "海洋牧场智能装备运维高级研修班",
        "2026-12-01",
        45,
    )
    assert application.funding == "fiscal"
    assert application.trainee_title_levels == ["middle", "deputy_senior"]
    assert application.sessions.count() == 2
    assert application.lecturers.count() == 1
    assert [c.area.code for c in application.topic_claims.all()] == ["industry"]

    # Fix the error: move the class a few days earlier.
    autosave(
        page,
        pk,
        lambda: (page.fill('[name="start_date"]', "2026-11-23"), page.fill('[name="end_date"]', "2026-11-28")),
        start_date="2026-11-23",
        end_date="2026-11-28",
    )
    assert check_codes(page) == {"error": set(), "warning": {"trainees.minimum"}}
    expect(page.locator("#msgs-end_date [data-code]")).to_have_count(0)
    # A warning still needs a written reason before submission.
    expect(page.get_by_test_id("submit")).to_be_disabled()

    warning = page.locator('#checks li[data-code="trainees.minimum"]')
    warning.locator('textarea[name="reason"]').fill("面向海洋装备细分领域，全国相关高级人才有限，计划招收45人。")
    warning.get_by_role("button", name="保存理由").click()
    expect(page.locator(".messages")).to_contain_text("说明理由已保存。")
    expect(page.locator('#checks li[data-code="trainees.minimum"] textarea')).to_have_value(
        "面向海洋装备细分领域，全国相关高级人才有限，计划招收45人。"
    )

    submit_and_expect_state(page, pk)
    application = Application.objects.get(pk=pk)
    assert application.state == ApplicationState.SUBMITTED
    assert application.submitted_at == clock.now()
    assert (str(application.start_date), str(application.end_date)) == ("2026-11-23", "2026-11-28")
    assert list(application.warning_reasons.values_list("code", flat=True)) == ["trainees.minimum"]

    withdraw_and_expect_draft(page, pk, "日程还需调整，先撤回。")
    assert Application.objects.get(pk=pk).state == ApplicationState.DRAFT
    assert audit_trail(pk) == [
        ("create", "draft", ""),
        ("warning_reason", "", ""),  # the written reason, with its text before and after (decision 0028)
        ("submit", "submitted", ""),
        ("withdraw", "draft", "日程还需调整，先撤回。"),
    ]


# --- the institution: provincial ----------------------------------------------------


def test_provincial_application_fill_fix_submit_withdraw(login):
    page = login("xmhy")
    pk = create_application(page, "provincial")

    expect(page.locator("h1")).to_contain_text("2026年省级高级研修项目申报（附件2）")
    expect(page.locator('[name="recruitment_scope"][value="province"]')).to_be_checked()
    expect(page.locator('[name="funding"]')).to_have_count(0)  # only the national form asks for funding
    expect(page.get_by_test_id("submit")).to_be_disabled()

    # Provincial classes need at least 30 trainees: 25 is an error, not a warning.
    autosave(
        page,
        pk,
        lambda: (
            fill_application(
                page,
                title="海洋渔业装备数字化高级研修班",
                start="2026-10-13",
                end="2026-10-16",
                place="厦门海洋装备研究院报告厅",
                domain="工程技术（海洋）",
                department="福建省海洋与渔业局",
                topic="digital",
                trainees=25,
                session_date="2026-10-14",
            ),
            page.fill('[name="lecturers-0-topic"]', "渔业装备数字化"),
        ),
        **{"lecturers-0-topic": "渔业装备数字化", "planned_trainees": "25"},
    )
    assert check_codes(page) == {"error": {"trainees.minimum"}, "warning": set()}
    expect(page.locator('#msgs-planned_trainees .error[data-code="trainees.minimum"]')).to_contain_text("不少于30人")
    expect(page.get_by_test_id("submit")).to_be_disabled()
    assert Application.objects.get(pk=pk).planned_trainees == 25

    autosave(page, pk, lambda: page.fill('[name="planned_trainees"]', "35"), planned_trainees="35")
    assert check_codes(page) == {"error": set(), "warning": set()}
    expect(page.locator("#msgs-planned_trainees [data-code]")).to_have_count(0)

    submit_and_expect_state(page, pk)
    application = Application.objects.get(pk=pk)
    assert application.state == ApplicationState.SUBMITTED
    assert application.tier == "provincial"
    assert application.planned_trainees == 35
    assert application.competent_department.name == "福建省海洋与渔业局"
    assert [c.area.code for c in application.topic_claims.all()] == ["digital"]

    withdraw_and_expect_draft(page, pk, "")
    assert Application.objects.get(pk=pk).state == ApplicationState.DRAFT
    assert [action for action, _, _ in audit_trail(pk)] == ["create", "submit", "withdraw"]


# --- the authority returns, the institution resubmits ---------------------------------------------

SUBMITTED_TITLE = "深远海海洋装备智能化高级研修班"  # the demo's submitted national application of xmhy
COMMENT = "请将计划招收学员人数增加到60人，以满足国家级项目的规模要求。"


def test_authority_returns_with_comment_and_institution_resubmits(login):
    pk = Application.objects.get(title=SUBMITTED_TITLE).pk

    # 厦门市人社局's reviewer opens the application from the inbox.
    reviewer = login("xm_rsj")
    expect(reviewer).to_have_url(re.compile(r"/applications/inbox/$"))
    reviewer.get_by_role("link", name=SUBMITTED_TITLE).click()
    expect(reviewer).to_have_url(re.compile(rf"/applications/{pk}/$"))
    expect(reviewer.get_by_test_id("state")).to_have_text("已提交主管部门")

    # A return needs a comment.
    reviewer.get_by_test_id("action-return").click()
    expect(reviewer.locator(".messages")).to_contain_text("请填写退回意见。")
    expect(reviewer.get_by_test_id("state")).to_have_text("已提交主管部门")

    reviewer.fill("#reason-return", COMMENT)
    reviewer.get_by_test_id("action-return").click()
    expect(reviewer.locator(".messages")).to_contain_text("已退回修改。")
    expect(reviewer.get_by_test_id("state")).to_have_text("退回修改")
    expect(reviewer.get_by_test_id("action-return")).to_have_count(0)
    assert Application.objects.get(pk=pk).state == ApplicationState.RETURNED

    # The institution is told, sees the comment and edits.
    page = login("xmhy")
    expect(page.locator("header nav .badge")).to_have_text("1")
    row = page.locator("table.list tr", has_text=SUBMITTED_TITLE)
    expect(row).to_contain_text("退回修改")
    page.get_by_role("link", name="消息").click()
    expect(page.locator("table.list")).to_contain_text(COMMENT)

    page.goto(f"/applications/{pk}/")
    expect(page.get_by_test_id("state")).to_have_text("退回修改")
    expect(page.locator(".deadline-banner")).to_contain_text(COMMENT)
    page.locator(".tabs").get_by_role("link", name="填写").click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/edit/$"))
    expect(page.locator(".deadline-banner").first).to_contain_text("主管部门已退回修改")
    expect(page.locator('[name="planned_trainees"]')).to_have_value("55")

    autosave(page, pk, lambda: page.fill('[name="planned_trainees"]', "60"), planned_trainees="60")
    assert check_codes(page) == {"error": set(), "warning": set()}
    assert Application.objects.get(pk=pk).planned_trainees == 60

    submit_and_expect_state(page, pk)
    application = Application.objects.get(pk=pk)
    assert application.state == ApplicationState.SUBMITTED
    assert application.planned_trainees == 60
    assert application.sessions.count() == 6
    assert application.lecturers.count() == 2
    assert audit_trail(pk)[-3:] == [
        ("submit", "submitted", ""),
        ("return", "returned", COMMENT),
        ("submit", "submitted", ""),
    ]

    # The reviewer sees it back, with the new figure, and may act again.
    reviewer.reload()
    expect(reviewer.get_by_test_id("state")).to_have_text("已提交主管部门")
    expect(reviewer.get_by_test_id("action-return")).to_be_enabled()
    reviewer.get_by_role("link", name="预览申报表").click()
    expect(reviewer.locator("body")).to_contain_text("计划招收60人")


# --- never losing an edit ------------------------------------------------------------


def test_the_last_edit_is_saved_before_submitting_and_typed_reasons_survive_autosave(login):
    page = login("zzzz")
    application = Application.objects.get(title="工业互联网与智能工厂建设高级研修班")
    pk = application.pk
    page.goto(f"/applications/{pk}/edit/")
    expect(page.locator("#checks li[data-code='trainees.minimum']")).to_be_visible()

    # A warning's reason typed but not yet saved survives an autosave of another field.
    autosave(page, pk, lambda: page.check('[name="trainee_title_levels"][value="other"]'), planned_trainees="28")
    reason = page.locator("#checks textarea[data-code='trainees.title_levels']")
    reason.fill("部分学员为一线骨干，尚未评定职称")
    autosave(page, pk, lambda: page.fill('[name="planned_trainees"]', "35"), planned_trainees="35")
    expect(reason).to_have_value("部分学员为一线骨干，尚未评定职称")
    page.locator("#checks li[data-code='trainees.title_levels']").get_by_role("button", name="保存理由").click()
    expect(page.locator(".messages")).to_contain_text("说明理由已保存。")
    expect(page.get_by_test_id("submit")).to_be_enabled()

    # An edit followed at once by "submit" (before the debounce fires) is saved first.
    page.fill('[name="title"]', "工业互联网与智能工厂建设高级研修班（第二期）")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("state")).to_have_text("已提交主管部门")
    application.refresh_from_db()
    assert (application.title, application.planned_trainees, application.state) == (
        "工业互联网与智能工厂建设高级研修班（第二期）",
        35,
        ApplicationState.SUBMITTED,
    )
    assert application.warning_reasons.get().reason == "部分学员为一线骨干，尚未评定职称"
