"""Prometheus metrics (prometheus-client), served by `manage.py metrics` on
`YANXIU_METRICS_ADDRESS` only (e.g. 127.0.0.1:9108 or an internal interface): never through
nginx, never public.

- Requests and latency per view: recorded by `MetricsMiddleware` in every web process. With
  several gunicorn workers, set `PROMETHEUS_MULTIPROC_DIR` (an empty folder, the same for gunicorn
  and `manage.py metrics`): the workers write there and the metrics process adds them up.
- Everything else is read from the database when Prometheus asks (`SystemCollector`): queue depth
  and age per queue, running and failed tasks, PDF conversion time, failed logins and lockouts,
  audit entries written, live background processes, failed scheduled runs.
"""

import os
import time
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Min, Sum
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, SummaryMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from .domain import heartbeats
from .enums import ProcessKind, RunState
from .models import Heartbeat, ScheduledRun

REQUEST_SECONDS = Histogram(
    "yanxiu_http_request_duration_seconds",
    "Time to answer a request, per view, method and status",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "<unresolved>"
        REQUEST_SECONDS.labels(view, request.method, str(response.status_code)).observe(time.perf_counter() - started)
        return response


class SystemCollector:
    """Read at every scrape (a handful of aggregate queries)."""

    def collect(self):
        task_result = DBTaskResult
        now = timezone.now()
        depth = GaugeMetricFamily("yanxiu_task_queue_depth", "Tasks waiting in the queue", labels=["queue"])
        age = GaugeMetricFamily("yanxiu_task_queue_oldest_seconds", "Age of the oldest waiting task", labels=["queue"])
        for row in (
            task_result.objects.filter(status="READY")
            .values("queue_name")
            .annotate(n=Count("id"), oldest=Min("enqueued_at"))
        ):
            depth.add_metric([row["queue_name"]], row["n"])
            age.add_metric([row["queue_name"]], (now - row["oldest"]).total_seconds())
        yield depth
        yield age
        by_status = GaugeMetricFamily("yanxiu_tasks", "Tasks by queue and status", labels=["queue", "status"])
        for row in task_result.objects.values("queue_name", "status").annotate(n=Count("id")):
            by_status.add_metric([row["queue_name"], row["status"]], row["n"])
        yield by_status
        rendition = apps.get_model("documents", "PdfRendition")
        pdf = rendition.objects.filter(seconds__isnull=False).aggregate(n=Count("id"), total=Sum("seconds"))
        yield SummaryMetricFamily(
            "yanxiu_pdf_conversion_seconds", "PDF conversion time", count_value=pdf["n"], sum_value=pdf["total"] or 0
        )
        attempt = apps.get_model("axes", "AccessAttempt")
        logins = attempt.objects.aggregate(total=Sum("failures_since_start"))["total"] or 0
        yield GaugeMetricFamily("yanxiu_login_failures", "Failed logins not yet cleared (django-axes)", value=logins)
        limit = getattr(settings, "YANXIU_LOGIN_FAILURE_LIMIT", 5)
        locked = attempt.objects.filter(failures_since_start__gte=limit).count()
        yield GaugeMetricFamily("yanxiu_lockouts", "Accounts or addresses locked now", value=locked)
        audit = apps.get_model("audit", "AuditEntry").objects.count()
        yield CounterMetricFamily("yanxiu_audit_entries", "Audit entries written (kept)", value=audit)
        alive = GaugeMetricFamily(
            "yanxiu_processes_alive", "Background processes with a fresh heartbeat", labels=["kind"]
        )
        fresh = dict(
            Heartbeat.objects.filter(stopped_at=None, seen_at__gte=now - heartbeats.dead_after())
            .values_list("kind")
            .annotate(n=Count("id"))
        )
        for kind in ProcessKind.values:
            alive.add_metric([kind], fresh.get(kind, 0))
        yield alive
        failed = GaugeMetricFamily("yanxiu_scheduled_runs_failed", "Failed scheduled runs, last 24 h", labels=["job"])
        for job, n in (
            ScheduledRun.objects.filter(state=RunState.FAILED, started_at__gte=now - timedelta(days=1))
            .values_list("job")
            .annotate(n=Count("id"))
        ):
            failed.add_metric([job], n)
        yield failed


def registry():
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    registry.register(SystemCollector())
    return registry


def metrics_text():
    return generate_latest(registry()).decode()
