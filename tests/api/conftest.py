import json

import pytest
from django.test import Client

from supportdesk.tokens import create_token


class ApiClient(Client):
    """A client that sends a personal token and JSON bodies."""

    def __init__(self, raw_token: str = "", **defaults):
        if raw_token:
            defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw_token}"
        super().__init__(**defaults)

    def post_json(self, path: str, data=None, **extra):
        return self.post(path, json.dumps(data or {}), content_type="application/json", **extra)


@pytest.fixture
def api_client_for(db):
    """api_client_for(user) -> a client acting with a fresh token of ``user``."""

    def make(user, name: str = "tests") -> ApiClient:
        _, raw = create_token(user=user, name=name)
        return ApiClient(raw)

    return make
