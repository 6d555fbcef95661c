"""Forms of the queue: the filter bar (GET parameters) and bulk actions.

The GET parameter names are a public contract: reports, the ticket page and
the home page link to queues with them.
"""

from django import forms

from supportdesk.inputs import DateField
from tickets.models import Resolution, Ticket
from tickets.queues.filters import DEFAULT_SORT, DEFAULT_VIEW, SORTS, VIEWS, Filters
from tickets.services import user_label
from tickets.tags.names import normalise_tag

ANY = ("", "Any")


class TicketFilterForm(forms.Form):
    view = forms.ChoiceField(choices=list(VIEWS.items()), required=False)
    status = forms.ChoiceField(choices=[ANY, *Ticket.Status.choices], required=False)
    assignee = forms.ChoiceField(required=False)
    priority = forms.TypedChoiceField(
        choices=[ANY, *Ticket.Priority.choices], coerce=int, required=False, empty_value=None
    )
    category = forms.ChoiceField(required=False)
    customer = forms.EmailField(required=False, label="Customer email")
    q = forms.CharField(required=False, max_length=200, label="Search")
    article = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    resolved_by = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    created_after = DateField(required=False)
    created_before = DateField(required=False)
    solved_after = DateField(required=False)
    solved_before = DateField(required=False)
    tag = forms.CharField(required=False, max_length=40, label="Tag")
    sort = forms.ChoiceField(
        choices=[(key, sort.label) for key, sort in SORTS.items()], required=False
    )
    # Keyset cursors (see tickets.queues.filters.keyset_page); not shown as fields.
    after = forms.CharField(required=False, max_length=100)
    before = forms.CharField(required=False, max_length=100)

    def __init__(self, data, *, assignees, categories) -> None:
        super().__init__(data)
        self.fields["assignee"].choices = [
            ANY,
            ("none", "Nobody"),
            *((str(user.pk), user_label(user)) for user in assignees),
        ]
        self.fields["category"].choices = [ANY, *((c.slug, c.name) for c in categories)]

    def clean_tag(self) -> str:
        tag = self.cleaned_data["tag"]
        return normalise_tag(tag) if tag.strip() else ""

    def filters(self) -> Filters:
        """The valid part of the input; invalid fields are reported and ignored."""
        self.is_valid()
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in ("after", "before")
        }
        data.setdefault("view", DEFAULT_VIEW)
        data.setdefault("sort", "due" if data["view"] == "breaching" else DEFAULT_SORT)
        return Filters(**data)

    def selects(self) -> list[dict]:
        """The filter bar's drop-downs, ready to print: the stock widgets render
        each option through a template, which costs more than the whole table."""
        selects = []
        for name in ("status", "assignee", "priority", "category", "sort"):
            field, current = self.fields[name], str(self.data.get(name, ""))
            options = [(str(value), text, str(value) == current) for value, text in field.choices]
            selects.append(
                {"name": name, "label": field.label or name.capitalize(), "options": options}
            )
        return selects

    def labelled_errors(self) -> list[tuple[str, str]]:
        """Each refused filter as its label says it ("Created after", not the
        parameter's name); a bad cursor is the page link."""
        labelled = []
        for name, errors in self.errors.items():
            if name in ("after", "before"):
                label = "Page link"
            elif name in self.fields:
                label = {"q": "Search"}.get(name, str(self[name].label))
            else:
                label = "Filters"
            labelled += [(label, error) for error in errors]
        return labelled

    def typed(self, name: str) -> str:
        """What the user typed in a text field, kept even when it was invalid."""
        return str(self.data.get(name, ""))

    def cursor(self) -> tuple[str, str]:
        self.is_valid()
        return self.cleaned_data.get("after", ""), self.cleaned_data.get("before", "")

    def chips(self) -> list[tuple[str, str, str]]:
        """Active filters as (parameter, label, shown value) for removable chips."""
        chips = []
        for name in (
            "status", "assignee", "priority", "category", "customer", "q", "article",
            "resolved_by", "created_after", "created_before", "solved_after", "solved_before",
            "tag",
        ):  # fmt: skip
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            field = self.fields[name]
            choices = {str(key): text for key, text in getattr(field, "choices", [])}
            shown = choices.get(str(value), value)
            label = {"q": "Search", "article": "Linked article", "resolved_by": "Resolved by"}.get(
                name, field.label or name.replace("_", " ").capitalize()
            )
            chips.append((name, label, shown))
        return chips


BULK_STATUSES = [(Ticket.Status.OPEN, "Open"), (Ticket.Status.PENDING, "Pending")]


class TicketIdsField(forms.Field):
    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": "Tick at least one ticket first.",
        "invalid": "Those are not ticket numbers.",
    }

    def to_python(self, value) -> list[int]:
        try:
            return [int(item) for item in value or []]
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class BulkForm(forms.Form):
    """Assign, set the status or priority of, solve or move the ticked tickets.
    Which of them the user may touch is decided against the database
    (tickets.queues.bulk), not here."""

    tickets = TicketIdsField()
    action = forms.ChoiceField(
        choices=[
            ("assign", "Assign"), ("status", "Set status"), ("priority", "Set priority"),
            ("solve", "Solve"), ("move", "Move"), ("tag", "Add tag"), ("untag", "Remove tag"),
        ]
    )  # fmt: skip
    # "me", "none" or a user id
    assignee = forms.CharField(required=False)
    status = forms.ChoiceField(choices=[ANY, *BULK_STATUSES], required=False)
    priority = forms.TypedChoiceField(
        choices=[ANY, *Ticket.Priority.choices], coerce=int, required=False, empty_value=None
    )
    resolution = forms.ChoiceField(choices=[ANY, *Resolution.Kind.choices], required=False)
    note = forms.CharField(required=False, max_length=500)
    # An inbox slug; whether the user may move tickets there is checked in the view.
    inbox = forms.SlugField(required=False)
    next = forms.CharField(required=False)
    tag = forms.CharField(required=False, max_length=200)

    def clean(self) -> dict:
        data = super().clean()
        action, assignee = data.get("action"), data.get("assignee", "")
        if action in ("tag", "untag"):
            try:
                data["tag"] = normalise_tag(data.get("tag", ""))
            except forms.ValidationError as error:
                self.add_error("tag", error)
        if action == "status" and not data.get("status"):
            self.add_error("status", "Pick the status to set.")
        if action == "assign" and assignee not in ("none", "me") and not assignee.isdigit():
            self.add_error("assignee", "Pick who gets the tickets.")
        if action == "priority" and data.get("priority") is None:
            self.add_error("priority", "Pick the priority to set.")
        if action == "move" and not data.get("inbox"):
            self.add_error("inbox", "Pick the inbox to move them to.")
        if action == "solve":
            kind = data.get("resolution")
            if not kind:
                self.add_error("resolution", "Pick what resolved them.")
            elif kind == Resolution.Kind.NO_ARTICLE and not (data.get("note") or "").strip():
                self.add_error("note", "Say in a few words what solved them: a content gap.")
        return data
