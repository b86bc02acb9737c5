"""The pages, through the test client: what each role sees and does."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.context_processors import PermWrapper
from django.template.loader import render_to_string
from django.urls import reverse

from tests import factories as f
from tests.reviews import factories as rf
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.reviews.models import Assignment, Criterion, ExpertProfile, ReviewRound

pytestmark = pytest.mark.django_db


def page(response):
    return response.content.decode()


@pytest.fixture
def task():
    application = rf.forwarded()
    return rf.assign(rf.review_round(), application, rf.expert())


def test_expert_sees_the_official_form_with_the_host(client, task):
    client.force_login(task.expert)
    html = page(client.get(reverse("reviews:task", args=[task.pk])))
    assert 'data-testid="official-form"' in html
    assert f"承办单位：{task.application.institution.name}" in html


def test_anonymous_round_hides_host_name_and_contacts(client):
    application = rf.forwarded()
    application.host_name, application.host_contact, application.host_mobile = "保密学院", "赵联系", "13912345678"
    application.host_office_phone, application.host_address = "0591-88889999", "福州市保密路9号"
    application.save()
    review_round = rf.review_round(anonymous=True)
    task = rf.assign(review_round, application, rf.expert())
    client.force_login(task.expert)
    html = page(client.get(reverse("reviews:task", args=[task.pk])))
    for secret in (
        "保密学院",
        "赵联系",
        "13912345678",
        "0591-88889999",
        "福州市保密路9号",
        application.institution.name,
    ):
        assert secret not in html
    assert html.count("（匿名评审，已隐藏）") >= 6
    mine = page(client.get(reverse("reviews:mine")))
    assert application.institution.name not in mine
    # Not anonymous: the same expert sees everything.
    review_round.anonymous = False
    review_round.save()
    html = page(client.get(reverse("reviews:task", args=[task.pk])))
    assert "保密学院" in html
    assert "13912345678" in html


def test_expert_submits_the_score_form(client, task):
    client.force_login(task.expert)
    data = {f"score_{c.pk}": v for c, v in zip(task.round.criteria.all(), ["9", "8", "7", "6", "5"], strict=False)}
    data.update(recommendation="consider", comment="可以考虑。")
    response = client.post(reverse("reviews:task", args=[task.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:mine")
    task.refresh_from_db()
    assert task.state == "submitted"
    assert [s.value for s in task.review.scores.all()] == [
        Decimal("9.0"),
        Decimal("8.0"),
        Decimal("7.0"),
        Decimal("6.0"),
        Decimal("5.0"),
    ]
    # The form shows the saved values for revision.
    form = client.get(reverse("reviews:task", args=[task.pk])).context["form"]
    assert form.initial["recommendation"] == "consider"


def test_invalid_score_is_shown_not_saved(client, task):
    client.force_login(task.expert)
    data = {f"score_{c.pk}": "11" for c in task.round.criteria.all()}
    data.update(recommendation="recommend", comment="好。")
    response = client.post(reverse("reviews:task", args=[task.pk]), data)
    assert response.status_code == 400
    first = task.round.criteria.first()
    assert response.context["form"].errors[f"score_{first.pk}"] == ["不能大于10。"]
    assert not Assignment.objects.filter(pk=task.pk, state="submitted").exists()


def test_after_the_deadline_the_form_is_closed(client, task, clock):
    clock("2026-04-01T09:00:00+08:00")
    client.force_login(task.expert)
    response = client.get(reverse("reviews:task", args=[task.pk]))
    assert response.context["refusal"] == "本轮评审已于2026年3月31日24时截止，不能再提交或修改评审意见。"
    data = {f"score_{c.pk}": "8" for c in task.round.criteria.all()}
    data.update(recommendation="recommend", comment="迟到。")
    client.post(reverse("reviews:task", args=[task.pk]), data)
    task.refresh_from_db()
    assert task.state == "assigned"


def test_expert_declares_a_conflict(client, task):
    client.force_login(task.expert)
    response = client.post(reverse("reviews:declare_conflict", args=[task.pk]), {"reason": "曾任该单位顾问。"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.state, task.conflict_reason) == ("conflict", "曾任该单位顾问。")


def test_officer_creates_a_round_with_default_criteria(client):
    officer = f.province_officer()
    client.force_login(officer)
    response = client.post(
        reverse("reviews:round_create"),
        {
            "call": f.call_2026().pk,
            "name": "2026年省级评审",
            "scope": "provincial",
            "deadline": "2026-03-20",
            "reviews_per_application": "5",
            "anonymous": "on",
            "disagreement_threshold": "15",
        },
    )
    review_round = ReviewRound.objects.get()
    assert response["Location"] == reverse("reviews:round_settings", args=[review_round.pk])
    assert (
        review_round.scope,
        review_round.reviews_per_application,
        review_round.anonymous,
        review_round.disagreement_threshold,
    ) == ("provincial", 5, True, Decimal("15.00"))
    assert Criterion.objects.filter(round=review_round).count() == 5


def test_officer_edits_the_rubric(client):
    review_round = rf.review_round()
    client.force_login(review_round.created_by)
    response = client.post(
        reverse("reviews:round_criteria", args=[review_round.pk]),
        {
            "criteria-TOTAL_FORMS": "3",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-name": "选题",
            "criteria-0-weight": "70",
            "criteria-0-max_score": "10",
            "criteria-1-name": "师资",
            "criteria-1-weight": "20",
            "criteria-1-max_score": "10",
            "criteria-2-name": "",
            "criteria-2-weight": "",
            "criteria-2-max_score": "",
        },
    )
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == ["各评分项权重之和应为100，现为90。"]
    assert review_round.criteria.count() == 5


def test_officer_auto_assigns_and_adds_by_hand(client):
    review_round = rf.review_round(reviews_per_application=1)
    application = rf.forwarded()
    first, second = rf.expert(), rf.expert()
    client.force_login(review_round.created_by)
    client.post(reverse("reviews:auto_assign", args=[review_round.pk]))
    # The two experts are alike: either may be chosen, the other stays available by hand.
    (chosen,) = Assignment.objects.values_list("expert_id", flat=True)
    other = second if chosen == first.pk else first
    page_ = client.get(reverse("reviews:round_assignments", args=[review_round.pk]))
    row = page_.context["rows"][0]
    assert (row["active"], row["missing"], [p.user_id for p in row["eligible"]]) == (1, 0, [other.pk])
    response = client.post(
        reverse("reviews:assign", args=[review_round.pk]),
        {"application": application.pk, "expert": other.pk},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]][-1].startswith("该申报已有1位评审专家")


def test_results_page_flags_disagreement(client):
    review_round = rf.review_round(reviews_per_application=2, disagreement_threshold=30)
    application = rf.forwarded()
    rf.submit(rf.assign(review_round, application, rf.expert()), values=(10,) * 5)
    rf.submit(rf.assign(review_round, application, rf.expert()), values=(6,) * 5)
    client.force_login(review_round.created_by)
    response = client.get(reverse("reviews:results", args=[review_round.pk]))
    html = page(response)
    assert html.count('data-testid="disagreement"') == 1
    result = response.context["items"][0]  # the provincial tier, the only one with applications
    assert (result.summary.mean, result.summary.spread, result.rank) == (Decimal("80.00"), Decimal("40.00"), 1)


def test_export_is_an_xlsx_download(client):
    review_round = rf.review_round()
    rf.submit(rf.assign(review_round, rf.forwarded(), rf.expert()))
    client.force_login(review_round.created_by)
    response = client.get(reverse("reviews:export", args=[review_round.pk]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="review-round-{review_round.pk}.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["评审明细"].max_row == 2


def test_officer_adds_an_expert_account(client):
    officer = f.province_officer()
    inst = f.institution()
    client.force_login(officer)
    response = client.post(
        reverse("reviews:expert_create"),
        {
            "username": "zj_new",
            "display_name": "新专家",
            "affiliation": inst.name,
            "institution": inst.pk,
            "expertise": "人工智能",
        },
        follow=True,
    )
    profile = ExpertProfile.objects.get(user__username="zj_new")
    assert (profile.user.role, profile.institution, profile.authority_ids) == ("expert", inst, {inst.authority_id})
    message = next(str(m) for m in response.context["messages"])
    password = message.split("初始密码：")[1].split("（")[0]
    assert profile.user.check_password(password)


def _nav(user):
    # As a page renders it: the auth context processor gives templates `perms`.
    return render_to_string("reviews/_nav.html", {"user": user, "perms": PermWrapper(user)}).strip()


def test_nav_include_links_each_role_to_its_pages():
    assert _nav(rf.expert()) == '<a href="/reviews/mine/">评审任务</a>'
    assert _nav(f.province_officer()) == '<a href="/reviews/">专家评审</a>'
    assert _nav(f.staff()) == ""


def test_officer_corrects_an_expert_and_deactivates_them(client):
    officer = f.province_officer()
    expert = rf.expert()
    inst = f.institution("350200-RS")
    client.force_login(officer)
    response = client.post(
        reverse("reviews:expert_edit", args=[expert.expert_profile.pk]),
        {
            "display_name": "陈专家",
            "affiliation": inst.name,
            "institution": inst.pk,
            "expertise": "海洋",
        },
    )
    assert response["Location"] == reverse("reviews:expert_edit", args=[expert.expert_profile.pk])  # back to the record
    expert.refresh_from_db()
    profile = expert.expert_profile
    assert (expert.display_name, expert.is_active, profile.institution, profile.authority_ids) == (
        "陈专家",
        False,
        inst,
        {inst.authority_id},
    )
    entry = AuditEntry.objects.for_object(profile).get()
    assert (entry.action, entry.data["before"]["is_active"], entry.data["after"]["is_active"]) == (
        "update_expert",
        True,
        False,
    )
    # Deactivated experts get no new tasks.
    review_round = rf.review_round(officer=officer)
    with pytest.raises(Refused) as refused:
        rf.assign(review_round, rf.forwarded(), expert)
    assert str(refused.value) == f"{expert}不是可用的评审专家（须为启用的专家账号并已填写专家信息）。"


def test_the_expert_sees_the_hosts_record_of_past_years(client, task):
    from yanxiu.organisations.models import ProgrammeRecord

    ProgrammeRecord.objects.create(
        institution=task.application.institution,
        year=2025,
        title="智能装备运维高级研修班",
        tier="省级",
        completed=False,
    )
    client.force_login(task.expert)
    response = client.get(reverse("reviews:task", args=[task.pk]))
    records = list(response.context["past_record"].values_list("year", "completed"))
    assert records == [(2025, False)]
    assert "未按计划完成" in page(response)


def test_the_experts_record_table_names_the_tier_in_chinese(client, task):
    from yanxiu.organisations.models import ProgrammeRecord

    for year, tier in ((2024, "national"), (2025, "provincial")):
        ProgrammeRecord.objects.create(institution=task.application.institution, year=year, title="研修班", tier=tier)
    client.force_login(task.expert)
    text = page(client.get(reverse("reviews:task", args=[task.pk])))
    assert "<td>2025</td><td>研修班</td><td>省级</td>" in text
    assert "<td>2024</td><td>研修班</td><td>国家级</td>" in text
    assert "national" not in text.split('data-testid="past-record"')[1].split("</section>")[0]


def test_a_host_without_a_record_says_so(client, task):
    client.force_login(task.expert)
    assert "系统中没有该单位往年承办高级研修项目的记录" in page(client.get(reverse("reviews:task", args=[task.pk])))
