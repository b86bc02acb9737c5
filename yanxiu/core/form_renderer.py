"""Form widgets rendered in Python instead of one template include per widget and option.

Django renders every input through input.html + attrs.html and every <option>
through its own include: the application editor made about 850 template
includes for its widgets (120 ms of rendering), the intake list's filters one
per option. This renderer produces the same HTML as Django's built-in widget
templates for inputs, textareas, selects and options, and leaves every other
template (radio lists, file inputs, forms, fields) to the template engine.
Configured as FORM_RENDERER.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
}


def _attrs(attrs):
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input(widget):
    value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
    return f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget):
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option):
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def _select(widget, renderer):
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] == f"{WIDGETS}select_option.html":
                parts.append(f"\n  {_option(option)}\n")  # the included template ends with a newline
            else:
                parts.append("\n  " + renderer.render(option["template_name"], {"widget": option}))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in INPUTS:
                return mark_safe(_input(widget))  # noqa: S308 (every part escaped)
            if template_name == f"{WIDGETS}textarea.html":
                return mark_safe(_textarea(widget))  # noqa: S308 (every part escaped)
            if template_name == f"{WIDGETS}select.html":
                return mark_safe(_select(widget, self))  # noqa: S308 (every part escaped)
            if template_name == f"{WIDGETS}select_option.html":
                return mark_safe(_option(widget))  # noqa: S308 (every part escaped)
        return super().render(template_name, context, request)
