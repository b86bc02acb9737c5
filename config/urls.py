from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from yanxiu.core import views as core_views

# Uploaded files are never served directly: every download goes through a
# view that checks who may see it.
urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("applications/", include("yanxiu.applications.urls")),
    path("batches/", include("yanxiu.batches.urls")),
    path("selection/", include("yanxiu.selection.urls")),
    path("calls/", include("yanxiu.calls.urls")),
    path("documents/", include("yanxiu.documents.urls")),
    path("institution/", include("yanxiu.organisations.urls")),
    path("messages/", include("yanxiu.notifications.urls")),
    path("reviews/", include("yanxiu.reviews.urls")),
    path("delivery/", include("yanxiu.delivery.urls")),
    path("p/", include("yanxiu.delivery.public_urls")),
    path("admin/", admin.site.urls),
]
