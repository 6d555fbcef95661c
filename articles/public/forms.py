from django import forms

from articles.public.feedback import COMMENT_LENGTH


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes"
    )
    comment = forms.CharField(
        label="What was missing? (optional)",
        max_length=COMMENT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_LENGTH}),
    )
