"""Daily signed checkpoints of the audit chain and their public page."""

from __future__ import annotations

import base64
import datetime
import re

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from praja.core.audit.actions import (
    AuditChainBroken,
    create_daily_checkpoint,
    create_daily_checkpoints_for_all_tenants,
    record,
)
from praja.core.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent
from praja.core.audit.signing import verify_checkpoint
from praja.core.audit.verification import verify_chain
from praja.core.tenancy.context import use_tenant

DAY = datetime.date(2026, 11, 28)


def add_events(tenant, count: int) -> None:
    with use_tenant(tenant):
        for number in range(count):
            record("sample.changed", data={"number": number})


def offline_check(certificate_pem: bytes, text: str, signature_b64: str) -> bool:
    """What anyone can do with the public page and the certificate, without Praja's code."""
    certificate = x509.load_pem_x509_certificate(certificate_pem)
    try:
        certificate.public_key().verify(
            base64.b64decode(signature_b64), text.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature:
        return False
    return True


def test_checkpoint_signs_the_chain_head_and_verifies(tenant_a, client):
    add_events(tenant_a, 3)
    head = AuditChainHead.objects.get(tenant=tenant_a)
    checkpoint = create_daily_checkpoint(tenant_a, DAY)
    assert (checkpoint.date, checkpoint.seq, checkpoint.head_hash) == (DAY, 4, head.hash)
    assert verify_checkpoint(checkpoint).valid
    pem = client.get("/t/kota-bandung/audit/certificate.pem").content
    text = f"praja-audit-checkpoint|32.73|2026-11-28|4|{head.hash}"
    assert offline_check(pem, text, checkpoint.signature)
    assert not offline_check(pem, text.replace("|4|", "|3|"), checkpoint.signature)


def test_checkpoint_is_idempotent_per_day_and_defaults_to_the_tenant_today(tenant_a):
    first = create_daily_checkpoint(tenant_a)
    add_events(tenant_a, 2)
    again = create_daily_checkpoint(tenant_a)
    assert again.pk == first.pk and again.seq == first.seq == 1
    assert first.date == timezone.localdate(timezone=datetime.timezone(datetime.timedelta(hours=7)))
    assert AuditCheckpoint.all_tenants.filter(tenant=tenant_a).count() == 1
    tomorrow = create_daily_checkpoint(tenant_a, first.date + datetime.timedelta(days=1))
    assert tomorrow.seq == 3


@pytest.mark.parametrize(
    "field, value",
    [
        ("seq", 3),
        ("head_hash", "0" * 64),
        ("date", DAY.replace(day=27)),
        ("signature", base64.b64encode(b"x" * 256).decode()),
    ],
)
def test_altered_checkpoint_does_not_verify(tenant_a, field, value):
    add_events(tenant_a, 3)
    checkpoint = create_daily_checkpoint(tenant_a, DAY)
    setattr(checkpoint, field, value)
    check = verify_checkpoint(checkpoint)
    assert not check.valid
    assert check.reason == (
        f"titik periksa tanggal {checkpoint.date.isoformat()} tidak sah: tanda tangannya "
        "tidak cocok dengan isinya"
    )


def test_checkpoint_from_another_certificate_does_not_verify(tenant_a, tenant_b):
    checkpoint = create_daily_checkpoint(tenant_b, DAY)
    checkpoint.tenant = tenant_a
    assert verify_checkpoint(checkpoint).reason == (
        "titik periksa tanggal 2026-11-28 tidak sah: ditandatangani dengan sertifikat lain"
    )


def test_forged_checkpoint_in_the_database_fails_chain_verification(tenant_a):
    add_events(tenant_a, 2)
    create_daily_checkpoint(tenant_a, DAY)
    with _checkpoint_table_writable():
        AuditCheckpoint.all_tenants.filter(tenant=tenant_a).update(seq=2)
    result = verify_chain(tenant_a)
    assert (result.ok, result.first_bad_seq) == (False, None)
    assert (
        result.reason
        == "titik periksa tanggal 2026-11-28 tidak sah: tanda tangannya tidak cocok dengan isinya"
    )


def test_broken_chain_is_not_signed(tenant_a):
    add_events(tenant_a, 3)
    with _events_table_writable():
        row = AuditEvent.objects.get(tenant=tenant_a, seq=2)
        # The hashed payload is the record; its columns are generated from it by the database.
        altered = row.payload.replace('"sample.changed",null,""', '"sample.changed",null,"Orang Lain"')
        assert AuditEvent.objects.filter(pk=row.pk).update(payload=altered) == 1
    assert AuditEvent.objects.get(pk=row.pk).actor_label == "Orang Lain"
    with pytest.raises(AuditChainBroken, match=r"peristiwa #2 diubah \(hash tidak cocok dengan isinya\)"):
        create_daily_checkpoint(tenant_a, DAY)
    assert not AuditCheckpoint.all_tenants.exists()


def test_only_events_since_the_last_checkpoint_are_rechecked_and_the_anchor_must_hold(tenant_a):
    add_events(tenant_a, 3)
    create_daily_checkpoint(tenant_a, DAY)  # signs #4
    add_events(tenant_a, 2)
    with _events_table_writable():
        AuditEvent.objects.filter(tenant=tenant_a, seq=4).update(hash="f" * 64)
    with pytest.raises(AuditChainBroken, match=r"peristiwa #4 diubah"):
        create_daily_checkpoint(tenant_a, DAY + datetime.timedelta(days=1))


def test_checkpoints_for_all_tenants_report_each_tenant(tenant_a, tenant_b):
    add_events(tenant_b, 2)
    with _events_table_writable():
        AuditEvent.objects.filter(tenant=tenant_b, seq=2).delete()
    assert create_daily_checkpoints_for_all_tenants(DAY) == {
        "32.73": "ok",
        "36.04": "peristiwa #2 hilang (urutan lompat dari 1 ke 3)",
    }
    assert list(AuditCheckpoint.all_tenants.values_list("tenant__code", "seq")) == [("32.73", 1)]


@pytest.mark.postgres_only
def test_checkpoint_table_refuses_update_and_delete_on_postgresql(tenant_a):
    create_daily_checkpoint(tenant_a, DAY)
    if connection.vendor != "postgresql":
        assert AuditCheckpoint.all_tenants.update(seq=9) == 1  # SQLite: no wall; verification catches it
        assert not verify_chain(tenant_a).ok
        return
    for change in (lambda rows: rows.update(seq=9), lambda rows: rows.delete()):
        refused = pytest.raises(
            DatabaseError, match="Cannot update or delete rows from audit_auditcheckpoint"
        )
        with refused, transaction.atomic():
            change(AuditCheckpoint.all_tenants.all())
    assert AuditCheckpoint.all_tenants.get().seq == 1


def test_command_checkpoint(tenant_a, capsys):
    call_command("audit", "checkpoint", "--tenant", "kota-bandung", "--date", "2026-11-28")
    head = AuditChainHead.objects.get(tenant=tenant_a)
    assert capsys.readouterr().out == f"Titik periksa Kota Bandung 2026-11-28: #1 {head.hash}\n"
    with _events_table_writable():
        row = AuditEvent.objects.get(tenant=tenant_a, seq=1)
        AuditEvent.objects.filter(pk=row.pk).update(payload=row.payload.replace(row.data, '{"x":1}'))
    with pytest.raises(
        CommandError,
        match="Titik periksa Kota Bandung tidak ditandatangani: rantai rusak, "
        r"peristiwa #1 diubah \(hash tidak cocok dengan isinya\).",
    ):
        call_command("audit", "checkpoint", "--tenant", "32.73", "--date", "2026-11-29")


# --- Public page ---------------------------------------------------------------------------------


def test_public_page_lists_signed_checkpoints_without_login(tenant_a, tenant_b, client):
    add_events(tenant_a, 2)
    checkpoint = create_daily_checkpoint(tenant_a, DAY)
    response = client.get("/t/kota-bandung/audit/checkpoints/")
    assert response.status_code == 200
    page = response.content.decode()
    row = re.search(r'<tr id="checkpoint-2026-11-28">(.*?)</tr>', page, re.S).group(1)
    assert "<td>3</td>" in row
    assert checkpoint.head_hash in row and checkpoint.signature in row
    assert '<strong class="signature-valid">Sah</strong>' in row
    assert 'href="/t/kota-bandung/audit/certificate.pem"' in page
    assert 'href="/t/kota-bandung/audit/checkpoints/">Titik periksa audit</a>' in page  # the footer link

    other = client.get("/t/kabupaten-serang/audit/checkpoints/").content.decode()
    assert "Belum ada titik periksa yang ditandatangani." in other
    assert checkpoint.head_hash not in other


def test_public_page_shows_a_tampered_checkpoint_as_invalid(tenant_a, client):
    create_daily_checkpoint(tenant_a, DAY)
    with _checkpoint_table_writable():
        AuditCheckpoint.all_tenants.update(head_hash="a" * 64)
    page = client.get("/t/kota-bandung/audit/checkpoints/").content.decode()
    assert (
        "Tidak sah</strong> — titik periksa tanggal 2026-11-28 tidak sah: tanda tangannya tidak cocok" in page
    )


def test_certificate_download_matches_the_published_fingerprint(tenant_a, tenant_b, client):
    response = client.get("/t/kota-bandung/audit/certificate.pem")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-pem-file"
    assert response["Content-Disposition"] == 'attachment; filename="praja-32.73-sertifikat.pem"'
    certificate = x509.load_pem_x509_certificate(response.content)
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex()
    assert fingerprint in client.get("/t/kota-bandung/audit/checkpoints/").content.decode()
    serang = client.get("/t/kabupaten-serang/audit/certificate.pem").content
    assert serang != response.content
    assert client.get("/t/kota-tidak-ada/audit/checkpoints/").status_code == 404


# --- Helpers -------------------------------------------------------------------------------------


class _TriggersOff:
    def __init__(self, table: str) -> None:
        self.table = table

    def __enter__(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {self.table} DISABLE TRIGGER USER")

    def __exit__(self, *exc):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {self.table} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _events_table_writable():
    """Act as a DBA on the events table (PostgreSQL: switch the append-only trigger off)."""
    return _TriggersOff(AuditEvent._meta.db_table)


def _checkpoint_table_writable():
    return _TriggersOff(AuditCheckpoint._meta.db_table)
