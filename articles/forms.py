from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from articles.models import Article, HelpCenterPage, IssueCategory
from supportdesk.inputs import text_param
from supportdesk.roles import EDITOR


def editors(*, also=None):
    """Who may own articles: editors, and ``also`` (a current owner who left the role)."""
    keep = Q(pk=also.pk) if also is not None else Q(pk__in=[])
    return (
        get_user_model()
        .objects.filter(Q(groups__name=EDITOR, is_active=True) | Q(is_superuser=True) | keep)
        .distinct()
        .order_by("first_name", "username")
    )


class EditorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class ArticleFilterForm(forms.Form):
    """The list's filters; all optional, all in the URL so a view can be shared."""

    NEEDS = [("", "Any"), ("review", "Needs review"), ("attention", "Needs attention")]

    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Article.Status.choices], required=False
    )
    category = forms.ModelChoiceField(
        IssueCategory.objects.all(),
        required=False,
        empty_label="Any category",
        to_field_name="slug",
    )
    owner = EditorChoiceField(editors(), required=False, empty_label="Anyone")
    needs = forms.ChoiceField(choices=NEEDS, required=False, label="Needs")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = editors()


class ArticleForm(forms.Form):
    """Title and body become a revision; the other fields describe the article."""

    title = forms.CharField(max_length=200)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
        required=False,
        help_text="Markdown: **bold**, lists, [links](https://…) and mailto: links.",
    )
    category = forms.ModelChoiceField(
        IssueCategory.objects.all(), required=False, empty_label="No category"
    )
    owner = EditorChoiceField(editors(), required=False, empty_label="Nobody")
    page = forms.ModelChoiceField(
        HelpCenterPage.objects.all(),
        required=False,
        empty_label="Not on a page",
        label="Help center page",
        help_text="Published articles on a page are exported as its accordions.",
    )
    note = forms.CharField(
        max_length=200, required=False, label="What changed", help_text="Shown in the history."
    )
    # The revision this edit started from: a newer one means someone saved meanwhile.
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = editors(also=self.initial.get("owner"))

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(
                "Give the article a title: the problem, in the customer's words."
            )
        return title

    def clean_body(self) -> str:
        # Browsers send CRLF; revisions compare text, so store one kind of line break.
        return self.cleaned_data["body"].replace("\r\n", "\n").rstrip()


def prefill(params) -> dict:
    """A new article's initial title, body and category (by slug) from a link's query
    string: the reports' "Draft an article" opens the form with a gap's examples."""
    initial = {name: params[name] for name in ("title", "body") if params.get(name)}
    if slug := text_param(params, "category"):
        category = IssueCategory.objects.filter(slug=slug).first()
        if category is not None:
            initial["category"] = category
    return initial


class RestoreForm(forms.Form):
    # The revision the history page showed as current; a newer one refuses the restore.
    base_revision = forms.IntegerField(required=False)


class HelpCenterApplyForm(forms.Form):
    """Applies the page a dry run just read, so the editor need not pick the file again."""

    name = forms.CharField(max_length=255)
    text = forms.CharField(max_length=1_000_000, strip=False)


class HelpCenterUploadForm(forms.Form):
    file = forms.FileField(label="Help center page (.mdx)")
    dry_run = forms.BooleanField(
        required=False, label="Dry run: only report what would change", initial=True
    )

    MAX_BYTES = 1_000_000

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                "That file is over 1 MB; a help center page is far smaller."
            )
        try:
            return upload.name, upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text; export it as .mdx.") from None
