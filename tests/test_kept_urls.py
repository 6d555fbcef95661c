"""``{% url %}`` keeps its answers (supportdesk/templatetags/kept_urls.py) and
still prints what Django's own tag prints."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_the_same_urls_as_reverse_and_each_ticket_its_own():
    assert render("{% url 'tickets:detail' 7 %}") == reverse("tickets:detail", args=[7])
    assert render("{% url 'tickets:detail' n %}", n=8) == "/tickets/8/"
    assert render("{% url 'tickets:inbox_queue' inbox_slug=s %}", s="billing") == (
        "/tickets/inbox/billing/"
    )


def test_a_site_served_under_a_prefix_gets_prefixed_urls():
    assert render("{% url 'tickets:queue' %}") == "/tickets/"
    set_script_prefix("/desk/")
    try:
        assert render("{% url 'tickets:queue' %}") == "/desk/tickets/"
    finally:
        clear_script_prefix()
    assert render("{% url 'tickets:queue' %}") == "/tickets/"


def test_an_unknown_name_fails_unless_kept_in_a_variable():
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' %}")
    assert render("{% url 'no-such-page' as link %}[{{ link }}]") == "[]"
    assert render("{% url 'tickets:queue' as link %}[{{ link }}]") == "[/tickets/]"


def test_numbered_urls_share_one_pattern_and_print_each_number():
    from supportdesk.templatetags.kept_urls import _numbered

    first = render("{% url 'tickets:solve' 41 %}")
    second = render("{% url 'tickets:solve' 1234567 %}")
    assert (first, second) == (reverse("tickets:solve", args=[41]), "/tickets/1234567/solve/")
    assert _numbered.cache_info().currsize >= 1
    # Not a number: reversed as Django does.
    assert render("{% url 'tickets:inbox_queue' 'billing' %}") == "/tickets/inbox/billing/"
