"""Markdown to the plain-text part of a mail: what a customer reads when their
client shows text, so it must not show Markdown's marks.

Parsed with the same markdown-it-py options as ``articles.rendering`` (so both
parts of a mail say the same thing) and written out as text: emphasis marks
dropped, links as ``text <url>``, lists with ``-``/``1.``, quotes with ``>``,
code kept as it is, paragraphs wrapped at 72 columns without breaking words
or URLs (a long one stays whole on its own line).
"""

import textwrap

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

WIDTH = 72

_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def markdown_to_text(source: str, *, width: int = WIDTH) -> str:
    """Readable plain text for ``source`` Markdown, wrapped at ``width``."""
    tree = SyntaxTreeNode(_markdown.parse(source or ""))
    return "\n".join(_blocks(tree.children, width)).strip("\n") + "\n"


def _blocks(nodes: list[SyntaxTreeNode], width: int) -> list[str]:
    """The lines of block ``nodes``, separated by one blank line."""
    lines: list[str] = []
    for node in nodes:
        block = _block(node, width)
        if not block:
            continue
        if lines:
            lines.append("")
        lines.extend(block)
    return lines


def _block(node: SyntaxTreeNode, width: int) -> list[str]:
    kind = node.type
    if kind == "paragraph":
        return _wrap(_inline(node.children[0]) if node.children else "", width)
    if kind == "heading":
        text = _inline(node.children[0]) if node.children else ""
        underline = "=" if node.tag in ("h1", "h2") else "-"
        return [*_wrap(text, width), underline * min(len(text), width)]
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, width)
    if kind == "blockquote":
        inner = _blocks(node.children, max(width - 2, 20))
        return [f"> {line}".rstrip() for line in inner]
    if kind in ("fence", "code_block"):
        # Code keeps its lines exactly: a wrapped command would not run.
        return ["    " + line for line in node.content.rstrip("\n").split("\n")]
    if kind == "hr":
        return ["-" * 20]
    if kind == "table":
        return _table(node)
    if node.children:
        return _blocks(node.children, width)
    return []


def _list(node: SyntaxTreeNode, width: int) -> list[str]:
    start = int(node.attrs.get("start", 1) or 1)
    lines: list[str] = []
    for number, item in enumerate(node.children, start):
        marker = f"{number}. " if node.type == "ordered_list" else "- "
        pad = " " * len(marker)
        # Tight lists put each item's paragraphs on consecutive lines.
        inner = _blocks(item.children, max(width - len(marker), 20))
        if _tight(item):
            inner = [line for line in inner if line]
        for index, line in enumerate(inner):
            lines.append((marker if index == 0 else pad) + line if line else "")
    return lines


def _tight(item: SyntaxTreeNode) -> bool:
    return all(child.type != "paragraph" or child.hidden for child in item.children)


def _table(node: SyntaxTreeNode) -> list[str]:
    rows = []
    for section in node.children:
        for row in section.children:
            cells = [_inline(cell.children[0]) if cell.children else "" for cell in row.children]
            rows.append(cells)
    return [" | ".join(cells).strip() for cells in rows]


def _inline(node: SyntaxTreeNode) -> str:
    out: list[str] = []
    for child in node.children:
        kind = child.type
        if kind == "text" or kind == "code_inline":
            out.append(child.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind == "link":
            out.append(_link(_inline(child), str(child.attrs.get("href", ""))))
        elif kind == "image":
            alt = _inline(child) or "image"
            out.append(f"{alt} <{child.attrs.get('src', '')}>")
        else:  # strong, em, s: the words without the marks
            out.append(_inline(child))
    return "".join(out)


def _link(text: str, href: str) -> str:
    target = href.removeprefix("mailto:")
    if not href or text.strip() in (href, target):
        return text
    return f"{text} <{target}>"


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for piece in text.split("\n"):  # hard breaks stay
        wrapped = textwrap.wrap(piece, width=width, break_long_words=False, break_on_hyphens=False)
        lines.extend(wrapped or [""])
    return lines
