"""Export pages: thin views over portal.exports and the one permission module.

Who gets what: anonymous visitors are sent to the login page; a logged-in user who may
export nothing at all gets 403; a meeting or programme outside the networks a
coordinator may export answers 404, the same as one that does not exist.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bijeenkomsten.exports import RegistrationExport, exportable_meetings, exportable_programmes
from leden.exports import MemberListExport

from .exports import export_response
from .forms import ExportFormatForm, MemberExportForm
from .permissions import can_export

LISTED = 50  # meetings and programmes offered on the page


def _require_exporter(request: HttpRequest) -> None:
    if not can_export(request.user):
        raise PermissionDenied


def _index(request: HttpRequest, form: MemberExportForm, status: int = 200) -> HttpResponse:
    now = timezone.now()
    meetings = (
        exportable_meetings(request.user)
        .filter(begin__gte=now - timedelta(days=365), begin__lte=now + timedelta(days=183))
        .order_by("-begin")[:LISTED]
    )
    programmes = (
        exportable_programmes(request.user)
        .select_related("netwerk")
        .order_by("-jaar", "-helft", "netwerk__naam")[:LISTED]
    )
    context = {"form": form, "meetings": meetings, "programmes": programmes}
    return render(request, "portal/export.html", context, status=status)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_exporter(request)
    return _index(request, MemberExportForm(user=request.user))


@login_required
@require_POST
def members(request: HttpRequest) -> HttpResponse:
    _require_exporter(request)
    form = MemberExportForm(request.POST, user=request.user)
    if not form.is_valid():
        return _index(request, form, status=400)
    export = MemberListExport(user=request.user, filters=form.export_filters())
    return export_response(export, fmt=form.cleaned_data["formaat"], user=request.user)


@login_required
@require_POST
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    _require_exporter(request)
    bijeenkomst = get_object_or_404(exportable_meetings(request.user), pk=pk)
    return _registrations(request, RegistrationExport(user=request.user, bijeenkomst=bijeenkomst))


@login_required
@require_POST
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    _require_exporter(request)
    programma = get_object_or_404(exportable_programmes(request.user), pk=pk)
    return _registrations(request, RegistrationExport(user=request.user, programma=programma))


def _registrations(request: HttpRequest, export: RegistrationExport) -> HttpResponse:
    form = ExportFormatForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    return export_response(export, fmt=form.cleaned_data["formaat"], user=request.user)
