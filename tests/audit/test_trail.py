"""The audit trail: append-only, kept 180 days, read by the audit administrator on a Chinese page."""

from datetime import datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from yanxiu.audit.log import record, security_event
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused

pytestmark = pytest.mark.django_db


def entry():
    user = factories.staff()
    return record(user, action="test", label="测试", actor=user)


def test_an_entry_cannot_be_changed_or_deleted():
    e = entry()
    e.reason = "改过"
    with pytest.raises(Refused, match="操作记录一经写入不能修改或删除。"):
        e.save()
    with pytest.raises(Refused, match=r"^操作记录一经写入不能修改或删除。$"):
        e.delete()
    with pytest.raises(Refused, match=r"^操作记录一经写入不能修改或删除。$"):
        AuditEntry.objects.filter(pk=e.pk).update(reason="改过")
    with pytest.raises(Refused, match=r"^操作记录一经写入不能修改或删除。$"):
        AuditEntry.objects.filter(pk=e.pk).delete()
    assert AuditEntry.objects.get(pk=e.pk).reason == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_on_postgresql_the_database_refuses_too():
    from django.db import DatabaseError, transaction

    e = entry()
    with (
        pytest.raises(DatabaseError, match="audit entries cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditentry SET reason = 'x' WHERE id = %s", [e.pk])
    young = AuditEntry.objects.create(action="test", action_label="测试", created_at=datetime.now().astimezone())
    with (
        pytest.raises(DatabaseError, match="kept at least 180 days"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [young.pk])
    assert AuditEntry.objects.filter(pk=young.pk).exists()


def test_nobody_can_edit_or_delete_in_the_admin(client):
    e = entry()
    admin = factories.user("system_admin", is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:audit_auditentry_change", args=[e.pk])).status_code == 200
    assert client.post(reverse("admin:audit_auditentry_delete", args=[e.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=e.pk).exists()


def test_the_purge_refuses_entries_younger_than_180_days(clock):
    clock("2026-01-10T10:00:00+08:00")
    old = entry()
    clock("2026-07-09T09:00:00+08:00")  # 179 days and 23 hours later
    with pytest.raises(CommandError, match="操作记录至少保留 180 天"):
        call_command("purge_audit", "--before", "2026-01-11")
    with pytest.raises(CommandError, match="操作记录至少保留 180 天"):
        call_command("purge_audit", "--older-than-days", "179")
    assert AuditEntry.objects.filter(pk=old.pk).exists()


def test_the_purge_removes_entries_past_180_days(clock):
    clock("2026-01-10T10:00:00+08:00")
    old = entry()
    clock("2026-07-10T09:00:00+08:00")
    kept = entry()
    clock("2026-07-10T10:00:01+08:00")  # 180 days and a second after the first
    call_command("purge_audit", "--older-than-days", "180")
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()


def test_retention_cannot_be_set_below_180_days(settings, clock):
    settings.YANXIU_AUDIT_RETENTION_DAYS = 30
    clock("2026-03-01T10:00:00+08:00")
    with pytest.raises(CommandError, match="180"):
        call_command("purge_audit", "--older-than-days", "60")


def test_a_permission_refusal_is_audited(client):
    expert = factories.user("expert")
    client.force_login(expert)
    response = client.get(reverse("selection:index"))
    assert response.status_code == 403
    refusal = AuditEntry.objects.get(action="permission_denied")
    assert (refusal.actor, refusal.outcome, refusal.client_ip) == (expert, "refused", "127.0.0.1")
    assert refusal.reason == "只有省人社厅经办人可以进行遴选。"
    assert refusal.data == {"path": "/selection/", "method": "GET"}


# --- the audit administrator's page -------------------------------------------------------


@pytest.fixture
def auditor():
    return factories.user("audit_admin")


def test_only_the_audit_administrator_reads_it(client, auditor):
    for role in ("province_officer", "system_admin", "security_admin"):
        client.force_login(factories.user(role))
        assert client.get(reverse("audit:trail")).status_code == 403
    client.force_login(auditor)
    page = client.get(reverse("audit:trail"))
    assert page.status_code == 200
    assert "审计记录" in page.content.decode()


def test_filters_by_time_account_and_action(client, auditor, clock, rf):
    request = rf.get("/", REMOTE_ADDR="198.51.100.3")
    clock("2026-01-05T09:00:00+08:00")
    security_event(request, "login_failed", outcome="failure", username="zhang")
    clock("2026-01-08T09:00:00+08:00")
    security_event(request, "login_failed", outcome="failure", username="li")
    security_event(request, "lockout", outcome="refused", username="zhang")
    client.force_login(auditor)

    def shown(**query):
        page = client.get(reverse("audit:trail"), query)
        return [(e.username, e.action) for e in page.context["page"]]

    assert shown(username="zhang") == [("zhang", "lockout"), ("zhang", "login_failed")]
    assert shown(action="login_failed", date_from="2026-01-06") == [("li", "login_failed")]
    assert shown(date_to="2026-01-05") == [("zhang", "login_failed")]
    assert shown(kind="security", outcome="refused") == [("zhang", "lockout")]


def test_paginated_with_constant_queries(client, auditor, rf):
    request = rf.get("/", REMOTE_ADDR="198.51.100.3")
    client.force_login(auditor)
    security_event(request, "login", user=auditor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("audit:trail")).status_code == 200
        return len(captured)

    few = queries()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                action="login",
                action_label="登录",
                actor=auditor,
                username=auditor.username,
                created_at=datetime.fromisoformat("2026-01-01T08:00:00+08:00") + timedelta(minutes=n),
            )
            for n in range(120)
        ]
    )
    assert queries() == few
    page = client.get(reverse("audit:trail"), {"page": 3})
    assert len(page.context["page"]) == AuditEntry.objects.count() - 100
