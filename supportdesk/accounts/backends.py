"""Signing in and loading the signed-in user on every request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connections
from django.db.models import Q

from supportdesk.roles import ROLES


class RolesBackend(ModelBackend):
    """Django's model backend, whose ``get_user`` (run on every request) reads the
    user's roles in the same query: ``roles.role_names`` then needs none of its own."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.filter(pk=user_id)
        with_roles = connections[users.db].vendor == "postgresql"
        if with_roles:
            users = users.annotate(
                role_list=ArrayAgg("groups__name", filter=Q(groups__name__in=ROLES), default=[])
            )
        user = next(iter(users), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        if with_roles:
            user._role_names = frozenset(user.role_list)
        return user
