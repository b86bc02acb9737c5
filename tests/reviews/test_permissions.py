"""Every URL of the app × every role: nobody reaches what is not theirs.

Experts reach only their own assignments (another expert's: 404); every
management page is the province office's (everyone else: 403); anonymous
visitors are sent to the login page.
"""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.conftest import shared_world
from tests.reviews import factories as rf
from yanxiu.audit.models import AuditEntry
from yanxiu.reviews import urls as review_urls
from yanxiu.reviews.models import ApplicantAvoidance, Assignment, AssignmentJob, ExpertProfile, Review, ReviewRound

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "institution_staff", "authority_reviewer", "own_expert", "other_expert", "province_officer"]


def build_world():
    application = rf.forwarded()
    review_round = rf.review_round()
    own_expert, other_expert = rf.expert(), rf.expert()
    task = rf.assign(review_round, application, own_expert)
    other_task = rf.assign(review_round, application, other_expert)
    removable = rf.assign(review_round, application, rf.expert())
    draft = f.complete("provincial", actor=application.created_by)  # the host's, still editable
    avoidance = ApplicantAvoidance.objects.create(
        application=application,
        name="王某",
        employer="某大学",
        reason="合作关系。",
        declared_by=application.created_by,
        declared_at=review_round.created_at,
    )
    job = AssignmentJob.objects.create(
        round=review_round, requested_by=review_round.created_by, created_at=review_round.created_at
    )
    users = {
        "anonymous": None,
        "institution_staff": application.created_by,
        "authority_reviewer": f.reviewer(application.institution.authority),
        "own_expert": own_expert,
        "other_expert": other_expert,
        "province_officer": review_round.created_by,
    }
    return {
        "round": review_round,
        "task": task,
        "other_task": other_task,
        "removable": removable,
        "application": application,
        "draft": draft,
        "avoidance": avoidance,
        "job": job,
        "own_profile": own_expert.expert_profile,
        "users": users,
    }


@pytest.fixture(scope="module")
def world(request):
    """Built once for the module's 130 cases; each case is rolled back to it."""
    yield from shared_world(request, build_world)


def review_post(world):
    data = {f"score_{c.pk}": "8" for c in world["round"].criteria.all()}
    data.update(recommendation="recommend", comment="很好。")
    return data


OFFICER_ONLY = {"province_officer": (200, 302)}
HOST_ONLY = {"institution_staff": (200, 302)}


def pool_file(world):
    """A one-row pool file that would be accepted (a new expert)."""
    return {
        "file": rf.pool_workbook(
            [["new_pool", "新专家", "教授", "福建师范大学", "", "", "", "", "", "", "", "", "", "是"]]
        )
    }


EXPERT_OWN = {"own_expert": (200, 302), "other_expert": (404,), "province_officer": (403,)}

# name → (method, kwargs builder, data builder, who gets what; everyone else not listed gets 403)
CASES = {
    "mine": ("get", lambda w: {}, None, {"own_expert": (200,), "other_expert": (200,)}),
    "task": ("get", lambda w: {"pk": w["task"].pk}, None, EXPERT_OWN),
    "task:post": ("post", lambda w: {"pk": w["task"].pk}, review_post, EXPERT_OWN),
    "declare_conflict": ("post", lambda w: {"pk": w["task"].pk}, lambda w: {"reason": "利害关系。"}, EXPERT_OWN),
    "rounds": ("get", lambda w: {}, None, OFFICER_ONLY),
    "round_create": ("get", lambda w: {}, None, OFFICER_ONLY),
    "round_create:post": (
        "post",
        lambda w: {},
        lambda w: {
            "call": w["round"].call_id,
            "name": "补充评审",
            "scope": "both",
            "deadline": "2026-04-30",
            "reviews_per_application": 2,
            "disagreement_threshold": "20",
        },
        OFFICER_ONLY,
    ),
    "experts": ("get", lambda w: {}, None, OFFICER_ONLY),
    "expert_create": ("get", lambda w: {}, None, OFFICER_ONLY),
    "expert_create:post": (
        "post",
        lambda w: {},
        lambda w: {"username": "new_expert", "display_name": "新专家", "affiliation": "福建师范大学"},
        OFFICER_ONLY,
    ),
    "expert_edit": ("get", lambda w: {"pk": w["users"]["own_expert"].expert_profile.pk}, None, OFFICER_ONLY),
    "expert_edit:post": (
        "post",
        lambda w: {"pk": w["users"]["own_expert"].expert_profile.pk},
        lambda w: {"display_name": "改名", "affiliation": "福建师范大学", "is_active": "on"},
        OFFICER_ONLY,
    ),
    "expert_reset_password": (
        "post",
        lambda w: {"pk": w["users"]["own_expert"].expert_profile.pk},
        lambda w: {},
        OFFICER_ONLY,
    ),
    # The office's invitation to set a password (decision 0024); this expert has one, so the
    # office's own request is refused with the reason (tests/accounts/test_staff.py sends one).
    "expert_invite": ("post", lambda w: {"pk": w["own_profile"].pk}, lambda w: {}, OFFICER_ONLY),
    "round_settings": ("get", lambda w: {"pk": w["round"].pk}, None, OFFICER_ONLY),
    "round_settings:post": (
        "post",
        lambda w: {"pk": w["round"].pk},
        lambda w: {
            "name": "改名",
            "scope": "both",
            "deadline": "2026-03-31",
            "reviews_per_application": 3,
            "disagreement_threshold": "20",
        },
        OFFICER_ONLY,
    ),
    "round_criteria": (
        "post",
        lambda w: {"pk": w["round"].pk},
        lambda w: {
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-name": "综合",
            "criteria-0-weight": "100",
            "criteria-0-max_score": "10",
        },
        OFFICER_ONLY,
    ),
    "round_assignments": ("get", lambda w: {"pk": w["round"].pk}, None, OFFICER_ONLY),
    "auto_assign": ("post", lambda w: {"pk": w["round"].pk}, lambda w: {}, OFFICER_ONLY),
    "assign": (
        "post",
        lambda w: {"pk": w["round"].pk},
        lambda w: {"application": w["application"].pk, "expert": rf.expert().pk},
        OFFICER_ONLY,
    ),
    "unassign": (
        "post",
        lambda w: {"pk": w["round"].pk, "assignment_pk": w["removable"].pk},
        lambda w: {},
        OFFICER_ONLY,
    ),
    "results": ("get", lambda w: {"pk": w["round"].pk}, None, OFFICER_ONLY),
    "assignment_job": ("get", lambda w: {"pk": w["round"].pk, "job_pk": w["job"].pk}, None, OFFICER_ONLY),
    "experts_export": ("get", lambda w: {}, None, OFFICER_ONLY),
    "experts_import": ("post", lambda w: {}, pool_file, OFFICER_ONLY),
    "experts_import_confirm": ("post", lambda w: {}, lambda w: {"token": "x"}, OFFICER_ONLY),
    "expert_contacts": ("post", lambda w: {"pk": w["own_profile"].pk}, lambda w: {}, OFFICER_ONLY),
    "avoidance_requests": ("get", lambda w: {}, None, OFFICER_ONLY),
    "avoidance_match": (
        "post",
        lambda w: {"pk": w["avoidance"].pk},
        lambda w: {"expert": w["users"]["own_expert"].pk},
        OFFICER_ONLY,
    ),
    "applicant_avoidance": ("get", lambda w: {"application_pk": w["draft"].pk}, None, HOST_ONLY),
    "applicant_avoidance:post": (
        "post",
        lambda w: {"application_pk": w["draft"].pk},
        lambda w: {"name_1": "王某", "employer_1": "某大学", "reason_1": "合作关系。"},
        HOST_ONLY,
    ),
    "export": ("get", lambda w: {"pk": w["round"].pk}, None, OFFICER_ONLY),
}


def test_every_url_is_covered():
    names = {p.name for p in review_urls.urlpatterns}
    assert names == {case.split(":")[0] for case in CASES}


def snapshot():
    return (
        ReviewRound.objects.count(),
        Assignment.objects.count(),
        Review.objects.count(),
        sorted(Assignment.objects.values_list("pk", "state")),
        sorted(ApplicantAvoidance.objects.values_list("pk", "name", "expert_id")),
        ExpertProfile.objects.count(),
        AuditEntry.objects.operations().count(),  # a refusal is audited as a security event
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", list(CASES))
def test_access(client, world, case, role):
    method, kwargs, data, allowed = CASES[case]
    url = reverse(f"reviews:{case.split(':')[0]}", kwargs=kwargs(world))
    user = world["users"][role]
    if user:
        client.force_login(user)
    body = data(world) if data else None
    before = snapshot()
    response = getattr(client, method)(url, body) if body is not None else getattr(client, method)(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
    else:
        assert response.status_code in allowed.get(role, (403,))
    if response.status_code in (403, 404, 302) and role not in allowed:
        # A refused request changes nothing.
        assert snapshot() == before


def test_an_expert_never_sees_another_experts_task_in_the_list(client, world):
    client.force_login(world["users"]["own_expert"])
    response = client.get(reverse("reviews:mine"))
    assert [row["assignment"].pk for row in response.context["rows"]] == [world["task"].pk]


def test_experts_cannot_open_the_application_pages(client, world):
    """The application itself stays behind the applications app's scoping."""
    client.force_login(world["users"]["own_expert"])
    response = client.get(reverse("applications:detail", args=[world["application"].pk]))
    assert response.status_code == 404
