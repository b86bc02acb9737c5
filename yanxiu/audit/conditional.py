"""Conditional GET for list pages: an ETag from the data version, a repeated request costs a 304.

The ETag hashes the audit log's data version (bumped by every audited write, in
its transaction: yanxiu.audit.log), the page's own extra parts (e.g. staged
decisions, which are not audited), the user, the query string and today's date.
Nothing is rendered when the client's copy is current. A response is never
answered with 304 while flash messages wait to be shown.

The rendered page is also kept in the cache under its ETag and the client's CSRF
cookie (the page's forms carry a token of that secret): another tab, or a browser
that dropped its copy, gets the same bytes without a render, exactly as current as a
304 would be (YANXIU_PAGE_CACHE=0 turns this off, e.g. to measure a render).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag

from yanxiu.audit.log import versions
from yanxiu.core import clock


def _has_messages(request):
    return bool(request.COOKIES.get("messages")) or "_messages" in getattr(request, "session", {})


def page_etag(request, *parts):
    user = request.user
    key = "|".join(
        str(part)
        for part in (
            *versions(user.pk),  # audited writes, admin changes, the user's unread count
            user.pk if user.is_authenticated else "-",
            request.get_full_path(),
            clock.today().isoformat(),
            *parts,
        )
    )
    return quote_etag(hashlib.blake2b(key.encode(), digest_size=12).hexdigest())


PAGE_CACHE_SECONDS = 3600


def _cache_key(request, etag):
    """None when the page cannot be kept: no CSRF cookie yet (the render makes one)."""
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not secret or not getattr(settings, "YANXIU_PAGE_CACHE", False):
        return None
    digest = hashlib.blake2b(f"{etag}|{secret}|{request.headers.get('HX-Request', '')}".encode(), digest_size=16)
    return f"page:{digest.hexdigest()}"


def conditional(extra=None):
    """Decorator for a GET list view; `extra(request, *args, **kwargs)` returns more version parts."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or _has_messages(request):
                return view(request, *args, **kwargs)
            etag = page_etag(request, *(extra(request, *args, **kwargs) if extra else ()))
            if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
                response = HttpResponseNotModified()
                response["ETag"] = etag
                return response
            key = _cache_key(request, etag)
            kept = cache.get(key) if key else None
            if kept is not None:
                content_type, content = kept
                response = HttpResponse(content, content_type=content_type)
            else:
                response = view(request, *args, **kwargs)
                if key and response.status_code == 200 and not response.streaming and not response.cookies:
                    cache.set(key, (response["Content-Type"], response.content), PAGE_CACHE_SECONDS)
            if response.status_code == 200:
                response["ETag"] = etag
                patch_cache_control(response, private=True, no_cache=True)
            return response

        return wrapped

    return decorate
