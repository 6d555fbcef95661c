"""Signing in and the signed-in user, read the way every request reads it.

Every signed-in request loads its user first; building the ORM's query for it
cost several times what the database takes to answer, so its SQL is compiled
once and run again with the id (``kept_instances``). Otherwise Django's
``ModelBackend``: the same passwords, permissions and checks.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import router

from supportdesk.db.kept import kept_instances


class UserBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username is not None and password is not None:
            # Refused here, refused everywhere: Django's own ModelBackend, listed after
            # this one for sessions signed in before it, would check the password again.
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        model = get_user_model()
        found = kept_instances(
            model,
            "signed-in user",
            lambda ids: model._default_manager.filter(pk=ids[0]),
            [user_id],
            alias=router.db_for_read(model),
        )
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
