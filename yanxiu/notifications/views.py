from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yanxiu.core import clock


@login_required
def inbox(request):
    messages = request.user.messages.all()[:200]
    return render(request, "notifications/inbox.html", {"inbox": messages})


@login_required
@require_POST
def mark_read(request, pk):
    message = get_object_or_404(request.user.messages, pk=pk)
    if message.read_at is None:
        message.read_at = clock.now()
        message.save(update_fields=["read_at"])
    if message.link and url_has_allowed_host_and_scheme(message.link, allowed_hosts={request.get_host()}):
        return redirect(message.link)
    return redirect("notifications:inbox")
