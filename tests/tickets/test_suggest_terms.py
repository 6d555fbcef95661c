from articles.suggest.terms import terms, tokenize


def test_the_ways_of_saying_sign_in_are_one_term():
    for text in ("log in", "logged in", "sign-in", "Signing in", "login", "log into"):
        assert terms(text) == ["login"], text


def test_synonyms_of_the_domain_meet():
    assert terms("premium") == terms("Pro")
    assert terms("tokens") == terms("credits")
    assert terms("waiting") == terms("slow")
    assert terms("errored") == terms("failed")
    assert terms("history") == terms("gallery")
    assert terms("locked out") == ["login"]


def test_a_phrase_needs_its_words_together():
    assert "login" not in terms("Sign out and sign back in")
    assert terms("Sign out and sign back in")[0] == "logout"


def test_small_words_negations_and_light_verbs_are_dropped():
    assert terms("I can't and haven't, but it's the one I tried to change") == []


def test_links_keep_their_text_and_addresses_are_ignored():
    assert terms("email [support@imagine.art](mailto:support@imagine.art) now") == ["email"]
    assert terms("see [the gallery](/gallery) at https://example.com/x") == ["gallery"]


def test_tokens_keep_the_words_as_written():
    tokens = tokenize("Sign-in fails with an Error")

    assert [(t.term, t.surface) for t in tokens] == [
        ("login", "sign-in"),
        ("fail", "fails"),
        ("fail", "error"),
    ]
