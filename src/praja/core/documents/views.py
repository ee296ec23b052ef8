"""Pages: my files (list and upload), file download, and the public document verification page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from praja.core.documents import actions, selectors
from praja.core.documents.forms import CheckPdfForm, UploadForm
from praja.core.documents.models import DocumentStatus, OfficialDocument
from praja.core.documents.pdf import verification_url
from praja.core.documents.responses import stored_file_response
from praja.core.documents.rules import normalize_verification_code
from praja.core.documents.uploads import limit_upload_size, oversize_form
from praja.core.tenancy.urls import tenant_reverse
from praja.core.web.access import login_url_for


def _my_files_page(request: HttpRequest, form: UploadForm, *, status: int = 200) -> HttpResponse:
    files = selectors.list_files_for_owner(request.user)
    return render(request, "documents/my_files.html", {"form": form, "files": files}, status=status)


def _refuse_oversize_my_files(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseRedirect(login_url_for(request))
    return _my_files_page(request, oversize_form(UploadForm, request), status=413)


@require_http_methods(["GET", "POST"])
@limit_upload_size(_refuse_oversize_my_files)
def my_files(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseRedirect(login_url_for(request))
    if request.method != "POST":
        return _my_files_page(request, UploadForm())
    files = request.FILES  # parse the body now: the size handler reports while parsing
    if request.oversize_uploads:
        return _my_files_page(
            request, oversize_form(UploadForm, request, request.oversize_uploads), status=413
        )
    form = UploadForm(request.POST, files)
    if form.is_valid():
        try:
            stored = actions.store_upload(
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Berkas '%(name)s' tersimpan.") % {"name": stored.original_name})
            return redirect(tenant_reverse("my-files"))
    return _my_files_page(request, form)


@require_http_methods(["GET"])
def download_file(request: HttpRequest, file_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseRedirect(login_url_for(request))
    stored = selectors.access_stored_file_by_id(request.user, file_id)
    handle = actions.open_stored_file(actor=request.user, stored_file=stored, request=request)
    return stored_file_response(handle, stored)


def _public_facts(document: OfficialDocument | None, code_text: str) -> dict:
    """Only what the public may see: no NIK, no holder, no internal ids."""
    if document is None:
        return {"code": code_text[:40], "status": "unknown"}
    facts = {
        "code": document.grouped_code,
        "status": document.status,
        "title": document.title,
        "document_type": document.document_type,
        "issued_at": document.issued_at.isoformat(),
        "issuer": {"code": document.tenant.code, "name": document.tenant.name},
        "sha256": document.sha256,
        "verification_url": verification_url(document.tenant, document.verification_code),
    }
    if document.status == DocumentStatus.REVOKED:
        facts["revoked_reason"] = document.revoked_reason
        facts["revoked_at"] = document.revoked_at.isoformat()
    if document.status == DocumentStatus.SUPERSEDED and document.superseded_by is not None:
        facts["superseded_at"] = document.superseded_at.isoformat() if document.superseded_at else None
        facts["superseded_by"] = {
            "code": document.superseded_by.grouped_code,
            "url": verification_url(document.tenant, document.superseded_by.verification_code),
        }
    return facts


def _check_facts(check: selectors.DocumentCheck) -> dict:
    return {
        "sha256": check.uploaded_sha256,
        "is_identical": check.is_identical,
        "signature_valid": check.signature.is_valid,
        "is_genuine": check.is_genuine,
    }


def _verify_response(request, code, document, *, form, check=None, status=None) -> HttpResponse:
    status = status or (200 if document else 404)
    if request.GET.get("format") == "json":
        facts = _public_facts(document, code)
        if check is not None:
            facts["check"] = _check_facts(check)
        if form is not None and form.errors:
            facts["errors"] = {field: [str(e) for e in errors] for field, errors in form.errors.items()}
        return JsonResponse(facts, status=status, json_dumps_params={"ensure_ascii": False})
    context = {"document": document, "code": code, "form": form, "check": check}
    return render(request, "documents/verify.html", context, status=status)


def _refuse_oversize_check(request: HttpRequest, code: str) -> HttpResponse:
    document = selectors.get_official_document_by_code(code)
    return _verify_response(request, code, document, form=oversize_form(CheckPdfForm, request), status=413)


@require_http_methods(["GET", "POST"])
@limit_upload_size(_refuse_oversize_check)
def verify_document(request: HttpRequest, code: str) -> HttpResponse:
    document = selectors.get_official_document_by_code(code)
    if request.method != "POST":
        return _verify_response(request, code, document, form=CheckPdfForm())
    files = request.FILES  # parse the body now: the size handler reports while parsing
    if request.oversize_uploads:
        return _verify_response(
            request,
            code,
            document,
            form=oversize_form(CheckPdfForm, request, request.oversize_uploads),
            status=413,
        )
    form = CheckPdfForm(request.POST, files)
    if document is None or not form.is_valid():
        return _verify_response(request, code, document, form=form, status=404 if document is None else 400)
    # The size limit above bounds what is read into memory here.
    data = b"".join(form.cleaned_data["file"].chunks())
    return _verify_response(
        request,
        code,
        document,
        form=CheckPdfForm(),
        check=selectors.check_pdf_against_document(document, data),
    )


@require_http_methods(["GET"])
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """A place to type a code from paper; sends the visitor to that code's page."""
    text = request.GET.get("code", "")
    code = normalize_verification_code(text)
    if code:
        return redirect(tenant_reverse("verify-document", kwargs={"code": code}))
    error = _("Kode verifikasi terdiri atas 12 huruf dan angka, misalnya ABCD-EFGH-JKMN.") if text else ""
    return render(request, "documents/verify_lookup.html", {"code": text, "error": error})
