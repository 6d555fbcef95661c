import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_login_page_and_sign_in(client):
    user = UserFactory(username="ana")

    page = client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": "ana", "password": PASSWORD})

    assert page.status_code == 200
    assert '<label for="id_username">Username</label>' in page.text
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_wrong_password_keeps_username_and_explains(client):
    UserFactory(username="ana")

    response = client.post(reverse("login"), {"username": "ana", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert 'value="ana"' in response.text


def test_logout_is_a_post(client, agent):
    client.force_login(agent)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, agent):
    client.force_login(agent)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )

    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.check_password("a-new-long-passphrase")


def test_friendly_404(client, agent):
    client.force_login(agent)

    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "Nothing here" in response.text
    assert reverse("home") in response.text
