"""/api/v1/tickets/: the queue's list (same filters, keyset pages), create, read
with the thread, reply, note, assign, status, solve. Every ticket comes through
``_get_ticket`` (Ticket.objects.visible_to); every write through the services."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status as http
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from articles.models import Article, IssueCategory
from supportdesk.roles import AGENT, EDITOR, MANAGER
from tickets.api.auth import require_role
from tickets.api.base import ApiView
from tickets.api.problems import StateConflict
from tickets.api.serializers import (
    AssignSerializer,
    MessageSerializer,
    NoteSerializer,
    ReplySerializer,
    ResolutionSerializer,
    SolveSerializer,
    StatusSerializer,
    TicketCreateSerializer,
    TicketDetailSerializer,
    TicketPageSerializer,
    TicketSerializer,
)
from tickets.assignment.rules import agents_of
from tickets.models import ArticleLink, Inbox, Resolution, Ticket
from tickets.nav import visible_inboxes
from tickets.portal.mail import notify_solved
from tickets.queues import filters as queues
from tickets.queues.forms import TicketFilterForm
from tickets.resolution import link_article, resolution_state, solve_ticket
from tickets.services import (
    assign_ticket,
    create_ticket,
    get_or_create_customer,
    send_reply,
    set_status,
    write_note,
)
from tickets.ticket_page import changes_since, thread_messages

MAX_LIMIT = 100


def _get_ticket(request: Request, number: int) -> Ticket:
    """THE access helper of the API: the ticket if this user may see it, 404 otherwise."""
    ticket = (
        Ticket.objects.visible_to(request.user)
        .select_related("inbox", "customer", "assignee", "category")
        .filter(pk=number)
        .first()
    )
    if ticket is None:
        raise Http404(f"No ticket #{number} that you can see.")
    return ticket


def _assignees(inboxes):
    return (
        get_user_model()
        .objects.filter(inboxes__in=inboxes, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _page_url(request: Request, **cursor: str) -> str:
    query = request.query_params.copy()
    for key in ("after", "before"):
        query.pop(key, None)
    query.update(cursor)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


FILTERS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=text)
    for name, text in [
        ("inbox", "An inbox slug: only that inbox's tickets."),
        ("view", "mine, unassigned, open (default), pending, solved or all."),
        ("status", "new, open, pending, solved or closed."),
        ("assignee", "A user id, or none."),
        ("priority", "1 (low) to 4 (urgent)."),
        ("category", "An issue category slug."),
        ("customer", "The customer's email."),
        ("q", "Full-text search of subject and thread."),
        ("article", "An article id linked to the ticket."),
        ("resolved_by", "An article id named by a resolution."),
        ("created_after", "YYYY-MM-DD, inclusive."),
        ("created_before", "YYYY-MM-DD, inclusive."),
        ("solved_after", "YYYY-MM-DD, inclusive."),
        ("solved_before", "YYYY-MM-DD, inclusive."),
        ("sort", "-updated (default), updated, -waiting, waiting, priority, -created, created."),
        ("after", "Cursor: the page after (from `next`)."),
        ("before", "Cursor: the page before (from `previous`)."),
        ("limit", f"Rows per page, 1 to {MAX_LIMIT} (default {queues.PAGE_SIZE})."),
    ]
]


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit", "")
    if not raw:
        return queues.PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError({"limit": [f"A whole number from 1 to {MAX_LIMIT}."]})
    return int(raw)


class TicketList(ApiView):
    @extend_schema(parameters=FILTERS, responses=TicketPageSerializer, operation_id="tickets_list")
    def get(self, request: Request) -> Response:
        """The queue: the same filters, sort orders and keyset pages as /tickets/."""
        require_role(request, AGENT, MANAGER)
        inboxes = visible_inboxes(request.user)
        inbox = None
        if slug := request.query_params.get("inbox"):
            inbox = next((i for i in inboxes if i.slug == slug), None)
            if inbox is None:
                raise ValidationError({"inbox": [f"No inbox {slug!r} that you can see."]})
            inboxes = [inbox]
        limit = _limit(request)
        assignees, categories = list(_assignees(inboxes)), queues.issue_categories()
        form = TicketFilterForm(request.query_params, assignees=assignees, categories=categories)
        if not form.is_valid():
            raise ValidationError(form.errors)
        filters = form.filters()
        after, before = form.cursor()
        sort = queues.SORTS[filters.sort]
        for name, cursor in (("after", after), ("before", before)):
            if cursor and queues.decode_cursor(cursor, sort) is None:
                raise ValidationError({name: ["This cursor does not fit the sort order."]})
        tickets = queues.queue_tickets(user=request.user, inbox=inbox, filters=filters)
        page = queues.keyset_page(tickets, sort, after=after, before=before, size=limit)
        queues.attach_related(
            page.rows, inboxes=inboxes, assignees=assignees, categories=categories
        )
        return Response(
            {
                "results": TicketSerializer(page.rows, many=True).data,
                "next": _page_url(request, after=page.older) if page.older else None,
                "previous": _page_url(request, before=page.newer) if page.newer else None,
            }
        )

    @extend_schema(
        request=TicketCreateSerializer,
        responses={201: TicketDetailSerializer},
        operation_id="tickets_create",
    )
    def post(self, request: Request) -> Response:
        """A new ticket in one of your inboxes, with the customer's first message."""
        require_role(request, AGENT)
        data = _valid(TicketCreateSerializer, request)
        inbox = Inbox.objects.filter(members=request.user, slug=data["inbox"]).first()
        if inbox is None:
            raise ValidationError(
                {"inbox": [f"You are not a member of an inbox {data['inbox']!r}."]}
            )
        customer = get_or_create_customer(data["customer_email"], data["customer_name"])
        ticket = create_ticket(
            inbox=inbox,
            customer=customer,
            subject=data["subject"],
            body_text=data["body"],
            by=request.user,
            channel=data["channel"],
        )
        response = _detail(request, ticket.pk, status=http.HTTP_201_CREATED)
        response["Location"] = reverse("api:ticket", args=[ticket.pk])
        return response


def _valid(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _detail(request: Request, number: int, status: int = 200) -> Response:
    ticket = _get_ticket(request, number)
    ticket.thread = list(thread_messages(ticket))
    ticket.links = list(ticket.article_links.select_related("article", "revision"))
    resolutions = ticket.resolutions.select_related("solved_by", "category").prefetch_related(
        Prefetch("links", queryset=ArticleLink.objects.select_related("article"))
    )
    ticket.resolution_list = [_with_state(r) for r in resolutions]
    return Response(TicketDetailSerializer(ticket).data, status=status)


def _with_state(resolution: Resolution) -> Resolution:
    resolution.state = resolution_state(resolution)
    return resolution


class TicketDetail(ApiView):
    @extend_schema(responses=TicketDetailSerializer, operation_id="tickets_read")
    def get(self, request: Request, number: int) -> Response:
        """One ticket with its thread (notes included), linked articles and resolutions."""
        require_role(request, AGENT, MANAGER, EDITOR)
        return _detail(request, number)


def _published(slugs: list[str], field: str) -> list[Article]:
    articles = {a.slug: a for a in Article.objects.published().filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in articles]
    if missing:
        raise ValidationError({field: [f"No published article {s!r}." for s in missing]})
    return [articles[slug] for slug in slugs]


class TicketReply(ApiView):
    @extend_schema(
        request=ReplySerializer, responses={201: MessageSerializer}, operation_id="tickets_reply"
    )
    def post(self, request: Request, number: int) -> Response:
        """Answer the customer (emailed), with articles; optionally set open or pending."""
        require_role(request, AGENT)
        ticket = _get_ticket(request, number)
        data = _valid(ReplySerializer, request)
        articles = _published(data["articles"], "articles")
        if data["seen"] and changes_since(ticket, seen=data["seen"], user=request.user):
            raise StateConflict(
                f"Ticket {ticket.number} changed after {data['seen'].isoformat()}: "
                "read it again before replying."
            )
        message = send_reply(
            ticket, body_text=data["body"], by=request.user, articles=articles,
            status=data["status"],
        )  # fmt: skip
        return _message(message)


def _message(message) -> Response:
    message = thread_messages(message.ticket).get(pk=message.pk)
    return Response(MessageSerializer(message).data, status=http.HTTP_201_CREATED)


class TicketNote(ApiView):
    @extend_schema(
        request=NoteSerializer, responses={201: MessageSerializer}, operation_id="tickets_note"
    )
    def post(self, request: Request, number: int) -> Response:
        """An internal note: agents only, never emailed."""
        require_role(request, AGENT)
        ticket = _get_ticket(request, number)
        data = _valid(NoteSerializer, request)
        return _message(write_note(ticket, body_text=data["body"], by=request.user))


class TicketAssign(ApiView):
    @extend_schema(
        request=AssignSerializer, responses=TicketSerializer, operation_id="tickets_assign"
    )
    def post(self, request: Request, number: int) -> Response:
        """Give the ticket to a member of its inbox, or to nobody."""
        require_role(request, AGENT)
        ticket = _get_ticket(request, number)
        data = _valid(AssignSerializer, request)
        assignee = None
        if data["assignee"] is not None:
            assignee = agents_of(ticket.inbox_id).filter(pk=data["assignee"]).first()
            if assignee is None:
                raise ValidationError(
                    {"assignee": [f"No active agent of {ticket.inbox.name} has that id."]}
                )
        assign_ticket(ticket, assignee=assignee, by=request.user)
        return Response(TicketSerializer(_get_ticket(request, number)).data)


class TicketStatus(ApiView):
    @extend_schema(
        request=StatusSerializer, responses=TicketSerializer, operation_id="tickets_status"
    )
    def post(self, request: Request, number: int) -> Response:
        """Set new, open or pending (solving has its own action)."""
        require_role(request, AGENT)
        ticket = _get_ticket(request, number)
        data = _valid(StatusSerializer, request)
        set_status(ticket, status=data["status"], by=request.user)
        return Response(TicketSerializer(_get_ticket(request, number)).data)


class TicketSolve(ApiView):
    @extend_schema(
        request=SolveSerializer,
        responses={201: ResolutionSerializer},
        operation_id="tickets_solve",
    )
    def post(self, request: Request, number: int) -> Response:
        """Solve it: by article(s), without one (a content gap, say what solved it),
        or not applicable. Articles not yet linked to the ticket are linked now."""
        require_role(request, AGENT)
        ticket = _get_ticket(request, number)
        data = _valid(SolveSerializer, request)
        if not ticket.is_open:
            raise StateConflict(f"Ticket {ticket.number} is already {ticket.status}.")
        category = None
        if data["category"]:
            category = IssueCategory.objects.filter(slug=data["category"]).first()
            if category is None:
                raise ValidationError({"category": [f"No category {data['category']!r}."]})
        with transaction.atomic():
            links = []
            if data["kind"] == Resolution.Kind.ARTICLE:
                links = [
                    _link_for(ticket, article, request.user)
                    for article in _published(data["articles"], "articles")
                ]
            resolution = solve_ticket(
                ticket, kind=data["kind"], by=request.user, links=links, note=data["note"],
                category=category,
            )  # fmt: skip
            notify_solved(resolution)  # the customer's rating mail, after commit
        resolution = (
            Resolution.objects.select_related("solved_by", "category")
            .prefetch_related(
                Prefetch("links", queryset=ArticleLink.objects.select_related("article"))
            )
            .get(pk=resolution.pk)
        )
        return Response(
            ResolutionSerializer(_with_state(resolution)).data, status=http.HTTP_201_CREATED
        )


def _link_for(ticket: Ticket, article: Article, user) -> ArticleLink:
    """The ticket's latest link to the article (sent ones first), else a new one."""
    existing = (
        ticket.article_links.filter(article=article)
        .select_related("article")
        .order_by(F("sent_at").desc(nulls_last=True), "-created_at")
        .first()
    )
    return existing or link_article(ticket, article=article, by=user)
