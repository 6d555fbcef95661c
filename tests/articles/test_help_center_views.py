import re
from html import unescape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, HelpCenterPage

URL = reverse("articles:help_center")
PAGE = """# Help

<AccordionGroup>
  <Accordion title="Videos are slow">
    Videos take **30-60 s**.
  </Accordion>
</AccordionGroup>

Contact us.
"""


def upload(client, text: str, dry_run: bool = False):
    data = {"file": SimpleUploadedFile("help.mdx", text.encode(), "text/markdown")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(URL, data)


def test_upload_imports_and_reports(client, editor):
    client.force_login(editor)

    response = upload(client, PAGE)

    assert response.status_code == 200
    assert "1 created" in response.text
    assert Article.objects.get().is_published


def test_dry_run_writes_nothing(client, editor):
    client.force_login(editor)

    response = upload(client, PAGE, dry_run=True)

    assert "1 would be created" in response.text
    assert not Article.objects.exists() and not HelpCenterPage.objects.exists()


def test_bad_mdx_lists_problems_with_lines_and_changes_nothing(client, editor):
    client.force_login(editor)

    response = upload(client, PAGE.replace("  </Accordion>\n", ""))

    assert response.status_code == 400
    assert "Line 4: &lt;Accordion&gt; is never closed" in response.text
    assert not Article.objects.exists()


def test_download_the_export(client, editor):
    client.force_login(editor)
    upload(client, PAGE)

    response = client.get(reverse("articles:help_center_export", args=["help"]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="help.mdx"'
    assert response.content.decode() == PAGE


def test_not_a_text_file(client, editor):
    client.force_login(editor)

    response = client.post(URL, {"file": SimpleUploadedFile("x.mdx", b"\xff\xfe\x00bad")})

    assert response.status_code == 400
    assert "not UTF-8" in response.text


def test_for_editors_only(client, agent, manager):
    for user in (agent, manager):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert upload(client, PAGE).status_code == 403
        assert client.get(reverse("articles:help_center_export", args=["help"])).status_code == 403
    assert not Article.objects.exists()


def test_an_import_over_an_editors_pending_revision_says_so(client, editor):
    from articles.services import save_revision, send_for_review

    client.force_login(editor)
    upload(client, PAGE)
    article = Article.objects.get()
    editor.first_name, editor.last_name = "Ana", "Reyes"
    editor.save(update_fields=["first_name", "last_name"])
    save_revision(
        article, title=article.title, body="Videos take **2 minutes** now.", by=editor,
        base_revision=article.current_revision,
    )  # fmt: skip
    send_for_review(article, by=editor)
    changed = PAGE.replace("30-60 s", "1-2 min")

    dry = upload(client, changed, dry_run=True).text
    response = upload(client, changed)

    assert "1 would be superseded" in dry and "Videos are slow: in review r2 by Ana Reyes" in dry
    assert "1 superseded" in response.text
    assert "Videos are slow: in review r2 by Ana Reyes" in response.text
    article.refresh_from_db()
    assert article.published_revision.number == 3
    assert article.revisions.get(number=2).body == "Videos take **2 minutes** now."


def test_an_update_with_nothing_pending_supersedes_nothing(client, editor):
    client.force_login(editor)
    upload(client, PAGE)

    response = upload(client, PAGE.replace("30-60 s", "1-2 min"))

    assert "1 updated" in response.text and "superseded" not in response.text


def test_a_dry_run_offers_to_apply_the_same_page_without_picking_it_again(client, editor):
    client.force_login(editor)

    dry = upload(client, PAGE, dry_run=True)

    assert "Apply this import" in dry.text
    assert not Article.objects.exists()
    fields = dry.context["applicable"]
    applied = client.post(URL, {"name": fields[0], "text": fields[1]})
    assert applied.status_code == 200
    assert "Imported" in applied.text and "Apply this import" not in applied.text
    assert Article.objects.get().body == "Videos take **30-60 s**."


def test_the_apply_button_posts_the_page_exactly_as_read(client, editor):
    """What the hidden fields carry survives the HTML round trip (quotes, tags, newlines)."""
    client.force_login(editor)
    page = PAGE.replace("Contact us.", 'Contact "us" <b>&amp;</b> more.\n\nLine two.')

    dry = upload(client, page, dry_run=True)

    value = re.search(r'name="text" value="([^"]*)"', dry.text).group(1)
    assert unescape(value) == page
