"""/api/v1/customers/, /api/v1/resolutions/ and /api/v1/reports/figures/."""

from tests.factories import ArticleFactory, CustomerFactory, TicketFactory
from tickets.resolution import link_article, reopen_ticket, solve_ticket


def test_customers_are_those_of_visible_tickets(
    general_inbox, billing_inbox, general_agent, api_client_for
):
    mine = TicketFactory(inbox=general_inbox, customer__email="ann@mail.example")
    TicketFactory(inbox=billing_inbox, customer__email="bob@billing.example")
    client = api_client_for(general_agent)

    listed = client.get("/api/v1/customers/").json()["results"]
    one = client.get("/api/v1/customers/ANN@mail.example/").json()
    hidden = client.get("/api/v1/customers/bob@billing.example/")

    assert [row["email"] for row in listed] == ["ann@mail.example"]
    assert [t["number"] for t in one["tickets"]] == [mine.pk]
    assert hidden.status_code == 404


def test_customer_pages(general_inbox, general_agent, api_client_for):
    for n in range(52):
        TicketFactory(inbox=general_inbox, customer=CustomerFactory(email=f"c{n:02}@x.example"))
    client = api_client_for(general_agent)

    first = client.get("/api/v1/customers/").json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 50 and [c["email"] for c in second["results"]] == [
        "c50@x.example",
        "c51@x.example",
    ]


def test_resolutions_of_visible_tickets(
    general_inbox, billing_inbox, general_agent, billing_agent, api_client_for
):
    article = ArticleFactory()
    general = TicketFactory(inbox=general_inbox)
    billing = TicketFactory(inbox=billing_inbox)
    link = link_article(general, article=article, by=general_agent)
    solve_ticket(general, kind="article", links=[link], by=general_agent)
    reopen_ticket(general, by=general_agent)
    solve_ticket(billing, kind="not_applicable", by=billing_agent)

    rows = api_client_for(general_agent).get("/api/v1/resolutions/").json()["results"]

    assert [r["ticket"] for r in rows] == [general.pk]
    assert rows[0]["articles"] == [article.slug]
    assert rows[0]["state"] == "not held" and rows[0]["reopened_at"]


def test_resolution_filters_are_checked(general_agent, api_client_for):
    client = api_client_for(general_agent)

    assert client.get("/api/v1/resolutions/?kind=article").status_code == 200
    bad = client.get("/api/v1/resolutions/?kind=zzz&after=nope&solved_after=x")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"kind", "after", "solved_after"}


def test_report_figures_match_the_page_measures(
    general_inbox, billing_inbox, general_agent, manager, api_client_for
):
    for inbox, agent in ((general_inbox, general_agent), (billing_inbox, None)):
        ticket = TicketFactory(inbox=inbox)
        solve_ticket(ticket, kind="no_article", note="restart", by=agent)

    mine = api_client_for(general_agent).get("/api/v1/reports/figures/?period=7").json()
    everyone = api_client_for(manager).get("/api/v1/reports/figures/").json()

    assert mine["current"]["solved"] == 1 and mine["current"]["gaps"] == 1
    assert mine["current"]["created"] == 1
    assert [row["inbox"] for row in mine["inboxes"]] == ["general"]
    assert everyone["current"]["solved"] == 2
    assert everyone["previous"]["solved"] == 0


def test_report_filters_are_checked(general_agent, api_client_for):
    client = api_client_for(general_agent)

    bad_inbox = client.get("/api/v1/reports/figures/?inbox=billing")
    bad_dates = client.get("/api/v1/reports/figures/?period=custom&start=2026-02-01")

    assert bad_inbox.status_code == 400 and "inbox" in bad_inbox.json()["errors"]
    assert bad_dates.status_code == 400


def test_editors_get_no_report(editor, api_client_for):
    assert api_client_for(editor).get("/api/v1/reports/figures/").status_code == 403
