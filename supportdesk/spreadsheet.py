"""CSV that is safe to open in a spreadsheet (OWASP's CSV injection rule).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return
is read as a formula by Excel, LibreOffice and Sheets: a ticket subject
``=HYPERLINK(...)`` would become a live link. Such cells get a leading ``'``,
which spreadsheets show as text. Numbers are left alone (``-5`` in a numeric
column is a number, not a formula), and so is text that is exactly a plain
number, so figures formatted as strings stay numbers.
"""

import csv
import re
from collections.abc import Iterable, Iterator

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def safe_cell(value: object) -> object:
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class _Echo:
    """A file that hands back what is written, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Every CSV export writes through here: one line of text per row."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])
