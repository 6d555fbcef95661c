from django.urls import path

from articles.public import views

app_name = "help"

urlpatterns = [
    path("", views.help_home, name="home"),
    path("search/", views.help_search, name="search"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("page/<slug:slug>/", views.help_page, name="page"),
    path("<slug:slug>/", views.help_article, name="article"),
    path("<slug:slug>/feedback/", views.help_feedback, name="feedback"),
]
