"""Signing and checking daily checkpoints with the tenant's key (RSA PKCS#1 v1.5, SHA-256)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from django.utils.translation import gettext as _

from praja.core.audit.rules import checkpoint_message
from praja.core.tenancy.keys import load_certificate, load_private_key


@dataclass(frozen=True)
class CheckpointCheck:
    """Whether a checkpoint's signature holds; `reason` says why not, in Indonesian."""

    valid: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.valid


def certificate_fingerprint(certificate) -> str:
    """SHA-256 of the certificate's DER bytes, lowercase hex (as `openssl x509 -fingerprint -sha256`)."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def certificate_pem(tenant) -> bytes:
    return load_certificate(tenant).public_bytes(serialization.Encoding.PEM)


def sign_checkpoint(tenant, *, date, seq: int, head_hash: str) -> tuple[str, str]:
    """Return (base64 signature, certificate fingerprint) for the tenant's head on `date`."""
    message = checkpoint_message(tenant_code=tenant.code, date=date, seq=seq, head_hash=head_hash)
    signature = load_private_key(tenant).sign(message, padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode("ascii"), certificate_fingerprint(load_certificate(tenant))


def verify_checkpoint(checkpoint, *, tenant=None, certificate=None) -> CheckpointCheck:
    """Check a checkpoint's signature against the tenant's certificate."""
    tenant = tenant or checkpoint.tenant
    certificate = certificate or load_certificate(tenant)
    label = checkpoint.date.isoformat()
    if certificate_fingerprint(certificate) != checkpoint.certificate_fingerprint:
        return CheckpointCheck(
            False,
            _("titik periksa tanggal %(date)s tidak sah: ditandatangani dengan sertifikat lain")
            % {"date": label},
        )
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
        certificate.public_key().verify(
            signature,
            checkpoint_message(
                tenant_code=tenant.code,
                date=checkpoint.date,
                seq=checkpoint.seq,
                head_hash=checkpoint.head_hash,
            ),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, binascii.Error, ValueError):
        return CheckpointCheck(
            False,
            _("titik periksa tanggal %(date)s tidak sah: tanda tangannya tidak cocok dengan isinya")
            % {"date": label},
        )
    return CheckpointCheck(True)
