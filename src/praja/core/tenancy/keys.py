"""Each tenant's signing key and certificate: signs official PDFs (PAdES) and audit checkpoints.

The demo and tests generate a self-signed certificate per tenant; a production tenant points
PRAJA_KEY_ROOT/<code>/ at the key and certificate issued by BSrE (or another PSrE). The private key
is stored encrypted with a passphrase derived from the deployment's secret key.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

_lock = threading.Lock()


@dataclass(frozen=True)
class TenantKeyFiles:
    key_path: Path
    cert_path: Path
    passphrase: bytes


def _passphrase() -> bytes:
    return hashlib.sha256(b"praja-tenant-key:" + settings.SECRET_KEY.encode()).hexdigest().encode()


def key_dir(tenant) -> Path:
    return Path(settings.PRAJA_KEY_ROOT) / tenant.code


@contextmanager
def _creating(directory: Path):
    """One creator at a time, across threads and across processes (web workers, task workers).

    Two workers signing a new tenant's first document at once would otherwise each write a key and
    a certificate, and the survivors could be one worker's key with the other's certificate.
    """
    with _lock:
        directory.mkdir(parents=True, exist_ok=True)
        with open(directory / ".creating.lock", "w") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            yield


def ensure_tenant_key(tenant) -> TenantKeyFiles:
    """Return the tenant's key files, generating a self-signed pair the first time."""
    directory = key_dir(tenant)
    key_path, cert_path = directory / "signing-key.pem", directory / "signing-cert.pem"
    if key_path.exists():
        return TenantKeyFiles(key_path=key_path, cert_path=cert_path, passphrase=_passphrase())
    with _creating(directory):
        if not key_path.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            name = x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Pemerintah {tenant.name}"),
                    x509.NameAttribute(NameOID.COMMON_NAME, f"Praja {tenant.name} ({tenant.code})"),
                ]
            )
            now = datetime.datetime.now(datetime.UTC)
            cert = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=3650))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(
                    x509.KeyUsage(
                        digital_signature=True,
                        content_commitment=True,
                        key_encipherment=False,
                        data_encipherment=False,
                        key_agreement=False,
                        key_cert_sign=False,
                        crl_sign=False,
                        encipher_only=False,
                        decipher_only=False,
                    ),
                    critical=True,
                )
                .sign(key, hashes.SHA256())
            )
            tmp_key = key_path.with_suffix(".tmp")
            tmp_key.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.BestAvailableEncryption(_passphrase()),
                )
            )
            tmp_key.chmod(0o600)
            cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
            tmp_key.rename(key_path)
    return TenantKeyFiles(key_path=key_path, cert_path=cert_path, passphrase=_passphrase())


def load_private_key(tenant):
    files = ensure_tenant_key(tenant)
    return serialization.load_pem_private_key(files.key_path.read_bytes(), password=files.passphrase)


def load_certificate(tenant) -> x509.Certificate:
    return x509.load_pem_x509_certificate(ensure_tenant_key(tenant).cert_path.read_bytes())
