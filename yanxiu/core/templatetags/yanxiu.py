from django import template

from yanxiu.core.dates import chinese_date, chinese_datetime

register = template.Library()


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
