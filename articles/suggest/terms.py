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

# Ordinary English function words, the small talk of support mail, and light verbs
# (change, use, try, work...) that any message has whatever its problem.
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
change changed changes changing use used uses using try tried tries trying work works
worked working see saw seen sees seeing look looks looked looking keep keeps kept keeping
tell told ask asked say says said seem seems seemed happen happens happened thing things
way ways lot lots today one
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


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    # Snowball in pure Python is the slow part of indexing; words repeat a lot.
    return _stemmer.stemWord(word)


def _plain(text: str) -> str:
    text = _LINK.sub(r"\1", text.lower().replace("\u2019", "'"))
    return _URL.sub(" ", text)


@lru_cache(maxsize=1)
def _phrases() -> tuple[dict[tuple[str, ...], str], frozenset[str], int]:
    """Stems of each phrase -> term, the stems phrases start with, the longest."""
    phrases: dict[tuple[str, ...], str] = {}
    for term, variants in SYNONYMS.items():
        for variant in variants:
            stems = tuple(stem(w) for w in _WORD.findall(variant.replace("-", "")))
            if len(stems) > 1:
                phrases[stems] = term
    return phrases, frozenset(p[0] for p in phrases), max(len(p) for p in phrases)


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    return {
        stem(variant): term
        for term, variants in SYNONYMS.items()
        for variant in variants
        if " " not in variant and "-" not in variant
    }


@lru_cache(maxsize=100_000)
def _word(word: str) -> tuple[str, str | None]:
    """(stem, term); the term is None for a stop word."""
    stemmed = stem(word)
    if word in STOPWORDS or (len(word) == 1 and not word.isdigit()):
        return stemmed, None
    return stemmed, _synonyms().get(stemmed, stemmed)


@dataclass(frozen=True, slots=True)
class Token:
    term: str
    surface: str  # the words as written, for showing why an article matched


def tokenize(text: str) -> list[Token]:
    """Terms of ``text`` in order, stop words dropped, synonyms folded together."""
    phrases, starts, longest = _phrases()
    plain = _plain(text)
    # "haven't" is a negation (a stop word); "it's" is "it".
    raw = [m for m in _WORD.finditer(plain) if not m.group().endswith("n't")]
    words = [_word(m.group().split("'")[0]) for m in raw]
    tokens: list[Token] = []
    i, n = 0, len(raw)
    while i < n:
        stemmed, term = words[i]
        if stemmed in starts:
            for size in range(min(longest, n - i), 1, -1):
                phrase = phrases.get(tuple(w[0] for w in words[i : i + size]))
                if phrase:
                    tokens.append(Token(phrase, plain[raw[i].start() : raw[i + size - 1].end()]))
                    i += size
                    break
            else:
                phrase = None
            if phrase:
                continue
        if term:
            tokens.append(Token(term, raw[i].group().split("'")[0]))
        i += 1
    return tokens


def terms(text: str) -> list[str]:
    return [token.term for token in tokenize(text)]


# Requests that no troubleshooting article answers: the issue names refunds,
# invoices, account deletion and licensing; the rest is account and billing
# administration of the same kind. Matched as terms (stemmed, synonyms folded);
# "delete" only together with "account", since deleted images are a gallery problem.
_ADMIN_TEXT = """
    invoice invoices receipt receipts vat refund refunds reimburse reimbursement
    cancel cancellation unsubscribe gdpr erase erasure
    commercial commercially licence license licensing copyright resell sell
    api discount nonprofit education student students teacher school paypal workspace
"""
_ADMIN_PAIRS = (("delete", "account"), ("close", "account"))


@lru_cache(maxsize=1)
def _admin_terms() -> frozenset[str]:
    return frozenset(term for word in _ADMIN_TEXT.split() if (term := _word(word)[1]))


def admin_request(query_terms: set[str]) -> list[frozenset[str]]:
    """How a message asks for account or billing administration: groups of its
    terms, each of which an article must hold entirely to speak of the request
    (empty: the message asks for none), for articles.suggest.ranking."""
    found = [frozenset({term}) for term in sorted(query_terms & _admin_terms())]
    for pair in _ADMIN_PAIRS:
        terms_of_pair = frozenset(_word(word)[1] for word in pair)
        if terms_of_pair <= query_terms:
            found.append(terms_of_pair)
    return found
