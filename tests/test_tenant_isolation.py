"""Tenant isolation: walk every registered URL and API route as another tenant's people; find nothing.

How it works (and the conventions a module follows to be covered without new test code):

1. Rows. Every tenant-owned model (a TenantScopedModel subclass in the app registry) gets at least
   one row in tenant A (Kota Bandung) whose texts carry the marker `QX~A7`, and one in tenant B
   (Kabupaten Serang) marked `QX~B7`. Rows come from factories registered with
   `praja.core.testing.isolation.register_isolation_factory("app.Model")` (put them in
   `<app>.testing`, imported automatically) or, failing that, from a generic filler. A model
   neither can fill fails this test by name: register a factory for it.
2. Routes. The walker descends `django.urls.get_resolver().url_patterns` recursively, so every page
   and API route a module adds through its manifest is walked. Each URL parameter is filled with
   tenant A's values: `tenant_slug` with B's slug (and, separately, A's); `<thing>_id`, `<thing>_pk`,
   `<thing>_code`, `pk`, `id`, `code` with the ids/codes of A's rows of the model whose name
   matches `<thing>` (`case_id` -> SampleCase, `org_unit_id` -> OrgUnit), else of any of A's
   tenant-owned rows; `uuid` parameters with A's UUIDs. Name parameters this way.
3. Requests. Each route is requested with GET and with every write method the view accepts (POST
   with an empty JSON body, PUT, PATCH, DELETE) as tenant B's official and tenant B's tenant admin
   (second factor verified), each with a fresh session.
4. Assertions.
   - Through B's prefix with A's ids: never a 5xx, never A's marker in the body or a redirect, never
     a redirect into A's prefix. (Refusals are 404/403/401/302-to-login/400/405; a 200 is allowed
     only without A's data, e.g. B's own list.)
   - Through A's prefix: never a 5xx; A's marker may appear only where an anonymous visitor sees it
     too (a public page such as the tenant landing page or a document verification page), so a
     stranger never gains more than the public has.
   - Afterwards every row of tenant A (and A's people) is exactly as before.
   - Positive control: B's admin does see B's own marker somewhere, so the check is not vacuous.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.html import escape

from praja.core.accounts.models import User
from praja.core.testing.isolation import populate_tenant, tenant_scoped_models
from praja.core.testing.permission_matrix import verified_client

MARKER_A = "QX~A7"
MARKER_B = "QX~B7"
WRITE_METHODS = ("post", "put", "patch", "delete")
MAX_COMBINATIONS = 3
MAX_FALLBACK_IDS = 4

_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass
class Route:
    parts: list  # literal strings and ("param", name, converter) tuples
    callback: object
    name: str | None

    @property
    def parameters(self) -> list[tuple[str, str]]:
        return [(part[1], part[2]) for part in self.parts if isinstance(part, tuple)]

    @property
    def display(self) -> str:
        return "/" + "".join(part if isinstance(part, str) else f"<{part[1]}>" for part in self.parts)

    def build(self, values: dict[str, str]) -> str:
        return "/" + "".join(part if isinstance(part, str) else str(values[part[1]]) for part in self.parts)


def _pattern_parts(pattern) -> list | None:
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        parts, position = [], 0
        for match in _ROUTE_PARAMETER.finditer(text):
            parts.append(text[position : match.start()])
            parts.append(("param", match["name"], match["converter"] or "str"))
            position = match.end()
        parts.append(text[position:])
        return [part for part in parts if part != ""]
    if isinstance(pattern, RegexPattern):
        text = text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        parts, position = [], 0
        for match in _REGEX_GROUP.finditer(text):
            parts.append(text[position : match.start()])
            parts.append(("param", match["name"], "regex"))
            position = match.end()
        parts.append(text[position:])
        literal_parts = [part for part in parts if isinstance(part, str)]
        if any(re.search(r"[\\^$.*+?()\[\]{}|]", part) for part in literal_parts):
            return None  # a free-form regex this walker cannot fill; reported as skipped
        return [part for part in parts if part != ""]
    return None


def walk_routes() -> tuple[list[Route], list[str]]:
    """Every URL pattern of the project, flattened, with the patterns that could not be built."""
    routes, skipped = [], []

    def descend(patterns, prefix):
        for entry in patterns:
            parts = _pattern_parts(entry.pattern)
            if parts is None:
                skipped.append(str(entry.pattern))
                continue
            if isinstance(entry, URLResolver):
                descend(entry.url_patterns, prefix + parts)
            elif isinstance(entry, URLPattern):
                routes.append(Route(prefix + parts, entry.callback, entry.name))

    descend(get_resolver().url_patterns, [])
    return routes, skipped


def allowed_methods(callback) -> list[str]:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    actions = getattr(callback, "actions", None)
    if actions:
        methods = set(actions)
    elif view_class is not None:
        methods = {name for name in getattr(view_class, "http_method_names", ()) if hasattr(view_class, name)}
    else:
        methods = {"get", "post"}  # a function view: try both
    return ["get"] + [method for method in WRITE_METHODS if method in methods]


@dataclass
class TenantRows:
    tenant: object
    made: dict
    users: list = field(default_factory=list)

    def rows_of(self, label: str) -> list:
        return self.made.get(label, [])

    def all_rows(self) -> list:
        return [row for rows in self.made.values() for row in rows]


def _normal(text: str) -> str:
    return text.replace("_", "").lower()


def candidate_values(name: str, converter: str, rows: TenantRows) -> list[str]:
    """Tenant A's values for one URL parameter (see the module docstring for the convention)."""
    base = re.sub(r"_(id|pk|code|uuid|slug)$", "", name)
    matching = [
        row
        for label, items in rows.made.items()
        for row in items
        if base not in {"pk", "id", "code", "uuid", "slug"}
        and (
            _normal(label.split(".")[1]) == _normal(base)
            or _normal(label.split(".")[1]).endswith(_normal(base))
        )
    ]
    if base in {"user", "person", "applicant", "holder"}:
        matching = matching or list(rows.users)
    pool = matching or rows.all_rows() + list(rows.users)
    values: list[str] = []
    if converter == "uuid" or name.endswith("uuid"):
        values = [
            str(getattr(row, item.name))
            for row in pool
            for item in row._meta.fields
            if item.get_internal_type() == "UUIDField"
        ] or [str(uuid.uuid4())]
    elif converter == "int" or name in {"pk", "id"} or name.endswith(("_id", "_pk")):
        values = [str(row.pk) for row in pool]
    else:
        attribute = name if name not in {"pk", "id"} else "code"
        for row in pool:
            for candidate in (attribute, base, "code", "slug", "token"):
                value = getattr(row, candidate, None)
                if isinstance(value, str | uuid.UUID) and value:
                    values.append(str(value))
                    break
        values += [str(row.pk) for row in pool]
    unique = list(dict.fromkeys(values))
    return unique[:MAX_FALLBACK_IDS] if not matching else unique


def snapshot(rows: TenantRows) -> dict:
    state = {}
    for model in tenant_scoped_models():
        state[model._meta.label] = sorted(
            json.dumps(item, sort_keys=True, default=str)
            for item in model.all_tenants.filter(tenant=rows.tenant).values()
        )
    state["accounts.User"] = sorted(
        json.dumps(item, sort_keys=True, default=str)
        for item in User.objects.filter(home_tenant=rows.tenant).values()
    )
    return state


def _send(client: Client, method: str, path: str):
    if method == "get":
        return client.get(path, HTTP_ACCEPT="application/json, text/html")
    return getattr(client, method)(path, "{}", content_type="application/json")


def _text_of(response, echoed: tuple[str, ...] = ()) -> str:
    """The body and redirect target, lower-cased, without the values the request itself carried
    (a 404 page or a form may echo the URL; that is our input, not the tenant's data)."""
    body = b"" if getattr(response, "streaming", False) else response.content
    text = body.decode("utf-8", "replace") + " " + response.get("Location", "")
    for value in echoed:
        for form in {value, quote(value), quote(value, safe=""), escape(value), json.dumps(value)[1:-1]}:
            text = text.replace(form, " ")
    return text.lower()


@pytest.fixture
def isolation_world(tenant_a, tenant_b, make_person):
    a_rows = TenantRows(tenant_a, populate_tenant(tenant_a, MARKER_A))
    b_rows = TenantRows(tenant_b, populate_tenant(tenant_b, MARKER_B))
    a_rows.users = list(User.objects.filter(full_name__contains=MARKER_A))
    # Tenant A's own people carry the marker too: an official and an admin of A.
    a_rows.users += [
        make_person(tenant_a, roles=["official"], full_name=f"Pegawai {MARKER_A}"),
        make_person(tenant_a, roles=["tenant_admin"], full_name=f"Admin {MARKER_A}"),
    ]
    b_official = make_person(tenant_b, roles=["official"], full_name="Pegawai Serang")
    b_admin = make_person(tenant_b, roles=["tenant_admin"], full_name="Admin Serang")
    return a_rows, b_rows, {"b_official": b_official, "b_admin": b_admin}


@pytest.mark.django_db
def test_no_route_shows_or_changes_another_tenants_data(isolation_world, tenant_a, tenant_b):
    a_rows, b_rows, people = isolation_world
    routes, skipped = walk_routes()
    walked = {route.display for route in routes}
    # The walker must see the core API; a walker that finds nothing proves nothing.
    assert {
        "/t/<tenant_slug>/api/v1/org-units/<pk>/",
        "/t/<tenant_slug>/api/v1/roles/<pk>/revoke/",
    } <= walked, walked
    assert not [text for text in skipped if "tenant_slug" in text], skipped

    before = snapshot(a_rows)
    marker_a, marker_b = MARKER_A.lower(), MARKER_B.lower()
    failures: list[str] = []
    saw_own_marker = False
    requests = 0
    for route in routes:
        parameters = route.parameters
        is_tenant_route = any(name == "tenant_slug" for name, _converter in parameters)
        choices = [
            candidate_values(name, converter, a_rows) if name != "tenant_slug" else ["<slug>"]
            for name, converter in parameters
        ]
        combinations = list(itertools.islice(itertools.product(*choices), MAX_COMBINATIONS))
        prefixes = [tenant_b, tenant_a] if is_tenant_route else [None]
        clients = {label: verified_client(person) for label, person in people.items()}
        anonymous = Client()
        for values, prefix_tenant, method in itertools.product(
            combinations, prefixes, allowed_methods(route.callback)
        ):
            arguments = {name: value for (name, _converter), value in zip(parameters, values, strict=True)}
            if prefix_tenant is not None:
                arguments["tenant_slug"] = prefix_tenant.slug
            path = route.build(arguments)
            echoed = tuple(str(value) for value in values if str(value) != "<slug>")
            public_text = None
            for label, client in clients.items():
                response = _send(client, method, path)
                requests += 1
                text = _text_of(response, echoed)
                where = f"{label} {method.upper()} {path} ({route.display}) -> {response.status_code}"
                if response.status_code >= 500:
                    failures.append(f"server error: {where}")
                    continue
                if prefix_tenant is tenant_a or prefix_tenant is None:
                    if marker_a in text:
                        if public_text is None:
                            public_text = _text_of(_send(anonymous, method, path), echoed)
                        if marker_a not in public_text:
                            failures.append(f"tenant A's data shown to a stranger (not public): {where}")
                    continue
                if marker_a in text:
                    failures.append(f"tenant A's data under tenant B's prefix: {where}")
                if f"/t/{tenant_a.slug}/" in response.get("Location", ""):
                    failures.append(f"redirect into tenant A: {where} Location={response['Location']}")
                if label == "b_admin" and marker_b in text:
                    saw_own_marker = True

    after = snapshot(a_rows)
    changed = [label for label in before if before[label] != after[label]]
    print(f"isolation walker: {len(routes)} routes, {requests} requests")
    assert not failures, f"{len(failures)} isolation failures in {requests} requests:\n" + "\n".join(
        failures[:60]
    )
    assert not changed, f"tenant A's rows changed by tenant B's requests: {changed}"
    assert saw_own_marker, "B's admin never saw B's own rows: the walker's marker check would prove nothing"
    assert b_rows.made, "no tenant-owned rows were created"


def test_walker_fills_parameters_by_name_and_reaches_module_routes(db):
    routes, _skipped = walk_routes()
    displays = {route.display for route in routes}
    assert "/t/<tenant_slug>/api/v1/me/" in displays
    assert "/healthz" in displays
    org_units = next(route for route in routes if route.display == "/t/<tenant_slug>/api/v1/org-units/<pk>/")
    assert org_units.parameters == [("tenant_slug", "slug"), ("pk", "int")]
    assert allowed_methods(org_units.callback) == ["get"]
    revoke = next(route for route in routes if route.display == "/t/<tenant_slug>/api/v1/roles/<pk>/revoke/")
    assert allowed_methods(revoke.callback) == ["get", "post"]
