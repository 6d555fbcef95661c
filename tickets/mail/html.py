"""HTML from mail: sanitised for display (nh3), and turned into text when a mail
has no plain-text version (the thread shows text first)."""

import re
from html.parser import HTMLParser

import nh3

# "li" is not a block: its own line starts with a list marker instead.
BLOCKS = {"p", "div", "br", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "pre"}  # fmt: skip
SKIPPED = {"script", "style", "head", "title", "template"}


# No images: a remote one is a tracking pixel the moment an agent opens the
# ticket; inline ones arrive as attachments anyway.
TAGS = nh3.ALLOWED_TAGS - {"img"}


def sanitise_html(html: str) -> str:
    """Safe to render: no scripts, handlers, styles sheets or remote-loading tricks."""
    return nh3.clean(html, tags=TAGS, link_rel="noopener noreferrer nofollow")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self.chunks.append("\n")
        elif tag == "li":
            self.chunks.append("\n- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.chunks.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - HTMLParser is lenient; belt and braces
        return nh3.clean(html, tags=set())
    text = "".join(parser.chunks)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
