"""Screening of a bulk import runs as a background task; the report page shows its status and result."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from praja.core.audit.models import AuditEvent
from praja.core.tenancy.models import TenantModule
from praja.core.testing.permission_matrix import verified_client
from praja.modules.grants.screening import actions
from praja.modules.grants.screening.models import (
    Beneficiary,
    Flag,
    FlagKind,
    ImportBatch,
    ScreeningStatus,
)
from praja.modules.grants.screening.tasks import screen_import_batch_task

pytestmark = pytest.mark.django_db

HEADER = "NIK,No KK,Nama,Tanggal lahir,Jenis kelamin,Nama ibu,Alamat,RT,RW,Kode kelurahan,Telepon,Sumber data,Referensi"  # noqa: E501
AHMAD = "3273011705900001,3273010101090001,Ahmad Fauzi,17-05-1990,L,Siti Aminah,Jl. Merdeka 5,1,2,32.73.01.1001,,DTKS,"  # noqa: E501
ACHMAD = "3273011705900099,3273010101090099,Achmad Fauzy,17-05-1990,L,Siti Aminah,Jalan Merdeka 5,1,2,32.73.01.1001,,DTKS,"  # noqa: E501
BAD = "3273011705900003,3273010101090003,Tanggal Salah,18-05-1990,L,Ibu,Jl. A,,,32.73.01.1001,,DTKS,"


def csv_bytes(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def report_url(tenant, batch_id: int) -> str:
    return f"/t/{tenant.slug}/grants/screening/imports/{batch_id}/"


def status_url(tenant, batch_id: int) -> str:
    return f"/t/{tenant.slug}/grants/screening/imports/{batch_id}/status/"


@pytest.fixture
def officer(tenant_a, make_person):
    return make_person(tenant_a, roles=["grants_registry_officer"], full_name="Petugas Dinsos")


@pytest.fixture
def registered_ahmad(tenant_a, officer, in_tenant, django_capture_on_commit_callbacks):
    with in_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True):
        actions.import_beneficiaries(actor=officer, content=csv_bytes(AHMAD), original_name="awal.csv")


def upload(client, tenant, content: bytes, name: str = "penerima.csv"):
    return client.post(
        f"/t/{tenant.slug}/grants/screening/imports/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_upload_saves_rows_at_once_and_the_task_screens_them_after(
    tenant_a, officer, registered_ahmad, in_tenant, django_capture_on_commit_callbacks
):
    client = verified_client(officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, tenant_a, csv_bytes(ACHMAD, BAD))
    assert response.status_code == 302
    with in_tenant(tenant_a):
        batch = ImportBatch.objects.get(original_name="penerima.csv")
        # The good row and the rejection are saved by the upload; nothing is screened yet.
        assert (batch.imported_count, batch.rejected_count, batch.screening_status) == (
            1, 1, ScreeningStatus.QUEUED,
        )  # fmt: skip
        assert Beneficiary.objects.filter(nik="3273011705900099").exists()
        assert not Flag.objects.exists()
    waiting = client.get(report_url(tenant_a, batch.pk))
    text = waiting.content.decode()
    # No automatic reload (it would throw a screen reader back to the top): the page's script polls
    # the status instead, and a reader without JavaScript has a link to reload.
    assert "Refresh" not in waiting
    assert f'data-status-url="{status_url(tenant_a, batch.pk)}"' in text
    assert "Menunggu penyaringan" in text and "Muat ulang sekarang" in text
    assert "Tanggal Salah" in text  # the rejected rows are reported while screening waits
    assert client.get(status_url(tenant_a, batch.pk)).json() == {
        "status": "queued",
        "progress": 0,
        "flags": 0,
        "in_progress": True,
        "status_html": "<strong>Menunggu penyaringan</strong>",
    }

    assert len(callbacks) == 1
    callbacks[0]()  # the commit hook enqueues the task; the test backend runs it at once

    with in_tenant(tenant_a):
        batch.refresh_from_db()
        assert (batch.screening_status, batch.screening_progress, batch.screening_flags) == (
            ScreeningStatus.DONE, 100, 1,
        )  # fmt: skip
        flag = Flag.objects.get(kind=FlagKind.NEAR_DUPLICATE_PERSON)
        assert flag.subject_label.startswith("Achmad Fauzy")
        events = AuditEvent.objects.filter(event_type="grants_screening.import_screened")
        assert str(batch.pk) in {str(event.object_id) for event in events}
    done = client.get(report_url(tenant_a, batch.pk))
    text = done.content.decode()
    assert "Penyaringan selesai" in text and "1 temuan baru." in text
    assert "data-status-url" not in text and "import_progress.js" not in text  # nothing left to poll
    assert "Achmad Fauzy (NIK 3273011705900099) kemungkinan orang yang sama dengan Ahmad Fauzi" in text
    state = client.get(status_url(tenant_a, batch.pk)).json()
    assert (state["status"], state["progress"], state["flags"], state["in_progress"]) == (
        "done", 100, 1, False,
    )  # fmt: skip
    assert state["status_html"] == "<strong>Penyaringan selesai</strong> — 1 temuan baru."
    assert "Achmad Fauzy (NIK 3273011705900099) kemungkinan orang yang sama" in state["details_html"]


def test_the_task_runs_a_batch_once(
    tenant_a, officer, registered_ahmad, in_tenant, django_capture_on_commit_callbacks
):
    with in_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True):
        batch = actions.import_beneficiaries(actor=officer, content=csv_bytes(ACHMAD), original_name="b.csv")
    result = screen_import_batch_task.enqueue(tenant_a.pk, batch.pk)  # delivered a second time
    assert result.return_value == "skipped"
    with in_tenant(tenant_a):
        assert Flag.objects.filter(kind=FlagKind.NEAR_DUPLICATE_PERSON).count() == 1
        assert AuditEvent.objects.filter(event_type="grants_screening.import_screened").count() == 2


def test_progress_grows_to_the_end(
    tenant_a, officer, registered_ahmad, in_tenant, django_capture_on_commit_callbacks
):
    with in_tenant(tenant_a), django_capture_on_commit_callbacks(execute=False):
        batch = actions.import_beneficiaries(actor=officer, content=csv_bytes(ACHMAD), original_name="b.csv")
    seen: list[int] = []
    with in_tenant(tenant_a):
        assert actions.screen_import_batch(batch=batch, actor=None, progress=seen.append) == 1
    assert seen == sorted(seen) and len(seen) >= 8  # one step per blocking pass, then the flags
    assert seen[-1] == 100


def test_a_failed_screening_shows_why_and_can_be_run_again(
    tenant_a, officer, registered_ahmad, in_tenant, django_capture_on_commit_callbacks
):
    with in_tenant(tenant_a):
        # A tenant admin mistyped the near-duplicate threshold: the screening cannot run.
        TenantModule.objects.update_or_create(
            module="grants", defaults={"parameters": {"screening_near_duplicate_threshold": "delapan lima"}}
        )
    client = verified_client(officer)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, tenant_a, csv_bytes(ACHMAD))
    with in_tenant(tenant_a):
        batch = ImportBatch.objects.get(original_name="penerima.csv")
        assert batch.screening_status == ScreeningStatus.FAILED
        assert batch.screening_error.startswith("ValueError:")
        assert Beneficiary.objects.filter(import_batch=batch).count() == 1  # the rows stay
    page = client.get(report_url(tenant_a, batch.pk)).content.decode()
    assert "Penyaringan gagal; baris yang diterima tetap tersimpan." in page and "Saring ulang" in page

    with in_tenant(tenant_a):
        TenantModule.objects.filter(module="grants").update(parameters={})
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(report_url(tenant_a, batch.pk))
    assert retried.status_code == 302
    with in_tenant(tenant_a):
        batch.refresh_from_db()
        assert (batch.screening_status, batch.screening_flags) == (ScreeningStatus.DONE, 1)
        assert AuditEvent.objects.filter(event_type="grants_screening.import_screening_retried").count() == 1
    # A finished screening is not queued again.
    again = client.post(report_url(tenant_a, batch.pk), follow=True)
    assert "Penyaringan impor ini sedang berjalan atau sudah selesai." in again.content.decode()


def test_retry_needs_the_screening_permission(tenant_a, make_person, officer, in_tenant):
    inspector = make_person(tenant_a, roles=["inspector"])
    with in_tenant(tenant_a):
        batch = ImportBatch.objects.create(
            original_name="x.csv",
            sha256="0" * 64,
            uploaded_by=officer,
            screening_status=ScreeningStatus.FAILED,
        )
        with pytest.raises(actions.PermissionDenied):
            actions.retry_import_screening(actor=inspector, batch=batch)
        batch.refresh_from_db()
        assert batch.screening_status == ScreeningStatus.FAILED


def test_a_file_with_only_bad_rows_needs_no_screening(
    tenant_a, officer, in_tenant, django_capture_on_commit_callbacks
):
    with in_tenant(tenant_a), django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = actions.import_beneficiaries(actor=officer, content=csv_bytes(BAD), original_name="c.csv")
    assert callbacks == []
    with in_tenant(tenant_a):
        batch.refresh_from_db()
        assert (batch.screening_status, batch.screening_progress) == (ScreeningStatus.DONE, 100)
