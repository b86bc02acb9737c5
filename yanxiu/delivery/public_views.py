"""Pages without login: open programmes with the enrolment form, the
satisfaction survey and certificate verification. CSRF stays on; posts are
limited per client address; a hidden field catches form-filling robots."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yanxiu.applications.enums import PLANNED_STATES
from yanxiu.core import clock
from yanxiu.core.downloads import DOCX, PDF, attachment
from yanxiu.core.refusal import Refused

from . import forms
from .domain import enrolment, survey
from .enums import ProgrammeState
from .models import Certificate, Programme

POSTS_PER_HOUR = 30


def _client(request):
    """The visitor's address. Behind a reverse proxy every request comes from the
    proxy, so production names the header the proxy sets (YANXIU_CLIENT_IP_HEADER)."""
    header = getattr(settings, "YANXIU_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def _too_many(request, bucket):
    key = f"delivery-public:{bucket}:{_client(request)}:{clock.now():%Y%m%d%H}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > POSTS_PER_HOUR


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


def programme_list(request):
    today = clock.today()
    rows = [p for p in _open_programmes() if p.enrolment_deadline is None or p.enrolment_deadline >= today]
    return render(request, "delivery/public/list.html", {"programmes": rows})


def programme_page(request, pk):
    programme = get_object_or_404(_open_programmes(), pk=pk)
    fujian_only = not enrolment.is_nationwide(programme)
    form = forms.EnrolmentForm(request.POST or None, fujian_only=fujian_only)
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


def verify(request, token):
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
    return render(
        request, "delivery/public/verify.html", {"certificate": certificate}, status=200 if certificate else 404
    )


def certificate_file(request, token, fmt):
    """A trainee's own certificate, from the link or QR code on it (same page as the bulk PDF)."""
    from django.http import Http404

    from yanxiu.documents.generate.pdf import ConversionFailed, ConverterMissing, convert_to_pdf

    from .interfaces.docs import certificate_pages

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
    if _too_many(request, "certificate"):
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
    try:
        return attachment(convert_to_pdf(docx), filename, PDF)
    except (ConverterMissing, ConversionFailed):
        return render(
            request,
            "delivery/public/verify.html",
            {"certificate": certificate, "error": "暂时无法生成 PDF，请下载 Word 版。"},
            status=503,
        )
