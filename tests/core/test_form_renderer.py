"""The Python widget renderer writes exactly what Django's widget templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from yanxiu.core.form_renderer import FastWidgetRenderer


class Sample(forms.Form):
    name = forms.CharField(max_length=10, initial='a "quoted" <b>')
    count = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"class": "x", "disabled": True}))
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(widget=forms.Textarea, initial="第一行\n<script>")
    empty_note = forms.CharField(widget=forms.Textarea, required=False)
    flag = forms.BooleanField(required=False, initial=True)
    secret = forms.CharField(widget=forms.HiddenInput, initial=7)
    kind = forms.ChoiceField(choices=[("", "全部"), ("a", "甲 & 乙"), ("组", [("b", "丙"), ("c", "丁")])], initial="b")
    many = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙")], initial=["a", "b"])
    radio = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect, initial="a")


@pytest.mark.parametrize("name", list(Sample.base_fields))
@pytest.mark.parametrize("bound", [False, True])
def test_same_html_as_the_templates(name, bound):
    data = (
        {"name": "x<y", "count": "3", "when": "2026-03-01", "note": "", "kind": "c", "many": ["b"]} if bound else None
    )
    fast = Sample(data, renderer=FastWidgetRenderer())
    slow = Sample(data, renderer=DjangoTemplates())
    assert str(fast[name]) == str(slow[name])
