"""Export pages: thin views over portal.exports and the one permission module.

Who gets what: anonymous visitors are sent to the login page; staff and coordinators
without TOTP (whose rights wait for it, see portal.permissions) are sent to its activation;
a logged-in user who may export nothing at all gets 403; a meeting or programme outside the
networks a coordinator may export answers 404, the same as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bijeenkomsten.exports import RegistrationExport, exportable_meetings, exportable_programmes
from leden.exports import MemberListExport
from leden.two_factor import activation_redirect

from .exports import export_response
from .forms import ExportFormatForm, MemberExportForm
from .permissions import can_export

LISTED = 50  # meetings and programmes offered on the page


def exporter_required(view: Callable) -> Callable:
    """Logged in, past the second factor where one is needed, and allowed to export."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refusal = activation_redirect(request)
        if refusal is not None:
            return refusal
        if not can_export(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _index(request: HttpRequest, form: MemberExportForm, status: int = 200) -> HttpResponse:
    now = timezone.now()
    meetings = (
        exportable_meetings(request.user)
        .filter(begin__gte=now - timedelta(days=365), begin__lte=now + timedelta(days=183))
        .prefetch_related("netwerken")
        .order_by("-begin")[:LISTED]
    )
    programmes = (
        exportable_programmes(request.user)
        .select_related("netwerk")
        .order_by("-jaar", "-helft", "netwerk__naam")[:LISTED]
    )
    context = {"form": form, "meetings": meetings, "programmes": programmes}
    return render(request, "portal/export.html", context, status=status)


@exporter_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _index(request, MemberExportForm(user=request.user))


@exporter_required
@require_POST
def members(request: HttpRequest) -> HttpResponse:
    form = MemberExportForm(request.POST, user=request.user)
    if not form.is_valid():
        return _index(request, form, status=400)
    export = MemberListExport(user=request.user, filters=form.export_filters())
    return export_response(export, fmt=form.cleaned_data["formaat"], user=request.user)


@exporter_required
@require_POST
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    bijeenkomst = get_object_or_404(exportable_meetings(request.user), pk=pk)
    return _registrations(request, RegistrationExport(user=request.user, bijeenkomst=bijeenkomst))


@exporter_required
@require_POST
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    programma = get_object_or_404(exportable_programmes(request.user), pk=pk)
    return _registrations(request, RegistrationExport(user=request.user, programma=programma))


def _registrations(request: HttpRequest, export: RegistrationExport) -> HttpResponse:
    form = ExportFormatForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    return export_response(export, fmt=form.cleaned_data["formaat"], user=request.user)
