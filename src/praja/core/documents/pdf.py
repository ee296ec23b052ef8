"""HTML -> PDF with WeasyPrint, QR codes, and PAdES signing and checking with pyHanko."""

from __future__ import annotations

import asyncio
import base64
import functools
import io
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import qrcode
from django.conf import settings
from qrcode.constants import ERROR_CORRECT_M

from praja.core.tenancy.keys import ensure_tenant_key

log = logging.getLogger(__name__)

SIGNATURE_FIELD = "PrajaSignature"

_signer_cache: dict[tuple[str, float], object] = {}
_signer_lock = threading.Lock()


def _outside_event_loop(function, *args, **kwargs):
    """Call a pyHanko sync function, in a helper thread if this thread already runs an event loop.

    pyHanko's sync API wraps its async one in asyncio.run(), which refuses to start inside a running
    loop (an ASGI server, Playwright's sync API in browser tests).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def verification_url(tenant, code: str) -> str:
    return f"{settings.PRAJA_PUBLIC_BASE_URL.rstrip('/')}/t/{tenant.slug}/verify/{code}"


def qr_png(text: str) -> bytes:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=4, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def data_uri(data: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def logo_data_uri(tenant) -> str:
    """The tenant's logo as a data URI (PNG or JPEG only), or "" when there is none."""
    if not tenant.logo:
        return ""
    try:
        with tenant.logo.open("rb") as handle:
            data = handle.read()
    except OSError:
        log.warning("logo of tenant %s is missing on disk", tenant.code)
        return ""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return data_uri(data, "image/png")
    if data.startswith(b"\xff\xd8\xff"):
        return data_uri(data, "image/jpeg")
    return ""


def html_to_pdf(html: str) -> bytes:
    """Render HTML to PDF; only data: URIs may be fetched, so a template cannot reach out."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


@functools.cache
def _signer_class():
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.serialization import load_der_private_key
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class KeptKeySigner(signers.SimpleSigner):
        """SimpleSigner that parses its RSA key once.

        pyHanko's SimpleSigner re-parses the private key for every raw signature, twice per PDF;
        with cryptography's key checks that is most of the signing time (~90 ms each for RSA-2048).
        """

        _parsed_key = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mechanism.signature_algo != "rsassa_pkcs1v15":
                return super().sign_raw(data, digest_algorithm)
            if self._parsed_key is None:
                self._parsed_key = load_der_private_key(self.signing_key.dump(), password=None)
            return self._parsed_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    return KeptKeySigner


def _signer_for(tenant):
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    files = ensure_tenant_key(tenant)
    cache_key = (str(files.key_path), files.key_path.stat().st_mtime)
    with _signer_lock:
        signer = _signer_cache.get(cache_key)
        if signer is None:
            signer = _signer_class()(
                signing_cert=load_cert_from_pemder(str(files.cert_path)),
                signing_key=load_private_key_from_pemder(str(files.key_path), passphrase=files.passphrase),
                cert_registry=SimpleCertificateStore(),
            )
            _signer_cache[cache_key] = signer
    return signer


def sign_pdf(pdf: bytes, *, tenant, reason: str) -> bytes:
    """Sign `pdf` PAdES-style (ETSI.CAdES.detached) with the tenant's key, covering the whole file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=tenant.name,
        name=tenant.display_letterhead_title,
    )
    return _outside_event_loop(signers.sign_pdf, writer, metadata, signer=_signer_for(tenant)).getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    is_valid: bool  # intact, cryptographically sound, by the tenant's certificate, covering every byte
    signer: str = ""
    problem: str = ""  # for logs and tests, never shown raw to the public


def check_signature(pdf: bytes, *, tenant) -> SignatureCheck:
    """Validate the embedded signature of `pdf` against the tenant's certificate only."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    certificate = load_cert_from_pemder(str(ensure_tenant_key(tenant).cert_path))
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
        if len(signatures) != 1:
            return SignatureCheck(False, problem=f"{len(signatures)} signatures")
        status = _outside_event_loop(
            validate_pdf_signature,
            signatures[0],
            ValidationContext(trust_roots=[certificate], allow_fetching=False),
        )
    except Exception as error:  # a tampered or foreign file may break the parser in any way
        return SignatureCheck(False, problem=f"{type(error).__name__}: {error}")
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    if status.signing_cert is None or status.signing_cert.dump() != certificate.dump():
        return SignatureCheck(False, signer=signer, problem="not signed with the tenant certificate")
    if not (status.intact and status.valid and status.trusted):
        return SignatureCheck(False, signer=signer, problem="signature does not validate")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureCheck(False, signer=signer, problem="bytes were added after signing")
    return SignatureCheck(True, signer=signer)
