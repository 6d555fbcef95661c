from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from articles.public import views as help_views
from supportdesk import views
from supportdesk.accounts import tokens as token_views
from supportdesk.accounts import views as account_views
from supportdesk.audit import views as audit_views
from supportdesk.metrics.views import metrics
from tickets.mail.webhooks import inbound_webhook
from tickets.notifications import preferences
from tickets.views.health import healthz

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
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
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="registration/password_reset.html",
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_sent.html"
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("accounts/lockouts/", account_views.lockout_list, name="lockouts"),
    path("accounts/lockouts/unlock/", account_views.lockout_unlock, name="lockout_unlock"),
    path("accounts/tokens/", token_views.api_tokens, name="api_tokens"),
    path(
        "accounts/tokens/<int:token_id>/revoke/",
        token_views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("api/", include("tickets.api.urls")),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("webhooks/", include("tickets.webhooks.urls")),
    path("customers/", include("tickets.customers.urls")),
    path("articles/", include("articles.urls")),
    # The public help center; the contact form first, so its paths win over article slugs.
    path("help/contact/", include("tickets.contact.urls")),
    path("help/tickets/", include("tickets.portal.urls")),
    path("help/", include("articles.public.urls")),
    path("sitemap.xml", help_views.sitemap, name="sitemap"),
    path("tickets/", include("tickets.urls")),
    # Issue 15: notifications, the per-user settings page, managers' assignment page.
    path("notifications/", include("tickets.notifications.urls")),
    path("settings/", preferences.user_settings, name="user_settings"),
    path("assignment/", include("tickets.assignment.urls")),
    path("mail/inbound/<str:esp>/", inbound_webhook, name="mail_inbound"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    # Browsers and feed readers ask for /favicon.ico whatever the pages link.
    path("favicon.ico", views.favicon, name="favicon"),
]
