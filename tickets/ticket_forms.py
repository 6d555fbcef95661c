"""Forms of the ticket page: composer, details, transfer, solve, new ticket."""

import mimetypes

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from articles.models import Article, IssueCategory
from tickets.assignment.rules import agents_of
from tickets.attachments import SNIFF_BYTES, program_problem, safe_name
from tickets.models import ArticleLink, Inbox, Resolution, Ticket
from tickets.services import user_label


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each checked against the attachment limits."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [check_upload(super(MultipleFileField, self).clean(f, initial)) for f in files]


MAX_FILES = 5


def check_upload(upload):
    """Size and type limits from settings. The type comes from the file name,
    never from what the browser claims, so it matches how we serve it back; the
    name is made safe first (no bidi tricks), and a program is refused whatever
    its name says."""
    upload.name = safe_name(upload.name)
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            f"“{upload.name}” is {filesizeformat(upload.size)}; the limit is "
            f"{filesizeformat(settings.ATTACHMENT_MAX_BYTES)}."
        )
    guessed, _ = mimetypes.guess_type(upload.name)
    if guessed not in settings.ATTACHMENT_TYPES:
        raise ValidationError(
            f"“{upload.name}” is not a file type we accept (images, PDF, text, CSV, video, ZIP)."
        )
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    problem = program_problem(head, name=upload.name)
    if problem:
        raise ValidationError(f"“{upload.name}” is {problem}: programs cannot be attached.")
    upload.content_type = guessed
    return upload


class ComposerForm(forms.Form):
    KIND_CHOICES = [("reply", "Reply"), ("note", "Note")]
    THEN_CHOICES = [
        ("", "keep status"),
        (Ticket.Status.OPEN, "open"),
        (Ticket.Status.PENDING, "pending"),
        (Ticket.Status.SOLVED, "solved"),
    ]

    kind = forms.ChoiceField(choices=KIND_CHOICES, initial="reply")
    body = forms.CharField(
        label="Message", max_length=50_000, widget=forms.Textarea(attrs={"rows": 8})
    )
    then = forms.ChoiceField(
        label="and set status to",
        choices=THEN_CHOICES,
        required=False,
        initial="",
    )
    # The article ids "Insert" put into the reply; each becomes a sent link.
    articles = forms.ModelMultipleChoiceField(
        queryset=Article.objects.published(), required=False, widget=forms.MultipleHiddenInput
    )
    files = MultipleFileField(
        label="Attach files",
        required=False,
        help_text=f"up to {MAX_FILES}; images, PDF, text, video, ZIP",
    )
    # When the page was opened (the ticket's updated_at): the collision check.
    seen = forms.DateTimeField(widget=forms.HiddenInput)

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES:
            raise ValidationError(f"Attach at most {MAX_FILES} files to one message.")
        return files

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise ValidationError("Write something first.")
        return body


class DetailsForm(forms.Form):
    """Status, priority, category, assignee: saved in place on change."""

    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in Ticket.Status if s in Ticket.OPEN_STATUSES],
    )
    priority = forms.TypedChoiceField(choices=Ticket.Priority.choices, coerce=int)
    category = forms.ModelChoiceField(
        queryset=IssueCategory.objects.all(),
        required=False,
        empty_label="— none —",
    )
    assignee = forms.ModelChoiceField(queryset=None, required=False, empty_label="— nobody —")

    def __init__(self, *args, ticket: Ticket, categories=None, assignees=None, **kwargs):
        """``categories`` and ``assignees``, when the page read them already, are
        the options shown; the querysets still decide what is valid."""
        super().__init__(*args, **kwargs)
        # Only agents of the ticket's inbox can be given it (tickets.assignment.rules):
        # what a saved form checks. A page that lists them already needs no query.
        if self.is_bound or assignees is None:
            self.fields["assignee"].queryset = agents_of(ticket.inbox_id).order_by(
                "first_name", "username"
            )
        self.fields["assignee"].label_from_instance = user_label
        for name, options in (("category", categories), ("assignee", assignees)):
            if options is not None:
                field = self.fields[name]
                field.choices = [("", field.empty_label)] + [
                    (option.pk, field.label_from_instance(option)) for option in options
                ]


class TransferForm(forms.Form):
    to_inbox = forms.ModelChoiceField(
        queryset=Inbox.objects.all(), to_field_name="slug", label="Move to inbox"
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


def link_label(link: ArticleLink) -> str:
    state = "sent" if link.is_sent else "linked"
    return f"{link.revision.title} (r{link.revision.number}, {state})"


class SolveForm(forms.Form):
    kind = forms.ChoiceField(
        label="What resolved it",
        choices=Resolution.Kind.choices,
        widget=forms.RadioSelect,
        initial=Resolution.Kind.ARTICLE,
    )
    links = forms.ModelMultipleChoiceField(
        queryset=ArticleLink.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Articles",
    )
    note = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required for a content gap: what solved it, in a few words.",
    )
    category = forms.ModelChoiceField(
        queryset=IssueCategory.objects.all(),
        required=False,
        empty_label="— none —",
    )

    def __init__(
        self,
        *args,
        ticket: Ticket,
        sending: bool = False,
        links: list[ArticleLink] | None = None,
        categories=None,
        **kwargs,
    ):
        """``sending``: the reply this resolution goes with carries articles, which
        resolve it when no linked one is ticked. ``links`` and ``categories``, when
        the page read them already (the composer's Send and solve), are the options
        shown; the querysets still decide what is valid."""
        # Its own ids: the dialog sits in the ticket page beside the details form.
        kwargs.setdefault("auto_id", "solve_%s")
        super().__init__(*args, **kwargs)
        self.sending = sending
        field = self.fields["links"]
        field.label_from_instance = link_label
        if links is None:
            field.queryset = ticket.article_links.select_related(
                "article", "revision", "article__category"
            )
            if not self.is_bound:
                self._prefill(ticket, list(field.queryset))
            return
        field.queryset = ticket.article_links.all()
        field.choices = [(link.pk, link_label(link)) for link in links]
        if categories is not None:
            self.fields["category"].choices = [("", "— automatic —")] + [
                (category.pk, category.name) for category in categories
            ]
        if not self.is_bound:
            sent = [link for link in links if link.is_sent]
            self.initial["links"] = [link.pk for link in sent[-1:] or links[-1:]]
            self.initial["kind"] = Resolution.Kind.ARTICLE

    def _prefill(self, ticket: Ticket, links: list[ArticleLink]) -> None:
        """The common case in two clicks: the sent article is checked and its
        category chosen; with nothing linked, content gap is the likely answer."""
        sent = [link for link in links if link.is_sent]
        picked = sent[-1:] or links[-1:]
        self.initial["links"] = [link.pk for link in picked]
        category = (picked[0].article.category if picked else None) or ticket.category
        self.initial["category"] = category.pk if category else None
        if not links:
            self.initial["kind"] = Resolution.Kind.NO_ARTICLE

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Resolution.Kind.ARTICLE and not data.get("links") and not self.sending:
            self.add_error("links", "Tick the article that resolved it.")
        if kind == Resolution.Kind.NO_ARTICLE and not (data.get("note") or "").strip():
            self.add_error("note", "Say in a few words what solved it: this is a content gap.")
        return data


class NewTicketForm(forms.Form):
    inbox = forms.ModelChoiceField(queryset=Inbox.objects.none(), empty_label=None)
    channel = forms.ChoiceField(
        choices=[(c.value, c.label) for c in Ticket.Channel if c != Ticket.Channel.EMAIL]
        + [(Ticket.Channel.EMAIL.value, Ticket.Channel.EMAIL.label)],
        initial=Ticket.Channel.PHONE,
    )
    customer_email = forms.EmailField(label="Customer email", max_length=254)
    customer_name = forms.CharField(label="Customer name", max_length=120, required=False)
    subject = forms.CharField(max_length=250)
    body = forms.CharField(
        label="What the customer said", max_length=50_000, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inbox"].queryset = Inbox.objects.filter(members=user)
