"""The one Markdown renderer: every place that shows or sends an article uses it.

markdown-it-py turns Markdown into HTML with raw HTML switched off (so a
``<script>`` in a body comes out as text), and nh3 then keeps only the tags,
attributes and URL schemes an article needs. The second step is belt and
braces: a renderer plugin or a parser bug can never let markup through.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
# Column alignment as classes (app.css): the Content-Security-Policy blocks style attributes.
ALIGN_CLASSES = {"align-left", "align-center", "align-right"}
# Relative links (/policies/...) pass; any other scheme, javascript: above all, is dropped.
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    """Markdown to sanitised HTML, safe to put into any page or email."""
    tokens = _markdown.parse(text or "")
    for token in tokens:
        # markdown-it aligns table columns with style="text-align:x".
        if token.type in {"th_open", "td_open"} and (style := token.attrs.pop("style", None)):
            token.attrSet("class", "align-" + str(style).removeprefix("text-align:"))
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        allowed_classes={"th": ALIGN_CLASSES, "td": ALIGN_CLASSES},
    )
    return mark_safe(clean)  # sanitised by nh3 just above
