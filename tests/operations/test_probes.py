"""/healthz and /readyz for a load balancer (yanxiu.operations.middleware, domain/readiness.py)."""

from datetime import timedelta

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from yanxiu.operations.domain import heartbeats, readiness
from yanxiu.operations.enums import ProcessKind
from yanxiu.operations.models import Heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_memo(settings):
    readiness._migrations_ok_until = 0.0
    settings.DOCUMENTS_UNOSERVER = "127.0.0.1:2003"


def everything_alive():
    heartbeats.beat("w1", ProcessKind.WORKER, queues="default")
    heartbeats.beat("w2", ProcessKind.WORKER, queues="pdf")
    heartbeats.beat("c1", ProcessKind.PDF_CONVERTER, queues="127.0.0.1:2003")


def test_healthz_answers_a_probe_by_address_even_with_https_redirect_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8001")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_is_ready_when_every_process_has_beaten(client):
    everything_alive()
    response = client.get("/readyz", HTTP_HOST="10.0.0.5:8001")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "migrations": True,
        "worker": True,
        "pdf_worker": True,
        "pdf_converter": True,
    }
    assert body["checks"]["worker"]["detail"] == "1 个在线"


def test_readyz_fails_when_the_worker_was_last_seen_over_a_minute_ago(client):
    everything_alive()
    Heartbeat.objects.filter(process="w1").update(seen_at=timezone.now() - timedelta(seconds=61))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["worker"] == {"ok": False, "detail": "最近 60 秒内没有后台任务进程的心跳"}
    assert body["checks"]["pdf_worker"]["ok"] is True


def test_readyz_fails_when_the_pdf_converter_stopped(client):
    everything_alive()
    heartbeats.stopped("c1")
    body = client.get("/readyz").json()
    assert body["checks"]["pdf_converter"] == {"ok": False, "detail": "最近 60 秒内没有PDF 转换服务的心跳"}


def test_without_a_warm_converter_configured_it_is_not_required(client, settings):
    settings.DOCUMENTS_UNOSERVER = ""
    heartbeats.beat("w1", ProcessKind.WORKER, queues="default,pdf")
    assert client.get("/readyz").status_code == 200


def test_readyz_fails_with_an_unapplied_migration(client):
    everything_alive()
    MigrationRecorder.Migration.objects.filter(app="operations").latest("id").delete()  # one of them
    body = client.get("/readyz").json()
    assert body["checks"]["migrations"] == {"ok": False, "detail": "有 1 个数据库迁移未执行（manage.py migrate）"}
