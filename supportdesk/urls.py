from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from articles.public import views as help_views
from supportdesk import views
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
    path("articles/", include("articles.urls")),
    # The public help center; the contact form first, so its paths win over article slugs.
    path("help/contact/", include("tickets.contact.urls")),
    path("help/", include("articles.public.urls")),
    path("sitemap.xml", help_views.sitemap, name="sitemap"),
    path("tickets/", include("tickets.urls")),
    path("mail/inbound/<str:esp>/", inbound_webhook, name="mail_inbound"),
    path("admin/", admin.site.urls),
]
