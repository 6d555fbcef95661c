"""The three roles and the checks views use.

A role is a Django group. The permissions each group holds are listed here
and applied by data migrations (see ``sync_role_groups``), so the admin and
``user.has_perm`` agree with what the views allow. Superusers count as every
role.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connections

AGENT = "Agent"
EDITOR = "Editor"
MANAGER = "Manager"
ROLES = (AGENT, EDITOR, MANAGER)

# "app_label.codename"; permissions of apps not yet migrated are skipped.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    AGENT: [
        "articles.view_article",
        "articles.view_issuecategory",
        "tickets.view_ticket",
        "tickets.change_ticket",
        "tickets.add_ticket",
        "tickets.add_message",
        "tickets.view_customer",
    ],
    EDITOR: [
        "articles.view_article",
        "articles.add_article",
        "articles.change_article",
        "articles.publish_article",
        "articles.view_articlerevision",
        "articles.view_issuecategory",
        "articles.add_issuecategory",
        "articles.change_issuecategory",
    ],
    MANAGER: [
        "articles.view_article",
        "articles.view_issuecategory",
        "tickets.view_ticket",
        "tickets.view_customer",
        "tickets.view_reports",
    ],
}

User = AbstractBaseUser | AnonymousUser


# Plain SQL that SQLite (the demo) reads too: IN with a placeholder per role.
ROLES_SQL = f"""
SELECT g.name FROM auth_group g JOIN auth_user_groups ug ON ug.group_id = g.id
WHERE ug.user_id = %s AND g.name IN ({", ".join(["%s"] * len(ROLES))})
"""


def role_names(user: User) -> frozenset[str]:
    """The user's roles, read once per request object."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return frozenset(ROLES)
    cached = getattr(user, "_role_names", None)
    if cached is None:
        # Every signed-in request asks: written out, as building the ORM's query
        # cost five times what PostgreSQL takes to answer it.
        with connections[user._state.db or DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(ROLES_SQL, [user.pk, *ROLES])
            cached = user._role_names = frozenset(name for (name,) in cursor.fetchall())
    return cached


def has_role(user: User, *roles: str) -> bool:
    return bool(role_names(user) & set(roles))


def is_agent(user: User) -> bool:
    return has_role(user, AGENT)


def is_editor(user: User) -> bool:
    return has_role(user, EDITOR)


def is_manager(user: User) -> bool:
    return has_role(user, MANAGER)


def role_required(*roles: str) -> Callable:
    """Refuse (403) a signed-in user who holds none of ``roles``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                who = " or ".join(f"{role.lower()}s" for role in roles)
                raise PermissionDenied(f"This page is for {who}.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def sync_role_groups(apps, schema_editor=None) -> None:
    """Create the role groups and grant exactly ROLE_PERMISSIONS (data migrations)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted += Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        group.permissions.set(wanted)
