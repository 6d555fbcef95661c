from django.urls import path

from tickets.portal import views

app_name = "customer"

urlpatterns = [
    path("<str:token>/", views.customer_ticket, name="ticket"),
    path("<str:token>/reply/", views.customer_reply, name="reply"),
    path("<str:token>/solved/", views.customer_solved, name="solved"),
    path("<str:token>/rate/", views.customer_rate, name="rate"),
    path("<str:token>/files/<int:attachment_id>/", views.customer_file, name="file"),
]
