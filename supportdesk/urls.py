from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from supportdesk import accounts, views
from tickets.mail.webhooks import inbound_webhook

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("accounts/tokens/", accounts.api_tokens, name="api_tokens"),
    path(
        "accounts/tokens/<int:token_id>/revoke/",
        accounts.api_token_revoke,
        name="api_token_revoke",
    ),
    path("api/", include("tickets.api.urls")),
    path("articles/", include("articles.urls")),
    path("tickets/", include("tickets.urls")),
    path("mail/inbound/<str:esp>/", inbound_webhook, name="mail_inbound"),
    path("admin/", admin.site.urls),
]
