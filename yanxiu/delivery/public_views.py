"""Pages without login: open programmes with the enrolment form, the
satisfaction survey and certificate verification. CSRF stays on; posts are
limited per client address; a hidden field catches form-filling robots."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yanxiu.applications.enums import PLANNED_STATES
from yanxiu.audit.conditional import conditional
from yanxiu.core import clock
from yanxiu.core.downloads import DOCX, attachment
from yanxiu.core.http import no_store
from yanxiu.core.net import client_ip
from yanxiu.core.refusal import Refused
from yanxiu.documents.views import pdf_or_progress
from yanxiu.operations.domain import rate_limit

from . import forms
from .domain import checkin, enrolment, survey
from .enums import ProgrammeState
from .interfaces.docs import certificate_pages
from .models import Certificate, CheckIn, Programme

POSTS_PER_HOUR = 30


def _client(request):
    """The visitor's address: the header a trusted proxy sets, never one the visitor sends (core.net)."""
    return client_ip(request)


def _too_many(request, bucket):
    return rate_limit.count_post(bucket, _client(request)) > POSTS_PER_HOUR


def _open_programmes():
    return (
        Programme.objects.filter(
            enrolment_open=True,
            state=ProgrammeState.PREPARING,
            application__state__in=PLANNED_STATES,
            start_date__gte=clock.today(),
        )
        .select_related("application", "application__call", "application__institution")
        .order_by("start_date", "pk")
    )


PROGRAMMES_PER_PAGE = 20


@conditional()
def programme_list(request):
    """Open programmes, a page at a time, reading only the columns the list shows."""
    today = clock.today()
    programmes = enrolment.with_fullness(
        _open_programmes()
        .filter(Q(enrolment_deadline__isnull=True) | Q(enrolment_deadline__gte=today))
        .only(
            "start_date",
            "end_date",
            "venue",
            "enrolment_deadline",
            "application__title",
            "application__tier",
            "application__institution__name",
            "application__call__year",
            "capacity",
            "waiting_list",
            "changed_at",
        )
    )
    page = Paginator(programmes, PROGRAMMES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "delivery/public/list.html", {"programmes": page.object_list, "page": page})


@no_store
def programme_page(request, pk):
    """A planned programme's public page. Before enrolment opens or after it closes the page
    says so in Chinese (the host's link never ends in a bare 404); only open ones take posts."""
    programme = get_object_or_404(
        Programme.objects.filter(application__state__in=PLANNED_STATES).select_related(
            "application", "application__call", "application__institution"
        ),
        pk=pk,
    )
    fujian_only = not enrolment.is_nationwide(programme)
    form = forms.EnrolmentForm(request.POST or None, fujian_only=fujian_only)
    if not enrolment.enrolment_is_open(programme):
        return render(
            request,
            "delivery/public/programme.html",
            {"programme": programme, "form": None, "open": False, "closed_reason": "本项目目前不接受报名。"},
            status=409 if request.method == "POST" else 200,
        )
    if request.method == "POST":
        if _too_many(request, "enrol"):
            messages.error(request, "提交过于频繁，请稍后再试。")
            return render(request, "delivery/public/programme.html", {"programme": programme, "form": form}, status=429)
        if form.is_valid():
            if form.cleaned_data.get("website"):
                return redirect("delivery_public:thanks")  # a robot: say nothing
            try:
                waiting = enrolment.is_full(programme)
                enrolment.enrol(programme, form.cleaned_data)
                return redirect(reverse("delivery_public:thanks") + ("?waiting=1" if waiting else ""))
            except Refused as refusal:
                for field, message in refusal.errors.items():
                    form.add_error(None if field == "__all__" else field, message)
    return render(
        request,
        "delivery/public/programme.html",
        {
            "programme": programme,
            "form": form,
            "open": enrolment.enrolment_is_open(programme),
            "full": enrolment.is_full(programme),
        },
    )


def thanks(request):
    return render(request, "delivery/public/thanks.html", {"waiting": request.GET.get("waiting") == "1"})


@no_store
def survey_page(request, token):
    programme = get_object_or_404(
        Programme.objects.select_related("application", "application__institution"), survey_token=token
    )
    form = forms.SurveyForm(request.POST or None)
    done = False
    if request.method == "POST":
        if _too_many(request, "survey"):
            form.add_error(None, "提交过于频繁，请稍后再试。")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                survey.answer(
                    programme,
                    mobile=data["mobile"],
                    id_last4=data["id_last4"],
                    comment=data["comment"],
                    scores={k: data[k] for k, _ in survey.SurveyResponse.QUESTIONS},
                )
                done = True
            except survey.Refused as refusal:
                form.add_error(None, str(refusal))
    return render(request, "delivery/public/survey.html", {"programme": programme, "form": form, "done": done})


# A class scans within minutes, often behind the venue's one address: a higher limit than
# the other forms, still far below what guessing ID numbers would need.
CHECK_INS_PER_HOUR = 300


@no_store
def check_in(request, pk, token):
    """The page a trainee's phone opens from the QR code: confirm with ID number and name."""
    found = get_object_or_404(CheckIn.objects.select_related("programme", "programme__application"), pk=pk)
    form = forms.CheckInForm(request.POST or None)
    context = {"check_in": found, "programme": found.programme, "form": form}
    posting = request.method == "POST"
    try:
        checkin.check_token(found, token, confirming=posting)
    except Refused as refusal:
        context["refused"] = refusal.reason
        return render(request, "delivery/public/check_in.html", context, status=409)
    status = 200
    if posting:
        if rate_limit.count_post("check-in", _client(request)) > CHECK_INS_PER_HOUR:
            form.add_error(None, "提交过于频繁，请稍后再试。")
            status = 429
        elif form.is_valid():
            try:
                trainee, newly = checkin.confirm(found, token, **form.cleaned_data)
                context.update(done=True, newly=newly, trainee_name=trainee.name)
            except Refused as refusal:
                form.add_error(None, refusal.reason)
                status = 409
    return render(request, "delivery/public/check_in.html", context, status=status)


CERTIFICATE_RELATIONS = (
    "trainee",
    "trainee__programme",
    "trainee__programme__application",
    "trainee__programme__application__institution",
    "trainee__programme__application__call",
)


@no_store
def verify(request, token):
    certificate = Certificate.objects.filter(token=token).select_related(*CERTIFICATE_RELATIONS).first()
    return render(
        request,
        "delivery/public/verify.html",
        {"certificate": certificate, "lookup": forms.CertificateLookupForm()},
        status=200 if certificate else 404,
    )


@no_store
def verify_lookup(request):
    """A certificate by its serial number and its holder's name (both must match; a mismatch
    says only 未找到, never which part was wrong). Limited per client address like the other posts."""
    form = forms.CertificateLookupForm(request.POST or None)
    context = {"lookup": form, "lookup_page": True}
    if request.method != "POST":
        return render(request, "delivery/public/verify.html", context)
    if _too_many(request, "verify"):
        context["error"] = "查询过于频繁，请稍后再试。"
        return render(request, "delivery/public/verify.html", context, status=429)
    if not form.is_valid():
        return render(request, "delivery/public/verify.html", context)
    certificate = (
        Certificate.objects.filter(serial=form.cleaned_data["serial"]).select_related(*CERTIFICATE_RELATIONS).first()
    )
    if certificate is not None and forms.without_spaces(certificate.trainee.name) != form.cleaned_data["name"]:
        certificate = None
    context.update(certificate=certificate, searched=True)
    return render(request, "delivery/public/verify.html", context, status=200 if certificate else 404)


@no_store
def certificate_file(request, token, fmt):
    """A trainee's own certificate, from the link or QR code on it (same page as the bulk PDF)."""
    certificate = (
        Certificate.objects.filter(token=token)
        .select_related(
            "trainee",
            "trainee__programme",
            "trainee__programme__application",
            "trainee__programme__application__institution",
            "trainee__programme__application__call",
        )
        .first()
    )
    if certificate is None or fmt not in ("pdf", "docx"):
        raise Http404("未找到该证书。")
    if request.headers.get("HX-Request") != "true" and _too_many(request, "certificate"):  # a poll is not a download
        return render(
            request,
            "delivery/public/verify.html",
            {"certificate": certificate, "error": "下载过于频繁，请稍后再试。"},
            status=429,
        )
    docx = certificate_pages([certificate])
    filename = f"结业证书-{certificate.serial}.{fmt}"
    if fmt == "docx":
        return attachment(docx, filename, DOCX)
    # The worker converts it (decision 0007); this page polls until the PDF is there.
    back = reverse("delivery_public:certificate_file", args=[token, "docx"])
    return pdf_or_progress(request, lambda: docx, filename, back)
