import io

from django.db.models import Count

from articles.models import IssueCategory
from supportdesk.demo import load_users
from tests.factories import ArticleFactory
from tickets import demo
from tickets.models import ArticleLink, Inbox, Message, Resolution, Ticket, TicketEvent


def test_demo_tickets_fill_both_inboxes_and_are_loaded_once(db):
    category = IssueCategory.objects.get(slug="failed-generations")
    ArticleFactory(category=category, slug="video-stops", title="Video stops at 90%")
    users = load_users()

    demo.load(users=users, stdout=io.StringIO())
    made = Ticket.objects.count()
    out = io.StringIO()
    demo.load(users=users, stdout=out)

    assert Ticket.objects.count() == made >= 300
    assert "already loaded" in out.getvalue()
    per_inbox = dict(Ticket.objects.values_list("inbox__slug").annotate(n=Count("id")))
    assert per_inbox["billing"] > 40 and per_inbox["general"] > 150
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {"new", "open", "pending", "solved", "closed"} <= statuses
    assert Ticket.objects.values("category").distinct().count() >= 6
    assert ArticleLink.objects.filter(sent_at__isnull=False).exists()
    assert Resolution.objects.filter(kind="article").exists()
    assert Resolution.objects.filter(kind="no_article").exists()  # content gaps
    assert Resolution.objects.filter(reopened_at__isnull=False).exists()
    assert users["bea"] in Inbox.objects.get(slug="billing").members.all()


def test_demo_replies_are_history_not_waiting_to_be_sent(db):
    demo.load(users=load_users(), stdout=io.StringIO())

    replies = Message.objects.filter(kind=Message.Kind.REPLY)
    assert replies.exists()
    assert not replies.filter(delivery=Message.Delivery.QUEUED).exists()
    assert not replies.filter(sent_at__isnull=True).exists()


def test_some_billing_tickets_were_misrouted_and_moved(db):
    demo.load(users=load_users(), stdout=io.StringIO())

    moves = TicketEvent.objects.filter(kind=TicketEvent.Kind.INBOX)
    assert moves.exists()
    assert set(moves.values_list("new_value", flat=True)) == {"Billing"}
    assert not Ticket.objects.filter(events__in=moves, inbox__slug="general").exists()
