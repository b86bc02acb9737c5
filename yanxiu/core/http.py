"""Responses that carry personal data are never kept by browsers or proxies."""

from functools import wraps

from django.utils.cache import add_never_cache_headers, patch_cache_control


def no_store(view):
    """`Cache-Control: no-store` (and private, no-cache, max-age=0) on every response of the view,
    pages and file downloads alike."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        return response

    return wrapped
