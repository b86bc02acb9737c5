"""Races with real concurrent connections (threads, each its own PostgreSQL connection).

Each race reproduced in issue 9 behind gunicorn: deadlock between a batch's
members and its submission, approvals over capacity, simultaneous enrolments
with one ID number, an attachment landing after submission, two draft batches
from a double click, the public rate limit. SQLite serialises every writer, so
these run on PostgreSQL only (the suite's PostgreSQL run includes them)."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from tests import factories
from tests.delivery.helpers import add_trainees, host_of, open_enrolment, planned, trainee_data
from yanxiu.applications.domain import editing, workflow
from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.batches.domain import operations
from yanxiu.batches.domain.operations import BATCH_WORKFLOW
from yanxiu.batches.models import Batch
from yanxiu.core.refusal import Refused
from yanxiu.delivery.domain import enrolment
from yanxiu.delivery.enums import EnrolmentState
from yanxiu.delivery.models import Programme, Trainee
from yanxiu.operations.domain import rate_limit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks: PostgreSQL only"),
]


def at_once(*calls):
    """Run each callable in its own thread and connection, released together; return
    each one's result or the exception it raised (never swallowed)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as exc:  # collected and asserted on by the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def only_refusals(results):
    """Nothing but successes and Chinese refusals (no deadlock, no unique error, no 500)."""
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, Refused)]
    assert unexpected == []
    return [r for r in results if isinstance(r, Refused)]


def approved(reviewer=None, host=None):
    host = host or factories.staff(factories.institution())
    application = factories.complete(actor=host)
    workflow.perform(application, "submit", host)
    reviewer = reviewer or factories.reviewer(host.institution.authority)
    workflow.perform(application, "approve", reviewer, reason="同意")
    return Application.objects.select_related("institution").get(pk=application.pk), reviewer


def scan():
    return SimpleUploadedFile("s.pdf", b"%PDF-1.4\n")


@pytest.mark.parametrize("run", range(3))
def test_changing_members_while_submitting_never_deadlocks(run):
    first, reviewer = approved()
    second, _ = approved(reviewer)
    batch = operations.create_batch(call=first.call, tier="provincial", actor=reviewer)
    operations.set_members(batch, [first, second], actor=reviewer)
    operations.upload_scan(batch, application=None, uploaded=scan(), ext=".pdf", actor=reviewer)
    for application in (first, second):
        application.refresh_from_db()
        operations.upload_scan(batch, application=application, uploaded=scan(), ext=".pdf", actor=reviewer)
    results = at_once(
        lambda: operations.set_members(Batch.objects.get(pk=batch.pk), [first], actor=reviewer),
        lambda: BATCH_WORKFLOW.perform(Batch.objects.get(pk=batch.pk), "submit", reviewer),
    )
    only_refusals(results)
    batch.refresh_from_db()
    members = set(Application.objects.filter(batch=batch).values_list("state", flat=True))
    if batch.state == "submitted":
        assert members == {S.FORWARDED}  # every member went up with the batch
    else:
        assert members == {S.AUTHORITY_APPROVED}


def test_two_approvals_for_the_last_place_never_exceed_the_capacity():
    programme = planned()
    host = host_of(programme)
    trainees = add_trainees(programme, 3)
    Programme.objects.filter(pk=programme.pk).update(capacity=2)
    enrolment.review(programme, trainees[:1], host, approve=True)
    results = at_once(
        lambda: enrolment.review(Programme.objects.get(pk=programme.pk), [trainees[1]], host, approve=True),
        lambda: enrolment.review(Programme.objects.get(pk=programme.pk), [trainees[2]], host, approve=True),
    )
    refused = only_refusals(results)
    assert len(refused) == 1
    assert "超出招收名额" in str(refused[0])
    assert Trainee.objects.filter(programme=programme, state=EnrolmentState.APPROVED).count() == 2


def test_five_enrolments_with_one_id_number_make_one_trainee():
    programme = open_enrolment(planned())
    data = trainee_data(1)
    results = at_once(*[lambda: enrolment.enrol(Programme.objects.get(pk=programme.pk), data)] * 5)
    # No error and no hint that the number is enrolled (issue 10): the duplicates are recorded quietly.
    assert only_refusals(results) == []
    assert sum(1 for r in results if isinstance(r, Trainee)) == 1
    assert Trainee.objects.filter(programme=programme).count() == 1
    assert AuditEntry.objects.filter(action="duplicate_enrolment").count() == 4


@pytest.mark.parametrize("run", range(3))
def test_an_attachment_never_lands_after_the_submission(run):
    host = factories.staff(factories.institution())
    application = factories.complete(actor=host)
    upload = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\nproof\n")
    results = at_once(
        lambda: editing.add_attachment(
            Application.objects.get(pk=application.pk), uploaded=upload, ext=".pdf", kind="other", actor=host
        ),
        lambda: workflow.perform(Application.objects.get(pk=application.pk), "submit", host),
    )
    only_refusals(results)
    entries = list(AuditEntry.objects.for_object(application).filter(action__in=["attach", "submit"]).order_by("pk"))
    actions = [e.action for e in entries]
    assert actions in (["attach", "submit"], ["submit"])  # never an attachment after the submission
    assert application.attachments.count() == actions.count("attach")


def test_a_double_click_makes_one_draft_batch():
    _application, reviewer = approved()
    call = factories.call_2026()
    results = at_once(*[lambda: operations.create_batch(call=call, tier="provincial", actor=reviewer)] * 2)
    refused = only_refusals(results)
    assert [str(r) for r in refused] == ["已有一个编制中的同级别批次，请先完成或报送它。"]
    assert Batch.objects.filter(authority_id=reviewer.authority_id).count() == 1


def test_the_public_rate_limit_counts_every_concurrent_post():
    results = at_once(*[lambda: rate_limit.count_post("enrol", "203.0.113.9")] * 12)
    only_refusals(results)
    assert sorted(results) == list(range(1, 13))


def test_two_invitations_of_one_username_make_one_account():
    from yanxiu.accounts.domain import changes
    from yanxiu.accounts.models import User

    admin = factories.staff(factories.institution())
    admin.is_org_admin = True
    admin.save()

    def invite(n):
        return lambda: changes.invite_account(
            admin, username="same-name", display_name=f"同事{n}", email=f"c{n}@example.invalid"
        )

    results = at_once(*[invite(n) for n in range(4)])
    refused = only_refusals(results)
    assert {str(r) for r in refused} == {"登录用户名“same-name”已被使用。"}
    assert len(refused) == 3
    assert User.objects.filter(username="same-name").count() == 1
