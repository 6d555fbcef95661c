"""/api/: the schema, the docs, and version 1. Token requests carry no session, so
the API routes are exempt from the site's login redirect: DRF answers 401 instead."""

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tickets.api import articles, customers, reports, tickets
from tickets.api.problems import not_found

app_name = "api"


def api(view_class):
    return login_not_required(view_class.as_view())


class DocsView(SpectacularSwaggerSplitView):
    # Ours: no inline style; the page's only script is a file (strict CSP holds).
    template_name = "api/docs.html"


urlpatterns = [
    path("schema/", api(SpectacularAPIView), name="schema"),
    # A page for people: signed-in only, like every page. (DRF exempts its views from
    # LoginRequiredMiddleware, so the redirect to sign in is asked for here.)
    path("docs/", login_required(DocsView.as_view(url_name="api:schema")), name="docs"),
    path("v1/tickets/", api(tickets.TicketList), name="tickets"),
    path("v1/tickets/<int:number>/", api(tickets.TicketDetail), name="ticket"),
    path("v1/tickets/<int:number>/replies/", api(tickets.TicketReply), name="ticket_reply"),
    path("v1/tickets/<int:number>/notes/", api(tickets.TicketNote), name="ticket_note"),
    path("v1/tickets/<int:number>/assign/", api(tickets.TicketAssign), name="ticket_assign"),
    path("v1/tickets/<int:number>/status/", api(tickets.TicketStatus), name="ticket_status"),
    path("v1/tickets/<int:number>/solve/", api(tickets.TicketSolve), name="ticket_solve"),
    path("v1/articles/", api(articles.ArticleList), name="articles"),
    path("v1/articles/<slug:slug>/", api(articles.ArticleDetail), name="article"),
    path(
        "v1/articles/<slug:slug>/revisions/",
        api(articles.ArticleRevisions),
        name="article_revisions",
    ),
    path("v1/articles/<slug:slug>/review/", api(articles.ArticleReview), name="article_review"),
    path("v1/articles/<slug:slug>/publish/", api(articles.ArticlePublish), name="article_publish"),
    path("v1/customers/", api(customers.CustomerList), name="customers"),
    path("v1/customers/<str:email>/", api(customers.CustomerDetail), name="customer"),
    path(
        "v1/customers/<str:email>/context",
        api(customers.CustomerContextView),
        name="customer_context",
    ),
    path("v1/customers/<str:email>", api(customers.CustomerErase), name="customer_erase"),
    path("v1/resolutions/", api(reports.ResolutionList), name="resolutions"),
    path("v1/reports/figures/", api(reports.ReportFigures), name="report_figures"),
    re_path(r"^(?P<rest>.*)$", login_not_required(not_found)),
]
