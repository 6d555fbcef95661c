"""A customer's mail split into what they just wrote and what came along: the
quoted history (Gmail "On … wrote:", Outlook "-----Original Message-----" and
"From: … Sent: …" blocks, Apple Mail's quoted "On … at …, … wrote:") and their
signature ("-- ", "Sent from my iPhone", "Get Outlook for iOS").

mail-parser-reply does the recognising: it is maintained, knows these clients'
headers in a dozen languages, and is plain Python with no dependencies.
(email-reply-parser 0.5.12 knows only the English "On … wrote:" and ">" lines,
not Outlook's header block; talon 1.4.4 is unmaintained since 2017 and needs
a trained model.) Nothing is dropped: the thread shows the new text and the
rest behind a toggle, and the raw mail is kept besides.
"""

import re

from mailparser_reply.parser import EmailMessage

# Headers of the clients our customers write from; English is always included.
LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pt", "sv", "da", "pl"]

# The library compiles its (large, multilingual) patterns per message and leaves
# them to re's cache, which a busy process evicts: ~2 ms a mail. Compiled once here.
_template = EmailMessage(text="", languages=list(LANGUAGES))
_PATTERNS = {
    "_header_regex": _template.HEADER_REGEX,
    "_signature_regex": _template.SIGNATURE_REGEX,
    "_disclaimers_regex": _template.DISCLAIMERS_REGEX,
}
# A line of only quote marks or spaces is no content of its own.
_EMPTY = re.compile(r"^[>\s]*$")
# Gmail's forward line, which the parser leaves above the headers it splits at.
_FORWARD_LINE = re.compile(r"^\s*-{3,}\s*(forwarded message|original message)\s*-*\s*$", re.I)
# The parser is regex-based; past this size a mail is someone's log paste, not
# a reply with history, and splitting it is not worth the time.
MAX_SPLIT_CHARS = 100_000


def split_reply(text: str) -> tuple[str, str]:
    """(new text, quoted history and signature) of a mail's text. When the
    whole mail is quoted (a bare forward) it all counts as new, so it shows."""
    if not text.strip() or len(text) > MAX_SPLIT_CHARS:
        return text, ""
    try:
        replies = EmailMessage(text=text, languages=list(LANGUAGES), **_PATTERNS).read().replies
    except Exception:  # noqa: BLE001 - a parser bug must never cost a mail
        return text, ""
    if not replies:
        return text, ""
    body = (replies[0].body or "").strip("\n")
    if _EMPTY.match(body):
        return text.strip("\n"), ""
    # The parser strips every line; cut the original instead, so a pasted log
    # keeps its indentation and the quoted part is exactly the rest.
    lines = text.replace("\r\n", "\n").split("\n")
    cut = _end_of(body.split("\n"), [line.strip() for line in lines])
    if cut is None:
        return text, ""
    while cut > 0 and (not lines[cut - 1].strip() or _FORWARD_LINE.match(lines[cut - 1])):
        cut -= 1
    if not "\n".join(lines[:cut]).strip():
        return text.strip("\n"), ""
    return "\n".join(lines[:cut]).strip("\n"), "\n".join(lines[cut:]).strip("\n")


def _end_of(body: list[str], lines: list[str]) -> int | None:
    """Index just past ``body`` found line by line, in order, within ``lines``."""
    at = 0
    for wanted in body:
        wanted = wanted.strip()
        while at < len(lines) and lines[at] != wanted:
            at += 1
        if at == len(lines):
            return None
        at += 1
    return at
