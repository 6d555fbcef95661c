"""Line diffs between two revisions, as data: the template escapes every line."""

import difflib
from dataclasses import dataclass

from articles.models import ArticleRevision


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "gap"
    text: str
    old_number: int | None = None
    new_number: int | None = None


@dataclass(frozen=True)
class RevisionDiff:
    title_changed: bool
    old_title: str
    new_title: str
    lines: list[DiffLine]
    added: int
    removed: int


def diff_lines(old: str, new: str, *, context: int = 3) -> list[DiffLine]:
    """Changed lines with ``context`` unchanged lines around them; gaps mark skipped runs."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    for group in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [
                    DiffLine("same", a[i], i + 1, j1 + k + 1) for k, i in enumerate(range(i1, i2))
                ]
                continue
            lines += [DiffLine("removed", a[i], old_number=i + 1) for i in range(i1, i2)]
            lines += [DiffLine("added", b[j], new_number=j + 1) for j in range(j1, j2)]
    return lines


def diff_revisions(old: ArticleRevision, new: ArticleRevision) -> RevisionDiff:
    lines = diff_lines(old.body, new.body)
    return RevisionDiff(
        title_changed=old.title != new.title,
        old_title=old.title,
        new_title=new.title,
        lines=lines,
        added=sum(line.kind == "added" for line in lines),
        removed=sum(line.kind == "removed" for line in lines),
    )
