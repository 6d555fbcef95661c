"""HTML from mail: sanitised for display (nh3), and turned into text when a mail
has no plain-text version (the thread shows text first)."""

import re
from html.parser import HTMLParser

import nh3

# "li" is not a block: its own line starts with a list marker instead.
BLOCKS = {"p", "div", "br", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "pre", "hr", "table"}  # fmt: skip
SKIPPED = {"script", "style", "head", "title", "template"}
LINKED = ("http://", "https://", "mailto:")


# No images: a remote one is a tracking pixel the moment an agent opens the
# ticket; inline ones arrive as attachments anyway.
TAGS = nh3.ALLOWED_TAGS - {"img"}


def sanitise_html(html: str) -> str:
    """Safe to render: no scripts, handlers, styles sheets or remote-loading tricks."""
    return nh3.clean(html, tags=TAGS, link_rel="noopener noreferrer nofollow")


class _TextExtractor(HTMLParser):
    """Lines of text, each with how deep in <blockquote> it started (quoted
    history becomes "> " lines the quote splitter recognises), links as
    ``text <url>`` and table cells apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self.line: list[str] = []
        self.line_depth: int | None = None
        self.depth = 0
        self.skipping = 0
        self.cells = 0
        self.links: list[tuple[str, int, int]] = []  # href, line number, chunk index

    def newline(self, *, soft: bool = False) -> None:
        if soft and not "".join(self.line).strip():
            return  # table rows follow each other without blank lines
        self.lines.append((self.line_depth or 0, "".join(self.line)))
        self.line, self.line_depth = [], None

    def add(self, text: str) -> None:
        if self.line_depth is None and text.strip():
            self.line_depth = self.depth
        self.line.append(text)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SKIPPED:
            self.skipping += 1
            return
        if tag in BLOCKS:
            self.newline(soft=tag == "tr")
        if tag == "blockquote":
            self.depth += 1
        elif tag == "li":
            self.newline()
            self.add("- ")
        elif tag == "tr":
            self.cells = 0
        elif tag in ("td", "th"):
            if self.cells:
                self.add(" | ")
            self.cells += 1
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self.links.append((href, len(self.lines), len(self.line)))

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag == "a" and self.links:
            self.end_link(*self.links.pop())
        if tag == "blockquote":
            self.newline()
            self.depth = max(0, self.depth - 1)
        elif tag in BLOCKS:
            self.newline(soft=tag == "tr")

    def end_link(self, href: str, line: int, index: int) -> None:
        if not href.lower().startswith(LINKED):
            return
        target = href[7:] if href.lower().startswith("mailto:") else href
        text = "".join(self.line[index:]) if line == len(self.lines) else ""
        if " ".join(text.split()) not in (href, target):
            self.add(f" <{target}>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.add(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
        parser.newline()
    except Exception:  # noqa: BLE001 - HTMLParser is lenient; belt and braces
        return nh3.clean(html, tags=set())
    lines = []
    for depth, line in parser.lines:
        words = " ".join(line.split())
        lines.append(f"{'> ' * depth}{words}" if words else "")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
