"""Every form's fields print in Python (supportdesk.forms.rendering.PrintedTemplates,
settings.FORM_RENDERER): the same bytes as Django's own templates, for every widget
it prints, with what people type escaped the same way."""

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.utils.safestring import mark_safe

from supportdesk.forms.rendering import INPUTS, PrintedTemplates
from tests.factories import TicketFactory
from tickets.ticket_forms import DetailsForm

HOSTILE = "<script>alert('x')</script> & \"quotes\""
CHOICES = [("", "— none —"), (1, "Billing"), (2, '<script>alert("x")</script> & co')]
FIELDS = (
    "{% for field in form.hidden_fields %}{{ field }}{% endfor %}"
    "{% for field in form.visible_fields %}{{ field.label_tag }}{{ field }}{{ field.errors }}"
    "{% endfor %}{{ form.non_field_errors }}"
)


def both(form: forms.Form) -> tuple[str, str]:
    """The form's fields through the project's renderer and through Django's."""
    printed = []
    for renderer in (PrintedTemplates(), DjangoTemplates()):
        form.renderer = renderer
        printed.append(Template(FIELDS).render(Context({"form": form})))
    return printed[0], printed[1]


def test_the_project_renders_forms_with_it():
    assert settings.FORM_RENDERER == "supportdesk.forms.rendering.PrintedTemplates"
    assert isinstance(forms.Form().renderer, PrintedTemplates)


class Everything(forms.Form):
    """One field for each widget the renderer prints, and a few it leaves to the templates."""

    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": HOSTILE, "data-x": True}))
    email = forms.EmailField(required=False, label=HOSTILE, help_text="<b>help</b>")
    url = forms.URLField(required=False)
    number = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"min": 0}))
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    search = forms.CharField(required=False, widget=forms.SearchInput)
    tel = forms.CharField(required=False, widget=forms.TelInput)
    color = forms.CharField(required=False, widget=forms.ColorInput)
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    datetime = forms.DateTimeField(required=False)
    time = forms.TimeField(required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    tick = forms.BooleanField(required=False, label="Tick?")
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(
        choices=[(HOSTILE, [("a<", HOSTILE), ("b", "B")]), ("c", "C & D")], label=HOSTILE
    )
    many = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    radio = forms.ChoiceField(choices=CHOICES[1:], required=False, widget=forms.RadioSelect)
    upload = forms.FileField(required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"text": HOSTILE, "email": "not an email", "number": "x", "grouped": "a<", "tick": "on",
         "body": f"  {HOSTILE}\n  line two  ", "plain": "2", "many": ["1", "2"],
         "hidden": HOSTILE, "password": HOSTILE, "date": "9999-99-99", "radio": "1"},
        {"text": "", "body": "", "plain": "nope", "grouped": "c", "color": "#ff0000"},
    ],
)  # fmt: skip
def test_every_widget_prints_what_django_s_templates_print(data):
    form = Everything(data)
    form.is_valid()

    printed, django = both(form)

    assert printed == django
    assert "<script>" not in printed
    assert "<select" in printed and "<textarea" in printed and 'type="checkbox"' in printed


def test_initial_values_safe_strings_and_bare_attributes():
    class Initial(forms.Form):
        text = forms.CharField(
            initial=mark_safe("<b>kept</b>"),
            widget=forms.TextInput(attrs={"required": True, "disabled": False, "data-n": 3}),
        )
        body = forms.CharField(initial=HOSTILE, widget=forms.Textarea)
        tick = forms.BooleanField(initial=True)

    printed, django = both(Initial())

    assert printed == django
    assert 'value="<b>kept</b>"' in printed  # a safe value stays as it is, as the filter does
    assert " required" in printed and "disabled" not in printed


@pytest.mark.parametrize("name", INPUTS)
def test_each_input_template_is_one_include_of_input_html(name):
    # What the renderer assumes of each template it prints as an <input>.
    if name == "input":
        return
    source = DjangoTemplates().get_template(f"django/forms/widgets/{name}.html").template.source
    assert source.strip() == '{% include "django/forms/widgets/input.html" %}'


def _selects(value, attrs=None, choices=CHOICES) -> tuple[str, str]:
    widget = forms.Select(choices=choices)
    return (widget.render("category", value, attrs, renderer=PrintedTemplates()),
            widget.render("category", value, attrs, renderer=DjangoTemplates()))  # fmt: skip


def test_a_select_is_the_same_html_as_django_s():
    printed, django = _selects(1, {"id": "id_category", "required": True, "disabled": False})
    assert printed == django
    assert 'value="1" selected' in printed


def test_a_select_s_labels_and_attributes_are_escaped():
    printed, django = _selects(None, {"id": 'x" onclick="evil', "aria-describedby": "<b>"})
    assert printed == django
    assert "<script>" not in printed and "&lt;script&gt;" in printed
    assert 'onclick="evil' not in printed


def test_a_select_with_groups():
    grouped = [("Group <1>", [(1, "One"), (2, "Two")]), (3, "Three")]
    printed, django = _selects(2, choices=grouped)
    assert printed == django
    assert '<optgroup label="Group &lt;1&gt;">' in printed


@pytest.mark.django_db
def test_the_ticket_page_s_details_form(general_agent):
    ticket = TicketFactory(subject=HOSTILE)
    general_agent.first_name = HOSTILE
    general_agent.save()
    form = DetailsForm(
        initial={"status": ticket.status, "priority": ticket.priority},
        ticket=ticket,
        assignees=[general_agent],
    )

    printed, django = both(form)

    assert printed == django
    assert "&lt;script&gt;" in printed and "<script>" not in printed
