from django import template
from django.conf import settings
from django.template import defaulttags
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

from yanxiu.core.dates import chinese_date, chinese_datetime

register = template.Library()

# --- {% url %}, its answers kept (issue 26) -------------------------------------------------
# Every page's frame names a dozen URLs and the application's pages a dozen more; Django's
# reverse() works each out again on every render (a fifth of the detail page's template time).
# An answer depends only on what is in the key: the name, the arguments (kept only when they are
# plain strings and numbers), the namespace the request resolved in, the URLconf (its resolver:
# a new one after clear_url_caches) and the script prefix. A failure is never kept.
KEPT_URLS_MAX = 4096
_kept_urls = {}


def kept_reverse(view_name, args, kwargs, current_app):
    plain = all(type(value) in (str, int) for value in (*args, *kwargs.values()))
    if not plain:
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    key = (
        view_name,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        get_resolver(urlconf),
        get_script_prefix(),
    )
    url = _kept_urls.get(key)
    if url is None:
        url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        if len(_kept_urls) >= KEPT_URLS_MAX:
            _kept_urls.clear()
        _kept_urls[key] = url
    return url


class KeptURLNode(defaulttags.URLNode):
    """Django's URLNode (the same arguments, `as`, escaping and errors) over kept_reverse."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = kept_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's {% url %} (this library is a builtin, so it stands in for it on every template)."""
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def cn_date(value):
    """2026年1月16日"""
    return chinese_date(value)


@register.filter
def cn_datetime(value, precision=""):
    """2026年1月16日 14:05; `|cn_datetime:"s"`: 2026年1月16日 14:05:09"""
    return chinese_datetime(value, seconds=precision == "s")
