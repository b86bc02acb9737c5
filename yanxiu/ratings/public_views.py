"""The holder's rating of a certificate's issuing, from the verification page (no login)."""

from django.shortcuts import get_object_or_404, render

from yanxiu.core.http import no_store
from yanxiu.core.net import client_ip
from yanxiu.core.refusal import Refused
from yanxiu.delivery.models import Certificate
from yanxiu.operations.domain import rate_limit

from .domain import ratings
from .enums import MatterKind
from .forms import CertificateRatingForm

POSTS_PER_HOUR = 30  # as the other public forms (delivery.public_views)


@no_store
def rate_certificate(request, token):
    certificate = get_object_or_404(Certificate.objects.select_related("trainee__programme__application"), token=token)
    form = CertificateRatingForm(request.POST or None)
    context = {"certificate": certificate, "form": form, "done": False}
    context["existing"] = ratings.rated(MatterKind.CERTIFICATE, [certificate.pk]).get(certificate.pk)
    status = 200
    if request.method == "POST":
        if rate_limit.count_post("rate", client_ip(request)) > POSTS_PER_HOUR:
            form.add_error(None, "提交过于频繁，请稍后再试。")
            status = 429
        elif form.is_valid():
            try:
                ratings.rate_certificate(certificate, **form.cleaned_data)
                context["done"] = True
            except Refused as refusal:
                form.add_error(None, refusal.reason)
                status = 409
    return render(request, "ratings/rate_certificate.html", context, status=status)
