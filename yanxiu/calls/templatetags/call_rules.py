"""The call's rules for templates: `{% load call_rules %}{{ rule|tier_rule_lines }}`."""

from django import template

from ..domain import rules_text

register = template.Library()


@register.filter
def tier_rule_lines(rule):
    return rules_text.tier_rule_lines(rule, list(rule.call.topic_areas.all()))
