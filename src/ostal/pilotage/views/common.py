"""What every pilotage page shares: the role check and the display of a refusal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ostal.pilotage.abilities import is_coordinator_staff, roles_of
from ostal.pilotage.errors import ConventionRuleError


def require_role(request: HttpRequest) -> None:
    """No pilotage role: the pilotage does not exist for you (404, like a missing page)."""
    if not roles_of(request.user):
        raise Http404


def require_coordinator(request: HttpRequest) -> None:
    if not is_coordinator_staff(request.user):
        raise Http404


def refuse(request: HttpRequest, error: ConventionRuleError) -> None:
    messages.error(
        request,
        _("Refusé — %(rule)s : %(message)s") % {"rule": error.rule, "message": error.message},
    )


def pdf_response(template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    """A tagged PDF (PDF/UA, lang fr) rendered by WeasyPrint from an HTML template."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    data = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
