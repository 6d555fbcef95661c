from django import forms

from tickets.models import Inbox, Webhook, WebhookEvent
from tickets.webhooks.addresses import check_url


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
    inbox = forms.ModelChoiceField(
        queryset=Inbox.objects.all(),
        required=False,
        empty_label="Every inbox",
        help_text="Ticket events of this inbox only. Articles are every inbox's.",
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "events", "inbox", "active"]
        labels = {"url": "URL"}
        help_texts = {"url": "Receives a signed POST per event (see docs/api.md, Webhooks)."}

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        check_url(url)
        return url
