"""Forgot password: a link by email, our pages, the new password works."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.django_db
def test_forgot_password_by_email(client, mailoutbox):
    user = UserFactory(username="ana", email="ana@supportdesk.example")

    login = client.get(reverse("login"))
    form = client.get(reverse("password_reset"))
    sent = client.post(
        reverse("password_reset"), {"email": "ana@supportdesk.example"}, follow=True
    )

    assert reverse("password_reset") in login.text and "Forgot password?" in login.text
    assert form.status_code == 200 and "Email me a link" in form.text
    assert "Check your email" in sent.text
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ana@supportdesk.example"]
    assert mailoutbox[0].subject == "Choose a new SupportDesk password"
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mailoutbox[0].body)[1]

    choose = client.get(link, follow=True)
    done = client.post(
        choose.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
        follow=True,
    )

    assert "Choose a new password" in choose.text
    assert "Password set" in done.text
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")
    assert "no longer works" in client.get(link, follow=True).text


@pytest.mark.django_db
def test_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert "Check your email" in response.text
    assert mailoutbox == []


@pytest.mark.django_db
def test_an_over_long_address_is_a_form_error(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "a" * 300 + "@example.com"})

    assert response.status_code == 200
    assert "field-errors" in response.text
    assert mailoutbox == []
