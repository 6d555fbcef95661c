from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from tickets.models import Inbox
from tickets.ticket_forms import MAX_FILES, MultipleFileField

# The inboxes a customer may pick, in their words. The value is the inbox slug.
TOPICS = {
    "general": "My account, sign-in or generations",
    "billing": "Billing: payments, plans, credits, invoices",
}
MESSAGE_LENGTH = 20_000
# All screenshots of one message together (each file has the agents' limit too).
MAX_TOTAL_BYTES = 25 * 1024 * 1024
MAX_SHOWN = 10


class IdListField(forms.Field):
    """Hidden numbers; anything else is dropped (they are only ever checked
    against the published revisions, never trusted)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        numbers = [int(v) for v in values if str(v).isdigit() and len(str(v)) < 19]
        return list(dict.fromkeys(numbers))[:MAX_SHOWN]


class ContactForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=120, required=False)
    email = forms.EmailField(
        label="Your email",
        max_length=254,
        help_text="We answer here; we send nothing else.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    topic = forms.ChoiceField(
        label="What is it about?",
        choices=(),
        error_messages={"required": "Choose what your message is about."},
    )
    subject = forms.CharField(label="Subject", max_length=200)
    message = forms.CharField(
        label="Your message",
        max_length=MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you did, what happened, any error message.",
    )
    screenshots = MultipleFileField(
        label="Screenshots",
        required=False,
        help_text=f"A screenshot of the problem helps us most. Up to {MAX_FILES} files: "
        "images, PDF, text, video or ZIP.",
    )
    # The honeypot: hidden from people by the stylesheet, filled in by robots.
    website = forms.CharField(label="Leave this empty", required=False)
    # The published revisions shown beside the form while the customer typed.
    shown = IdListField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = set(Inbox.objects.filter(slug__in=TOPICS).values_list("slug", flat=True))
        # No topic is preselected: the customer chooses, so billing lands in Billing.
        self.fields["topic"].choices = [("", "Choose a topic")] + [
            (slug, label) for slug, label in TOPICS.items() if slug in existing
        ]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_message(self):
        message = self.cleaned_data["message"]
        if not message.strip():
            raise ValidationError("Tell us what happened.")
        return message

    def clean_screenshots(self):
        files = self.cleaned_data.get("screenshots") or []
        if len(files) > MAX_FILES:
            raise ValidationError(f"Attach at most {MAX_FILES} files to one message.")
        total = sum(upload.size for upload in files)
        if total > MAX_TOTAL_BYTES:
            raise ValidationError(
                f"The files add up to {filesizeformat(total)}; the limit is "
                f"{filesizeformat(MAX_TOTAL_BYTES)} together."
            )
        return files

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class SolvedForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    # The terms of what the customer typed (articles.suggest.learning.deflection_terms).
    terms = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
