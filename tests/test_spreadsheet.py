"""supportdesk.spreadsheet: CSV cells a spreadsheet would run are made text."""

from decimal import Decimal

import pytest

from supportdesk.spreadsheet import csv_lines, safe_cell


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "=", "-"],
)
def test_formula_starts_become_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    ["", "plain", "a=b", " =1", "0.25", "-5", "+3", "-0.125", -5, -1.5, Decimal("-2"), None],
)
def test_everything_else_is_unchanged(value):
    # Negative numbers, typed or formatted, are numbers to a spreadsheet, not formulas.
    assert safe_cell(value) == value


def test_csv_lines_quotes_and_neutralises():
    lines = list(csv_lines([["subject", "count"], ['=HYPERLINK("x")', -3]]))

    assert lines == ["subject,count\r\n", '"\'=HYPERLINK(""x"")",-3\r\n']
