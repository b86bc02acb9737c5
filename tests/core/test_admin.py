import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_workflow_objects_are_read_only_in_the_admin(client):
    officer = factories.province_officer()
    officer.is_staff = officer.is_superuser = True
    officer.save()
    application = factories.complete("provincial")
    client.force_login(officer)
    assert client.get(reverse("admin:applications_application_changelist")).status_code == 200
    page = client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    assert 'name="title"' not in page  # shown, not editable
    assert (
        client.post(
            reverse("admin:applications_application_delete", args=[application.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:batches_batch_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403


def test_the_admin_speaks_chinese_down_to_the_task_results(client):
    from django_tasks_db.models import DBTaskResult, get_date_max

    from yanxiu.delivery.tasks import build_certificates

    officer = factories.province_officer()
    officer.is_staff = officer.is_superuser = True
    officer.save()
    client.force_login(officer)
    index = client.get(reverse("admin:index")).content.decode()
    assert "研修申报 系统管理" in index
    assert "Django" not in index
    assert "后台任务" in index
    assert "Tasks Database Backend" not in index
    assert "Task Results" not in index
    DBTaskResult.objects.create(
        task_path=build_certificates.module_path,
        args_kwargs={"args": [1], "kwargs": {}},
        priority=0,
        queue_name="default",
        backend_name="default",
        run_after=get_date_max(),
        exception_class_path="",
        traceback="",
    )
    listing = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content.decode()
    for heading in ("任务", "状态", "排队时间", "完成时间", "队列", "排队中"):
        assert heading in listing
    for english in ("Task name", "Enqueued at", "Queue name", "Ready"):
        assert english not in listing


def test_the_security_administrator_reads_lockouts_and_devices_in_chinese(client):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="someone", ip_address="10.0.0.1", user_agent="x", get_data="", post_data="", failures_since_start=3
    )
    client.force_login(factories.user("security_admin"))
    index = client.get(reverse("admin:index")).content.decode()
    for name in ("登录安全（失败登录与锁定）", "登录失败计数", "双因素认证（动态口令）", "动态口令设备", "备用码设备"):
        assert name in index
    for english in ("Axes", "Access attempts", "TOTP devices", "Static devices", "Model name"):
        assert english not in index
    listing = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    for heading in ("用户名", "IP地址", "尝试时间", "连续失败次数"):
        assert heading in listing
    for english in ("Attempt Time", "Failed Logins", "IP Address"):
        assert english not in listing


def test_the_security_administrator_reads_the_second_factor_devices_in_chinese(client):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    holder = factories.province_officer()
    totp = TOTPDevice.objects.create(user=holder, name="手机", confirmed=True)
    static = StaticDevice.objects.create(user=holder, name="备用码", confirmed=True)
    client.force_login(factories.user("security_admin"))
    for model, device in (("totpdevice", totp), ("staticdevice", static)):
        app = "otp_totp" if model == "totpdevice" else "otp_static"
        listing = client.get(reverse(f"admin:{app}_{model}_changelist")).content.decode()
        for heading in ("用户", "设备名称", "创建时间", "最近使用时间", "已启用", "按用户名搜索"):
            assert heading in listing, (model, heading)
        for english in ("Created at", "Last used at", "Confirmed", "Search by"):
            assert english not in listing, (model, english)
        page = client.get(reverse(f"admin:{app}_{model}_change", args=[device.pk])).content.decode()
        for text in ('heading">设备</h2>', 'heading">时间</h2>', "设备名称", "最近使用时间"):
            assert text in page, (model, text)
        for english in ("Identity", "Timestamps", "Last used at"):
            assert english not in page, (model, english)
    # Someone who may change a device (a superuser) reads the form's help in Chinese too.
    superuser = factories.province_officer()
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[totp.pk])).content.decode()
    assert "便于识别的设备名称。" in page
    assert "The human-readable name" not in page
