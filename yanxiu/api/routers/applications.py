"""Applications: read what the pages show, save a draft through the editor's own forms and
version check, and take the workflow actions the user is offered. No second set of rules."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import BaseModel, ConfigDict, create_model

from yanxiu.applications import catalogue
from yanxiu.applications.domain import editing, workflow
from yanxiu.applications.domain.checks import CheckReport
from yanxiu.applications.domain.stages import STAGES, in_stage
from yanxiu.applications.interfaces.forms import (
    ApplicationForm,
    LecturerFormSet,
    SessionFormSet,
    TopicScopeForm,
    formset_rows,
)
from yanxiu.applications.models import Application
from yanxiu.core.refusal import Refused

from ..errors import ERRORS, responses

router = Router(tags=["申报"])


class ApplicationSummaryOut(Schema):
    id: int
    call: int
    tier: str
    state: str
    state_label: str
    title: str
    institution: str
    authority: str
    start_date: date | None
    end_date: date | None
    planned_trainees: int | None
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_call(obj):
        return obj.call.year

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_institution(obj):
        return obj.institution.name

    @staticmethod
    def resolve_authority(obj):
        return obj.institution.authority.name


class SessionOut(Schema):
    date: date
    half_day: str
    topic: str
    speaker: str
    format: str
    mode: str
    class_hours: Decimal


class LecturerOut(Schema):
    name: str
    title: str
    position: str
    affiliation: str
    topic: str


class TopicClaimOut(Schema):
    area: str
    explanation: str


class CheckOut(Schema):
    code: str
    severity: str
    message: str
    field: str
    citation: str


class ActionOut(Schema):
    action: str
    label: str
    reason_required: bool
    available: bool
    why_not: str


def _out_type(spec):
    """What a reader gets: `out` if the catalogue names one, else the draft's type, `| None` where
    the model allows no value (numbers and dates)."""
    kind = spec.api.out or spec.api.of
    return kind | None if kind in (int, date) else kind


# The catalogue's fields as a reader gets them (planned_trainees is in the summary already).
ApplicationFieldsOut = create_model(
    "ApplicationFieldsOut",
    __base__=ApplicationSummaryOut,
    **{
        spec.name: (_out_type(spec), ...)
        for spec in catalogue.FIELDS
        if spec.name not in ApplicationSummaryOut.model_fields
    },
)


class ApplicationDetailOut(ApplicationFieldsOut):
    authority_opinion: str
    fallback_from_national: bool
    submitted_at: datetime | None
    sessions: list[SessionOut]
    lecturers: list[LecturerOut]
    topic_claims: list[TopicClaimOut]
    checks: list[CheckOut]
    actions: list[ActionOut]

    @staticmethod
    def resolve_domain(obj):
        return obj.domain.name if obj.domain_id else ""

    @staticmethod
    def resolve_competent_department(obj):
        return obj.competent_department.name if obj.competent_department_id else ""

    @staticmethod
    def resolve_sessions(obj):
        return list(obj.sessions.all())

    @staticmethod
    def resolve_lecturers(obj):
        return list(obj.lecturers.all())

    @staticmethod
    def resolve_topic_claims(obj):
        return [{"area": c.area.code, "explanation": c.explanation} for c in obj.topic_claims.all()]

    @staticmethod
    def resolve_checks(obj):
        return [
            {
                "code": r.code,
                "severity": str(r.severity),
                "message": r.message,
                "field": r.field,
                "citation": r.citation,
            }
            for r in CheckReport.for_application(obj).results
        ]

    @staticmethod
    def resolve_actions(obj, context):
        user = context["request"].user
        actions = []
        for transition in workflow.available_actions(obj, user):
            refusal = workflow.why_not(obj, transition.action, user)
            actions.append(
                {
                    "action": transition.action,
                    "label": transition.label,
                    "reason_required": transition.reason_required,
                    "available": refusal is None,
                    "why_not": refusal or "",
                }
            )
        return actions


class ApplicationFilter(Schema):
    call: int | None = Field(None, description="年度，如 2026")
    tier: str | None = Field(None, description="national 或 provincial")
    state: str | None = None
    stage: str | None = Field(None, description="、".join(STAGES))
    authority: int | None = Field(None, description="主管部门编号（仅省人社厅）")


# Request bodies are plain pydantic models (see STACK-NOTES: ninja.Schema accepted a bare string as an object).
class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SessionIn(Strict):
    date: date
    half_day: str = Field(..., max_length=10)
    topic: str = Field(..., max_length=100)
    speaker: str = Field("", max_length=100)
    format: str = Field(..., max_length=20)
    mode: str = Field("offline", max_length=10)
    class_hours: float = Field(..., ge=0, le=10, description="学时；小数位数由编辑器的校验检查")


class LecturerIn(Strict):
    name: str = Field(..., max_length=50)
    title: str = Field(..., max_length=20)
    position: str = Field("", max_length=100)
    affiliation: str = Field(..., max_length=100)
    topic: str = Field("", max_length=100)


def _draft_field(spec):
    return (spec.api.of | None, Field(None, **spec.api.limits))


# The editor's fields, from the catalogue; omitted ones keep their saved value.
DraftFieldsIn = create_model(
    "DraftFieldsIn",
    __base__=Strict,
    __doc__="The editor's fields; omitted ones keep their saved value.",
    **{spec.name: _draft_field(spec) for spec in catalogue.FIELDS},
)


class DraftIn(Strict):
    version: int = Field(..., ge=1, le=2**31 - 1, description="读取时的版本号：他人已保存更新的版本时返回 409")
    fields: DraftFieldsIn = DraftFieldsIn()
    sessions: list[SessionIn] | None = Field(None, max_length=60, description="省略则保留原日程")
    lecturers: list[LecturerIn] | None = Field(None, max_length=60, description="省略则保留原专家")
    topics: dict[str, str] | None = Field(None, description="选题范围代码 → 说明；省略则保留原选择")


class ActionIn(Strict):
    reason: str = Field("", max_length=2000)


def visible(user):
    return Application.objects.visible_to(user).select_related(
        "call", "institution__authority", "domain", "competent_department"
    )


def _get(user, pk):
    return get_object_or_404(visible(user), pk=pk)


def detail(application, user):
    """The application re-read with what the detail shows."""
    return visible(user).prefetch_related("sessions", "lecturers", "topic_claims__area").get(pk=application.pk)


@router.get("/applications", response={200: list[ApplicationSummaryOut], **ERRORS}, summary="申报列表（按权限范围）")
@paginate(PageNumberPagination, page_size=50)
def list_applications(request, filters: Query[ApplicationFilter]):
    queryset = visible(request.user).order_by("-call__year", "tier", "pk")
    if filters.call:
        queryset = queryset.filter(call__year=filters.call)
    if filters.tier:
        queryset = queryset.filter(tier=filters.tier)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.stage:
        if filters.stage not in STAGES:
            raise Refused("进度代码不正确。", code="invalid_stage")
        queryset = in_stage(queryset, filters.stage)
    if filters.authority and request.user.has_perm("applications.list_every_authority"):
        queryset = queryset.filter(institution__authority_id=filters.authority)
    return queryset


@router.get(
    "/applications/{pk}",
    response=responses(ApplicationDetailOut),
    summary="一项申报：字段、日程、专家、检查结果与可执行的操作",
)
def get_application(request, pk: int):
    return detail(_get(request.user, pk), request.user)


def _form_data(application, body):
    """The editor's POST for this body: saved values, overridden by what the body names."""
    data = {}
    initial = ApplicationForm(instance=application, tier=application.tier)
    for name, field in initial.fields.items():
        value = initial.initial.get(name, field.initial)
        data[name] = value
    data.update({name: v for name, v in body.fields.model_dump(exclude_unset=True).items() if name in initial.fields})
    flat = {}
    for name, value in data.items():
        if isinstance(value, bool):
            if value:
                flat[name] = "on"
        elif isinstance(value, list):
            flat[name] = value
        elif value is None:
            flat[name] = ""
        else:
            flat[name] = getattr(value, "pk", value)
    sessions = (
        [s.model_dump() for s in body.sessions]
        if body.sessions is not None
        else list(application.sessions.values("date", "half_day", "topic", "speaker", "format", "mode", "class_hours"))
    )
    lecturers = (
        [lecturer.model_dump() for lecturer in body.lecturers]
        if body.lecturers is not None
        else list(application.lecturers.values("name", "title", "position", "affiliation", "topic"))
    )
    for prefix, rows in (("sessions", sessions), ("lecturers", lecturers)):
        flat[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        flat[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(rows):
            for key, value in row.items():
                flat[f"{prefix}-{i}-{key}"] = "" if value is None else str(value)
    topics = (
        body.topics
        if body.topics is not None
        else {c.area.code: c.explanation for c in application.topic_claims.select_related("area")}
    )
    for code, explanation in topics.items():
        flat[f"topic_{code}"] = "on"
        flat[f"topic_{code}_explanation"] = explanation
    return flat


class _FormData(dict):
    """A dict that answers like request.POST for multi-valued fields."""

    def getlist(self, key, default=None):
        value = self.get(key, default if default is not None else [])
        return value if isinstance(value, list) else [value]


def _errors(forms):
    form, sessions, lecturers, topics = forms
    errors = {name: "；".join(messages) for name, messages in form.errors.items()}
    for prefix, formset in (("sessions", sessions), ("lecturers", lecturers)):
        errors.update({f"{prefix}": "；".join(formset.non_form_errors())} if formset.non_form_errors() else {})
        for i, row in enumerate(formset.errors):
            errors.update({f"{prefix}.{i}.{name}": "；".join(m) for name, m in row.items()})
    errors.update({name: "；".join(messages) for name, messages in topics.errors.items()})
    return errors


@router.put(
    "/applications/{pk}",
    response=responses(ApplicationDetailOut),
    summary="保存草稿（与网页编辑器相同的校验与版本检查）",
)
def save_application(request, pk: int, body: DraftIn):
    application = _get(request.user, pk)
    if not request.user.has_perm("applications.edit_application", application):
        raise Refused("只有承办单位经办人可以修改本单位处于草稿或退回修改状态的申报。", code="not_editable")
    unknown = set(body.topics or {}) - {a.code for a in application.call.topic_areas.all()}
    if unknown:
        raise Refused("选题范围代码不正确：" + "、".join(sorted(unknown)), code="invalid_topic")
    data = _FormData(_form_data(application, body))
    areas = application.call.topic_areas.all()
    forms = (
        ApplicationForm(data, instance=application, tier=application.tier),
        SessionFormSet(data, prefix="sessions"),
        LecturerFormSet(data, prefix="lecturers"),
        TopicScopeForm(data, areas=areas),
    )
    if not all(f.is_valid() for f in forms):
        errors = _errors(forms)
        raise Refused("有填写不正确的内容，本次修改未保存。", code="invalid", errors=errors)
    form, sessions, lecturers, topics = forms
    editing.save_draft(
        application,
        fields=dict(form.cleaned_data.items()),
        sessions=formset_rows(sessions),
        lecturers=formset_rows(lecturers),
        claims=topics.claims(),
        actor=request.user,
        expected_version=body.version,
    )
    return detail(application, request.user)


@router.post(
    "/applications/{pk}/actions/{action}",
    response=responses(ApplicationDetailOut),
    summary="执行一项工作流操作（仅限当前用户可执行的操作）",
)
def act(request, pk: int, action: str, body: ActionIn):
    application = _get(request.user, pk)
    if action not in workflow.TRANSITIONS:
        raise Http404
    try:  # the pages' gate (yanxiu/workflow.py), answered with the API's stable code
        workflow.APPLICATION_WORKFLOW.check_offered(application, action, request.user)
    except (PermissionDenied, Refused) as refusal:
        raise Refused(str(refusal), code="not_offered") from None
    workflow.perform(application, action, request.user, reason=body.reason)
    return detail(application, request.user)
