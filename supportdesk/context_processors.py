from django.http import HttpRequest

from articles.nav import sidebar as articles_sidebar
from supportdesk import roles
from tickets.nav import sidebar as tickets_sidebar


def navigation(request: HttpRequest) -> dict:
    """Role-aware sidebar data; lazy so pages without the frame pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_roles": sorted(roles.role_names(user)),
        "is_agent": roles.is_agent(user),
        "is_editor": roles.is_editor(user),
        "is_manager": roles.is_manager(user),
        "tickets_nav": lambda: tickets_sidebar(request),
        "articles_nav": lambda: articles_sidebar(request),
    }
