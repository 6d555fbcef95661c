"""/api/schema/ is a valid OpenAPI 3 document listing every API route."""

import re

import pytest
from django.test import Client
from openapi_spec_validator import validate

from tests.urlwalk import walk


def api_routes() -> set[str]:
    """Every /api/v1/ route of the URL resolver, written the OpenAPI way."""
    return {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.pattern)
        for route in walk()
        if route.pattern.startswith("api/v1/")
    }


@pytest.fixture
def schema(general_agent, api_client_for) -> dict:
    response = api_client_for(general_agent).get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3(schema):
    validate(schema)  # raises on any error

    assert schema["openapi"].startswith("3.")


def test_schema_lists_every_route(schema):
    routes = api_routes()

    assert len(routes) >= 16
    assert set(schema["paths"]) == routes


def test_schema_documents_bearer_tokens(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_schema_needs_a_caller(db):
    assert Client().get("/api/schema/").status_code == 401


def test_docs_page_loads_only_our_static_files(general_agent):
    client = Client()
    client.force_login(general_agent)

    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")

    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith(("/static/", "/api/docs/")) for s in sources), sources
    assert "<script>" not in page.text and "<style" not in page.text
    assert script.status_code == 200 and "/api/schema/" in script.text
