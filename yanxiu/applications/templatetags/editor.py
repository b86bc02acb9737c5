"""The editor's message blocks written in Python: one per field, about forty on a page, so no
template include per block (issue 13). Same markup as applications/_field_msgs.html had."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def field_msgs(name, checks=None, errors=None, oob=False):
    errors_html = format_html_join("", '<div class="msg error">{}</div>', ((e,) for e in errors or ()))
    checks_html = format_html_join(
        "",
        '<div class="msg {}" data-code="{}">{}</div>',
        ((c.severity.value, c.code, c.message) for c in checks or ()),
    )
    # A field with errors was held, not saved (decision 0014): say so where the user looks.
    held = (
        mark_safe('<div class="msg held">此项未保存：您输入的内容仍在上面，改正后会自动保存。</div>') if errors else ""
    )
    return format_html(
        '<div class="field-msgs" id="msgs-{}"{}>{}{}{}</div>',
        name,
        mark_safe(' hx-swap-oob="true"') if oob else "",  # a constant
        errors_html,
        held,
        checks_html,
    )
