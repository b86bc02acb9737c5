"""Two factors for the deciding roles: enrolment with a QR code, a real TOTP code, recovery codes."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from yanxiu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.YANXIU_OTP_REQUIRED = True


def code_for(device):
    """The code an authenticator app shows now, computed from the device's key."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def waited(device):
    """After a wrong code django-otp makes the next try wait (1 s, 2 s, 4 s…): as if the user waited."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)


def login(client, user):
    client.post("/login/", {"username": user.username, "password": "pw-for-tests"})


def officer():
    return factories.user("province_officer", must_change_password=False)


def test_a_deciding_role_enrols_then_is_verified(client, required):
    user = officer()
    login(client, user)
    response = client.get(reverse("applications:inbox"))
    assert response["Location"] == reverse("accounts:otp_setup")
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert "<svg" in page
    assert "<script" not in page.split("<main>")[1]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(
        reverse("accounts:otp_setup"), {"token": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert "验证码不正确" in wrong.content.decode()
    waited(device)
    done = client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    assert done.status_code == 200
    codes = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert len(codes) == 10
    assert all(code in done.content.decode() for code in codes)
    assert client.get(reverse("applications:inbox")).status_code == 200
    assert AuditEntry.objects.filter(action="otp_enrol", actor=user).count() == 1


@pytest.fixture
def enrolled():
    user = officer()
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    static = user.staticdevice_set.create(name="恢复码", confirmed=True)
    static.token_set.create(token="recover1")
    return user, device


def test_the_next_login_asks_for_a_code_and_accepts_a_real_one(client, required, enrolled):
    user, device = enrolled
    login(client, user)
    assert client.get(reverse("applications:inbox"))["Location"] == reverse("accounts:otp_verify")
    assert client.post(reverse("accounts:otp_verify"), {"token": "12345"}).status_code == 200  # refused
    waited(device)
    response = client.post(reverse("accounts:otp_verify"), {"token": code_for(device)})
    assert response.status_code == 302
    assert client.get(reverse("applications:inbox")).status_code == 200
    assert list(AuditEntry.objects.filter(action__startswith="otp_").values_list("action", "outcome")) == [
        ("otp_failed", "failure"),
        ("otp_verify", "success"),
    ]


def test_a_recovery_code_works_once(client, required, enrolled):
    user, _ = enrolled
    login(client, user)
    assert client.post(reverse("accounts:otp_verify"), {"token": "recover1"}).status_code == 302
    client.post(reverse("logout"))
    login(client, user)
    assert client.post(reverse("accounts:otp_verify"), {"token": "recover1"}).status_code == 200
    assert client.get(reverse("applications:inbox")).status_code == 302


def test_institution_staff_and_experts_are_not_asked(client, required):
    user = factories.staff()
    user.must_change_password = False
    user.save()
    login(client, user)
    assert client.get(reverse("applications:dashboard")).status_code == 200


def test_off_in_the_demo_settings(client, settings):
    assert settings.YANXIU_OTP_REQUIRED is False
    login(client, officer())
    assert client.get(reverse("applications:inbox")).status_code == 200
