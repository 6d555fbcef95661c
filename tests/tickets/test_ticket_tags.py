from datetime import timedelta

from tickets.templatetags.ticket_tags import duration_words, highlight


def test_highlight_marks_matched_words_and_escapes_the_rest():
    html = highlight("<b>Video</b> generation failed", ("generat", "video"))

    assert html == "&lt;b&gt;<mark>Video</mark>&lt;/b&gt; <mark>generation</mark> failed"


def test_highlight_knows_stems_that_are_not_prefixes():
    assert highlight("She tries again", ("tri",)) == "She <mark>tries</mark> again"


def test_highlight_cannot_be_tricked_into_markup():
    assert highlight("a <script>", ("script",)) == "a &lt;<mark>script</mark>&gt;"
    assert highlight("x < y", ("lt",)) == "x &lt; y"


def test_duration_words():
    assert duration_words(timedelta(days=2, hours=3)) == "2 days"
    assert duration_words(timedelta(hours=1)) == "1 hour"
    assert duration_words(None) == ""
