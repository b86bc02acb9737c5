"""Large rounds are solved by the worker through the same domain function: the same result."""

import pytest
from django.db import transaction
from django.urls import reverse

from tests.reviews import factories as rf
from yanxiu.audit.models import AuditEntry
from yanxiu.core.jobs import JobState
from yanxiu.core.refusal import Refused
from yanxiu.reviews.domain import assignment as assigning
from yanxiu.reviews.models import Assignment, AssignmentJob, BackupExpert
from yanxiu.reviews.tasks import solve_assignment

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture
def round_to_fill():
    for code in ("350100-RS", "350200-RS", "350500-RS"):
        for _ in range(2):
            rf.forwarded("provincial", authority_code=code)
    for i in range(5):
        rf.expert(affiliation=f"外省大学{i}")
    return rf.review_round(reviews_per_application=3)


def pairs(review_round):
    return sorted(Assignment.objects.filter(round=review_round).values_list("application_id", "expert_id"))


def backups(review_round):
    return sorted(BackupExpert.objects.filter(round=review_round).values_list("application_id", "expert_id", "rank"))


@pytest.mark.parametrize("options", [{"method": "optimal"}, {"method": "draw", "seed": "福建-2026-1", "backups": 1}])
def test_the_task_gives_the_same_result_as_the_synchronous_call(round_to_fill, options):
    review_round = round_to_fill
    officer = review_round.created_by
    try:
        with transaction.atomic():
            synchronous = assigning.auto_assign(review_round, actor=officer, **options)
            expected = (pairs(review_round), backups(review_round), synchronous.message)
            raise Rollback
    except Rollback:
        pass
    assert pairs(review_round) == []
    job = assigning.start_assignment_job(review_round, actor=officer, enqueue=lambda pk: None, **options)
    solve_assignment.call(job.pk)
    job.refresh_from_db()
    assert (job.state, job.percent) == (JobState.DONE, 100)
    assert (pairs(review_round), backups(review_round), job.message) == expected
    assert len(expected[0]) == 18
    assert AuditEntry.objects.filter(object_id=review_round.pk, action="start_auto_assign").count() == 1
    solve_assignment.call(job.pk)  # a job runs once
    assert pairs(review_round) == expected[0]


def test_a_refusal_is_the_jobs_answer_and_nothing_is_assigned(round_to_fill):
    review_round = round_to_fill
    job = assigning.start_assignment_job(
        review_round, actor=review_round.created_by, enqueue=lambda pk: None, method="optimal", max_load=1
    )
    solve_assignment.call(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error.startswith("无法完成分配，未作任何改动：需要分配18人次，而专家任务上限之和只有5人次")
    assert pairs(review_round) == []


def test_a_large_round_goes_to_the_worker_from_the_page(
    client, round_to_fill, monkeypatch, django_capture_on_commit_callbacks
):
    review_round = round_to_fill
    monkeypatch.setattr(assigning, "BACKGROUND_FROM", 10)  # 18 places to fill
    client.force_login(review_round.created_by)
    with django_capture_on_commit_callbacks(execute=True):  # the tests' tasks backend runs it at once
        response = client.post(reverse("reviews:auto_assign", args=[review_round.pk]), {"method": "optimal"})
    job = AssignmentJob.objects.get(round=review_round)
    assert response["Location"] == reverse("reviews:assignment_job", args=[review_round.pk, job.pk])
    page = client.get(response["Location"])
    assert page.context["job"].state == JobState.DONE  # the immediate backend ran it on commit
    assert len(pairs(review_round)) == 18
    assert "已最优分配18项评审任务" in page.content.decode()


def test_a_small_round_stays_in_the_request(client, round_to_fill):
    review_round = round_to_fill
    client.force_login(review_round.created_by)
    response = client.post(reverse("reviews:auto_assign", args=[review_round.pk]), {"method": "optimal"})
    assert response["Location"] == reverse("reviews:round_assignments", args=[review_round.pk])
    assert not AssignmentJob.objects.exists()
    assert len(pairs(review_round)) == 18


def test_one_job_at_a_time(round_to_fill):
    review_round = round_to_fill
    officer = review_round.created_by
    assigning.start_assignment_job(review_round, actor=officer, enqueue=lambda pk: None)
    with pytest.raises(Refused) as refused:
        assigning.start_assignment_job(review_round, actor=officer, enqueue=lambda pk: None)
    assert str(refused.value) == "本轮已有一项自动分配正在后台进行，请等待其完成。"
