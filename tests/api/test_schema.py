from __future__ import annotations

import json

import yaml
from drf_spectacular.validation import validate_schema

ENDPOINTS = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/orgs/": {"get"},
    "/api/v1/orgs/{org_id}/": {"get"},
    "/api/v1/orgs/{org_id}/children/": {"get"},
    "/api/v1/members/": {"get", "post"},
    "/api/v1/members/{member_id}/": {"get", "patch"},
}


def test_schema_is_openapi_json_with_every_endpoint(world, api_for):
    response = api_for("member").get("/api/v1/schema/")
    assert response.status_code == 200
    assert "json" in response["Content-Type"]
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "chibo API"
    for path, methods in ENDPOINTS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path
    assert "/api/v1/schema/" not in schema["paths"]
    validate_schema(schema)


def test_schema_documents_auth_pagination_and_shapes(world, client_for):
    schema = client_for("staff").get("/api/v1/schema/").json()
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert schema["paths"]["/api/v1/auth/token/"]["post"].get("security", []) in ([], [{}])  # no token needed
    assert {"tokenAuth": []} in schema["paths"]["/api/v1/orgs/"]["get"]["security"]
    org_list = schema["paths"]["/api/v1/orgs/"]["get"]
    assert {"as_of", "parent", "page", "page_size"} <= {p["name"] for p in org_list["parameters"]}
    assert org_list["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("PaginatedOrgList")
    member_list = schema["paths"]["/api/v1/members/"]["get"]
    assert {"q", "org", "status"} <= {p["name"] for p in member_list["parameters"]}
    components = schema["components"]["schemas"]
    assert {"id", "code", "name", "kind", "parent", "depth", "valid_from"} <= set(components["Org"]["properties"])
    assert {"org", "citizen_id", "date_of_birth", "sex"} <= set(components["MemberCreate"]["required"])
    assert "PatchedMemberProfile" in components


def test_schema_as_yaml(world, api_for):
    response = api_for("admin").get("/api/v1/schema/?format=yaml")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/members/" in schema["paths"]
