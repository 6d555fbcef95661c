from django.http import HttpRequest


def home_panel(request: HttpRequest) -> dict | None:
    """What the home page shows of tickets for this user; None shows nothing."""
    return None


def search_results(request: HttpRequest, query: str) -> list:
    """Tickets matching the top-bar search that this user may see."""
    return []
