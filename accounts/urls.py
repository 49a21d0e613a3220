from django.urls import path

from accounts import oidc, views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/mot-cua/", oidc.AuthenticationRequestView.as_view(), name="oidc_login"),
    path("dang-nhap/mot-cua/xac-nhan/", oidc.CallbackView.as_view(), name="oidc_callback"),
    path("tai-khoan/cho-duyet/", views.pending_wait, name="pending_wait"),
    path("tai-khoan/bao-mat/", views.security, name="security"),
    path("tai-khoan/bao-mat/thiet-lap/", views.otp_setup, name="otp_setup"),
    path("tai-khoan/bao-mat/xac-thuc/", views.otp_verify, name="otp_verify"),
    path("tai-khoan/bao-mat/ma-du-phong/", views.recovery_codes, name="recovery_codes"),
    path(
        "tai-khoan/bao-mat/ma-du-phong/tao-moi/",
        views.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path("tai-khoan/bao-mat/tat/", views.otp_disable, name="otp_disable"),
    path("nguoi-dung/", views.user_list, name="user_list"),
    path("nguoi-dung/cho-duyet/", views.pending_list, name="pending_list"),
    path("nguoi-dung/<int:pk>/", views.user_detail, name="user_detail"),
    path("nguoi-dung/<int:pk>/duyet/", views.user_approve, name="user_approve"),
    path("nguoi-dung/<int:pk>/vo-hieu-hoa/", views.user_deactivate, name="user_deactivate"),
]
