from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static

from articles.views import home_panel as articles_panel
from articles.views import search_results as articles_search
from supportdesk import roles
from supportdesk.inputs import text_param
from tickets.views import home_panel as tickets_panel
from tickets.views import search_results as tickets_search
from tickets.views import ticket_by_number
from tickets.views.queue import SEARCH_LIMIT as TICKETS_SHOWN


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        # Said on the sign-in page it lands on, so leaving is not a silent bounce.
        messages.info(request, "You are signed out.")
        return response


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(static("supportdesk/favicon.svg"))


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
    # "#309" is a ticket number: open it (what a number typed with # means).
    ticket = ticket_by_number(request, query) if query.startswith("#") else None
    if ticket is not None:
        return redirect(ticket)
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
