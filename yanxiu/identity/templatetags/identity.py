"""`{% identity_providers as providers %}`: the configured unified-identity providers, for pages
of other apps that offer them (the invitation page) without importing this app."""

from django import template

from ..domain import providers

register = template.Library()


@register.simple_tag
def identity_providers():
    return providers.configured()
