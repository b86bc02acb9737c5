"""Prometheus metrics (yanxiu/operations/metrics.py): per-view latency, and what is read from the database."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY

from yanxiu.notifications.tasks import send_notification_email
from yanxiu.operations.domain import heartbeats
from yanxiu.operations.enums import ProcessKind
from yanxiu.operations.metrics import metrics_text

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "pdf"]}}


def test_each_request_is_counted_under_its_view(client):
    labels = {"view": "login", "method": "GET", "status": "200"}
    before = REGISTRY.get_sample_value("yanxiu_http_request_duration_seconds_count", labels) or 0
    assert client.get("/login/").status_code == 200
    assert REGISTRY.get_sample_value("yanxiu_http_request_duration_seconds_count", labels) == before + 1


def test_queue_depth_failed_tasks_and_live_processes_are_read_at_scrape(settings):
    settings.TASKS = DB_TASKS
    send_notification_email.enqueue(["a@example.gov.cn"], "s", "b")
    send_notification_email.enqueue(["b@example.gov.cn"], "s", "b")
    DBTaskResult.objects.filter(pk=DBTaskResult.objects.first().pk).update(status="FAILED")
    heartbeats.beat("w1", ProcessKind.WORKER, queues="default")
    text = metrics_text()
    assert 'yanxiu_task_queue_depth{queue="default"} 1.0' in text
    assert 'yanxiu_tasks{queue="default",status="FAILED"} 1.0' in text
    assert 'yanxiu_processes_alive{kind="worker"} 1.0' in text
    assert 'yanxiu_processes_alive{kind="scheduler"} 0.0' in text
    assert "a@example.gov.cn" not in text


def test_the_metrics_server_needs_a_configured_address(settings):
    settings.YANXIU_METRICS_ADDRESS = ""
    with pytest.raises(CommandError, match="YANXIU_METRICS_ADDRESS"):
        call_command("metrics")
