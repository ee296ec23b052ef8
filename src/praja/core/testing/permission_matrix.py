"""The permission matrix every endpoint must pass: anonymous, other tenant, wrong role, right role.

Use the `permission_matrix` fixture (from praja.core.testing.plugin) in a module's tests:

    def test_people_endpoint_matrix(permission_matrix, tenant_a):
        responses = permission_matrix(
            path=f"/t/{tenant_a.slug}/api/v1/people/",
            method="post", data={...},
            tenant=tenant_a, right_roles=["tenant_admin"], wrong_roles=["official"],
            expect={"right_role": 201},
            snapshot=lambda: sorted(User.objects.values_list("email", flat=True)),
        )
        assert responses["right_role"].json()["email"] == ...

`path` may also be a callable `path(tenant) -> str`, so ids created by `setup(tenant)` can be used.
Each actor gets its own logged-in client; people whose roles need a second factor get a verified
TOTP session. On every refusal the matrix asserts the error envelope and that `snapshot()` (any
function reading the state the request could change) returns the same before and after.

Expected answers (override per actor with `expect`):
- API:  anonymous 401 `not_authenticated`, other tenant 404 `not_found`, wrong role 403, right 200.
- page (`kind="page"`): anonymous 302 to the login page, other tenant 404, wrong role 403, right 200.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ACTORS = ("anonymous", "other_tenant", "wrong_role", "right_role")

API_EXPECTATIONS = {"anonymous": 401, "other_tenant": 404, "wrong_role": 403, "right_role": 200}
PAGE_EXPECTATIONS = {"anonymous": 302, "other_tenant": 404, "wrong_role": 403, "right_role": 200}
ERROR_CODES = {401: "not_authenticated", 404: "not_found", 403: None}


@dataclass
class MatrixPeople:
    """The people the matrix acts as; create once per test with `matrix_people(...)`."""

    right_role: Any
    wrong_role: Any
    other_tenant: Any
    clients: dict[str, Any] = field(default_factory=dict)


def verified_client(user, *, needs_second_factor: bool | None = None):
    """A test client logged in as `user`, with a verified TOTP device when their roles need one."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from praja.core.permissions.checks import requires_second_factor

    client = Client()
    client.force_login(user, backend="praja.core.accounts.backends.IdentifierBackend")
    if needs_second_factor if needs_second_factor is not None else requires_second_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="default", confirmed=True
        )
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


def matrix_people(*, make_person, tenant, other_tenant, right_roles, wrong_roles=()) -> MatrixPeople:
    """Right-role and wrong-role people of `tenant`, and a right-role person of `other_tenant`."""
    from django.test import Client

    people = MatrixPeople(
        right_role=make_person(tenant, roles=list(right_roles)),
        wrong_role=make_person(tenant, roles=list(wrong_roles)),
        other_tenant=make_person(other_tenant, roles=list(right_roles)),
    )
    people.clients = {
        "anonymous": Client(),
        "other_tenant": verified_client(people.other_tenant),
        "wrong_role": verified_client(people.wrong_role),
        "right_role": verified_client(people.right_role),
    }
    return people


def _send(client, method: str, path: str, data: Any):
    method = method.lower()
    if method == "get":
        return client.get(path, data or {}, HTTP_ACCEPT="application/json")
    payload = json.dumps(data if data is not None else {})
    return getattr(client, method)(
        path, payload, content_type="application/json", HTTP_ACCEPT="application/json"
    )


def assert_error_envelope(response, *, status: int, code: str | None = None) -> dict:
    """The response is `status` with `{"error": {"code", "message", "fields"}}` (and `code` if given)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert body["error"]["message"], body
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


def check_permission_matrix(
    *,
    people: MatrixPeople,
    tenant,
    path: str | Callable[[Any], str],
    method: str = "get",
    data: Any = None,
    kind: str = "api",
    expect: dict[str, int] | None = None,
    snapshot: Callable[[], Any] | None = None,
    actors: tuple[str, ...] = ACTORS,
) -> dict[str, Any]:
    """Send the request as each actor and assert the expected answers; returns the responses."""
    expected = {**(API_EXPECTATIONS if kind == "api" else PAGE_EXPECTATIONS), **(expect or {})}
    url = path(tenant) if callable(path) else path
    responses = {}
    # Refusals first, so `snapshot` compares against untouched state; the right role acts last.
    for actor in sorted(actors, key=lambda name: name == "right_role"):
        before = _read_snapshot(snapshot, tenant)
        response = _send(people.clients[actor], method, url, data)
        responses[actor] = response
        status = expected[actor]
        assert response.status_code == status, (
            f"{actor} {method.upper()} {url}: expected {status}, got {response.status_code}: "
            f"{response.content[:400]!r}"
        )
        if status >= 400 and kind == "api":
            assert_error_envelope(response, status=status, code=ERROR_CODES.get(status))
        if status == 302 and actor == "anonymous":
            assert "login" in response["Location"], response["Location"]
        if status >= 300 and snapshot is not None:
            assert _read_snapshot(snapshot, tenant) == before, f"{actor} was refused but something changed"
    return responses


def _read_snapshot(snapshot: Callable[[], Any] | None, tenant) -> Any:
    if snapshot is None:
        return None
    from praja.core.tenancy.context import use_tenant

    with use_tenant(tenant):
        return snapshot()
