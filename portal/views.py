"""Export pages: thin views over the exporters the domain registered (`portal.exports`).

Who gets what: anonymous visitors are sent to the login page; a logged-in user whom no
exporter allows gets 403; an object outside what the user may export answers 404, the same as
one that does not exist. (Staff and coordinators without TOTP, whose rights wait for it, are
sent to its activation by the door `config.urls` puts in front of these pages.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from .exports import Exporter, export_response, exporters, get_exporter
from .forms import ExportForm

_EXPORTERS_ATTR = "_regionet_exporters"


def _available(request: HttpRequest) -> list[Exporter]:
    """The exporters this request's user may use, in the page's order. Cached per request."""
    if not hasattr(request, _EXPORTERS_ATTR):
        user = request.user
        setattr(request, _EXPORTERS_ATTR, [e for e in exporters() if e.allowed(user)])
    return getattr(request, _EXPORTERS_ATTR)


def exporter_required(view: Callable) -> Callable:
    """Logged in, and allowed to use at least one export."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _available(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _page(
    request: HttpRequest, bound: dict[str, ExportForm] | None = None, status: int = 200
) -> HttpResponse:
    sections = []
    for exporter in _available(request):
        form = (bound or {}).get(exporter.url_name)
        if form is None:
            fields = exporter.form_fields(request.user)
            form = ExportForm(fields=fields) if fields else None
        context = exporter.section_context(request.user)
        sections.append({"template": exporter.template, "form": form, **context})
    return render(request, "portal/export.html", {"sections": sections}, status=status)


@exporter_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _page(request)


@exporter_required
@require_POST
def download(request: HttpRequest, url_name: str, **url_kwargs) -> HttpResponseBase:
    exporter = get_exporter(url_name)
    if exporter not in _available(request):
        raise PermissionDenied
    obj = exporter.get_object(request.user, **url_kwargs)
    form = ExportForm(request.POST, fields=exporter.form_fields(request.user))
    if not form.is_valid():
        if form.has_filters:
            return _page(request, {url_name: form}, status=400)
        return HttpResponse(status=400)
    export = exporter.export(request.user, obj, form.export_filters())
    return export_response(export, fmt=form.cleaned_data["formaat"], user=request.user)
