"""Delivery in a real browser: a trainee enrols on the public page; the host
approves, records attendance, fills the final accounts, uploads the closing
documents; the survey is answered; certificates are generated and verified on
the public page; the office confirms completion. A second journey: the office
marks a programme not completed and next year's call flags the institution.

The demo's national application of 福建现代种业研究院 (2026-08-03 to 08-08) is
brought to the plan through the real domain functions.
"""

import re

import pytest
from playwright.sync_api import expect

from yanxiu.accounts.models import User
from yanxiu.applications.domain import editing
from yanxiu.applications.models import Application
from yanxiu.calls.models import Call
from yanxiu.delivery.domain import programmes
from yanxiu.delivery.models import Programme, Trainee
from yanxiu.selection.domain import decisions
from yanxiu.selection.models import Outcome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "生物育种与种业振兴关键技术高级研修班"
ID_NUMBER = "11010519491231002X"  # GB 11643's sample, from Beijing
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def plan_demo_programme():
    officer = User.objects.get(username="province")
    application = Application.objects.get(title=TITLE)
    decisions.stage(application, Outcome.NATIONAL_CANDIDATE, actor=officer)
    decisions.publish(application.call, actor=officer, without_publicity="（测试）不经公示")
    decisions.record_ministry_answer(Application.objects.get(pk=application.pk), selected=True, actor=officer)
    programmes.ensure_programmes()
    return Programme.objects.get(application=application)


def test_from_enrolment_to_confirmed_completion(login, chromium, live_server, clock):
    programme = plan_demo_programme()
    host = login("zhongye")

    # Before the class: confirm the arrangements and publish the enrolment notice.
    host.goto(f"/delivery/{programme.pk}/")
    host.fill("#id_schedule", "8月3日报到；8月4日至7日专题报告与现场教学；8月8日返程。")
    host.fill("#id_experts", "李院士（中国农业大学）")
    host.get_by_test_id("confirm-arrangements").click()
    expect(host.locator(".messages")).to_contain_text("开班安排已确认。")
    host.fill("#id_notice", "面向全国招收种业领域专业技术人员。")
    host.check("#id_open")
    host.get_by_test_id("publish-enrolment").click()
    expect(host.locator(".messages")).to_contain_text("招生通知已发布")

    # A trainee enrols without logging in.
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    trainee_page = context.new_page()
    trainee_page.goto("/p/programmes/")
    trainee_page.get_by_role("link", name=TITLE).click()
    trainee_page.fill("#id_name", "张学员")
    trainee_page.fill("#id_id_number", ID_NUMBER[:17] + "1")  # wrong check digit first
    trainee_page.check("#id_gender_1")  # the sample number is a woman's (17th digit even)
    trainee_page.fill("#id_employer", "北京某种业公司")
    trainee_page.select_option("#id_title_level", "deputy_senior")
    trainee_page.fill("#id_professional_field", "农业技术")
    trainee_page.fill("#id_mobile", "13812345678")
    trainee_page.select_option("#id_province", "11")
    trainee_page.check("#id_is_grassroots")
    trainee_page.select_option("#id_sector", "non_public")
    trainee_page.check("#id_consent")
    trainee_page.get_by_test_id("enrol").click()
    expect(trainee_page.locator(".has-error")).to_contain_text("身份证号校验位不正确，请核对。")
    trainee_page.fill("#id_id_number", ID_NUMBER)
    trainee_page.check("#id_consent")
    trainee_page.get_by_test_id("enrol").click()
    expect(trainee_page.get_by_test_id("thanks")).to_have_text("报名已提交")
    trainee = Trainee.objects.get(programme=programme)

    # The host sees the number masked, reveals it (logged), and approves.
    host.goto(f"/delivery/{programme.pk}/trainees/")
    expect(host.get_by_test_id(f"trainee-{trainee.pk}")).to_contain_text("1101**********002X")
    host.get_by_test_id(f"reveal-{trainee.pk}").click()
    expect(host.get_by_test_id(f"id-{trainee.pk}")).to_have_text(ID_NUMBER)
    host.get_by_test_id(f"select-{trainee.pk}").check()
    host.get_by_test_id("approve").click()
    expect(host.get_by_test_id("approved-count")).to_have_text("1")

    # After the class: attendance, final accounts, closing documents.
    clock("2026-08-10T09:00:00+08:00")
    for day in ("2026-08-04", "2026-08-05"):
        for half in ("am", "pm"):
            host.goto(f"/delivery/{programme.pk}/attendance/?date={day}&half_day={half}")
            host.get_by_test_id("save-attendance").click()
            expect(host.locator(".messages")).to_contain_text("出勤1人")
    host.goto(f"/delivery/{programme.pk}/accounts/")
    host.select_option("#id_cost_standard", label="中央和国家机关培训费管理办法（财行〔2016〕540号） 一类")
    # Counted from the roster and attendance, never typed (decision 0009).
    expect(host.locator("#id_trainees")).to_have_value("1")
    expect(host.locator("#id_days")).to_have_value("6")
    expect(host.locator("#id_trainees")).to_be_disabled()
    host.fill("#id_accommodation", "4560.01")  # 760 × 1 × 6 = 4,560
    host.get_by_test_id("save-accounts").click()
    expect(host.get_by_test_id("checks")).to_contain_text("超过综合定额760.00元/人天×1人×6天=4,560.00元")
    host.fill("#id_accommodation", "4560")
    host.get_by_test_id("save-accounts").click()
    expect(host.get_by_test_id("accounts-ok")).to_have_text("核对通过。")
    host.goto(f"/delivery/{programme.pk}/closing/")
    host.select_option("#id_kind", "closure_report")
    host.set_input_files(
        "#id_file", {"name": "总结报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 report"}
    )
    host.get_by_test_id("upload").click()
    host.select_option("#id_kind", "photo")
    host.set_input_files("#id_file", {"name": "开班.png", "mimeType": "image/png", "buffer": PNG})
    host.get_by_test_id("upload").click()
    expect(host.get_by_test_id("files")).to_contain_text("开班.png")

    # The trainee answers the survey through the link.
    host.goto(f"/delivery/{programme.pk}/survey/")
    survey_url = host.get_by_test_id("survey-url").inner_text()
    trainee_page.goto(survey_url)
    trainee_page.fill("#id_mobile", "13812345678")
    trainee_page.fill("#id_id_last4", "002X")
    for question in ("content", "lecturers", "organisation", "overall"):
        trainee_page.check(f"#id_{question}_0")  # 5分
    trainee_page.get_by_test_id("survey-submit").click()
    expect(trainee_page.get_by_test_id("survey-done")).to_be_visible()
    host.reload()
    expect(host.get_by_test_id("survey-responses")).to_have_text("1")

    # Certificates, generated in the background, verified on the public page.
    host.goto(f"/delivery/{programme.pk}/certificates/")
    host.get_by_test_id("generate-certificates").click()
    expect(host.get_by_test_id("job-state").first).to_have_text(
        "已完成", timeout=120_000
    )  # LibreOffice, in the request
    serial = f"FJZSGX2026{programme.pk:04d}001"
    trainee_page.goto(host.get_by_test_id(f"verify-{serial}").get_attribute("href"))
    expect(trainee_page.get_by_test_id("verified")).to_be_visible()
    expect(trainee_page.get_by_test_id("serial")).to_have_text(serial)
    expect(trainee_page.get_by_test_id("hours")).to_have_text(
        "16学时"
    )  # 4 half-days × 8 ÷ 2, as the certificate prints it
    context.close()

    host.goto(f"/delivery/{programme.pk}/closing/")
    host.get_by_test_id("submit-closing").click()
    expect(host.get_by_test_id("confirm-summary")).to_contain_text("将提交")
    host.get_by_test_id("confirm").click()
    expect(host.get_by_test_id("programme-state")).to_have_text("结业材料已提交")

    office = login("province")
    office.goto(f"/delivery/{programme.pk}/")
    office.get_by_test_id("action-confirm_completion").click()
    expect(office.get_by_test_id("confirm-summary")).to_contain_text("已按计划完成")  # what it means, first
    office.get_by_test_id("confirm").click()
    expect(office.get_by_test_id("programme-state")).to_have_text("已按计划完成")


def test_not_completed_flags_the_institution_next_year(login, clock):
    programme = plan_demo_programme()
    office = login("province")
    office.goto(f"/delivery/{programme.pk}/")
    office.get_by_test_id("reason-mark_not_completed").fill("未按计划开班")
    office.get_by_test_id("action-mark_not_completed").click()
    expect(office.get_by_test_id("programme-state")).to_have_text("未按计划完成")

    clock("2026-11-20T10:00:00+08:00")
    staff = User.objects.get(username="zhongye")
    application = editing.create_application(
        call=Call.objects.get(year=2027), tier="provincial", institution=staff.institution, actor=staff
    )
    host = login("zhongye")
    host.goto(f"/applications/{application.pk}/edit/")
    expect(host.locator('#checks li[data-code="institution.previous_completion"]')).to_contain_text(
        re.compile("本单位2026年有1个高级研修项目未按计划完成（生物育种与种业振兴关键技术高级研修班）")
    )
