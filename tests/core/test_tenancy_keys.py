"""A tenant's signing key is created once, even when several worker processes ask at the same moment."""

from __future__ import annotations

import multiprocessing
from types import SimpleNamespace

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from praja.core.tenancy import keys

# New tenants whose first documents are signed by six workers at once.
TENANTS = [SimpleNamespace(code=code, name=f"Daerah {code}") for code in ("36.03", "36.71", "32.04", "52.01")]


def _ask_for_the_key(barrier, tenant) -> None:
    barrier.wait(timeout=30)
    keys.ensure_tenant_key(tenant)


def public_bytes(public_key) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_workers_creating_a_new_tenants_key_at_once_end_with_one_matching_pair(settings, tmp_path):
    settings.PRAJA_KEY_ROOT = tmp_path / "keys"
    context = multiprocessing.get_context("fork")  # the children see the settings above
    for tenant in TENANTS:
        barrier = context.Barrier(6)
        workers = [context.Process(target=_ask_for_the_key, args=(barrier, tenant)) for _ in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
        assert [worker.exitcode for worker in workers] == [0] * 6
        assert_one_matching_pair(keys.ensure_tenant_key(tenant))


def assert_one_matching_pair(files) -> None:
    private_key = serialization.load_pem_private_key(files.key_path.read_bytes(), password=files.passphrase)
    certificate = x509.load_pem_x509_certificate(files.cert_path.read_bytes())
    # The certificate is the key's own: a document signed with the key verifies against it.
    assert public_bytes(certificate.public_key()) == public_bytes(private_key.public_key())
    assert sorted(path.name for path in files.key_path.parent.iterdir() if not path.name.startswith(".")) == [
        "signing-cert.pem",
        "signing-key.pem",
    ]
