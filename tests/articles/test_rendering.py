from django.utils.safestring import SafeString

from articles.rendering import render_markdown


def test_lists_bold_and_links_are_rendered():
    html = render_markdown("**Check** this:\n\n1. one\n2. [two](https://example.com)\n\n* a\n")

    assert "<strong>Check</strong>" in html
    assert "<ol>" in html and "<ul>" in html
    assert '<a href="https://example.com"' in html
    assert isinstance(html, SafeString)


def test_mailto_and_relative_links_are_kept():
    html = render_markdown("[mail us](mailto:support@example.com), [terms](/policies/terms)")

    assert 'href="mailto:support@example.com"' in html
    assert 'href="/policies/terms"' in html


def test_script_tags_come_out_as_text():
    html = render_markdown("Hello <script>alert('x')</script>")

    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_event_handlers_never_reach_the_page():
    html = render_markdown('<img src="x" onerror="alert(1)">\n\n<p onclick="steal()">hi</p>')

    assert "<img" not in html
    assert "<p onclick" not in html
    assert "&lt;img" in html  # shown as text, not dropped silently


def test_javascript_links_are_not_links():
    for body in (
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
    ):
        html = render_markdown(body)

        assert "<a " not in html, body


def test_images_keep_safe_sources_only():
    assert "<img" in render_markdown("![cat](https://example.com/cat.png)")
    assert "src=" not in render_markdown("![x](javascript:alert(1))")


def test_empty_body_renders_nothing():
    assert render_markdown("") == ""
