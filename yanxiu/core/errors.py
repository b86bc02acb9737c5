"""The one place where a refusal becomes a response.

Views let `Refused` (a rule says no), `PermissionDenied` (the role may not),
`Http404` and `BadRequest` propagate; `RefusalMiddleware` and the
handler400/403/404/500 of `config/urls.py` send every one of them through
`refusal_response`, so the answer looks the same everywhere:

- a browser's POST that a rule refused: the Chinese reason as a message and a
  redirect back (to the page the view named with `@refusal_returns_to`, else
  the same-site page the form came from);
- anything else a browser asked for: a Chinese error page (400/403/404/409)
  that shows the reason;
- htmx and non-HTML clients: the status with the reason as plain text.

Audit of refusals (issue 10) hooks in here: every refusal passes through
`refusal_response`.
"""

import functools
import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, DisallowedHost, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from .refusal import Refused

logger = logging.getLogger("yanxiu.refusals")

TITLES = {
    400: "请求有误",
    403: "没有权限",
    404: "页面不存在",
    405: "不能直接打开此地址",
    409: "不能办理",
    500: "系统出错",
}
DEFAULT_REASONS = {
    400: "提交的内容格式不正确，未作任何修改。",
    403: "您没有办理此事项的权限。",
    404: "您要找的页面不存在，或您没有查看它的权限。",
    405: "此地址用于提交办理事项（页面上的按钮），不能直接打开或刷新。请回到原页面，点击相应按钮办理。",
    409: "当前不能办理此事项。",
    500: "系统暂时出错，已记录。请稍后再试；如多次出现，请联系省人社厅。",
}


def status_for(exception):
    if isinstance(exception, Refused):
        return 409
    if isinstance(exception, PermissionDenied):
        return 403
    if isinstance(exception, Http404):
        return 404
    if isinstance(exception, BadRequest):
        return 400
    return 500


def reason_of(exception, status):
    """The Chinese reason carried by the exception, if it has one a user may read."""
    if exception is None or isinstance(exception, Resolver404) or status == 500:
        return ""
    text = str(exception.reason if isinstance(exception, Refused) else exception)
    if not text or text.isascii():  # Django's own English texts (e.g. "No Application matches…")
        return ""
    return text


def wants_html(request):
    if request.headers.get("HX-Request") == "true":
        return False
    accept = request.headers.get("Accept", "")
    return not accept or "text/html" in accept or "*/*" in accept or "application/xhtml" in accept


def _back_url(request):
    target = getattr(request, "refusal_next", None)
    if target:
        return target
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        return referer
    return None


def _owner_page(path):
    """The address one level up (/applications/5/submit/ → /applications/5/), if the site has it."""
    parent = path.rstrip("/").rsplit("/", 1)[0] + "/"
    try:
        resolve(parent)
    except Resolver404:
        return None
    return parent


def _safe_back_url(request):
    """The back link of an error page; none for a request whose host is not ours (a 400)."""
    try:
        return _back_url(request)
    except DisallowedHost:
        return None


def error_page(request, status, reason=""):
    html = render_to_string(
        "core/error.html",
        {
            "status": status,
            "title": TITLES[status],
            "reason": reason,
            "default_reason": DEFAULT_REASONS[status],
            "back": _safe_back_url(request) if status != 500 else None,
        },
        request=request if status != 500 else None,
    )
    response = HttpResponse(html, status=status)
    response.yanxiu_error_page = True
    return response


def refusal_response(request, exception, status=None):
    """Turn a refusal (or an error) into the answer the user sees."""
    status = status or status_for(exception)
    reason = reason_of(exception, status)
    if status in (403, 409):
        logger.info(
            "refused %s %s for %s: %s",
            request.method,
            request.path,
            getattr(getattr(request, "user", None), "pk", None),
            reason,
        )
    if not wants_html(request):
        response = HttpResponse(
            reason or DEFAULT_REASONS[status], status=status, content_type="text/plain; charset=utf-8"
        )
        response.yanxiu_error_page = True
        return response
    if status == 409 and request.method == "POST":
        back = _back_url(request)
        if back:
            messages.error(request, reason or DEFAULT_REASONS[409])
            return redirect(back)
    return error_page(request, status, reason)


class RefusalMiddleware:
    """Refusals raised by views become `refusal_response`s, in development as in production
    (Django's debug pages would hide the Chinese reason behind an English page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not getattr(response, "yanxiu_error_page", False):
            # require_POST's empty answer (a GET on an action's address, e.g. a refreshed or typed
            # link): Chromium would show its own English page. The Allow header stays; without a
            # Referer the way back is the page the action belongs to (/applications/5/submit/ → /applications/5/).
            if not _back_url(request):
                request.refusal_next = _owner_page(request.path)
            answer = refusal_response(request, None, 405)
            answer["Allow"] = response.get("Allow", "")
            return answer
        if (
            settings.DEBUG
            and response.status_code == 404
            and request.resolver_match is None  # no view: a view's own 404 page (a lookup) is kept
            and not getattr(response, "yanxiu_error_page", False)
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(("/static/", "/admin/"))
        ):
            return refusal_response(request, None, 404)  # an unknown address: the debug page otherwise
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, (Refused, PermissionDenied, Http404, BadRequest)):
            return refusal_response(request, exception)
        return None


def refusal_returns_to(target):
    """Where a browser goes back to when the view's action is refused.

    `target(request, *args, **kwargs)` returns the URL; the refusal itself is
    raised by the domain and shown by `refusal_response`.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            request.refusal_next = target(request, *args, **kwargs)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def show_on_form(form, refusal):
    """Put a refusal's reasons beside the form's fields (the rest above the form),
    so the page comes back with what the user typed."""
    errors = refusal.errors or {None: refusal.reason}
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)
    return form


# --- handler400/403/404/500 (config/urls.py) -------------------------------------------


def bad_request(request, exception=None):
    return refusal_response(request, exception, 400)


def permission_denied(request, exception=None):
    return refusal_response(request, exception, 403)


def page_not_found(request, exception=None):
    return refusal_response(request, exception, 404)


def server_error(request):
    return error_page(request, 500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent from an expired page (or another site), in Chinese."""
    return refusal_response(request, PermissionDenied("页面已过期或来源不正确，未作任何修改。请刷新页面后重试。"), 403)
