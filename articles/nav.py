from django.http import HttpRequest
from django.urls import reverse

from articles.models import Article
from supportdesk import roles


def sidebar(request: HttpRequest) -> dict:
    """Sidebar entries of the articles app for this user (rendered by articles/_nav.html)."""
    user = request.user
    if not user.is_authenticated or not roles.role_names(user):
        return {}
    current = request.resolver_match.view_name if request.resolver_match else ""
    if not roles.is_editor(user):
        entries = [("articles:list", "Articles", None)]
    else:
        entries = [
            ("articles:list", "Articles", None),
            ("articles:create", "New article", None),
            ("articles:needs_review", "Needs review", Article.objects.needs_review().count()),
            ("articles:needs_attention", "Needs attention", None),
            ("articles:help_center", "Import/Export", None),
        ]
    return {
        "title": "Knowledge base",
        "entries": [
            {"url": reverse(name), "label": label, "count": count, "current": name == current}
            for name, label, count in entries
        ],
    }
