from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def cn_date(value):
    """2026年1月16日"""
    if not value:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"
