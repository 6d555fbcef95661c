from django.urls import path

from tickets.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.webhook_list, name="list"),
    path("<int:pk>/", views.webhook_detail, name="detail"),
    path("<int:pk>/delete/", views.webhook_delete, name="delete"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="retry"),
]
