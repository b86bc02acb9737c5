"""Programmes, trainees (IDs masked unless the role may see them, and then logged) and attendance."""

from datetime import date, datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from yanxiu.applications.enums import HalfDay
from yanxiu.core.net import client_ip_or_none
from yanxiu.core.refusal import Refused
from yanxiu.delivery.domain import personal_data
from yanxiu.delivery.enums import EnrolmentState
from yanxiu.delivery.models import Attendance, Certificate, Programme

from ..errors import ERRORS, responses

router = Router(tags=["项目实施"])


class ProgrammeOut(Schema):
    id: int
    application_id: int
    call: int
    title: str
    institution: str
    state: str
    state_label: str
    start_date: date
    end_date: date
    venue: str
    capacity: int
    approved: int
    pending: int


class ProgrammeFilter(Schema):
    call: int | None = None
    state: str | None = None


class TraineeOut(Schema):
    id: int
    name: str
    id_number: str = Field(..., description="默认脱敏；注明用途且有权限时为完整号码（记入查看记录）")
    gender: str
    employer: str
    title_level: str
    province: str
    is_grassroots: bool
    sector: str
    state: str


class TraineeQuery(Schema):
    purpose: str | None = Field(None, max_length=50, description="查看完整身份证号的用途；省略则脱敏")


class AttendanceOut(Schema):
    trainee_id: int
    date: date
    half_day: str
    present: bool


class CertificateOut(Schema):
    serial: str
    holder: str
    programme: str
    institution: str
    credit_hours: Decimal
    issued_at: datetime


class VerifyQuery(Schema):
    serial: str = Field(..., min_length=1, max_length=30)
    name: str = Field(..., min_length=1, max_length=30)


def _visible(user):
    return (
        Programme.objects.visible_to(user)
        .select_related("application__call", "application__institution")
        .annotate(
            approved=Count("trainees", filter=Q(trainees__state=EnrolmentState.APPROVED)),
            pending=Count("trainees", filter=Q(trainees__state=EnrolmentState.PENDING)),
        )
    )


def _out(p):
    return {
        "id": p.pk,
        "application_id": p.application_id,
        "call": p.application.call.year,
        "title": p.application.title,
        "institution": p.application.institution.name,
        "state": p.state,
        "state_label": p.get_state_display(),
        "start_date": p.start_date,
        "end_date": p.end_date,
        "venue": p.venue,
        "capacity": p.capacity,
        "approved": p.approved,
        "pending": p.pending,
    }


@router.get("/programmes", response={200: list[ProgrammeOut], **ERRORS}, summary="列入计划的项目")
@paginate(PageNumberPagination, page_size=50)
def list_programmes(request, filters: Query[ProgrammeFilter]):
    queryset = _visible(request.user).order_by("start_date", "pk")
    if filters.call:
        queryset = queryset.filter(application__call__year=filters.call)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    return [_out(p) for p in queryset]


def _programme(user, pk):
    return get_object_or_404(_visible(user), pk=pk)


@router.get("/programmes/{pk}", response=responses(ProgrammeOut), summary="一个项目")
def get_programme(request, pk: int):
    return _out(_programme(request.user, pk))


@router.get("/programmes/{pk}/trainees", response=responses(list[TraineeOut]), summary="学员（身份证号脱敏）")
def list_trainees(request, pk: int, query: Query[TraineeQuery]):
    programme = _programme(request.user, pk)
    trainees = list(programme.trainees.order_by("pk"))
    whole = {}
    if query.purpose:
        # The same door as the pages: refused for anyone but the host and the office, and logged.
        whole = personal_data.reveal(
            request.user,
            programme,
            trainees,
            "接口查看身份证号",
            reason=query.purpose.strip(),
            client_address=client_ip_or_none(request),
        )
    return [
        {
            "id": t.pk,
            "name": t.name,
            "id_number": whole.get(t.pk, t.id_masked),
            "gender": t.gender,
            "employer": t.employer,
            "title_level": t.title_level,
            "province": t.province,
            "is_grassroots": t.is_grassroots,
            "sector": t.sector,
            "state": t.state,
        }
        for t in trainees
    ]


@router.get("/programmes/{pk}/attendance", response=responses(list[AttendanceOut]), summary="签到记录")
def list_attendance(request, pk: int):
    programme = _programme(request.user, pk)
    records = Attendance.objects.filter(trainee__programme=programme).order_by("trainee_id", "date", HalfDay.ordering())
    return [{"trainee_id": r.trainee_id, "date": r.date, "half_day": r.half_day, "present": r.present} for r in records]


VERIFY_LIMIT = 30  # per client and hour, like the public verification page


def _client(request):
    return request.META.get("REMOTE_ADDR", "")


@router.get(
    "/certificates/verify",
    response=responses(CertificateOut),
    auth=None,
    summary="结业证书核验（按证书编号与持证人姓名，无需登录）",
)
def verify_certificate(request, query: Query[VerifyQuery]):
    key = f"api-verify:{_client(request)}"
    cache.add(key, 0, 3600)
    if cache.incr(key) > VERIFY_LIMIT:
        raise Refused("核验过于频繁，请一小时后再试。", code="rate_limited")
    certificate = (
        Certificate.objects.filter(serial=query.serial.strip(), trainee__name=query.name.strip())
        .select_related("trainee__programme__application__institution")
        .first()
    )
    if certificate is None:
        raise Http404
    application = certificate.trainee.programme.application
    return {
        "serial": certificate.serial,
        "holder": certificate.trainee.name,
        "programme": application.title,
        "institution": application.institution.name,
        "credit_hours": certificate.credit_hours,
        "issued_at": certificate.issued_at,
    }
