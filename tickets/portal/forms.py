from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from tickets.contact.forms import MAX_TOTAL_BYTES, MESSAGE_LENGTH
from tickets.models import Satisfaction
from tickets.portal.services import COMMENT_LENGTH
from tickets.ticket_forms import MAX_FILES, MultipleFileField


class CustomerReplyForm(forms.Form):
    """The reply box under the thread: the contact form's text and file rules."""

    message = forms.CharField(
        label="Your reply",
        max_length=MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Write a few words before sending."},
    )
    files = MultipleFileField(
        label="Attach files",
        required=False,
        help_text=f"Up to {MAX_FILES} files: images, PDF, text, video or ZIP.",
    )

    def clean_message(self) -> str:
        message = self.cleaned_data["message"]
        if not message.strip():
            raise ValidationError("Write a few words before sending.")
        return message

    def clean_files(self) -> list:
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES:
            raise ValidationError(f"Attach at most {MAX_FILES} files to one message.")
        total = sum(upload.size for upload in files)
        if total > MAX_TOTAL_BYTES:
            raise ValidationError(
                f"The files add up to {filesizeformat(total)}; the limit is "
                f"{filesizeformat(MAX_TOTAL_BYTES)} together."
            )
        return files


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label="How did we do?",
        choices=[(Satisfaction.Rating.GOOD, "Good"), (Satisfaction.Rating.BAD, "Bad")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose good or bad."},
    )
    comment = forms.CharField(
        label="Anything to add? (optional)",
        max_length=COMMENT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_LENGTH}),
    )
