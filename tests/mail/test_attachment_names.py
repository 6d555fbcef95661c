"""File names and programs, for mail attachments and agent uploads alike: no bidi
or control character in any name shown or served, names cut to 255 bytes with
their extension, and programs refused by their content whatever their label."""

import base64
import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketFactory
from tests.tickets.test_ticket_attachments import PNG, compose, download
from tickets.attachments import safe_name
from tickets.mail.inbound import ingest
from tickets.models import Attachment, InboundEmail, Message

RLO = "\u202e"
# The start of a real Windows program: DOS header, stub, "PE\0\0" at 0x80.
PE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 43
    + b"\x80\x00\x00\x00" + b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21" + b"\x00" * 55
    + b"PE\x00\x00\x4c\x01\x03\x00"
)  # fmt: skip
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
BIDI = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")


def mail_with(name: str, ctype: str, data: bytes) -> bytes:
    """A Thunderbird-style mail; the name RFC 2231-encoded as UTF-8."""
    from urllib.parse import quote

    encoded = quote(name.encode(), safe="")
    return (
        (
            "From: Ana <ana@customer.example>\r\nTo: support@example.com\r\n"
            "Subject: Invoice attached\r\nMessage-ID: <att-1@customer.example>\r\n"
            'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
            "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHere it is.\r\n"
            f"--b\r\nContent-Type: {ctype}\r\n"
            f"Content-Disposition: attachment; filename*=utf-8''{encoded}\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n"
        ).encode()
        + base64.encodebytes(data)
        + b"--b--\r\n"
    )


def no_bidi(text: str) -> bool:
    return not BIDI & set(text) and all(c >= " " or c in "\n\t" for c in text)


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        (f"invoice{RLO}fdp.exe", "invoicefdp.exe"),
        ("report\u2066.pdf\u2069", "report.pdf"),
        ("a\x00b\x1f\x7fc.txt", "abc.txt"),
        ("..\\..\\windows\\evil.txt", "evil.txt"),
        ("con:fig?.txt", "con_fig_.txt"),
        ("zero\u200bwidth\ufeff.png", "zerowidth.png"),
        (" . ", "attachment"),
    ],
)
def test_safe_name(name, clean):
    assert safe_name(name) == clean


def test_a_long_name_is_cut_to_255_bytes_keeping_its_extension():
    name = "Überweisungsbestätigung " * 20 + ".pdf"

    cut = safe_name(name)

    assert len(cut.encode()) <= 255
    assert cut.endswith(".pdf")
    assert cut.startswith("Überweisungsbestätigung")


def test_a_bidi_named_program_by_mail_is_blocked_and_named_plainly(support):
    result = ingest(mail_with(f"invoice{RLO}fdp.exe", "application/pdf", PE), source="t")

    assert result.status == InboundEmail.Status.PROCESSED
    assert not Attachment.objects.exists()
    note = Message.objects.get(kind=Message.Kind.NOTE).body_text
    assert "invoicefdp.exe" in note
    assert no_bidi(note)


@pytest.mark.parametrize(
    ("name", "ctype", "data", "why"),
    [
        ("invoice.pdf", "application/pdf", PE, "Windows Executable"),
        ("photo.png", "image/png", ELF, "ELF executable"),
        ("notes.txt", "text/plain", b"#!/bin/sh\nrm -rf ~\n", "script (#!)"),
        ("setup.pdf.scr", "application/pdf", PDF, ".scr file"),
        # Issue 13's own example: an .exe labelled application/pdf, whatever it holds.
        ("statement.exe", "application/pdf", PDF, ".exe file"),
        ("statement.exe", "application/pdf", PE, "Windows Executable"),
    ],
)
def test_a_program_is_blocked_whatever_it_is_labelled(name, ctype, data, why, support):
    ingest(mail_with(name, ctype, data), source="t")

    assert not Attachment.objects.exists()
    note = Message.objects.get(kind=Message.Kind.NOTE).body_text
    assert name in note and why in note


def test_a_bidi_named_pdf_is_kept_under_a_clean_name_and_served_so(support, client, general_agent):
    result = ingest(mail_with(f"report{RLO}gpj.pdf", "application/pdf", PDF), source="t")
    client.force_login(general_agent)

    [attachment] = Attachment.objects.all()
    response = download(client, attachment)

    assert attachment.name == "reportgpj.pdf"
    assert response.status_code == 200
    assert response.body == PDF
    assert no_bidi(response["Content-Disposition"])
    assert "reportgpj.pdf" in response["Content-Disposition"]
    page = client.get(reverse("tickets:detail", args=[result.ticket_id])).content.decode()
    assert "reportgpj.pdf" in page and RLO not in page


def test_a_name_over_255_bytes_files_the_mail_with_a_cut_name(support):
    name = "Überweisungsbestätigung " * 20 + ".pdf"

    result = ingest(mail_with(name, "application/pdf", PDF), source="t")

    assert result.status == InboundEmail.Status.PROCESSED
    [attachment] = Attachment.objects.all()
    assert len(attachment.name.encode()) <= 255 and attachment.name.endswith(".pdf")
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF


@pytest.fixture
def ticket(general_inbox):
    return TicketFactory(inbox=general_inbox, updated_at=timezone.now())


def test_an_agents_upload_gets_a_clean_name(client, general_agent, ticket):
    client.force_login(general_agent)

    response = compose(client, ticket, SimpleUploadedFile(f"shot{RLO}gnp.png", PNG, "image/png"))

    assert response.status_code == 302
    assert Attachment.objects.get().name == "shotgnp.png"


def test_an_agents_upload_of_a_program_named_pdf_is_refused(client, general_agent, ticket):
    client.force_login(general_agent)

    response = compose(client, ticket, SimpleUploadedFile("report.pdf", PE, "application/pdf"))

    assert response.status_code == 400
    assert "is a program by its content (Windows Executable" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_migration_cleans_names_stored_before(ticket):
    from django.apps import apps

    from tests.tickets.test_ticket_attachments import stored

    old = stored(ticket, name=f"invoice{RLO}fdp.pdf")
    fine = stored(ticket, name="plain.pdf")
    migration = importlib.import_module("tickets.migrations.0014_attachment_names_without_bidi")

    migration.clean_names(apps, None)

    old.refresh_from_db()
    fine.refresh_from_db()
    assert (old.name, fine.name) == ("invoicefdp.pdf", "plain.pdf")
