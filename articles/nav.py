from django.http import HttpRequest


def sidebar(request: HttpRequest) -> dict:
    """Sidebar entries of the articles app for this user (rendered by articles/_nav.html)."""
    return {}
