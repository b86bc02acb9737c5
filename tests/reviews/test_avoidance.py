"""Applicant-declared avoidance: declared while editable, matched by name and employer or by the
office, never assigned — by the optimum, the random draw or by hand."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.reviews import factories as rf
from yanxiu.applications.domain import workflow
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.reviews.domain import assignment as assigning
from yanxiu.reviews.domain import avoidance
from yanxiu.reviews.models import ApplicantAvoidance, Assignment, ExpertProfile

pytestmark = pytest.mark.django_db

REASON = "该专家与本单位项目负责人为同一课题组成员。"


def declare_before_sending(name, employer, tier="provincial"):
    """A draft whose host names an expert to avoid, then sent up to the province (it enters rounds)."""
    inst = f.institution("350100-RS")
    staff = f.staff(inst)
    draft = f.complete(tier, actor=staff)
    avoidance.declare(draft, [{"name": name, "employer": employer, "reason": REASON}], actor=staff)
    application = rf.forwarded(tier, inst=inst)
    # the factory makes its own application: move the request onto the forwarded one (same host)
    ApplicantAvoidance.objects.filter(application=draft).update(application=application)
    return application


def pool_expert(name, affiliation="厦门大学", **fields):
    return rf.expert(affiliation=affiliation, display_name=name, **fields)


# --- declaring ---------------------------------------------------------------------------------


def test_the_host_declares_up_to_two_experts_with_reasons_while_editable():
    staff = f.staff(f.institution("350100-RS"))
    draft = f.complete("provincial", actor=staff)
    rows = [
        {"name": "王五", "employer": "厦门大学", "reason": REASON},
        {"name": "赵六", "employer": "福州大学", "reason": "近三年有合作。"},
    ]
    saved = avoidance.declare(draft, rows, actor=staff)
    assert [(r.name, r.employer, r.reason) for r in saved] == [(r["name"], r["employer"], r["reason"]) for r in rows]
    entry = AuditEntry.objects.for_object(draft).filter(action="declare_avoidance").get()
    assert entry.data["after"] == [["王五", "厦门大学"], ["赵六", "福州大学"]]
    with pytest.raises(Refused) as refused:
        avoidance.declare(draft, [*rows, {"name": "钱七", "employer": "集美大学", "reason": "亲属。"}], actor=staff)
    assert str(refused.value) == "最多可申请回避2位专家。"
    with pytest.raises(Refused) as refused:
        avoidance.declare(draft, [{"name": "王五", "employer": "厦门大学", "reason": ""}], actor=staff)
    assert refused.value.errors == {"reason_1": "请填写回避理由。"}
    assert ApplicantAvoidance.objects.filter(application=draft).count() == 2  # nothing half-saved


def test_only_the_host_and_only_while_the_application_is_editable():
    staff = f.staff(f.institution("350100-RS"))
    draft = f.complete("provincial", actor=staff)
    row = [{"name": "王五", "employer": "厦门大学", "reason": REASON}]
    other = f.staff(f.institution("350100-RS"))
    with pytest.raises(Refused, match=r"^只有承办单位经办人可以在申报为草稿或退回修改时提出回避专家。$"):
        avoidance.declare(draft, row, actor=other)
    workflow.perform(draft, "submit", staff)
    draft.refresh_from_db()
    with pytest.raises(Refused) as refused:
        avoidance.declare(draft, row, actor=staff)
    assert str(refused.value) == "只有承办单位经办人可以在申报为草稿或退回修改时提出回避专家。"
    assert not ApplicantAvoidance.objects.filter(application=draft).exists()


def test_the_page_for_the_host(client):
    staff = f.staff(f.institution("350100-RS"))
    draft = f.complete("provincial", actor=staff)
    client.force_login(staff)
    url = reverse("reviews:applicant_avoidance", args=[draft.pk])
    response = client.post(url, {"name_1": "王五", "employer_1": "厦门 大学", "reason_1": ""})
    assert response.status_code == 400
    assert response.context["form"]["name_1"].value() == "王五"  # the form comes back filled
    response = client.post(url, {"name_1": "王五", "employer_1": "厦门大学", "reason_1": REASON})
    assert response.status_code == 302
    assert list(ApplicantAvoidance.objects.filter(application=draft).values_list("name", "employer")) == [
        ("王五", "厦门大学")
    ]


# --- matching --------------------------------------------------------------------------------------


def test_automatic_match_is_exact_on_name_and_employer_or_registered_institution():
    application = declare_before_sending("王五", "厦门大学")
    request = application.avoidance_requests.get()
    same = ExpertProfile.objects.get(user=pool_expert("王五"))
    spaced = ExpertProfile.objects.get(user=pool_expert("王 五", affiliation="厦门大学 "))
    elsewhere = ExpertProfile.objects.get(user=pool_expert("王五", affiliation="福州大学"))
    namesake = ExpertProfile.objects.get(user=pool_expert("王五一"))
    assert [avoidance.avoids(request, p) for p in (same, spaced, elsewhere, namesake)] == [True, True, False, False]
    inst = f.institution("350200-RS")
    registered = ExpertProfile.objects.get(user=pool_expert("王五", affiliation="某学院", institution=inst))
    request.employer = inst.name
    assert avoidance.avoids(request, registered) is True


def test_the_offices_match_wins_and_is_audited():
    application = declare_before_sending("王五", "厦门大学")
    request = application.avoidance_requests.get()
    auto = ExpertProfile.objects.get(user=pool_expert("王五"))
    chosen = ExpertProfile.objects.get(user=pool_expert("王伍", affiliation="厦门大学医学院"))
    officer = f.province_officer()
    avoidance.set_match(request, chosen.user, actor=officer)
    assert [avoidance.avoids(request, p) for p in (auto, chosen)] == [False, True]
    entry = AuditEntry.objects.for_object(request).get()
    assert (entry.action, entry.data["after"]) == ("match_avoidance", chosen.user_id)
    with pytest.raises(Refused, match=r"^只有省人社厅经办人可以管理专家库。$"):
        avoidance.set_match(request, auto.user, actor=application.created_by)


# --- never assigned ---------------------------------------------------------------------------------


@pytest.fixture
def avoided_round():
    """One application whose host asked to avoid 王五; three experts in the pool, 王五 among them."""
    application = declare_before_sending("王五", "厦门大学")
    avoided = pool_expert("王五")
    others = [rf.expert(affiliation=f"外省大学{i}") for i in range(2)]
    review_round = rf.review_round(reviews_per_application=2)
    return review_round, application, avoided, others


@pytest.mark.parametrize("method", ["optimal", "draw"])
def test_never_assigned_automatically(avoided_round, method):
    review_round, application, avoided, others = avoided_round
    assigning.auto_assign(review_round, actor=review_round.created_by, method=method, seed="2026-评审-1", backups=2)
    assigned = set(
        Assignment.objects.filter(round=review_round, application=application).values_list("expert_id", flat=True)
    )
    assert assigned == {e.pk for e in others}
    assert not review_round.backups.filter(expert=avoided).exists()  # nor kept as a substitute


def test_refused_when_it_leaves_too_few_experts(avoided_round):
    review_round, _application, _avoided, _others = avoided_round
    review_round.reviews_per_application = 3
    review_round.save()
    with pytest.raises(Refused) as refused:
        assigning.auto_assign(review_round, actor=review_round.created_by)
    assert "只有2位可分配的专家" in str(refused.value)
    assert not Assignment.objects.filter(round=review_round).exists()


def test_never_assigned_by_hand_and_shown_per_pair(client, avoided_round):
    review_round, application, avoided, others = avoided_round
    with pytest.raises(Refused) as refused:
        rf.assign(review_round, application, avoided)
    assert str(refused.value) == f"申报单位申请{avoided}回避（理由已报省人社厅）。"
    rf.assign(review_round, application, others[0])  # anyone else may be
    client.force_login(review_round.created_by)
    response = client.get(reverse("reviews:round_assignments", args=[review_round.pk]))
    row = next(r for r in response.context["rows"] if r["application"].pk == application.pk)
    assert [(p.user_id, message, rule.code) for p, message, rule in row["avoided"]] == [
        (avoided.pk, f"申报单位申请{avoided}回避（理由已报省人社厅）。", "applicant_avoidance")
    ]
    assert "【申报单位申请回避】" in response.content.decode()
    assert avoided.pk not in {p.user_id for p in row["eligible"]}


def test_the_office_page_lists_requests_and_matches_by_user_name(client, avoided_round):
    review_round, application, avoided, _others = avoided_round
    request = application.avoidance_requests.get()
    client.force_login(review_round.created_by)
    response = client.get(reverse("reviews:avoidance_requests"))
    row = response.context["rows"][0]
    assert [p.user_id for p in row["automatic"]] == [avoided.pk]
    response = client.post(reverse("reviews:avoidance_match", args=[request.pk]), {"username": avoided.username})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.expert_id == avoided.pk
