"""The province office manages the yearly call in Chinese pages (not the Django admin)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yanxiu.accounts.rules import forbid_unless
from yanxiu.core import confirm
from yanxiu.core.dates import chinese_date
from yanxiu.core.refusal import Refused

from .domain import calls as domain
from .domain import date_moves
from .domain.rules_text import contact_line
from .forms import CallForm, TierRuleForm, TopicAreaForm
from .models import Call


def _office(request):
    forbid_unless(request.user, "calls.manage_calls")


@login_required
def call_list(request):
    _office(request)
    calls = Call.objects.prefetch_related("tier_rules")
    return render(request, "calls/list.html", {"calls": calls})


def _forms(call, data=None):
    rules = [(rule, TierRuleForm(data, instance=rule, prefix=rule.tier)) for rule in call.tier_rules.all()]
    areas = [
        (area, TopicAreaForm(data, prefix=f"area-{area.code}", initial={"name": area.name, "keywords": area.keywords}))
        for area in call.topic_areas.all()
    ]
    return CallForm(data, instance=call), rules, areas


@login_required
def call_edit(request, pk):
    _office(request)
    call = get_object_or_404(Call, pk=pk)
    form, rules, areas = _forms(call, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        everything = [form, *(f for _, f in rules), *(f for _, f in areas)]
        if all(f.is_valid() for f in everything):
            stored = Call.objects.get(pk=call.pk)  # the forms wrote their values onto `call` and its rules
            moved = date_moves.moves(stored, form.cleaned_data, {rule.tier: f.cleaned_data for rule, f in rules})
            if stored.is_open and moved and not confirm.confirmed(request):
                return _confirm_moves(request, stored, moved)
            try:
                changed = domain.update_call(
                    stored,
                    request.user,
                    fields=form.cleaned_data,
                    rules={rule.tier: f.cleaned_data for rule, f in rules},
                    areas={area.code: f.cleaned_data for area, f in areas},
                )
                messages.success(request, f"已保存（修改{len(changed)}项）。" if changed else "没有修改任何内容。")
                return redirect("calls:edit", pk=call.pk)
            except Refused as refusal:
                messages.error(request, str(refusal))
        else:
            messages.error(request, "有填写不正确的内容（见标红处），未保存。")
    return render(
        request,
        "calls/edit.html",
        {"call": call, "form": form, "rules": rules, "areas": areas, "problems": domain.problems(call)},
    )


def _confirm_moves(request, call, moved):
    """An open call's dates move: say what, whether a new date has passed, and who is told."""
    who = date_moves.audience(call, moved)
    past = [m for m in moved if m.into_the_past]
    return confirm.ask(
        request,
        title="确认修改申报日期",
        summary=f"{call.year}年度申报正在进行，将修改：" + "；".join(m.sentence() for m in moved) + "。",
        consequences=[
            (
                f"涉及{len(who.institutions)}个有草稿或已提交申报的承办单位、{len(who.authorities)}个有待审核或待报送申报的主管部门，"
                "保存后系统会通知它们（站内消息和电子邮件）。"
            ),
            "通知中的其他修改一并保存。",
        ],
        warnings=[
            f"{m.label}改为{chinese_date(m.new)}，早于今天：保存后即已截止，尚未提交的申报不能再提交。" for m in past
        ],
        button="确认修改并通知",
        back_url=reverse("calls:edit", args=[call.pk]),
        danger=bool(past),
    )


@login_required
@require_POST
def call_copy(request, pk):
    _office(request)
    source = get_object_or_404(Call, pk=pk)
    try:
        call = domain.copy_for_next_year(source, request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("calls:list")
    messages.success(request, f"已创建{call.year}年度通知（未开放申报）：请核对日期、限报数量和联系人后再开放。")
    return redirect("calls:edit", pk=call.pk)


@login_required
@require_POST
def call_open(request, pk):
    _office(request)
    call = get_object_or_404(Call, pk=pk)
    open_ = request.POST.get("open") == "1"
    if not confirm.confirmed(request) and not (open_ and domain.problems(call)):
        rules = "；".join(
            f"{r.get_tier_display()}截止{chinese_date(r.deadline)}"
            + (f"，每个主管部门限报{r.authority_quota}项" if r.authority_quota else "")
            for r in call.tier_rules.all()
        )
        return confirm.ask(
            request,
            title="确认开放申报" if open_ else "确认关闭申报",
            summary=(f"将开放{call.year}年度申报：{rules}。" if open_ else f"将关闭{call.year}年度申报。"),
            consequences=["承办单位即可新建和提交申报。"] if open_ else ["承办单位不能再新建申报；已有申报不受影响。"],
            button="确认开放" if open_ else "确认关闭",
            back_url=reverse("calls:edit", args=[call.pk]),
            danger=not open_,
        )
    try:
        domain.set_open(call, request.user, open_=open_)
        messages.success(request, f"{call.year}年度申报已开放。" if open_ else f"{call.year}年度申报已关闭。")
    except Refused as refusal:
        messages.error(request, str(refusal))
    return redirect("calls:edit", pk=call.pk)


@login_required
def notice(request, pk):
    """The call's rules, topic scope and contacts, for everyone who works on applications: read
    from the call's data (an unopened draft of next year's call only for the office)."""
    calls = Call.objects.all()
    if not request.user.has_perm("calls.manage_calls"):  # an open call, or a past one with applications
        calls = calls.filter(Q(is_open=True) | Q(applications__isnull=False)).distinct()
    call = get_object_or_404(calls.prefetch_related("tier_rules", "topic_areas"), pk=pk)
    return render(
        request,
        "calls/notice.html",
        {"call": call, "rules": call.tier_rules.all(), "areas": call.topic_areas.all(), "contact": contact_line(call)},
    )
