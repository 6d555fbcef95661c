import pytest
from django.contrib.auth.models import Group

from supportdesk import roles
from tests.factories import UserFactory


@pytest.mark.django_db
def test_role_groups_exist_with_their_permissions():
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions__content_type")}

    assert set(roles.ROLES) <= set(groups)
    for role, names in roles.ROLE_PERMISSIONS.items():
        granted = {
            f"{p.content_type.app_label}.{p.codename}" for p in groups[role].permissions.all()
        }
        assert granted <= set(names), f"{role} holds more than its list"


@pytest.mark.django_db
def test_role_checks():
    agent = UserFactory(role=roles.AGENT)
    editor = UserFactory(role=roles.EDITOR)
    nobody = UserFactory()
    admin = UserFactory(is_superuser=True)

    assert roles.is_agent(agent) and not roles.is_editor(agent)
    assert roles.is_editor(editor) and not roles.is_manager(editor)
    assert roles.role_names(nobody) == frozenset()
    assert roles.role_names(admin) == frozenset(roles.ROLES)


@pytest.mark.django_db
def test_role_names_are_read_once_per_user_object(django_assert_num_queries):
    agent = UserFactory(role=roles.AGENT)

    with django_assert_num_queries(1):
        roles.is_agent(agent)
        roles.is_editor(agent)
        roles.is_manager(agent)


@pytest.mark.django_db
def test_roles_are_read_afresh_on_every_request(client):
    """Roles are not kept in the session: a role taken away counts from the very
    next request."""
    user = UserFactory(role=roles.AGENT)
    user.groups.add(Group.objects.get(name=roles.MANAGER))
    client.force_login(user)

    response = client.get("/settings/")
    assert b'<span class="tag">Agent</span><span class="tag">Manager</span>' in response.content
    assert client.get("/accounts/lockouts/").status_code == 200  # managers only
    user.groups.remove(Group.objects.get(name=roles.MANAGER))
    assert client.get("/accounts/lockouts/").status_code == 403
    assert b'<span class="tag">Manager</span>' not in client.get("/settings/").content
