"""Calls, their tiers and topic areas; the published plan; a whole call for the ministry's platform."""

from datetime import date, datetime

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from yanxiu.accounts.rules import forbid_unless
from yanxiu.applications.enums import PLANNED_STATES
from yanxiu.applications.models import Application
from yanxiu.calls.models import Call
from yanxiu.delivery.enums import EnrolmentState
from yanxiu.delivery.models import Programme
from yanxiu.selection.models import Decision

from ..errors import responses

router = Router(tags=["年度通知与计划"])


class TierOut(Schema):
    tier: str
    tier_label: str
    deadline: date
    min_days: int | None
    max_days: int | None
    min_trainees: int | None
    recruitment_scope: str


class TopicAreaOut(Schema):
    code: str
    name: str
    keywords: str


class CallOut(Schema):
    year: int
    title: str
    document_number: str
    completion_date: date
    is_open: bool


class CallDetailOut(CallOut):
    office_name: str
    contact_persons: str
    contact_phones: str
    tiers: list[TierOut]
    topic_areas: list[TopicAreaOut]


class PlanEntryOut(Schema):
    application_id: int
    title: str
    tier: str
    state: str
    state_label: str
    institution: str
    authority: str
    domain: str
    start_date: date | None
    end_date: date | None
    planned_trainees: int | None
    published_at: datetime | None


class DecisionOut(Schema):
    application_id: int
    title: str
    outcome: str
    outcome_label: str
    note: str
    staged_at: datetime
    published_at: datetime | None


class ProgrammeSummaryOut(Schema):
    programme_id: int
    application_id: int
    title: str
    state: str
    start_date: date
    end_date: date
    venue: str
    capacity: int
    trainees: int
    certified: int


class CallExportOut(Schema):
    call: CallDetailOut
    plan: list[PlanEntryOut]
    programmes: list[ProgrammeSummaryOut]


def _tier(rule):
    return {
        "tier": rule.tier,
        "tier_label": rule.get_tier_display(),
        "deadline": rule.deadline,
        "min_days": rule.min_days,
        "max_days": rule.max_days,
        "min_trainees": rule.min_trainees,
        "recruitment_scope": rule.recruitment_scope,
    }


def call_detail(call):
    return {
        **{f: getattr(call, f) for f in ("year", "title", "document_number", "completion_date", "is_open")},
        "office_name": call.office_name,
        "contact_persons": call.contact_persons,
        "contact_phones": call.contact_phones,
        "tiers": [_tier(rule) for rule in call.tier_rules.all()],
        "topic_areas": [{"code": a.code, "name": a.name, "keywords": a.keywords} for a in call.topic_areas.all()],
    }


def _call(year):
    return get_object_or_404(Call.objects.prefetch_related("tier_rules", "topic_areas"), year=year)


@router.get("/calls", response=responses(list[CallOut]), summary="年度申报通知")
def list_calls(request):
    return list(Call.objects.order_by("-year"))


@router.get("/calls/{year}", response=responses(CallDetailOut), summary="一个年度的通知、级别规则与选题范围")
def get_call(request, year: int):
    return call_detail(_call(year))


def plan_entries(user, call):
    """The annual plan as the user may see it: every application selected into it."""
    published = {
        d.application_id: d.published_at
        for d in Decision.objects.filter(application__call=call, published_at__isnull=False).only(
            "application_id", "published_at"
        )
    }
    applications = (
        Application.objects.visible_to(user)
        .filter(call=call, state__in=PLANNED_STATES)
        .select_related("institution__authority", "domain")
        .order_by("tier", "state", "institution__authority__code", "pk")
    )
    return [
        {
            "application_id": a.pk,
            "title": a.title,
            "tier": a.tier,
            "state": a.state,
            "state_label": a.get_state_display(),
            "institution": a.institution.name,
            "authority": a.institution.authority.name,
            "domain": a.domain.name if a.domain_id else "",
            "start_date": a.start_date,
            "end_date": a.end_date,
            "planned_trainees": a.planned_trainees,
            "published_at": published.get(a.pk),
        }
        for a in applications
    ]


@router.get("/calls/{year}/plan", response=responses(list[PlanEntryOut]), summary="年度高级研修项目计划")
def get_plan(request, year: int):
    return plan_entries(request.user, _call(year))


@router.get("/calls/{year}/decisions", response=responses(list[DecisionOut]), summary="遴选决定（省人社厅）")
def list_decisions(request, year: int):
    forbid_unless(request.user, "selection.select")
    call = _call(year)
    decisions = Decision.objects.filter(application__call=call).select_related("application").order_by("pk")
    return [
        {
            "application_id": d.application_id,
            "title": d.application.title,
            "outcome": d.outcome,
            "outcome_label": d.get_outcome_display(),
            "note": d.note,
            "staged_at": d.staged_at,
            "published_at": d.published_at,
        }
        for d in decisions
    ]


def programme_summaries(user, call):
    programmes = (
        Programme.objects.visible_to(user)
        .filter(application__call=call)
        .select_related("application")
        .annotate(
            approved=Count("trainees", filter=Q(trainees__state=EnrolmentState.APPROVED), distinct=True),
            certified=Count("trainees__certificate", distinct=True),
        )
        .order_by("start_date", "pk")
    )
    return [
        {
            "programme_id": p.pk,
            "application_id": p.application_id,
            "title": p.application.title,
            "state": p.state,
            "start_date": p.start_date,
            "end_date": p.end_date,
            "venue": p.venue,
            "capacity": p.capacity,
            "trainees": p.approved,
            "certified": p.certified,
        }
        for p in programmes
    ]


@router.get(
    "/calls/{year}/export",
    response=responses(CallExportOut),
    summary="整年数据导出（省人社厅，供人社部平台）",
)
def export_call(request, year: int):
    forbid_unless(request.user, "api.export_call")
    call = _call(year)
    return {
        "call": call_detail(call),
        "plan": plan_entries(request.user, call),
        "programmes": programme_summaries(request.user, call),
    }
