"""What the office should see before it puts an application into the plan (issue 20, decision 0016).

A national application that fell back to provincial is checked again under the provincial rules
(the applications' own checks, `applications.domain.checks`); any application whose start date
has passed is flagged, fallback or not. Publishing a flagged item into the plan needs a reason.
"""

from django.db.models import Prefetch
from django.utils import timezone

from yanxiu.applications.domain.checks import CheckContext, run_checks_on, start_passed
from yanxiu.applications.models import Application, TopicClaim
from yanxiu.core import clock

from ..models import Outcome


def _context(application, now):
    return CheckContext(
        application=application,
        rule=application.call.tier_rule(application.tier),
        sessions=list(application.sessions.all()),
        lecturers=list(application.lecturers.all()),
        claims=application.claims_with_areas(),
        now=now,
    )


def findings(applications, now=None):
    """{application id: [CheckResult]} for these applications (objects or ids), in a constant
    number of queries: a fallback's every error and warning under the provincial rules; for the
    others only a start date that has passed. Applications without findings are left out."""
    now = now or clock.now()
    today = timezone.localdate(now)
    ids = [getattr(a, "pk", a) for a in applications]
    if not ids:
        return {}
    loaded = (
        Application.objects.filter(pk__in=ids)
        .select_related("call", "institution", "competent_department", "domain")
        .prefetch_related(
            "call__tier_rules",
            "sessions",
            "lecturers",
            Prefetch("topic_claims", queryset=TopicClaim.objects.select_related("area")),
            "institution__programme_records",
        )
    )
    found = {}
    for application in loaded:
        if application.fallback_from_national:
            context = _context(application, now)
            results = run_checks_on(context)
            problems = [r for r in results if r.is_error] + [r for r in results if not r.is_error]
        else:
            passed = start_passed(application, today)
            problems = [passed] if passed else []
        if problems:
            found[application.pk] = problems
    return found


def needing_reason(decisions, now=None):
    """{decision id: [CheckResult]} for staged decisions that put a flagged application into the plan."""
    into_plan = [d for d in decisions if d.outcome != Outcome.NOT_SELECTED]
    by_application = findings([d.application_id for d in into_plan], now)
    return {d.pk: by_application[d.application_id] for d in into_plan if d.application_id in by_application}
