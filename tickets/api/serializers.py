"""What the API reads and writes. Output serializers read only what the views
loaded (select_related / attach_related / prefetch), so no row costs a query."""

from rest_framework import serializers

from articles.models import Article, ArticleRevision
from tickets.models import (
    ArticleLink,
    Attachment,
    Customer,
    Message,
    Resolution,
    Ticket,
)
from tickets.services import user_label

BIGINT = 2**63 - 1


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user_label(user)


class CustomerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["email", "name"]


class TicketSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="pk")
    inbox = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    customer = CustomerRefSerializer()
    assignee = UserRefSerializer(allow_null=True)

    class Meta:
        model = Ticket
        fields = [
            "number", "subject", "status", "priority", "channel", "inbox", "category",
            "customer", "assignee", "preview", "created_at", "updated_at",
            "first_response_at", "last_customer_message_at", "solved_at", "closed_at",
        ]  # fmt: skip


class TicketPageSerializer(serializers.Serializer):
    results = TicketSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="Cursor URL of the next (older) page.")
    previous = serializers.CharField(allow_null=True, help_text="Cursor URL of the page before.")


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size"]


class LinkSerializer(serializers.ModelSerializer):
    article = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    revision = serializers.IntegerField(source="revision.number")
    title = serializers.CharField(source="revision.title")

    class Meta:
        model = ArticleLink
        fields = ["id", "article", "revision", "title", "created_at", "sent_at"]


class MessageSerializer(serializers.ModelSerializer):
    author = UserRefSerializer(allow_null=True)
    attachments = AttachmentSerializer(many=True)
    articles = LinkSerializer(many=True, source="article_links")

    class Meta:
        model = Message
        fields = [
            "id", "kind", "author", "body_text", "created_at", "delivery", "attachments",
            "articles",
        ]  # fmt: skip


class ResolutionSerializer(serializers.ModelSerializer):
    ticket = serializers.IntegerField(source="ticket_id")
    articles = serializers.SerializerMethodField()
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    solved_by = UserRefSerializer(allow_null=True)
    state = serializers.CharField(help_text="held, not held, or pending (hold window open)")

    class Meta:
        model = Resolution
        fields = [
            "id", "ticket", "kind", "articles", "category", "note", "solved_by", "solved_at",
            "reopened_at", "state",
        ]  # fmt: skip

    def get_articles(self, resolution) -> list[str]:
        return [link.article.slug for link in resolution.links.all()]


class TicketDetailSerializer(TicketSerializer):
    messages = MessageSerializer(many=True, source="thread")
    article_links = LinkSerializer(many=True, source="links")
    resolutions = ResolutionSerializer(many=True, source="resolution_list")
    follow_up_of = serializers.IntegerField(source="follow_up_of_id", allow_null=True)

    class Meta(TicketSerializer.Meta):
        fields = [
            *TicketSerializer.Meta.fields,
            "follow_up_of",
            "messages",
            "article_links",
            "resolutions",
        ]


# == input ==


class TicketCreateSerializer(serializers.Serializer):
    inbox = serializers.SlugField(help_text="The slug of one of your inboxes.")
    customer_email = serializers.EmailField()
    customer_name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    subject = serializers.CharField(max_length=250)
    body = serializers.CharField(max_length=50_000, help_text="What the customer said.")
    channel = serializers.ChoiceField(
        choices=Ticket.Channel.choices, default=Ticket.Channel.WEB, required=False
    )


class ReplySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=50_000)
    articles = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        default=list,
        help_text="Slugs of published articles sent with the reply (each becomes a sent link).",
    )
    status = serializers.ChoiceField(
        choices=[Ticket.Status.OPEN, Ticket.Status.PENDING],
        required=False,
        allow_blank=True,
        default="",
        help_text="Then set the ticket to this status.",
    )
    seen = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The ticket's updated_at as you read it: if someone else changed it "
        "since, the reply is refused (409) so nothing is sent twice.",
    )


class NoteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=50_000)


class AssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(
        allow_null=True,
        min_value=1,
        max_value=BIGINT,
        help_text="A user id of a member of the ticket's inbox; null to unassign.",
    )


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[s.value for s in Ticket.OPEN_STATUSES],
        help_text="new, open or pending; solve through /solve/.",
    )


class SolveSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Resolution.Kind.choices)
    articles = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        default=list,
        help_text="Slugs of the published articles that resolved it (kind=article).",
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    category = serializers.SlugField(required=False, allow_null=True, default=None)

    def validate(self, data: dict) -> dict:
        if data["kind"] == Resolution.Kind.ARTICLE and not data["articles"]:
            raise serializers.ValidationError(
                {"articles": "Name the article that resolved the ticket."}
            )
        if data["kind"] == Resolution.Kind.NO_ARTICLE and not data["note"].strip():
            raise serializers.ValidationError(
                {"note": "Say in a few words what solved it: this is a content gap."}
            )
        return data


# == articles ==


class RevisionSerializer(serializers.ModelSerializer):
    author = UserRefSerializer(allow_null=True)

    class Meta:
        model = ArticleRevision
        fields = ["number", "title", "body", "note", "author", "created_at"]


class ArticleSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = serializers.CharField(source="published_revision.title", allow_null=True)
    published_revision = serializers.IntegerField(
        source="published_revision.number", allow_null=True
    )

    class Meta:
        model = Article
        fields = ["slug", "title", "category", "status", "published_revision", "published_at"]


class ArticleDetailSerializer(ArticleSerializer):
    body = serializers.CharField(source="published_revision.body", allow_null=True)

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body"]


class EditorArticleSerializer(ArticleSerializer):
    """What editors see: the latest revision besides the published one."""

    current_revision = RevisionSerializer(allow_null=True)
    published = RevisionSerializer(source="published_revision", allow_null=True)
    review_due = serializers.DateField(allow_null=True)

    class Meta(ArticleSerializer.Meta):
        fields = [
            *ArticleSerializer.Meta.fields,
            "review_due",
            "current_revision",
            "published",
        ]


class ArticlePageSerializer(serializers.Serializer):
    results = ArticleSerializer(many=True)
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)


class ArticleCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=200_000, allow_blank=True)
    category = serializers.SlugField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RevisionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=200_000, allow_blank=True)
    base_revision = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The number of the revision this edit started from; if someone saved "
        "a newer one since, the save is refused (409) with theirs.",
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


# == customers, reports ==


class CustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["email", "name", "created_at"]


class CustomerPageSerializer(serializers.Serializer):
    results = CustomerSerializer(many=True)
    next = serializers.CharField(allow_null=True)


class CustomerDetailSerializer(CustomerSerializer):
    tickets = TicketSerializer(many=True, source="visible_tickets")

    class Meta(CustomerSerializer.Meta):
        fields = [*CustomerSerializer.Meta.fields, "tickets"]


class ResolutionPageSerializer(serializers.Serializer):
    results = ResolutionSerializer(many=True)
    next = serializers.CharField(allow_null=True)


class FiguresSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    solved = serializers.IntegerField()
    by_article = serializers.IntegerField()
    gaps = serializers.IntegerField()
    held = serializers.IntegerField()
    not_held = serializers.IntegerField()
    one_touch = serializers.IntegerField()
    moved = serializers.IntegerField()
    first_response_median = serializers.FloatField(allow_null=True, help_text="seconds")
    first_response_p90 = serializers.FloatField(allow_null=True, help_text="seconds")
    resolution_median = serializers.FloatField(allow_null=True, help_text="seconds")
    resolution_p90 = serializers.FloatField(allow_null=True, help_text="seconds")
    article_share = serializers.FloatField(allow_null=True)
    hold_rate = serializers.FloatField(allow_null=True)
    reopen_rate = serializers.FloatField(allow_null=True)
    one_touch_rate = serializers.FloatField(allow_null=True)


class InboxFiguresSerializer(serializers.Serializer):
    inbox = serializers.CharField()
    figures = FiguresSerializer()


class ReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    current = FiguresSerializer()
    previous = FiguresSerializer(help_text="The period of equal length just before.")
    inboxes = InboxFiguresSerializer(many=True)
