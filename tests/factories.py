import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.models import Article, ArticleRevision, IssueCategory
from tickets.models import Customer, Inbox, Message, Ticket

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; ``role="Agent"`` (or Editor, Manager) puts them in that group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@supportdesk.example")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: transactional tests flush the groups the migration made.
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])


class IssueCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueCategory
        django_get_or_create = ("slug",)

    slug = "failed-generations"
    name = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").capitalize())


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article with one revision (``status="draft"`` for a draft)."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"How to fix problem {n}")
    slug = factory.Sequence(lambda n: f"problem-{n}")
    category = factory.SubFactory(IssueCategoryFactory)
    body = "1. Refresh the page.\n2. Sign out and back in."
    status = Article.Status.PUBLISHED
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def revision(self, create, extracted, **kwargs):
        if not create:
            return
        revision = ArticleRevision.objects.create(
            article=self, number=1, title=self.title, body=self.body, author=self.owner
        )
        self.current_revision = revision
        if self.status == Article.Status.PUBLISHED:
            self.published_revision = revision
            self.published_at = timezone.now()
        self.save(update_fields=["current_revision", "published_revision", "published_at"])


class InboxFactory(factory.django.DjangoModelFactory):
    """The general inbox by default; ``InboxFactory(slug="billing")`` for billing."""

    class Meta:
        model = Inbox
        django_get_or_create = ("slug",)

    slug = "general"
    name = factory.LazyAttribute(lambda i: "Billing" if i.slug == "billing" else i.slug.title())
    address = factory.LazyAttribute(lambda i: f"{i.slug}@example.com")
    reply_from = factory.LazyAttribute(lambda i: i.address)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    email = factory.Sequence(lambda n: f"customer{n}@mail.example")
    name = factory.Faker("name")


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    inbox = factory.SubFactory(InboxFactory)
    subject = factory.Sequence(lambda n: f"My generation failed ({n})")
    customer = factory.SubFactory(CustomerFactory)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    ticket = factory.SubFactory(TicketFactory)
    kind = Message.Kind.CUSTOMER
    body_text = "The video stops at 90% and shows an error."


# == ticket page (branch ticket) ==


class TicketEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tickets.TicketEvent"

    ticket = factory.SubFactory(TicketFactory)
    kind = "status"
    old_value = "new"
    new_value = "open"
