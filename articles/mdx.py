"""Mintlify help center pages: read one into accordions, write one back.

A page is kept text (title, introduction, contact section), one
``<AccordionGroup>`` and, inside it, one ``<Accordion title="...">`` per
problem whose content is Markdown. Parsing is strict: anything we would not
write back the same way is an error carrying its line number, so an import
either understands the whole page or changes nothing.
"""

import html
import re
import textwrap
from dataclasses import dataclass

GROUP_OPEN = re.compile(r"^\s*<AccordionGroup\s*>\s*$")
GROUP_CLOSE = re.compile(r"^\s*</AccordionGroup\s*>\s*$")
ACCORDION_OPEN = re.compile(r"^\s*<Accordion(?P<attrs>(?:\s[^>]*)?)>\s*$")
ACCORDION_CLOSE = re.compile(r"^\s*</Accordion\s*>\s*$")
TITLE_ATTR = re.compile(
    r"""\btitle\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|\{`(?P<bt>[^`]*)`\})"""
)
# A JSX component or an HTML tag; autolinks like <https://...> have a ':' and do not match.
TAG = re.compile(r"</?(?P<name>[A-Za-z][\w.-]*)(?=[\s/>])")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"`[^`]*`")

BODY_INDENT = "    "
ACCORDION_INDENT = "  "


@dataclass(frozen=True)
class Accordion:
    title: str
    body: str  # Markdown, dedented, without leading or trailing blank lines
    line: int  # where its <Accordion> tag is


@dataclass(frozen=True)
class Page:
    head: str  # verbatim text before the <AccordionGroup> line
    tail: str  # verbatim text after the </AccordionGroup> line
    accordions: tuple[Accordion, ...]

    @property
    def title(self) -> str:
        for line in self.head.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
        return ""


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class MdxError(Exception):
    """The page cannot be imported; ``problems`` say what and where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def parse_page(text: str) -> Page:
    """Split a page into kept text and accordions, or raise MdxError listing every problem."""
    lines = text.splitlines(keepends=True)
    problems: list[Problem] = []
    group_start = next((i for i, line in enumerate(lines) if GROUP_OPEN.match(line)), None)
    if group_start is None:
        raise MdxError([Problem(1, "no <AccordionGroup> found; the page needs one.")])
    group_end = next(
        (i for i in range(group_start + 1, len(lines)) if GROUP_CLOSE.match(lines[i])), None
    )
    if group_end is None:
        problems.append(
            Problem(group_start + 1, "<AccordionGroup> is never closed with </AccordionGroup>.")
        )
        group_end = len(lines)

    accordions: list[Accordion] = []
    open_at: int | None = None
    title = ""
    content: list[str] = []
    for index in range(group_start + 1, group_end):
        number, line = index + 1, lines[index]
        opening = ACCORDION_OPEN.match(line)
        if opening:
            if open_at is not None:
                problems.append(
                    Problem(open_at, "<Accordion> is not closed before the next one starts.")
                )
            open_at, content = number, []
            title = _title(opening.group("attrs"), number, problems)
        elif ACCORDION_CLOSE.match(line):
            if open_at is None:
                problems.append(Problem(number, "</Accordion> without an opening <Accordion>."))
            else:
                accordions.append(Accordion(title, _dedent(content), open_at))
                open_at = None
        elif open_at is None:
            if line.strip():
                problems.append(
                    Problem(number, "text between accordions would be lost; move it inside one.")
                )
        else:
            content.append(line)
    if open_at is not None:
        problems.append(Problem(open_at, "<Accordion> is never closed with </Accordion>."))
    for accordion in accordions:
        problems += _unknown_tags(accordion)
    seen: dict[str, int] = {}
    for accordion in accordions:
        if accordion.title and accordion.title.casefold() in seen:
            problems.append(
                Problem(
                    accordion.line,
                    f"title {accordion.title!r} is used twice "
                    f"(first on line {seen[accordion.title.casefold()]}).",
                )
            )
        seen.setdefault(accordion.title.casefold(), accordion.line)
    for start, stop in ((0, group_start), (group_end + 1, len(lines))):
        for index in range(start, stop):
            if "<Accordion" in lines[index]:
                problems.append(
                    Problem(index + 1, "only one <AccordionGroup> per page is supported.")
                )
                break
    if not accordions and not problems:
        problems.append(Problem(group_start + 1, "the <AccordionGroup> holds no accordions."))
    if problems:
        raise MdxError(sorted(problems, key=lambda p: p.line))
    return Page(
        head="".join(lines[:group_start]),
        tail="".join(lines[group_end + 1 :]),
        accordions=tuple(accordions),
    )


def _title(attrs: str, number: int, problems: list[Problem]) -> str:
    match = TITLE_ATTR.search(attrs or "")
    if match is None:
        problems.append(Problem(number, '<Accordion> has no title="..." attribute.'))
        return ""
    rest = (attrs[: match.start()] + attrs[match.end() :]).strip()
    if rest:
        # icon=, defaultOpen and friends would be lost on export: refuse rather than drop.
        problems.append(Problem(number, f"<Accordion> attribute {rest!r} is not supported."))
    raw = next(g for g in match.group("dq", "sq", "bt") if g is not None)
    title = html.unescape(raw).strip()
    if not title:
        problems.append(Problem(number, "<Accordion> has an empty title."))
    return title


def _dedent(content: list[str]) -> str:
    return textwrap.dedent("".join(content)).strip("\n").rstrip()


def _unknown_tags(accordion: Accordion) -> list[Problem]:
    """Components and HTML inside an accordion: we would render them as text, so refuse."""
    problems = []
    in_fence = False
    for offset, line in enumerate(accordion.body.splitlines(), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for match in TAG.finditer(CODE_SPAN.sub("", line)):
            name = match.group("name")
            kind = "component" if name[0].isupper() else "HTML tag"
            problems.append(
                Problem(
                    accordion.line + offset,
                    f"unknown {kind} <{name}> in accordion {accordion.title!r}; "
                    "rewrite it as Markdown.",
                )
            )
    return problems


def write_page(*, head: str, tail: str, accordions: list[tuple[str, str]]) -> str:
    """The page text: kept head, one <Accordion> per (title, Markdown body), kept tail."""
    blocks = []
    for title, body in accordions:
        indented = textwrap.indent(body.strip("\n"), BODY_INDENT, lambda line: line.strip() != "")
        blocks.append(
            f'{ACCORDION_INDENT}<Accordion title="{_attr(title)}">\n'
            f"{indented}\n"
            f"{ACCORDION_INDENT}</Accordion>\n"
        )
    if head and not head.endswith("\n"):
        head += "\n"
    return f"{head}<AccordionGroup>\n{chr(10).join(blocks)}</AccordionGroup>\n{tail}"


def _attr(title: str) -> str:
    # A quote would end the attribute, an angle bracket the tag; MDX reads entities back.
    return title.replace('"', "&quot;").replace("<", "&lt;")
