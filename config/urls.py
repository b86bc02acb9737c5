from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path

from yanxiu.api.api import api
from yanxiu.core import views as core_views
from yanxiu.identity import views as identity_views

# Uploaded files are never served directly: every download goes through a
# view that checks who may see it.
urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", identity_views.LoginView.as_view(), name="login"),
    path("identity/", include("yanxiu.identity.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("yanxiu.accounts.urls")),
    path("audit/", include("yanxiu.audit.urls")),
    path("applications/", include("yanxiu.applications.urls")),
    path("batches/", include("yanxiu.batches.urls")),
    path("selection/", include("yanxiu.selection.urls")),
    path("calls/", include("yanxiu.calls.urls")),
    path("documents/", include("yanxiu.documents.urls")),
    path("institution/", include("yanxiu.organisations.urls")),
    path("messages/", include("yanxiu.notifications.urls")),
    path("reviews/", include("yanxiu.reviews.urls")),
    path("delivery/", include("yanxiu.delivery.urls")),
    path("api/", api.urls),
    path("account/api-tokens/", include("yanxiu.api.urls")),
    path("statistics/", include("yanxiu.statistics.urls")),
    path("ratings/", include("yanxiu.ratings.urls")),
    path("p/ratings/", include("yanxiu.ratings.public_urls")),
    path("p/publicity/", include("yanxiu.selection.public_urls")),
    path("p/", include("yanxiu.delivery.public_urls")),
    path("admin/", admin.site.urls),
]

# Chinese error pages showing the refusal's reason (yanxiu/core/errors.py), in production as in development.
handler400 = "yanxiu.core.errors.bad_request"
handler403 = "yanxiu.core.errors.permission_denied"
handler404 = "yanxiu.core.errors.page_not_found"
handler500 = "yanxiu.core.errors.server_error"


@login_required
def bench_bare(request):
    """The benchmarks' baseline: the whole stack (session, user, middleware) and nothing else."""
    return HttpResponse("ok")


if settings.YANXIU_BENCH_URLS:
    urlpatterns.append(path("bench/bare/", bench_bare))
