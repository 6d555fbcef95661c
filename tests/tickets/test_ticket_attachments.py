import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import MessageFactory, TicketFactory
from tickets.models import Attachment, Message

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


@pytest.fixture
def ticket(general_inbox):
    return TicketFactory(inbox=general_inbox, updated_at=timezone.now())


def compose(client, ticket, *files, body="See attached"):
    return client.post(
        reverse("tickets:compose", args=[ticket.pk]),
        {"kind": "reply", "body": body, "seen": ticket.updated_at.isoformat(), "files": files},
    )


def stored(ticket, name="report.pdf", data=b"%PDF-1.4 body", kind="reply") -> Attachment:
    message = MessageFactory(ticket=ticket, kind=kind)
    attachment = Attachment(
        ticket=ticket,
        message=message,
        name=name,
        content_type="application/pdf" if name.endswith(".pdf") else "image/png",
        size=len(data),
    )
    attachment.file.save(name, ContentFile(data), save=False)
    attachment.save()
    return attachment


def download(client, attachment, **params):
    url = reverse("tickets:attachment", args=[attachment.ticket_id, attachment.pk])
    response = client.get(url, params)
    if response.streaming:
        # Reading it all lets the test client close the file behind it.
        response.body = b"".join(response.streaming_content)
    return response


def test_reply_carries_its_files(client, general_agent, ticket):
    client.force_login(general_agent)

    response = compose(
        client,
        ticket,
        SimpleUploadedFile("shot.png", PNG, "image/png"),
        SimpleUploadedFile("log.txt", b"error 42", "text/plain"),
    )

    assert response.status_code == 302
    reply = ticket.messages.get(kind=Message.Kind.REPLY)
    assert sorted(reply.attachments.values_list("name", "content_type", "size")) == [
        ("log.txt", "text/plain", 8),
        ("shot.png", "image/png", len(PNG)),
    ]


def test_too_large_a_file_is_refused_and_the_text_kept(client, general_agent, ticket, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    client.force_login(general_agent)

    response = compose(
        client, ticket, SimpleUploadedFile("big.pdf", b"x" * 11, "application/pdf"), body="Typed"
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "“big.pdf” is 11\xa0bytes; the limit is 10\xa0bytes." in page
    assert "Typed</textarea>" in page
    assert not Attachment.objects.exists() and not ticket.messages.exists()


def test_a_type_outside_the_allow_list_is_refused(client, general_agent, ticket):
    client.force_login(general_agent)

    response = compose(client, ticket, SimpleUploadedFile("x.html", b"<script>", "image/png"))

    assert response.status_code == 400
    assert "“x.html” is not a file type we accept" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_type_comes_from_the_name_not_the_browser(client, general_agent, ticket):
    client.force_login(general_agent)

    compose(client, ticket, SimpleUploadedFile("notes.txt", b"hi", "text/html"))

    assert Attachment.objects.get().content_type == "text/plain"


def test_download_is_an_attachment_with_nosniff(client, general_agent, ticket):
    attachment = stored(ticket)
    client.force_login(general_agent)

    response = download(client, attachment)

    assert response.status_code == 200
    assert response.body == b"%PDF-1.4 body"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="report.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_images_show_inline(client, general_agent, ticket):
    attachment = stored(ticket, name="shot.png", data=PNG)
    client.force_login(general_agent)

    response = download(client, attachment)
    forced = download(client, attachment, download="1")

    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/png"
    assert forced["Content-Disposition"].startswith("attachment;")


def test_the_thread_shows_thumbnails_and_file_chips(client, general_agent, ticket):
    image = stored(ticket, name="shot.png", data=PNG)
    pdf = stored(ticket)
    client.force_login(general_agent)

    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    image_url = reverse("tickets:attachment", args=[ticket.pk, image.pk])
    assert f'<img src="{image_url}"' in page
    assert reverse("tickets:attachment", args=[ticket.pk, pdf.pk]) in page and "report.pdf" in page


def test_other_inbox_agent_gets_404(client, billing_agent, ticket):
    attachment = stored(ticket)
    client.force_login(billing_agent)

    assert download(client, attachment).status_code == 404


def test_an_attachment_of_another_ticket_is_404_even_through_a_visible_one(
    client, general_agent, ticket, billing_inbox
):
    secret = stored(TicketFactory(inbox=billing_inbox))
    client.force_login(general_agent)

    url = reverse("tickets:attachment", args=[ticket.pk, secret.pk])

    assert client.get(url).status_code == 404


def test_manager_may_download(client, manager, ticket):
    client.force_login(manager)

    assert download(client, stored(ticket)).status_code == 200


def test_post_is_not_allowed(client, general_agent, ticket):
    attachment = stored(ticket)
    client.force_login(general_agent)
    url = reverse("tickets:attachment", args=[ticket.pk, attachment.pk])

    assert client.post(url).status_code == 405
