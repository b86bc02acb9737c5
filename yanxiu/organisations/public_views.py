"""The institutions' registration page (no login): thin, the rules are in domain/registration.py.

One form, no script: each "发送验证码" button posts the form with `send=mobile|email`, which
sends that code and shows the form again (the letter is chosen last, before 提交注册)."""

from django.shortcuts import redirect, render

from yanxiu.core.http import no_store
from yanxiu.core.net import client_ip
from yanxiu.core.refusal import Refused
from yanxiu.operations.domain import rate_limit

from .domain import registration
from .forms import RegistrationForm
from .models import Registration

POSTS_PER_HOUR = 30  # registrations posted from one client address (the codes have their own limits)

SENT = {
    "mobile": "验证码已发送到手机 {target}，10 分钟内有效。",
    "email": "验证码已发送到邮箱 {target}，10 分钟内有效。",
}


def _send_code(request, form, kind):
    target = form.target(kind)
    if target is None:
        return {"send_error": form.send_error}
    try:
        registration.send_code(kind, target, client=client_ip(request))
    except Refused as refusal:
        return {"send_error": (kind, refusal.reason)}
    return {"sent": (kind, SENT[kind].format(target=target))}


@no_store
def register(request):
    form = RegistrationForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST":
        kind = request.POST.get("send")
        if kind in RegistrationForm.CODE_FIELDS:
            form = RegistrationForm(request.POST)  # shown again unvalidated, as typed
            context = {"form": form, "unbound_errors": True, **_send_code(request, form, kind)}
        elif rate_limit.count_post("register", client_ip(request)) > POSTS_PER_HOUR:
            form.add_error(None, "本网络地址提交注册过于频繁，请一小时后再试。")
        elif getattr(request, "upload_too_large", False):
            form.add_error("letter", "文件过大，请压缩后重新上传。")
        elif form.is_valid():
            try:
                done = registration.register(form.cleaned_data, form.cleaned_data["letter"], request=request)
            except Refused as refusal:
                for field, message in refusal.errors.items():
                    form.add_error(field, message)
                if not refusal.errors:
                    form.add_error(None, refusal.reason)
            else:
                request.session["registered"] = done.pk
                return redirect("organisations:registered")
    return render(request, "organisations/register.html", context)


@no_store
def registered(request):
    pk = request.session.get("registered")
    done = Registration.objects.filter(pk=pk).select_related("institution__authority", "account").first()
    if done is None:
        return redirect("organisations:register")
    return render(request, "organisations/registered.html", {"registration": done})
