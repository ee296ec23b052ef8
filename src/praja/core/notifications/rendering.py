"""Render a notification template in one language.

Templates are plain-text files under `templates/notifications/<name>/`: `subject.txt`, `body.txt`
and `sms.txt`, written with `{% translate %}` / `{% blocktranslate %}` so Indonesian and English
both come from gettext.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import translation

SUPPORTED_LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"


@dataclass(frozen=True)
class RenderedMessage:
    language: str
    subject: str
    body: str
    sms: str


class UnknownTemplate(LookupError):
    """No notification template of that name exists."""


@lru_cache(maxsize=1)
def _engine() -> Engine:
    # Plain-text output: HTML autoescaping would turn "&" in names and URLs into "&amp;".
    return Engine(
        app_dirs=True,
        autoescape=False,
        libraries={"i18n": "django.templatetags.i18n"},
        string_if_invalid="",
    )


def language_for(recipient: Any) -> str:
    """Return the language a person reads messages in (Indonesian unless they chose English)."""
    language = (getattr(recipient, "preferred_language", "") or "").lower()[:2]
    return language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def _render(path: str, context: dict[str, Any]) -> str:
    return _engine().get_template(path).render(Context(context, autoescape=False))


def render_notification(template: str, context: dict[str, Any], language: str) -> RenderedMessage:
    """Render subject, body and SMS text of `template` in `language`."""
    base = f"notifications/{template}"
    with translation.override(language):
        # Recorded from the active translation, so the stored language is what rendered the text.
        language = translation.get_language()
        full_context = {**context, "message_language": language}
        try:
            body = _render(f"{base}/body.txt", full_context).strip()
        except TemplateDoesNotExist as exc:
            raise UnknownTemplate(f"No notification template {template!r} ({base}/body.txt)") from exc
        subject = _optional(f"{base}/subject.txt", full_context)
        sms = _optional(f"{base}/sms.txt", full_context) or body
    # A subject is one line; template files end with a newline and may wrap.
    subject = re.sub(r"\s+", " ", subject).strip()[:255]
    return RenderedMessage(language=language, subject=subject, body=body, sms=sms.strip())


def _optional(path: str, context: dict[str, Any]) -> str:
    try:
        return _render(path, context)
    except TemplateDoesNotExist:
        return ""
