"""The admin edits categories and help center pages; articles change only through
the editor's pages, so every change of text stays a revision."""

from django.contrib import admin

from articles.models import Article, HelpCenterPage, IssueCategory


@admin.register(IssueCategory)
class IssueCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(HelpCenterPage)
class HelpCenterPageAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "imported_at"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "category", "owner", "review_due"]
    list_filter = ["status", "category"]
    search_fields = ["title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
