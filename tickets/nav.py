from django.http import HttpRequest


def sidebar(request: HttpRequest) -> dict:
    """Sidebar entries of the tickets app for this user (rendered by tickets/_nav.html)."""
    return {}
