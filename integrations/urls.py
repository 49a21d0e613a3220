from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("api-token/", views.token_list, name="token_list"),
    path("api-token/tao/", views.token_create, name="token_create"),
    path("api-token/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
    path("webhook/", views.webhook_list, name="webhook_list"),
    path("webhook/tao/", views.webhook_create, name="webhook_create"),
    path("webhook/<int:pk>/", views.webhook_detail, name="webhook_detail"),
    path("webhook/<int:pk>/sua/", views.webhook_edit, name="webhook_edit"),
    path("webhook/gui-lai/<int:pk>/", views.delivery_resend, name="delivery_resend"),
]
