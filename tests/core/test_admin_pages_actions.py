"""What a tenant admin and a platform operator change through their pages, and its audit trail."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from praja.core.accounts import admin_actions
from praja.core.accounts.models import OrgUnit, Position, RoleGrant, User
from praja.core.audit.models import AuditEvent
from praja.core.notifications.models import OutboxMessage
from praja.core.tenancy.models import Tenant, TenantModule
from praja.core.tenancy.urls import tenant_reverse

pytestmark = pytest.mark.django_db

VALID_NIP = "199001152015031002"


@pytest.fixture
def admin(tenant_a, make_person, totp_for):
    user = make_person(tenant_a, roles=["tenant_admin"], full_name="Admin Bandung")
    totp_for(user)
    return user


@pytest.fixture
def client_a(admin, login_client):
    return login_client(admin, otp_device=TOTPDevice.objects.get(user=admin))


def url(name, tenant, **kwargs):
    return tenant_reverse(name, tenant=tenant, kwargs=kwargs or None)


def events(tenant, event_type):
    return [
        json.loads(event.data)
        for event in AuditEvent.objects.filter(tenant=tenant, event_type=event_type).order_by("seq")
    ]


# --- People ------------------------------------------------------------------------------------------


def test_creating_an_official_grants_the_role_mails_a_password_link_and_is_audited(
    tenant_a, admin, client_a, in_tenant
):
    with in_tenant(tenant_a):
        dinas = OrgUnit.objects.create(code="1.01", name="Dinas Pendidikan", kind="perangkat_daerah")
    response = client_a.post(
        url("manage-official-create", tenant_a),
        {
            "nip": "19900115 201503 1 002",
            "full_name": "Siti Rahayu",
            "email": "Siti@Bandung.go.id",
            "phone": "081234567890",
            "org_unit": dinas.pk,
        },
    )
    official = User.objects.get(nip=VALID_NIP)
    assert response.status_code == 302
    assert response["Location"] == url("manage-person", tenant_a, user_id=official.pk)
    assert (official.full_name, official.email, official.home_tenant, official.has_usable_password()) == (
        "Siti Rahayu",
        "siti@bandung.go.id",
        tenant_a,
        False,
    )
    with in_tenant(tenant_a):
        assert list(RoleGrant.objects.filter(user=official).values_list("role", "org_unit__code")) == [
            ("official", "1.01")
        ]
    assert events(tenant_a, "accounts.official_created") == [
        {"user_id": official.pk, "nip": VALID_NIP, "full_name": "Siti Rahayu", "email": "siti@bandung.go.id"}
    ]
    assert events(tenant_a, "accounts.role_granted") == [
        {"user_id": official.pk, "role": "official", "org_unit": "1.01"}
    ]
    mail = OutboxMessage.objects.get(recipient=official, channel="email")
    assert mail.address == "siti@bandung.go.id"
    assert "/t/kota-bandung/password/reset/" in mail.body
    page = client_a.get(response["Location"]).content.decode()
    assert "Siti Rahayu ditambahkan; tautan untuk membuat kata sandi dikirim ke siti@bandung.go.id." in page


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("19901340 201503 1 002", "Tanggal lahir dalam NIP (digit 1-8, 19901340) bukan tanggal yang sah."),
        ("19900115 201513 1 002", "TMT CPNS dalam NIP (digit 9-14, 201513) bukan tahun-bulan yang sah."),
        (
            "19900115 201503 3 002",
            "Kode jenis kelamin NIP (digit 15) harus 1 (laki-laki) atau 2 (perempuan).",
        ),
        ("1990011520150310", "NIP harus 18 digit; yang Anda isi 16 digit."),
    ],
)
def test_invalid_nip_is_a_field_error_naming_the_wrong_part_and_nothing_is_stored(
    tenant_a, client_a, nip, message
):
    users_before, events_before = User.objects.count(), AuditEvent.objects.count()
    response = client_a.post(
        url("manage-official-create", tenant_a),
        {"nip": nip, "full_name": "Siti Rahayu", "email": "siti@bandung.go.id"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"nip": [message]}
    assert (User.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count()) == (
        users_before,
        events_before,
        0,
    )


def test_duplicate_nip_and_email_are_refused_by_the_action(tenant_a, admin, make_person, in_tenant):
    make_person(tenant_a, nip=VALID_NIP, email="ada@bandung.go.id")
    with in_tenant(tenant_a), pytest.raises(ValidationError) as caught:
        admin_actions.create_official(actor=admin, nip=VALID_NIP, full_name="X", email="ADA@bandung.go.id")
    assert caught.value.message_dict == {
        "nip": [f"NIP {VALID_NIP} sudah terdaftar."],
        "email": ["Email ada@bandung.go.id sudah dipakai akun lain."],
    }


def test_people_search_by_name_and_nip(tenant_a, client_a, make_person):
    make_person(tenant_a, roles=["official"], full_name="Budi Santoso", nip="198501012010011001")
    make_person(tenant_a, roles=["official"], full_name="Ani Lestari", nip="198702022011012002")
    make_person(tenant_a, full_name="Budi Warga")  # a citizen, not an official
    by_name = client_a.get(url("manage-people", tenant_a), {"q": "budi"})
    assert [person.full_name for person in by_name.context["officials"]] == ["Budi Santoso"]
    by_nip = client_a.get(url("manage-people", tenant_a), {"q": "19870202"})
    assert [person.full_name for person in by_nip.context["officials"]] == ["Ani Lestari"]


# --- Organisation ------------------------------------------------------------------------------------


def test_org_units_positions_and_holders_are_created_through_pages_and_audited(
    tenant_a, admin, client_a, make_person, in_tenant
):
    client_a.post(
        url("manage-org-units", tenant_a),
        {"code": "1.01", "name": "Dinas Kesehatan", "short_name": "Dinkes", "kind": "perangkat_daerah"},
    )
    with in_tenant(tenant_a):
        dinas = OrgUnit.objects.get(code="1.01")
    response = client_a.post(
        url("manage-org-units", tenant_a), {"code": "1.01.1", "name": "Bidang P2P", "kind": "unit"}
    )
    assert response.context["form"].errors == {
        "parent": ["Unit kerja harus berada di bawah sebuah perangkat daerah."]
    }
    client_a.post(
        url("manage-org-units", tenant_a),
        {"code": "1.01.1", "name": "Bidang P2P", "kind": "unit", "parent": dinas.pk},
    )
    client_a.post(
        url("manage-position-create", tenant_a, unit_id=dinas.pk), {"title": "Kepala Dinas", "job_class": 15}
    )
    with in_tenant(tenant_a):
        head = Position.objects.get(title="Kepala Dinas")
    client_a.post(
        url("manage-position-create", tenant_a, unit_id=dinas.pk),
        {"title": "Sekretaris", "supervisor": head.pk},
    )
    official = make_person(tenant_a, roles=["official"])
    citizen = make_person(tenant_a)
    response = client_a.post(url("manage-position", tenant_a, position_id=head.pk), {"holder": citizen.pk})
    assert "holder" in response.context["form"].errors  # a citizen is not among the choices
    client_a.post(url("manage-position", tenant_a, position_id=head.pk), {"holder": official.pk})
    with in_tenant(tenant_a):
        secretary = Position.objects.get(title="Sekretaris")
        assert secretary.supervisor.holder == official
        assert OrgUnit.objects.get(code="1.01.1").parent == dinas
    assert [event["code"] for event in events(tenant_a, "accounts.org_unit_created")] == ["1.01", "1.01.1"]
    assert [event["title"] for event in events(tenant_a, "accounts.position_created")] == [
        "Kepala Dinas",
        "Sekretaris",
    ]
    assert events(tenant_a, "accounts.position_holder_assigned") == [
        {"before": None, "after": official.pk, "title": "Kepala Dinas"}
    ]


def test_org_unit_edit_and_delete(tenant_a, admin, client_a, in_tenant):
    with in_tenant(tenant_a):
        dinas = admin_actions.create_org_unit(
            actor=admin, code="1.01", name="Dinas Kesehatan", kind="perangkat_daerah"
        )
        admin_actions.create_position(actor=admin, org_unit=dinas, title="Kepala Dinas")
    client_a.post(
        url("manage-org-unit", tenant_a, unit_id=dinas.pk), {"code": "1.02", "name": "Dinas Kesehatan Kota"}
    )
    assert events(tenant_a, "accounts.org_unit_updated") == [
        {
            "before": {"code": "1.01", "name": "Dinas Kesehatan", "short_name": "", "parent": None},
            "after": {"code": "1.02", "name": "Dinas Kesehatan Kota", "short_name": "", "parent": None},
        }
    ]
    refused = client_a.post(url("manage-org-unit-delete", tenant_a, unit_id=dinas.pk), follow=True)
    assert (
        "Dinas Kesehatan Kota masih memiliki unit, jabatan atau peran di bawahnya; pindahkan atau hapus dulu."
        in refused.content.decode()
    )
    with in_tenant(tenant_a):
        Position.objects.all().delete()
    client_a.post(url("manage-org-unit-delete", tenant_a, unit_id=dinas.pk))
    with in_tenant(tenant_a):
        assert not OrgUnit.objects.exists()
    assert events(tenant_a, "accounts.org_unit_deleted") == [{"code": "1.02", "name": "Dinas Kesehatan Kota"}]


# --- Roles ---------------------------------------------------------------------------------------------


def test_grant_and_revoke_a_role_per_perangkat_daerah(tenant_a, admin, client_a, make_person, in_tenant):
    official = make_person(tenant_a, roles=["official"])
    with in_tenant(tenant_a):
        dinas = OrgUnit.objects.create(code="1.01", name="DPMPTSP", kind="perangkat_daerah")
    response = client_a.post(
        url("manage-role-grant", tenant_a, user_id=official.pk),
        {"role": "approver", "org_unit": dinas.pk},
        follow=True,
    )
    assert "Peran Pejabat penyetuju/penandatangan diberikan kepada" in response.content.decode()
    with in_tenant(tenant_a):
        grant = RoleGrant.objects.get(user=official, role="approver")
    assert (grant.org_unit, grant.granted_by) == (dinas, admin)
    client_a.post(url("manage-role-revoke", tenant_a, grant_id=grant.pk))
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert events(tenant_a, "accounts.role_granted") == [
        {"user_id": official.pk, "role": "approver", "org_unit": "1.01"}
    ]
    assert events(tenant_a, "accounts.role_revoked") == [
        {"user_id": official.pk, "role": "approver", "org_unit": "1.01"}
    ]


def test_role_grants_keep_separation_of_duties(tenant_a, admin, make_person, in_tenant):
    official = make_person(tenant_a, roles=["official"])
    with in_tenant(tenant_a):
        with pytest.raises(
            ValidationError,
            match="Pemisahan tugas: .* memegang peran Pegawai \\(ASN\\), yang tidak "
            "boleh digabung dengan Inspektorat \\(APIP\\).",
        ):
            admin_actions.grant_role(actor=admin, user=official, role="inspector")
        with pytest.raises(PermissionDenied, match="Anda tidak dapat memberi peran kepada diri sendiri."):
            admin_actions.grant_role(actor=admin, user=admin, role="approver")
        with pytest.raises(ValidationError, match="sudah memegang peran Pegawai"):
            admin_actions.grant_role(actor=admin, user=official, role="official")
        with pytest.raises(PermissionDenied):
            admin_actions.grant_role(actor=official, user=admin, role="inspector")
        assert RoleGrant.objects.filter(user=official).count() == 1
    assert events(tenant_a, "accounts.role_granted") == []


# --- Modules -------------------------------------------------------------------------------------------


def test_module_switch_is_reflected_in_tenant_module_and_audit(tenant_a, client_a, in_tenant):
    switch = url("manage-module-switch", tenant_a, module="sample")
    page = client_a.post(switch, {"enabled": "1"}, follow=True).content.decode()
    assert "Modul Layanan contoh diaktifkan." in page
    with in_tenant(tenant_a):
        item = TenantModule.objects.get(module="sample")
    assert (item.is_enabled, item.parameters) == (
        True,
        {"sla_days": 5, "fee": 0.0, "requires_attachment": True, "intro_text": "Selamat datang"},
    )
    landing = Client().get("/t/kota-bandung/").content.decode()
    assert '<a href="/t/kota-bandung/sample/">Layanan contoh</a>' in landing
    client_a.post(switch, {"enabled": "0"})
    item.refresh_from_db()
    assert item.is_enabled is False
    assert [
        event.event_type
        for event in AuditEvent.objects.filter(
            tenant=tenant_a, event_type__startswith="tenant.module"
        ).order_by("seq")
    ] == ["tenant.module_enabled", "tenant.module_disabled"]


def test_module_parameters_are_typed_and_changes_audited_with_before_and_after(tenant_a, client_a, in_tenant):
    page = url("manage-module-parameters", tenant_a, module="sample")
    refused = client_a.post(page, {"sla_days": "lima", "fee": "2500.5", "intro_text": "Halo"})
    assert refused.context["form"].errors == {"sla_days": ["Masukkan keseluruhan angka bilangan."]}
    assert not AuditEvent.objects.filter(event_type="tenant.module_parameters_changed").exists()
    # An unticked checkbox is False; unchanged values stay out of the audit event.
    client_a.post(page, {"sla_days": "7", "fee": "2500.5", "intro_text": "Selamat datang"})
    with in_tenant(tenant_a):
        item = TenantModule.objects.get(module="sample")
    assert (item.is_enabled, item.parameters) == (
        False,
        {"sla_days": 7, "fee": 2500.5, "requires_attachment": False, "intro_text": "Selamat datang"},
    )
    assert events(tenant_a, "tenant.module_parameters_changed") == [
        {
            "module": "sample",
            "before": {"fee": 0.0, "requires_attachment": True, "sla_days": 5},
            "after": {"fee": 2500.5, "requires_attachment": False, "sla_days": 7},
        }
    ]


def test_parameter_types_are_checked_by_the_action_too(tenant_a, admin):
    from praja.core.tenancy.actions import set_module_parameters

    with pytest.raises(ValidationError) as caught:
        set_module_parameters(
            actor=admin, tenant=tenant_a, module="sample", parameters={"sla_days": True, "warna": "merah"}
        )
    assert caught.value.message_dict == {
        "sla_days": ["Parameter sla_days harus bertipe int."],
        "warna": ["Parameter warna tidak dikenal modul ini."],
    }


# --- Letterhead, logo, host name ------------------------------------------------------------------------


def _image(image_format: str, size=(64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 92, 173)).save(buffer, format=image_format)
    return buffer.getvalue()


def test_letterhead_change_is_audited_and_shown_on_the_landing_page(tenant_a, client_a):
    client_a.post(
        url("manage-settings", tenant_a),
        {
            "section": "letterhead",
            "letterhead_title": "PEMERINTAH KOTA BANDUNG",
            "letterhead_address": "Jl. Wastukencana No. 2, Bandung 40117",
            "letterhead_contact": "(022) 4234793",
        },
    )
    tenant_a.refresh_from_db()
    assert tenant_a.letterhead_title == "PEMERINTAH KOTA BANDUNG"
    assert events(tenant_a, "tenant.letterhead_changed") == [
        {
            "before": {"letterhead_address": "", "letterhead_contact": "", "letterhead_title": ""},
            "after": {
                "letterhead_address": "Jl. Wastukencana No. 2, Bandung 40117",
                "letterhead_contact": "(022) 4234793",
                "letterhead_title": "PEMERINTAH KOTA BANDUNG",
            },
        }
    ]
    assert "Jl. Wastukencana No. 2, Bandung 40117" in Client().get("/t/kota-bandung/").content.decode()


def test_logo_is_checked_by_content_and_size(tenant_a, client_a):
    settings_url = url("manage-settings", tenant_a)
    renamed = SimpleUploadedFile("logo.png", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/png")
    response = client_a.post(settings_url, {"section": "logo", "logo": renamed})
    assert response.context["logo_form"].errors == {
        "logo": ["Berkas logo bukan gambar PNG atau JPEG yang utuh."]
    }
    gif = SimpleUploadedFile("logo.png", _image("GIF"), content_type="image/png")
    response = client_a.post(settings_url, {"section": "logo", "logo": gif})
    assert response.context["logo_form"].errors == {
        "logo": ["Logo harus berupa gambar PNG atau JPEG (berkas ini GIF)."]
    }
    huge = SimpleUploadedFile("logo.png", b"\x89PNG" + b"\x00" * (600 * 1024), content_type="image/png")
    response = client_a.post(settings_url, {"section": "logo", "logo": huge})
    assert response.context["logo_form"].errors == {"logo": ["Logo terlalu besar: maksimal 512 KB."]}
    tenant_a.refresh_from_db()
    assert not tenant_a.logo
    assert not AuditEvent.objects.filter(event_type="tenant.logo_changed").exists()

    jpeg = _image("JPEG")
    client_a.post(settings_url, {"section": "logo", "logo": SimpleUploadedFile("kop.jpeg", jpeg)})
    tenant_a.refresh_from_db()
    assert tenant_a.logo.name.endswith(".jpg")
    [event] = events(tenant_a, "tenant.logo_changed")
    assert (event["before"], event["bytes"]) == (None, len(jpeg))
    served = Client().get("/t/kota-bandung/logo")
    assert (served.status_code, served["Content-Type"], b"".join(served.streaming_content)) == (
        200,
        "image/jpeg",
        jpeg,
    )
    assert 'src="/t/kota-bandung/logo"' in Client().get("/t/kota-bandung/").content.decode()


def test_host_name_is_validated_unique_and_audited(tenant_a, tenant_b, client_a):
    tenant_b.host_name = "layanan.serangkab.go.id"
    tenant_b.save()
    settings_url = url("manage-settings", tenant_a)
    for value, message in [
        (
            "bukan host!",
            "Nama host bukan host! tidak sah: gunakan huruf kecil, angka, tanda hubung dan titik, "
            "mis. layanan.bandung.go.id.",
        ),
        ("layanan.serangkab.go.id", "Nama host layanan.serangkab.go.id sudah dipakai daerah lain."),
        (
            "localhost",
            "Nama host localhost tidak sah: gunakan huruf kecil, angka, tanda hubung dan titik, "
            "mis. layanan.bandung.go.id.",
        ),
    ]:
        response = client_a.post(settings_url, {"section": "host", "host_name": value})
        assert response.context["host_form"].errors == {"host_name": [message]}
    client_a.post(settings_url, {"section": "host", "host_name": "Layanan.Bandung.go.id"})
    tenant_a.refresh_from_db()
    assert tenant_a.host_name == "layanan.bandung.go.id"
    assert events(tenant_a, "tenant.host_name_changed") == [
        {"before": None, "after": "layanan.bandung.go.id"}
    ]
    assert Client().get("/", HTTP_HOST="layanan.bandung.go.id").status_code == 200


# --- Holidays ------------------------------------------------------------------------------------------


def test_tenant_holidays_are_added_and_removed_from_the_page(tenant_a, client_a, in_tenant):
    holidays_url = url("manage-holidays", tenant_a)
    # 25 September 2031 is a Thursday: Hari Jadi Kota Bandung.
    response = client_a.post(
        holidays_url, {"date": "2031-09-25", "name": "Hari Jadi Kota Bandung", "kind": "day_off"}, follow=True
    )
    assert "Hari Jadi Kota Bandung ditambahkan ke kalender daerah." in response.content.decode()
    refused = client_a.post(holidays_url, {"date": "2031-09-27", "name": "Sabtu", "kind": "day_off"})
    assert refused.context["form"].errors["date"] == ["Sabtu, 27 September 2031 sudah akhir pekan."]
    client_a.post(url("manage-holiday-remove", tenant_a), {"date": "2031-09-25"})
    assert [event["date"] for event in events(tenant_a, "calendar.holiday_added")] == ["2031-09-25"]
    assert [event["date"] for event in events(tenant_a, "calendar.holiday_removed")] == ["2031-09-25"]
    assert "Belum ada hari libur daerah." in client_a.get(holidays_url).content.decode()


# --- Work queue -----------------------------------------------------------------------------------------


def test_work_queue_lists_enabled_modules_items_first_in_first_out(
    tenant_a, admin, make_person, login_client, in_tenant
):
    from praja.core.tenancy.actions import set_module_enabled
    from praja.core.workflow import transition
    from tests.caseapp.models import SampleCase

    official = make_person(tenant_a, roles=["official"])
    queue = login_client(official)
    assert (
        "Tidak ada berkas yang menunggu tindakan Anda."
        in queue.get(url("work-queue", tenant_a)).content.decode()
    )
    with in_tenant(tenant_a):
        first = SampleCase.objects.create(title="Izin usaha Warung Sari", applicant=official)
        second = SampleCase.objects.create(title="Izin reklame Toko Maju", applicant=official)
        SampleCase.objects.create(title="Draf", applicant=official)
    # Submitted in the other order: the queue is first in, first out by submission, not by creation.
    transition(second, "submit", actor=official)
    transition(first, "submit", actor=official)
    assert (
        "Tidak ada berkas yang menunggu tindakan Anda."
        in queue.get(url("work-queue", tenant_a)).content.decode()
    )  # the module is still off
    set_module_enabled(actor=admin, tenant=tenant_a, module="sample", enabled=True)
    response = queue.get(url("work-queue", tenant_a))
    assert [
        (item.title, item.status_label, item.sla_days_left, item.url) for item in response.context["items"]
    ] == [
        ("Izin reklame Toko Maju", "Diajukan", 5, f"/t/kota-bandung/sample/{second.pk}/"),
        ("Izin usaha Warung Sari", "Diajukan", 5, f"/t/kota-bandung/sample/{first.pk}/"),
    ]
    assert "2 berkas menunggu, yang terlama di atas." in response.content.decode()


# --- Platform operator ----------------------------------------------------------------------------------


@pytest.fixture
def operator(make_person, totp_for):
    user = make_person(None, is_platform_operator=True, email="operator@praja.go.id")
    token = totp_for(user)
    user.token = token
    return user


def test_operator_logs_in_with_totp_and_the_login_is_on_the_platform_chain(operator):
    client = Client()
    page = client.post("/login/", {"identifier": "operator@praja.go.id", "password": "rahasia-uji-123"})
    assert page.context["form"].errors == {
        "otp_token": ["Akun ini memakai kode autentikator: isi kode 6 digit yang berlaku."]
    }
    response = client.post(
        "/login/",
        {"identifier": "operator@praja.go.id", "password": "rahasia-uji-123", "otp_token": operator.token()},
    )
    assert (response.status_code, response["Location"]) == (302, "/platform/")
    assert client.get("/platform/").status_code == 200
    [event] = AuditEvent.objects.filter(tenant=None, event_type="platform.operator_login")
    assert json.loads(event.data) == {"second_factor": True}
    client.post("/logout/")
    assert client.get("/platform/")["Location"] == "/login/?next=%2Fplatform%2F"


def test_wrong_password_says_so_without_naming_which_part(operator):
    page = Client().post("/login/", {"identifier": "operator@praja.go.id", "password": "salah-sekali-1"})
    assert page.context["form"].non_field_errors() == ["Email/NIK/NIP atau kata sandi salah."]


def test_operator_adds_lists_and_deactivates_tenants(tenant_a, operator, login_client):
    client = login_client(operator, otp_device=TOTPDevice.objects.get(user=operator))
    refused = client.post("/platform/", {"code": "99.99"})
    assert refused.context["form"].errors == {
        "code": ["Kode 99.99 bukan kode provinsi atau kabupaten/kota dalam data wilayah Kemendagri."]
    }
    client.post("/platform/", {"code": "36.03"})
    added = Tenant.objects.get(code="36.03")
    assert (added.name, added.slug, added.timezone_label) == (
        "Kabupaten Tangerang",
        "kabupaten-tangerang",
        "WIB",
    )
    page = client.get("/platform/")
    assert [(t.code, t.people_count) for t in page.context["tenants"]] == [("32.73", 0), ("36.03", 0)]
    client.post(f"/platform/tenants/{tenant_a.pk}/active/", {"active": "0"})
    tenant_a.refresh_from_db()
    assert tenant_a.is_active is False
    assert Client().get("/t/kota-bandung/").status_code == 404
    assert "Kota Bandung" not in Client().get("/").content.decode()
    assert [e.event_type for e in AuditEvent.objects.filter(event_type="tenant.deactivated")] == [
        "tenant.deactivated",
        "tenant.deactivated",
    ]  # on the tenant's chain and on the platform's


def test_only_operators_add_tenants(tenant_a, make_person):
    from praja.core.tenancy.actions import add_tenant

    with pytest.raises(PermissionDenied, match="Hanya operator platform"):
        add_tenant(code="36.03", actor=make_person(tenant_a, roles=["tenant_admin"]))
    assert not Tenant.objects.filter(code="36.03").exists()


def test_queue_items_with_dates_and_datetimes_sort_together(tenant_a, in_tenant):
    from praja.core.web.selectors import _as_datetime

    moments = [_as_datetime(datetime.date(2031, 1, 2)), _as_datetime(datetime.datetime(2031, 1, 1, 9, 0))]
    assert sorted(moments)[0].day == 1
