import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.parametrize("fixture", ["agent", "editor", "manager", "admin_user"])
def test_every_role_lands_on_home(client, request, fixture):
    user = request.getfixturevalue(fixture)
    client.force_login(user)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert f"Good to see you, {user.first_name}" in response.text
    assert "No role yet" not in response.text


@pytest.mark.django_db
def test_user_without_role_is_told_what_to_do(client):
    client.force_login(UserFactory())

    response = client.get(reverse("home"))

    assert "No role yet" in response.text
    assert "Ask an administrator" in response.text


def test_frame_has_htmx_csrf_header_and_role_tag(client, agent):
    client.force_login(agent)

    response = client.get(reverse("home"))

    assert 'hx-headers=\'{"X-CSRFToken": "' in response.text
    assert "htmx" in response.text
    assert '<span class="tag">Agent</span>' in response.text


def test_admin_link_only_for_superusers(client, agent, admin_user):
    client.force_login(agent)
    assert reverse("admin:index") not in client.get(reverse("home")).text

    client.force_login(admin_user)
    assert reverse("admin:index") in client.get(reverse("home")).text


def test_admin_is_for_superusers_only(client, manager, admin_user):
    client.force_login(manager)
    assert client.get(reverse("admin:index")).status_code == 302

    client.force_login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200
