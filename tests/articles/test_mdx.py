import pytest

from articles.mdx import MdxError, parse_page, write_page

PAGE = """# Help

Intro text.

<AccordionGroup>
  <Accordion title="First problem">
    **Bold** and a [mail](mailto:a@example.com) link.

    1. one
    2. two
  </Accordion>

  <Accordion title="Second &quot;quoted&quot; problem">
    * a
    * b
  </Accordion>
</AccordionGroup>

## Contact

Write to us.
"""


def problems_of(text: str) -> list[tuple[int, str]]:
    with pytest.raises(MdxError) as caught:
        parse_page(text)
    return [(p.line, p.message) for p in caught.value.problems]


def test_accordions_become_dedented_markdown_in_page_order():
    page = parse_page(PAGE)

    assert [a.title for a in page.accordions] == ["First problem", 'Second "quoted" problem']
    assert page.accordions[0].body == (
        "**Bold** and a [mail](mailto:a@example.com) link.\n\n1. one\n2. two"
    )
    assert page.accordions[0].line == 6
    assert page.title == "Help"


def test_text_around_the_group_is_kept_verbatim():
    page = parse_page(PAGE)

    assert page.head == "# Help\n\nIntro text.\n\n"
    assert page.tail == "\n## Contact\n\nWrite to us.\n"


def test_writing_back_gives_the_same_page():
    page = parse_page(PAGE)

    text = write_page(
        head=page.head, tail=page.tail, accordions=[(a.title, a.body) for a in page.accordions]
    )

    assert text == PAGE
    assert parse_page(text) == page


def test_unclosed_accordion_names_its_line():
    text = PAGE.replace("    2. two\n  </Accordion>\n", "    2. two\n")

    assert problems_of(text) == [(6, "<Accordion> is not closed before the next one starts.")]


def test_accordion_unclosed_at_the_end_of_the_group():
    text = PAGE.replace("    * b\n  </Accordion>\n", "    * b\n")

    assert problems_of(text) == [(13, "<Accordion> is never closed with </Accordion>.")]


def test_unknown_component_is_reported_by_name_and_line():
    text = PAGE.replace("    1. one\n", "    <Warning>Careful</Warning>\n    1. one\n")

    problems = problems_of(text)

    assert len(problems) == 2  # opening and closing tag, same line
    assert problems[0][0] == 9
    assert "unknown component <Warning>" in problems[0][1]


def test_components_in_code_are_not_components():
    text = PAGE.replace("    1. one\n", "    Type `<Note>` or\n\n    ```\n    <Tip>\n    ```\n")

    assert len(parse_page(text).accordions) == 2


def test_empty_title_is_refused_with_its_line():
    text = PAGE.replace('title="First problem"', 'title=""')

    assert problems_of(text) == [(6, "<Accordion> has an empty title.")]


def test_missing_title_and_missing_group():
    assert problems_of(PAGE.replace(' title="First problem"', "")) == [
        (6, '<Accordion> has no title="..." attribute.')
    ]
    assert problems_of("# Just text\n")[0][0] == 1


def test_text_between_accordions_would_be_lost_so_it_is_refused():
    text = PAGE.replace("  </Accordion>\n\n  <Accordion", "  </Accordion>\n  stray\n  <Accordion")

    assert problems_of(text) == [
        (12, "text between accordions would be lost; move it inside one.")
    ]


def test_duplicate_titles_are_refused():
    text = PAGE.replace("Second &quot;quoted&quot; problem", "First problem")

    assert "used twice" in problems_of(text)[0][1]


def test_accordion_attributes_we_would_drop_are_refused():
    text = PAGE.replace('title="First problem"', 'title="First problem" icon="bolt"')

    assert problems_of(text) == [(6, "<Accordion> attribute 'icon=\"bolt\"' is not supported.")]


def test_a_second_group_is_refused_not_kept_as_text():
    text = PAGE + '\n<AccordionGroup>\n  <Accordion title="Later">\n    x\n  </Accordion>\n'

    assert problems_of(text)[0] == (23, "only one <AccordionGroup> per page is supported.")
