"""The user's own API tokens: create (shown once), list, revoke."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yanxiu.core import clock
from yanxiu.core.refusal import Refused

from .domain import tokens
from .forms import NewTokenForm
from .models import ApiToken


@login_required
def token_list(request):
    if not request.user.has_perm("api.hold_tokens"):
        raise PermissionDenied(tokens.NO_TOKENS)
    form = NewTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            _saved, created = tokens.create_token(
                request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                login=tokens.login_of(request),
            )
            form = NewTokenForm()
        except Refused as refusal:
            for field, reason in refusal.errors.items():
                form.add_error(field if field in form.fields else None, reason)
            if not refusal.errors:
                form.add_error(None, refusal.reason)
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": ApiToken.objects.filter(user=request.user),
            "now": clock.now(),
            "session_bound": not request.user.has_perm("api.hold_lasting_tokens"),
            "max_hours": settings.YANXIU_SESSION_MAX_SECONDS // 3600,
            "idle_minutes": settings.YANXIU_SESSION_IDLE_SECONDS // 60,
        },
    )
    response["Cache-Control"] = "no-store"  # a new token is shown once: never keep the page
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    try:
        token = tokens.revoke_token(request.user, pk)
        messages.success(request, f"已撤销令牌“{token.name}”。")
    except Refused as refusal:
        messages.error(request, refusal.reason)
    return redirect("api_tokens")
