"""A web login's end ends the tokens made in it (the deciding roles', domain/tokens.py)."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from .domain import tokens


@receiver(user_logged_out, dispatch_uid="yanxiu.api.end_login")
def on_logout(sender, request, user, **kwargs):
    if request is None or user is None or not hasattr(request, "session"):
        return
    tokens.end_login(user, request.session.session_key)
