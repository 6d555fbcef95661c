from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from articles.views import home_panel as articles_panel
from articles.views import search_results as articles_search
from supportdesk import roles
from supportdesk.inputs import text_param
from tickets.views import home_panel as tickets_panel
from tickets.views import search_results as tickets_search
from tickets.views.queue import SEARCH_LIMIT as TICKETS_SHOWN


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on what it came for: agents their queues, editors the
    articles that need them, managers the headline figures."""
    user = request.user
    return render(
        request,
        "home.html",
        {
            "roles": sorted(roles.role_names(user)),
            "tickets_panel": tickets_panel(request),
            "articles_panel": articles_panel(request),
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    """Global search from the top bar: tickets the user may see, and articles."""
    query = text_param(request.GET, "q")
    return render(
        request,
        "search.html",
        {
            "query": query,
            "tickets_results": tickets_search(request, query) if query else None,
            # Only the first few are listed; past that, a link to all of them.
            "tickets_limit": TICKETS_SHOWN,
            "articles_results": articles_search(request, query) if query else None,
        },
    )
