"""The macro form: who shares it (an inbox, or personal), its reply, its actions."""

from django import forms
from django.core.exceptions import ValidationError

from articles.models import Article, IssueCategory
from supportdesk import roles
from tickets.macros.placeholders import PLACEHOLDERS, unknown_placeholders
from tickets.models import Inbox, Macro, Ticket
from tickets.tags.services import parse_tags

PERSONAL = "personal"
WHITELIST = ", ".join("{{ " + name + " }}" for name in PLACEHOLDERS)


class MacroForm(forms.ModelForm):
    # "personal", or the slug of the inbox whose members share it (managers only).
    shared_with = forms.ChoiceField(label="Who uses it")
    tag_names = forms.CharField(
        label="Add tags",
        required=False,
        max_length=400,
        help_text="Comma-separated, e.g. refund, vip",
    )
    article = forms.ModelChoiceField(
        queryset=Article.objects.published().select_related("published_revision"),
        required=False,
        empty_label="— none —",
        help_text="Its published text goes under the reply and is recorded as sent.",
    )

    class Meta:
        model = Macro
        fields = ["title", "body", "status", "priority", "category", "article"]
        labels = {"body": "Reply", "status": "Set status", "priority": "Set priority",
                  "category": "Set category"}  # fmt: skip
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        choices = [(PERSONAL, "Only me (personal)")]
        if roles.is_manager(user):
            # Managers manage the shared macros of every inbox they see.
            choices += [
                (inbox.slug, f"Everyone in {inbox.name}")
                for inbox in Inbox.objects.visible_to(user)
            ]
        self.fields["shared_with"].choices = choices
        self.fields["body"].help_text = "Placeholders: " + WHITELIST
        self.fields["priority"].required = False
        self.fields["priority"].choices = [("", "— keep —"), *Ticket.Priority.choices]
        self.fields["category"].queryset = IssueCategory.objects.all()
        self.fields["category"].empty_label = "— keep —"
        if self.instance.pk:
            self.initial["shared_with"] = (
                self.instance.inbox.slug if self.instance.inbox_id else PERSONAL
            )
            self.initial["tag_names"] = ", ".join(self.instance.tags)
        else:
            self.initial.setdefault("shared_with", PERSONAL)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        unknown = unknown_placeholders(body)
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            raise ValidationError(
                f"Unknown placeholder{plural}: {', '.join(unknown)}. Use only: {WHITELIST}."
            )
        return body

    def clean_tag_names(self) -> list[str]:
        return parse_tags(self.cleaned_data["tag_names"])

    def clean(self) -> dict:
        data = super().clean()
        nothing = not (
            (data.get("body") or "").strip()
            or data.get("article")
            or data.get("status")
            or data.get("priority")
            or data.get("category")
            or data.get("tag_names")
        )
        if nothing and not self.errors:
            raise ValidationError("A macro needs a reply, an article or an action.")
        return data

    def save(self, commit: bool = True) -> Macro:
        macro = super().save(commit=False)
        shared = self.cleaned_data["shared_with"]
        if shared == PERSONAL:
            macro.inbox, macro.owner = None, macro.owner or self.user
        else:
            macro.inbox = Inbox.objects.visible_to(self.user).get(slug=shared)
            macro.owner = None
        macro.tags = self.cleaned_data["tag_names"]
        if macro.created_by_id is None:
            macro.created_by = self.user
        if commit:
            macro.save()
        return macro
