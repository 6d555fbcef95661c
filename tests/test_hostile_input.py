"""Hostile input never gives a 500: every URL pattern × every parameter it reads.

For each route of the URL resolver (new views are swept automatically), a first
request learns which query parameters, form fields and files the view reads
(a recording QueryDict stands in for request.GET, request.POST and
request.FILES). Then each hostile value goes into each of those parameters on
its own, the others holding ordinary values (so a form is otherwise valid and
the value reaches the code behind it), and into all of them at once (dates
that are only wrong together). Path parameters get hostile values too, and
every upload a view reads gets a file with an over-long name. Any 5xx fails.

Signed in as a superuser (every role, every inbox) for the whole site, and as
an anonymous visitor for the pages that answer one (sign-in, password reset).
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import Client
from django.urls import path
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from tests.factories import (
    ArticleFactory,
    IssueCategoryFactory,
    MessageFactory,
    TicketFactory,
    UserFactory,
)
from tests.urlwalk import SAMPLE, Route, fill, walk
from tickets.models import Attachment, InboundEmail

HOSTILE = [
    "\x00",
    "a\x00b",
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59:59",
    "2026-13-45",
    "99999999999999999999999",
    "-99999999999999999999999",
    "x" * 300,
    "a" * 250 + "@example.com",  # 262 characters: past the 254 an address may have
]
# Path parameters: what the converter lets through.
HOSTILE_PATH = {
    "int": ["99999999999999999999999"],
    "slug": ["x" * 300],
    "str": ["%00", "x" * 300, "9999-12-31"],
    "path": ["%00", "x" * 300],
}
LONG_NAME = "n" * 300 + ".txt"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Anonymous pages: the signed-in client would be redirected away from them.
PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "admin:login",
    "healthz",
}
SKIP = {"logout"}  # signing out would sweep every later route as anonymous


# == which parameters a view reads ==

READ: set[tuple[str, str]] = set()


class RecordingQueryDict(QueryDict):
    source = "GET"

    def copy(self):
        copy = super().copy()
        copy.source = self.source
        return copy

    def __getitem__(self, key):
        READ.add((self.source, key))
        return super().__getitem__(key)

    def get(self, key, default=None):
        READ.add((self.source, key))
        return super().get(key, default)

    def getlist(self, key, default=None):
        READ.add((self.source, key))
        return super().getlist(key, default)

    # Not __contains__: code that only asks whether a key is there (axes hiding
    # passwords in its log) does not use its value. Checkboxes ask, then get.


class RecordingFiles(MultiValueDict):
    def get(self, key, default=None):
        READ.add(("FILES", key))
        return super().get(key, default)

    def getlist(self, key, default=None):
        READ.add(("FILES", key))
        return super().getlist(key, default)

    def __contains__(self, key):
        READ.add(("FILES", key))
        return super().__contains__(key)


def _recording(source: str, data: QueryDict) -> RecordingQueryDict:
    copy = RecordingQueryDict(mutable=True)
    for key, values in data.lists():
        copy.setlist(key, values)
    copy.source = source
    copy._mutable = False
    return copy


def recording_middleware(get_response):
    def middleware(request):
        request.GET = _recording("GET", request.GET)
        if request.method == "POST":
            post, files = request.POST, request.FILES
            request.POST = _recording("POST", post)
            request._files = RecordingFiles({k: files.getlist(k) for k in files})
        return get_response(request)

    return middleware


# == the world ==

world_attachment: list[int] = []


@dataclass
class World:
    ticket: object
    base: dict  # ordinary values of parameters, so forms are otherwise valid


@pytest.fixture
def world(general_inbox, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Without the NUL backstop: the views and forms must handle NUL themselves.
    settings.MIDDLEWARE = [
        f"{__name__}.recording_middleware",
        *(m for m in settings.MIDDLEWARE if m != "supportdesk.inputs.RejectNulMiddleware"),
    ]
    category = IssueCategoryFactory(slug="video")
    ArticleFactory(slug=SAMPLE["slug"], category=category)
    ticket = TicketFactory(inbox=general_inbox, subject="Video stuck")
    message = MessageFactory(ticket=ticket, body_text="It never finishes.")
    attachment = Attachment(ticket=ticket, message=message, name="log.txt", size=2)
    attachment.content_type = "text/plain"
    attachment.file.save("log.txt", ContentFile(b"hi"), save=False)
    attachment.save()
    world_attachment.append(attachment.pk)
    InboundEmail.objects.create(
        raw=b"Subject: x\r\n\r\nbody", source="cli", status="quarantined", reason="test"
    )
    today = timezone.localdate()
    base = {
        "q": "video",
        "body": "Hello, try this.",
        "kind": "note",
        "seen": (timezone.now() + timedelta(days=1)).isoformat(),
        "subject": "Help",
        "customer_email": "cee@example.com",
        "customer_name": "Cee",
        "inbox": str(general_inbox.pk),
        "channel": "phone",
        "title": "A title",
        "note": "what changed",
        "period": "custom",
        "start": (today - timedelta(days=30)).isoformat(),
        "end": today.isoformat(),
        "status": "open",
        "priority": "2",
        "category": "video",
        "email": "someone@example.com",
        "username": "someone",
        "password": "wrong-password",
        "new_password1": "a-long-new-passphrase",
        "new_password2": "a-long-new-passphrase",
        "old_password": "wrong-password",
        "action": "status",
        "tickets": str(ticket.pk),
        "to_inbox": "general",
        "created_after": (today - timedelta(days=30)).isoformat(),
        "created_before": today.isoformat(),
        "solved_after": (today - timedelta(days=30)).isoformat(),
        "solved_before": today.isoformat(),
    }
    return World(ticket=ticket, base=base)


def superuser_client(general_inbox) -> Client:
    user = UserFactory(is_superuser=True, is_staff=True)
    general_inbox.members.add(user)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def path_of(route: Route, world: World, hostile: tuple[str, str] | None = None) -> str | None:
    def value(name: str, converter: str) -> str | None:
        if hostile and name == hostile[0]:
            return hostile[1]
        if name in {"inbox", "inbox_slug"}:
            return "general"
        if name == "table":
            return "gaps"
        if name == "attachment_id":
            return str(world_attachment[-1])
        if name == "pk":
            return str(InboundEmail.objects.get().pk)
        if converter == "int":
            return str(world.ticket.pk)
        return None

    return fill(route, value)


def consume(response) -> None:
    if response.streaming:  # read to the end, as a server would (closes the file)
        b"".join(response.streaming_content)


def learn(client: Client, url: str, world: World) -> dict[str, set[str]]:
    """The parameters a GET and a POST of ``url`` read."""
    READ.clear()
    consume(client.get(url))
    got = {key for source, key in READ if source == "GET"}
    READ.clear()
    consume(client.post(url, {**world.base, "confirm": "on", "dry_run": "on"}))
    posted = {key for source, key in READ if source == "POST"}
    files = {key for source, key in READ if source == "FILES"}
    return {"GET": got, "POST": posted, "FILES": files}


def requests_for(url: str, reads: dict[str, set[str]], base: dict):
    """(method, url, data) for every hostile value: in each parameter read, the others
    ordinary; in all dates at once, the others ordinary (a range far out only when
    both ends are); in every parameter at once."""
    for method in ("get", "post"):
        keys = sorted(reads[method.upper()])
        if not keys:
            continue
        ordinary = {k: base[k] for k in keys if k in base}
        dates = [k for k in keys if DATE.fullmatch(str(base.get(k, "")))]
        for value in HOSTILE:
            yield method, url, dict.fromkeys(keys, value)
            for key in keys:
                yield method, url, {**ordinary, key: value}
            if dates:
                yield method, url, {**ordinary, **dict.fromkeys(dates, value)}
    for key in sorted(reads["FILES"]):
        upload = SimpleUploadedFile(LONG_NAME, b"hello", content_type="text/plain")
        yield "post", url, {**{k: base[k] for k in reads["POST"] if k in base}, key: upload}


def sweep(client: Client, routes: list[Route], world: World) -> list[str]:
    problems = []

    def check(method: str, url: str, data: dict | None = None) -> None:
        send = client.get if method == "get" else client.post
        response = send(url, data or {})
        consume(response)
        if response.status_code >= 500:
            shown = {k: (v[:20] + "…" if isinstance(v, str) and len(v) > 20 else v)
                     for k, v in (data or {}).items()}  # fmt: skip
            problems.append(f"{response.status_code} {method.upper()} {url[:80]} {shown}")

    for route in routes:
        url = path_of(route, world)
        if url is None:
            continue
        for method, target, data in requests_for(url, learn(client, url, world), world.base):
            check(method, target, data)
        for name, converter in route.converters.items():
            for value in HOSTILE_PATH.get(converter, []):
                hostile_url = path_of(route, world, (name, value))
                check("get", hostile_url)
                check("post", hostile_url, {"body": "x"})
    return problems


def routes(public: bool) -> list[Route]:
    return [
        route for route in walk() if route.name not in SKIP and (route.name in PUBLIC) == public
    ]


def test_no_hostile_value_gives_a_server_error_signed_in(world, general_inbox):
    problems = sweep(superuser_client(general_inbox), routes(public=False), world)

    assert not problems, "\n".join(problems)


def test_no_hostile_value_gives_a_server_error_anonymous(world):
    problems = sweep(Client(raise_request_exception=False), routes(public=True), world)

    assert not problems, "\n".join(problems)


def test_the_sweep_learns_what_views_read(world, general_inbox):
    client = superuser_client(general_inbox)

    queue = learn(client, "/tickets/", world)
    compose = learn(client, f"/tickets/{world.ticket.pk}/compose/", world)

    assert {"created_before", "solved_before", "customer", "q", "article"} <= queue["GET"]
    assert {"kind", "body", "seen"} <= compose["POST"] and "files" in compose["FILES"]


# == what the fixes answer (the sweep only says "not 5xx") ==


def test_nul_in_a_query_string_is_a_400_page(client, agent):
    client.force_login(agent)

    response = client.get("/search/?q=%00")
    admin = client.get("/admin/tickets/inboundemail/?q=a%00b")

    assert response.status_code == 400 and "could not be read" in response.text
    assert admin.status_code == 400


def test_far_dates_are_form_errors(client, manager, general_inbox):
    client.force_login(manager)

    queue = client.get("/tickets/?created_before=9999-12-31")
    report = client.get("/tickets/reports/?period=custom&start=9999-12-30&end=9999-12-31")
    csv = client.get("/tickets/reports/gaps.csv?period=custom&start=0001-01-01&end=0001-01-02")

    assert queue.status_code == 200 and "Pick a date between 1900 and 2999" in queue.text
    assert report.status_code == 200 and "Pick a date between 1900 and 2999" in report.text
    assert csv.status_code == 400 and "Pick a date between 1900 and 2999" in csv.text


def test_an_over_long_customer_email_is_a_form_error(client, general_agent, general_inbox):
    client.force_login(general_agent)
    data = {
        "inbox": general_inbox.pk,
        "channel": "phone",
        "customer_email": "a" * 250 + "@example.com",
        "subject": "Help",
        "body": "It broke.",
    }

    response = client.post("/tickets/new/", data)

    assert response.status_code == 400  # the form again, with the error
    assert "at most 254 characters" in response.text


def test_an_over_long_file_name_is_shortened_keeping_its_type(client, general_agent):
    ticket = TicketFactory(inbox=general_agent.inboxes.get())
    client.force_login(general_agent)
    upload = SimpleUploadedFile(LONG_NAME, b"hello", content_type="text/plain")
    data = {"kind": "note", "body": "log attached", "seen": timezone.now().isoformat()}

    response = client.post(f"/tickets/{ticket.pk}/compose/", {**data, "files": upload})

    assert response.status_code == 302
    name = ticket.attachments.get().name  # tickets.attachments.safe_name's rule
    assert len(name.encode()) <= 255 and name.endswith(".txt")


def careless_view(request):
    from django.http import HttpResponse

    from articles.models import IssueCategory

    found = IssueCategory.objects.filter(slug=request.GET.get("kind", "")).exists()
    return HttpResponse(str(found))


urlpatterns = [path("careless/", careless_view, name="careless")]


def test_the_sweep_catches_a_view_that_trusts_its_input(world, general_inbox, settings):
    settings.ROOT_URLCONF = __name__
    routes = [Route(name="careless", pattern="careless/", converters={})]

    problems = sweep(superuser_client(general_inbox), routes, world)

    assert any("500 GET /careless/" in p and "\\x00" in p for p in problems)
