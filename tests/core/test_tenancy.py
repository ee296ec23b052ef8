import pytest
from django.core.exceptions import ValidationError

from praja.core.accounts.models import OrgUnit
from praja.core.audit.models import AuditEvent
from praja.core.tenancy.actions import add_tenant
from praja.core.tenancy.context import TenantContextMissing, use_tenant


def test_add_tenant_takes_name_level_province_and_timezone_from_reference(db):
    serang = add_tenant(code="36.04")
    mataram = add_tenant(code="52.71")
    jayapura = add_tenant(code="91.71")
    assert (serang.name, serang.slug, serang.level, serang.province_name, serang.timezone_label) == (
        "Kabupaten Serang",
        "kabupaten-serang",
        "kabupaten",
        "Banten",
        "WIB",
    )
    assert (mataram.name, mataram.level, mataram.timezone_label) == ("Kota Mataram", "kota", "WITA")
    assert jayapura.timezone_label == "WIT"
    assert AuditEvent.objects.filter(tenant=serang, event_type="tenant.created").count() == 1


def test_unknown_or_duplicate_code_is_refused_in_indonesian(db):
    with pytest.raises(ValidationError, match="bukan kode provinsi"):
        add_tenant(code="99.99")
    add_tenant(code="32.73")
    with pytest.raises(ValidationError, match="sudah ada"):
        add_tenant(code="32.73")


def test_tenant_owned_rows_refuse_queries_without_a_tenant(tenant_a):
    with pytest.raises(TenantContextMissing):
        list(OrgUnit.objects.all())


def test_tenant_owned_rows_are_invisible_to_another_tenant(tenant_a, tenant_b):
    with use_tenant(tenant_a):
        OrgUnit.objects.create(code="1.01", name="Dinas Pendidikan", kind="perangkat_daerah")
    with use_tenant(tenant_b):
        assert OrgUnit.objects.count() == 0
    with use_tenant(tenant_a):
        assert OrgUnit.objects.get().tenant_id == tenant_a.pk


def test_unknown_tenant_slug_is_a_plain_404(client, tenant_a):
    response = client.get("/t/kota-tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    assert "Bandung" not in response.content.decode()


def test_tenant_host_name_serves_the_tenant_without_prefix(client, tenant_a):
    tenant_a.host_name = "bandung.praja.example"
    tenant_a.save()
    assert client.get("/", HTTP_HOST="bandung.praja.example").status_code == 200
    assert client.get("/", HTTP_HOST="unknown.example").status_code == 404


def test_healthz_answers_when_the_database_answers(client, db):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_tenant_reverse_follows_the_script_prefix_and_the_urlconf(tenant_a, settings, monkeypatch):
    """tenant_reverse remembers URLs; what it remembers must not outlive a change of prefix or URLconf."""
    import sys
    import types

    from django.urls import get_script_prefix, path, set_script_prefix

    from praja.core.tenancy.urls import tenant_reverse

    slug = tenant_a.slug
    assert tenant_reverse("profile", tenant=tenant_a) == f"/t/{slug}/profile/"
    prefix = get_script_prefix()
    set_script_prefix("/praja/")
    try:
        assert tenant_reverse("profile", tenant=tenant_a) == f"/praja/t/{slug}/profile/"
    finally:
        set_script_prefix(prefix)
    other = types.ModuleType("praja_test_other_urls")
    other.urlpatterns = [
        path("t/<slug:tenant_slug>/elsewhere/profile/", lambda request: None, name="profile"),
    ]
    monkeypatch.setitem(sys.modules, "praja_test_other_urls", other)
    settings.ROOT_URLCONF = "praja_test_other_urls"
    assert tenant_reverse("profile", tenant=tenant_a) == f"/t/{slug}/elsewhere/profile/"
    assert tenant_reverse("profile", tenant=tenant_a, kwargs={}) == f"/t/{slug}/elsewhere/profile/"
