"""Background job: the automatic assignment of a large round (optimum or draw), solved by the worker
through the same domain function as a request would call (assignment.auto_assign). A refusal (no
feasible assignment, the round closed) is the job's answer, shown on its page; nothing is assigned then."""

from django_tasks import task

from yanxiu.core import clock, jobs
from yanxiu.core.jobs import JobState
from yanxiu.core.refusal import Refused

from .domain import assignment as assigning
from .models import AssignmentJob


@jobs.tracked(AssignmentJob)
@task()
def solve_assignment(job_id):
    job = AssignmentJob.objects.select_related("round", "requested_by").get(pk=job_id)
    if job.state != JobState.QUEUED:  # run once: a job already answered stays as it is
        return job.pk
    AssignmentJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, done=1)
    try:
        result = assigning.auto_assign(job.round, actor=job.requested_by, **job.options)
    except Refused as refused:
        AssignmentJob.objects.filter(pk=job.pk).update(
            state=JobState.FAILED, error=str(refused)[:4000], finished_at=clock.now()
        )
        return job.pk
    except Exception as exc:  # shown to the user, re-raised for the worker's log
        AssignmentJob.objects.filter(pk=job.pk).update(state=JobState.FAILED, error=str(exc)[:2000])
        raise
    AssignmentJob.objects.filter(pk=job.pk).update(
        state=JobState.DONE, done=job.total, message=result.message, finished_at=clock.now()
    )
    return job.pk
