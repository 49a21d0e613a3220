from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from core import views as core_views
from core.health import PortalHealthCheckView

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dang-nhap/", account_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("quen-mat-khau/", account_views.password_reset, name="password_reset"),
    path("quen-mat-khau/da-gui/", account_views.password_reset_done, name="password_reset_done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        account_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        account_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("", include("accounts.urls")),
    path("don-vi/", include("organizations.urls")),
    path("van-ban/", include("directives.urls")),
    # /nhiem-vu/ and a directive's tasks under /van-ban/<pk>/nhiem-vu/ (see tasks/urls.py)
    path("", include("tasks.urls")),
    path("bao-cao/", include("reporting.urls")),
    path("bao-cao-dinh-ky/", include("periodic_reports.urls")),
    path("ho-so/", include("dossiers.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("chi-so-cchc/", include("indicators.urls")),
    path("ket-noi/", include("integrations.urls")),
    path("", include("core.urls")),
    path("api/v1/", include("cchc_portal.api_urls")),
    path("healthz/", PortalHealthCheckView.as_view(), name="healthz"),
    path("quan-tri/", admin.site.urls),
]

# Django's own 400s (body too large, too many fields) in the API's error shape under /api/.
handler400 = "core.api.bad_request_view"
