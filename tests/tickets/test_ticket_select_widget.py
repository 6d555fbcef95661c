"""The ticket page's selects render in Python (PlainSelect): the same HTML as
Django's template-rendered Select, escaping included."""

from django import forms

from tickets.ticket_forms import PlainSelect

CHOICES = [("", "— none —"), (1, "Billing"), (2, '<script>alert("x")</script> & co')]


def _both(value, attrs=None, choices=CHOICES) -> tuple[str, str]:
    plain = PlainSelect(choices=choices).render("category", value, attrs)
    django = forms.Select(choices=choices).render("category", value, attrs)
    return plain, django


def test_same_html_as_djangos_select():
    plain, django = _both(1, {"id": "id_category", "required": True, "disabled": False})
    assert plain == django
    assert 'value="1" selected' in plain


def test_labels_and_attributes_are_escaped():
    plain, django = _both(None, {"id": 'x" onclick="evil', "aria-describedby": "<b>"})
    assert plain == django
    assert "<script>" not in plain and "&lt;script&gt;" in plain
    assert 'onclick="evil' not in plain


def test_optgroups_fall_back_to_the_template():
    grouped = [("Group <1>", [(1, "One"), (2, "Two")]), (3, "Three")]
    plain, django = _both(2, choices=grouped)
    assert plain == django
    assert "<optgroup" in plain
