from django.urls import path

from tickets.contact import views

app_name = "contact"

urlpatterns = [
    path("", views.contact_form, name="form"),
    path("suggest/", views.contact_suggest, name="suggest"),
    path("solved/", views.contact_solved, name="solved"),
    path("sent/<str:token>/", views.contact_sent, name="sent"),
]
