from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("new/", views.article_create, name="create"),
    path("preview/", views.article_preview, name="preview"),
    path("needs-review/", views.needs_review, name="needs_review"),
    path("needs-attention/", views.needs_attention, name="needs_attention"),
    path("help-center/", views.help_center, name="help_center"),
    path("help-center/<slug:slug>.mdx", views.help_center_export, name="help_center_export"),
    path("<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/edit/", views.article_edit, name="edit"),
    path("<slug:slug>/review/", views.article_send_for_review, name="send_for_review"),
    path("<slug:slug>/publish/", views.article_publish, name="publish"),
    path("<slug:slug>/reviewed/", views.article_confirm_review, name="confirm_review"),
    path("<slug:slug>/archive/", views.article_archive, name="archive"),
    path("<slug:slug>/history/", views.article_history, name="history"),
    path("<slug:slug>/diff/", views.article_diff, name="diff"),
    path("<slug:slug>/revisions/<int:number>/restore/", views.article_restore, name="restore"),
]
