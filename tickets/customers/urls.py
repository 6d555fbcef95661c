from django.urls import path

from tickets.customers import views

app_name = "customers"

urlpatterns = [
    # path: an address may hold a slash ("a/b@example.com" is valid).
    path("<path:email>/erase/", views.customer_erase, name="erase"),
]
