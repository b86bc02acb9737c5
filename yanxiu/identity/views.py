"""Unified identity pages (decision 0025): the login page's provider buttons, the round trip
to a provider, the waiting and refusal pages, and the institution administrator's list."""

from django.contrib import messages
from django.contrib.auth import login as django_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yanxiu.accounts.security import IDENTITY_LOGIN
from yanxiu.core.errors import refusal_returns_to

from .domain import bindings, providers
from .interfaces.provider import identity_from_callback, redirect_to_provider
from .models import Binding

NEXT = "yanxiu_identity_next"
INVITATION = "yanxiu_identity_invitation"  # the invitation link answered by this login
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class LoginView(auth_views.LoginView):
    """The password login page, with a button for each configured provider."""

    template_name = "core/login.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "identity_providers": providers.configured()}


def start(request, provider):
    """To the provider's login; it sends the browser back to `callback`."""
    provider = providers.get(provider)
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        request.session[NEXT] = next_url
    request.session[INVITATION] = request.GET.get("invitation", "")
    redirect_uri = request.build_absolute_uri(reverse("identity:callback", args=[provider.key]))
    return redirect_to_provider(request, provider, redirect_uri)


def callback(request, provider):
    provider = providers.get(provider)
    identity = identity_from_callback(request, provider)
    outcome = bindings.sign_in(identity, request=request, invitation=request.session.pop(INVITATION, ""))
    if outcome.refusal:
        return render(request, "identity/refused.html", {"provider": provider, "reason": outcome.refusal}, status=403)
    if outcome.waiting:
        return render(
            request,
            "identity/waiting.html",
            {
                "provider": provider,
                "binding": outcome.binding,
                "has_administrator": bindings.has_administrator(outcome.binding.institution),
            },
        )
    next_url = request.session.pop(NEXT, "")
    request.yanxiu_login_via = provider.name  # the login's audit entry names the provider
    django_login(request, outcome.user, backend=MODEL_BACKEND)
    # A second factor the account holds is still asked for (accounts.security.second_factor_needed).
    request.session[IDENTITY_LOGIN] = provider.key
    return redirect(next_url or "home")


@login_required
def binding_list(request):
    """The institution administrator's list: pending first-time legal-entity logins, then the decided ones."""
    if not request.user.has_perm("identity.view_bindings"):
        raise PermissionDenied("只有单位管理员可以查看本单位的统一身份认证绑定。")
    names = {provider.key: provider.name for provider in providers.configured()}
    rows = list(Binding.objects.visible_to(request.user).select_related("user", "decided_by"))
    for row in rows:
        row.provider_name = names.get(row.provider, row.provider)
    return render(request, "identity/bindings.html", {"bindings": rows})


def _list(request, *args, **kwargs):
    return reverse("identity:bindings")


@login_required
@require_POST
@refusal_returns_to(_list)
def decide(request, pk, decision):
    binding = get_object_or_404(Binding.objects.visible_to(request.user).select_related("institution"), pk=pk)
    if decision == "confirm":
        binding = bindings.confirm(request.user, binding, request=request)
        messages.success(
            request, f"已确认：{binding.name} 今后可通过统一身份认证登录本单位账号 {binding.user.username}。"
        )
    else:
        bindings.reject(request.user, binding, request=request, reason=request.POST.get("reason", ""))
        messages.success(request, f"已拒绝 {binding.name} 的登录申请。")
    return redirect("identity:bindings")
