"""{% url %} keeps its answers (issue 26): never one of another URLconf, script prefix or argument."""

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, path, reverse, set_script_prefix

from yanxiu.core.templatetags import yanxiu


def _view(request, pk=None):
    return HttpResponse("")


urlpatterns = [path("elsewhere/<int:pk>/", _view, name="detail"), path("elsewhere/", _view, name="home")]


def render(source, **context):
    return Template(source).render(Context(context))


def test_the_tag_is_djangos_url_with_its_answers_kept():
    assert render("{% url 'applications:detail' 7 %}") == reverse("applications:detail", args=[7])
    assert render("{% url 'applications:detail' pk=8 %}") == reverse("applications:detail", kwargs={"pk": 8})
    assert render("{% url 'applications:detail' pk %}", pk=9) == "/applications/9/"
    assert render("{% url 'applications:detail' pk %}", pk=10) == "/applications/10/"  # not 9's, kept
    assert render("{% url 'home' as link %}[{{ link }}]") == f"[{reverse('home')}]"
    assert render("{% url 'no-such-page' as link %}[{{ link }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' %}")


def test_another_urlconf_or_script_prefix_never_gets_a_kept_answer():
    assert render("{% url 'home' %}") == "/"
    with override_settings(ROOT_URLCONF=__name__):
        assert render("{% url 'home' %}") == "/elsewhere/"
        assert render("{% url 'detail' 3 %}") == "/elsewhere/3/"
    assert render("{% url 'home' %}") == "/"
    set_script_prefix("/yanxiu/")
    try:
        assert render("{% url 'home' %}") == "/yanxiu/"
    finally:
        set_script_prefix("/")
    assert render("{% url 'home' %}") == "/"


def test_arguments_that_are_not_plain_are_reversed_each_time(monkeypatch):
    calls = []
    monkeypatch.setattr(yanxiu, "reverse", lambda *a, **k: calls.append(a) or "/x/")
    monkeypatch.setattr(yanxiu, "_kept_urls", {})
    render("{% url 'applications:detail' pk %}", pk=True)
    render("{% url 'applications:detail' pk %}", pk=True)
    render("{% url 'applications:detail' 5 %}")
    render("{% url 'applications:detail' 5 %}")
    assert len(calls) == 3  # the boolean twice, the number once
