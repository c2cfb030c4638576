from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language

from config.health import healthz
from reviews.views.dashboard import dashboard

form_methods = require_http_methods(["GET", "POST"])  # Django's form views take PUT too

urlpatterns = [
    path("", dashboard, name="home"),
    path("", include("reviews.urls")),
    path("", include("patterns.urls")),
    path("accounts/login/", form_methods(auth_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        form_methods(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        require_GET(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("i18n/setlang/", login_not_required(require_POST(set_language)), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

# Branded error pages in the user's language; JSON under /api/ (config/errors.py).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
if apps.is_installed("bench"):  # dev, test and bench settings only: the benchmarks' floor view
    urlpatterns += [path("", include("bench.urls"))]
