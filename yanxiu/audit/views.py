"""The audit administrator's page: the whole trail, filtered, read-only."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from yanxiu.core.forms import HalfWidthForm

from .models import SECURITY_ACTIONS, AuditEntry, Outcome

PAGE_SIZE = 50
KIND_CHOICES = [("", "全部"), ("security", "安全事件"), ("accounts", "账号变更"), ("operations", "业务操作")]


class TrailFilter(HalfWidthForm, forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    username = forms.CharField(label="账号", required=False, max_length=150)
    kind = forms.ChoiceField(label="类别", required=False, choices=KIND_CHOICES)
    action = forms.ChoiceField(label="安全事件", required=False, choices=[("", "全部"), *SECURITY_ACTIONS.items()])
    outcome = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), *Outcome.choices])

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered(entries, data):
    if data.get("date_from"):
        entries = entries.filter(created_at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        entries = entries.filter(created_at__lt=_day_start(data["date_to"] + timedelta(days=1)))
    if data.get("username"):
        entries = entries.filter(username=data["username"].strip())
    if data.get("kind") == "security":
        entries = entries.security()
    elif data.get("kind") == "accounts":
        entries = entries.account_changes()
    elif data.get("kind") == "operations":
        entries = entries.operations()
    if data.get("action"):
        entries = entries.filter(action=data["action"])
    if data.get("outcome"):
        entries = entries.filter(outcome=data["outcome"])
    return entries


@login_required
def trail(request):
    if not request.user.has_perm("audit.read_trail"):
        raise PermissionDenied("只有审计管理员可以查看审计记录。")
    form = TrailFilter(request.GET or None)
    entries = AuditEntry.objects.select_related("actor", "content_type").order_by("-created_at", "-id")
    if form.is_bound and form.is_valid():
        entries = filtered(entries, form.cleaned_data)
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/trail.html", {"form": form, "page": page, "query": query.urlencode()})
