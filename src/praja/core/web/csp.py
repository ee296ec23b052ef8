"""The Content-Security-Policy middleware: django-csp's, without work for a policy already set.

API views set their own strictest policy on every answer (praja.core.api.base). django-csp would
still build the site's page policy and its report-only twin for each of those answers (copying the
configuration each time) and then discard them, because a header already set is never replaced:
about a tenth of the CPU of a public tracking look-up (bench.licensing_tracking --profile, 7 Dec
2026). Pages are unchanged: they get the page policy with their nonce, as before.
"""

from __future__ import annotations

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings


class PolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        report_only_configured = bool(getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None))
        if HEADER not in response or (report_only_configured and HEADER_REPORT_ONLY not in response):
            return super().process_response(request, response)
        # As django-csp does once the header is written: a nonce asked for later could not be in it.
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
