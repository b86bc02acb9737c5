"""Password rules with Chinese messages, expiry after 90 days, forced change, the 修改密码 page."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories
from yanxiu.accounts.passwords import classes_in, policy_password
from yanxiu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

GOOD = "Qiao-2026xz"


def messages_for(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as invalid:
        return invalid.messages
    return []


def test_a_good_password_passes():
    assert messages_for(GOOD, factories.staff()) == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Qz-2026", "密码太短：至少需要 8 个字符。"),  # 7 characters
        ("qiaozhi2026", "密码须包含大写字母、小写字母、数字、符号四类中的至少 3 类。"),  # two classes
        ("QIAOZHIMEN", "密码须包含大写字母、小写字母、数字、符号四类中的至少 3 类。"),
    ],
)
def test_each_rejected_kind_has_its_chinese_message(password, message):
    assert messages_for(password) == [message]


def test_eight_characters_from_three_classes_is_enough():
    assert messages_for("Qiaoz202") == []


def test_a_password_containing_the_username_is_refused():
    user = factories.user(username="linfeng", institution=factories.institution())
    assert messages_for("Linfeng-2026", user) == ["密码不能包含用户名。"]


def test_a_common_password_is_refused():
    assert "这个密码太常见，容易被猜中，请换一个。" in messages_for("Password1")


def test_generated_initial_passwords_meet_the_rules():
    for _ in range(20):
        password = policy_password()
        assert len(classes_in(password)) == 4
        assert messages_for(password) == []


@pytest.fixture
def long_sessions(settings):
    """Sessions that outlive the jumps of these tests (their limits are tested in test_sessions)."""
    settings.YANXIU_SESSION_IDLE_SECONDS = settings.YANXIU_SESSION_MAX_SECONDS = 400 * 86400


@pytest.mark.parametrize(("days", "expired"), [(89, False), (90, False), (91, True)])
def test_a_password_expires_after_90_days(client, wall_clock, long_sessions, days, expired):
    user = factories.staff()  # its password is set now
    user.must_change_password = False
    user.save()
    client.force_login(user)
    wall_clock.move(days=days)
    response = client.get(reverse("notifications:inbox"))
    if expired:
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password_change")
        page = client.get(response["Location"]).content.decode()
        assert "您的密码已使用超过 90 天，请修改密码后继续。" in page
    else:
        assert response.status_code == 200


@pytest.fixture
def forced(settings):
    settings.YANXIU_FORCE_PASSWORD_CHANGE = True


def login(client, user):
    return client.post("/login/", {"username": user.username, "password": "pw-for-tests"})


def test_a_new_account_must_change_its_password_at_the_first_login(client, forced):
    user = factories.staff()
    assert user.must_change_password
    login(client, user)
    response = client.get(reverse("applications:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    change = client.post(
        reverse("accounts:password_change"),
        {"old_password": "pw-for-tests", "new_password1": GOOD, "new_password2": GOOD},
    )
    assert change.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False
    assert user.check_password(GOOD)
    assert client.get(reverse("applications:dashboard")).status_code == 200  # still logged in


def test_an_expert_created_by_the_office_must_change_the_initial_password(client, forced):
    from yanxiu.reviews.domain.experts import create_expert

    officer = factories.province_officer()
    _expert, password = create_expert(actor=officer, username="zj_new", display_name="新专家", affiliation="福州大学")
    client.post("/login/", {"username": "zj_new", "password": password})
    response = client.get(reverse("reviews:mine"))
    assert response["Location"] == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "您的密码是由他人设置的（首次登录或管理员重置），请先修改密码。" in page


def test_a_reset_by_an_administrator_forces_a_change_and_is_audited(client, forced):
    security = factories.user("security_admin", must_change_password=False)
    user = factories.staff()
    user.must_change_password = False
    user.save()
    client.force_login(security)
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = client.post(url, {"password1": GOOD, "password2": GOOD, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.must_change_password is True
    entry = AuditEntry.objects.get(action="password_reset")
    assert (entry.username, entry.actor) == (user.username, security)


def test_the_change_page_refuses_a_weak_password_and_audits_both(client):
    user = factories.staff()
    client.force_login(user)
    url = reverse("accounts:password_change")
    weak = client.post(url, {"old_password": "pw-for-tests", "new_password1": "abcdefgh", "new_password2": "abcdefgh"})
    assert weak.status_code == 200
    assert "密码须包含大写字母、小写字母、数字、符号四类中的至少 3 类。" in weak.content.decode()
    client.post(url, {"old_password": "pw-for-tests", "new_password1": GOOD, "new_password2": GOOD})
    assert list(AuditEntry.objects.filter(action="password_change").values_list("outcome", flat=True)) == [
        "failure",
        "success",
    ]


@pytest.mark.parametrize("role", ["institution_staff", "expert", "province_officer", "audit_admin"])
def test_every_role_has_the_change_page(client, role):
    extra = {}
    if role == "institution_staff":
        extra["institution"] = factories.institution()
    client.force_login(factories.user(role, **extra))
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    assert "修改密码" in page.content.decode()


def test_a_changed_password_restarts_the_90_days(client, wall_clock, long_sessions):
    user = factories.staff()
    client.force_login(user)
    wall_clock.move(days=91)
    assert client.get(reverse("notifications:inbox"))["Location"] == reverse("accounts:password_change")
    client.post(
        reverse("accounts:password_change"),
        {"old_password": "pw-for-tests", "new_password1": GOOD, "new_password2": GOOD},
    )
    user.refresh_from_db()
    assert user.password_changed_at == wall_clock.now
    assert client.get(reverse("notifications:inbox")).status_code == 200
    wall_clock.move(days=90)
    assert client.get(reverse("notifications:inbox")).status_code == 200
    wall_clock.move(days=1)
    assert client.get(reverse("notifications:inbox")).status_code == 302


def test_an_officer_resets_an_experts_password_and_the_expert_must_change_it(client, forced):
    from yanxiu.reviews.domain.experts import create_expert

    officer = factories.user("province_officer", must_change_password=False)
    expert, _ = create_expert(actor=officer, username="zj_reset", display_name="专家", affiliation="福州大学")
    expert.must_change_password = False
    expert.save()
    client.force_login(officer)
    response = client.post(reverse("reviews:expert_reset_password", args=[expert.expert_profile.pk]), follow=True)
    text = next(str(m) for m in response.context["messages"])
    password = text.split("临时密码：")[1].split("（")[0]
    expert.refresh_from_db()
    assert expert.must_change_password is True
    assert expert.check_password(password)
    assert AuditEntry.objects.get(action="password_reset").username == "zj_reset"
    client.logout()
    client.post("/login/", {"username": "zj_reset", "password": password})
    assert client.get(reverse("reviews:mine"))["Location"] == reverse("accounts:password_change")


# --- no reuse of the current or a recent password (issue 22, decision 0019) -------------------

REUSED = "新密码不能与当前密码或最近 5 次用过的密码相同。"


def with_password(password, **extra):
    user = factories.staff()
    user.set_password(password)
    for name, value in extra.items():
        setattr(user, name, value)
    user.save()
    return user


def test_a_forced_change_refuses_the_same_password_and_the_flag_stays(client, forced):
    user = with_password(GOOD, must_change_password=True)
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"), {"old_password": GOOD, "new_password1": GOOD, "new_password2": GOOD}
    )
    assert response.status_code == 200
    assert REUSED in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password is True
    assert client.get(reverse("applications:dashboard"))["Location"] == reverse("accounts:password_change")
    other = "Ander-2026xz"  # a new one is accepted
    changed = client.post(
        reverse("accounts:password_change"), {"old_password": GOOD, "new_password1": other, "new_password2": other}
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert (user.must_change_password, user.check_password(other)) == (False, True)


def test_the_last_five_passwords_are_refused_the_sixth_is_not():
    passwords = [f"Folge-{n}-2026xz" for n in range(7)]
    user = with_password(passwords[0])
    for password in passwords[1:6]:
        assert messages_for(password, user) == []
        user.set_password(password)
        user.save()
    # current: passwords[5]; history: passwords[4] … passwords[0]
    for password in passwords[:6]:
        assert messages_for(password, user) == [REUSED], password
    user.set_password(passwords[6])
    user.save()
    assert user.password_history.count() == 5  # only the last five hashes are kept
    assert messages_for(passwords[0], user) == []  # now six changes ago
    assert messages_for(passwords[1], user) == [REUSED]
    assert all(not row.startswith("Folge") for row in user.password_history.values_list("password", flat=True))


def test_a_security_administrators_reset_refuses_the_accounts_current_password(client):
    user = with_password(GOOD, must_change_password=False)
    client.force_login(factories.user("security_admin"))
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]), {"password1": GOOD, "password2": GOOD}
    )
    assert response.status_code == 200
    assert REUSED in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password is False
