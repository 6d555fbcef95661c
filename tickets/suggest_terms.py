"""Words to terms for the suggestion engine: tokens, stems, and the domain's synonyms.

Articles and customer messages go through the same function, so "sign in",
"signed in", "log-in" and "login" all become one term on both sides, and a
customer who writes "premium" meets an article that says "Pro".
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_stemmer = snowballstemmer.stemmer("english")

# Ordinary English function words plus the small talk of support mail.
_STOPWORD_TEXT = """
a about above after again against all am an and any are as at be because been before
being below between both but by can could did do does doing don done down during each
few for from further had has have having he her here hers herself him himself his how i
if in into is it its itself just me more most my myself no nor not now of off on once
only or other our ours ourselves out over own same she should so some such than that
the their theirs them themselves then there these they this those through to too under
until up very was we were what when where which while who whom why will with would you
your yours yourself yourselves also still even yet ever anyway anything something
nothing everything though although really got get gets getting go going gone went let
lets like want wanted need needs know knew think may might must shall ok okay yes hi
hello hey dear thanks thank please help guys team support regards cheers sorry hope
anyone someone im ive id dont doesnt didnt cant cannot couldnt wont isnt arent wasnt
werent havent hasnt hadnt shouldnt wouldnt ll ve re s t d m u ur pls plz imagineart
imagine
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Several words (or phrases) for one idea; the key is the term both sides share.
# Phrases are matched on whole words, so "sign back in" stays three words.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "login": (
        "login",
        "logon",
        "signin",
        "log in",
        "logged in",
        "logging in",
        "log into",
        "logged into",
        "sign in",
        "signed in",
        "signing in",
        "sign on",
        "sign into",
        "signed into",
        # "locked out of my account" is a sign-in problem, not a locked model.
        "locked out",
    ),
    "logout": ("logout", "log out", "logged out", "sign out", "signed out", "signing out"),
    "signup": ("signup", "sign up", "signed up", "register", "registered", "registration"),
    "password": ("password", "passwords", "passcode", "pw", "pwd"),
    "email": ("email", "e-mail", "mail"),
    "pro": ("pro", "premium"),
    "upgrade": ("upgrade", "upgraded", "upgrading"),
    "plan": ("plan", "plans", "tier"),
    "subscription": ("subscription", "subscribe", "subscribed", "subscriptions"),
    "pay": ("pay", "paid", "paying", "payment", "payments", "purchase", "purchased", "bought"),
    "charge": ("charge", "charged", "deduct", "deducted", "deduction", "billed"),
    "lock": ("lock", "locked", "unlock", "unlocked", "greyed out", "grayed out", "unavailable"),
    "credit": ("credit", "credits", "token", "tokens"),
    "refresh": ("refresh", "refreshed", "replenish", "replenished", "top up", "topped up"),
    "renew": ("renew", "renewal", "renewed", "anniversary"),
    "slow": (
        "slow",
        "slowly",
        "slower",
        "slowness",
        "wait",
        "waiting",
        "delay",
        "delayed",
        "lag",
        "laggy",
        "sluggish",
        "forever",
        "ages",
        "queue",
        "queued",
    ),
    "fail": (
        "fail",
        "failed",
        "fails",
        "failing",
        "failure",
        "error",
        "errors",
        "errored",
        "went wrong",
        "goes wrong",
    ),
    "generation": (
        "generation",
        "generations",
        "generate",
        "generated",
        "generating",
        "creation",
        "creations",
        "render",
        "rendering",
        "rendered",
    ),
    "image": ("image", "images", "picture", "pictures", "photo", "photos", "pic", "pics"),
    "gallery": ("gallery", "history", "library"),
    "find": (
        "find",
        "locate",
        "lost",
        "missing",
        "disappear",
        "disappeared",
        "vanished",
        "recover",
        "recovery",
        "restore",
        "retrieve",
    ),
    "delete": ("delete", "deleted", "deleting", "removed"),
}

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Markdown and links carry no words a customer would type.
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"(?:https?://|mailto:)\S+|\S+@\S+\.\w+")


def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def _plain(text: str) -> str:
    text = _LINK.sub(r"\1", text.lower().replace("\u2019", "'"))
    return _URL.sub(" ", text)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[tuple[str, ...], str], int]:
    """Stem of a single word -> term; tuple of stems of a phrase -> term."""
    words: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    for term, variants in SYNONYMS.items():
        for variant in variants:
            stems = tuple(stem(w) for w in _WORD.findall(variant.replace("-", "")))
            if len(stems) == 1:
                words[stems[0]] = term
            else:
                phrases[stems] = term
    longest = max(len(p) for p in phrases)
    return words, phrases, longest


@dataclass(frozen=True, slots=True)
class Token:
    term: str
    surface: str  # the words as written, for showing why an article matched


def tokenize(text: str) -> list[Token]:
    """Terms of ``text`` in order, stop words dropped, synonyms folded together."""
    words, phrases, longest = _tables()
    plain = _plain(text)
    raw = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(plain)]
    # "haven't" is a negation (a stop word); "it's" is "it".
    raw = [(w.split("'")[0], s, e) for w, s, e in raw if not w.endswith("n't")]
    stems = [stem(w) for w, _, _ in raw]
    tokens: list[Token] = []
    i = 0
    while i < len(raw):
        for size in range(min(longest, len(raw) - i), 1, -1):
            term = phrases.get(tuple(stems[i : i + size]))
            if term:
                tokens.append(Token(term, plain[raw[i][1] : raw[i + size - 1][2]]))
                i += size
                break
        else:
            word = raw[i][0]
            if word not in STOPWORDS and not (len(word) == 1 and not word.isdigit()):
                tokens.append(Token(words.get(stems[i], stems[i]), word))
            i += 1
    return tokens


def terms(text: str) -> list[str]:
    return [token.term for token in tokenize(text)]
