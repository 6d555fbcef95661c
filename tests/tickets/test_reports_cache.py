"""The report keeps one filter state's figures for REPORTS_CACHE_SECONDS."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.tickets.reports_world import build_world, period_query


@pytest.fixture
def cached(settings, db):  # the cache is a database table in production and tests
    settings.REPORTS_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def report_queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    sql = [q["sql"] for q in captured.captured_queries if "tickets_resolution" in q["sql"]]
    return len(sql), body.decode()


def test_same_filters_reuse_the_figures(cached, general_inbox, billing_inbox, manager):
    world = build_world(general_inbox, billing_inbox)
    client = Client()
    client.force_login(manager)
    url = f"/tickets/reports/?{period_query()}"

    first, html = report_queries(client, url)
    again, _ = report_queries(client, url)
    csv_count, csv = report_queries(client, url.replace("/?", "/headline.csv?"))
    other, video = report_queries(client, url + f"&category={world.video.slug}")

    assert first > 0 and again == 0 and csv_count == 0
    assert "Tickets created,11,2,tickets" in csv
    assert other > 0 and 'data-measure="created"' in video


def test_viewers_with_other_inboxes_do_not_share(cached, general_inbox, billing_inbox, manager):
    world = build_world(general_inbox, billing_inbox)
    manager_client, gina_client = Client(), Client()
    manager_client.force_login(manager)
    gina_client.force_login(world.gina)
    url = f"/tickets/reports/?{period_query()}"

    report_queries(manager_client, url)
    count, html = report_queries(gina_client, url)

    assert count > 0
    assert "ZQX" not in html
