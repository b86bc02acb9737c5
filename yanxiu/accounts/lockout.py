"""Failed logins (GB/T 22239-2019 8.1.4.1 b: 登录失败处理), through django-axes.

Axes counts failures per lockout parameter (the username, the address) and
compares the largest with one limit. An office behind one NAT address shares
it, so the address gets its own, higher limit: its failures are scaled onto
the account's scale. The lockout page is the login page with a message that
reads the same whether or not the account exists.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.shortcuts import render

from yanxiu.core import clock

LOCKED_MESSAGE = "登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试。如需提前解锁或忘记密码，请联系安全管理员。"


def is_locked(username):
    """Whether the account is locked now (its failures within the cool-off reach the limit):
    what a login would refuse, asked by other doors (an API token)."""
    since = clock.wall_now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return (failures or 0) >= settings.AXES_FAILURE_LIMIT


def locked_message():
    return LOCKED_MESSAGE.format(minutes=settings.YANXIU_LOCKOUT_MINUTES)


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        attempts = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        by_account = (
            attempts.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0 if username else 0
        )
        by_address = attempts.filter(ip_address=address).aggregate(n=Sum("failures_since_start"))["n"] or 0
        limit = settings.AXES_FAILURE_LIMIT
        address_limit = max(settings.YANXIU_LOGIN_ADDRESS_FAILURE_LIMIT, 1)
        # by_address * limit // address_limit reaches `limit` exactly when by_address reaches address_limit.
        return max(by_account, by_address * limit // address_limit)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears its own account's failures only: one good
        password must not wipe an address's count of failures on other accounts."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    form = AuthenticationForm(request)
    return render(request, "core/login.html", {"form": form, "locked_out": locked_message()}, status=429)
