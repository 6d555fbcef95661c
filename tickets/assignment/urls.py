from django.urls import path

from tickets.assignment import views

urlpatterns = [
    path("", views.assignment_page, name="assignment"),
    path("inbox/<slug:inbox_slug>/", views.inbox_round_robin, name="assignment_round_robin"),
    path("agents/<int:user_id>/", views.agent_update, name="assignment_agent"),
]
