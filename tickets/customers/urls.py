from django.urls import path

from tickets.customers import views

app_name = "customers"

urlpatterns = [
    path("<str:email>/erase/", views.customer_erase, name="erase"),
]
