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
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .exportjobs import export_job_start
from .exports import Exporter, export_job_expires, export_job_response, exporters, get_exporter
from .forms import ExportForm
from .models import ExportJob

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
    filters = form.export_filters()
    # Built here only for its name in the log; the worker builds it again and runs it.
    export = exporter.export(request.user, obj, filters)
    job = export_job_start(
        exporter=exporter,
        identifier=export.identifier,
        user=request.user,
        fmt=form.cleaned_data["formaat"],
        filters=filters,
        url_kwargs=url_kwargs,
    )
    return redirect("portal:job", pk=job.pk)


# --- export jobs: progress, then the file -------------------------------------------------


def _own_job(request: HttpRequest, pk) -> ExportJob:
    """The job, only for the user who started it and while they may still use its export;
    anyone else gets 404, as for no job."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    if not get_exporter(job.exporter).allowed(request.user):
        raise Http404
    return job


def _job_state(job: ExportJob) -> dict:
    """What the job page and its JSON say: status, rows, percentage, estimate, link."""
    now = timezone.now()
    expires = export_job_expires(job)
    done = job.status == ExportJob.Status.DONE and expires is not None and now < expires
    total = job.rows_total
    percent = None
    remaining = None
    if job.status == ExportJob.Status.RUNNING and total:
        percent = min(99, int(100 * job.rows_written / total))
        if job.started_at is not None and job.rows_written:
            elapsed = (now - job.started_at).total_seconds()
            rate = job.rows_written / max(elapsed, 0.001)
            remaining = max(0, round((total - job.rows_written) / rate))
    elif done:
        percent = 100
    status = job.status
    if status == ExportJob.Status.DONE and not done:
        status = ExportJob.Status.EXPIRED  # the file's time is up; the retention step deletes it
    return {
        "status": status,
        "finished": status not in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING),
        "rows_written": job.rows_written,
        "rows_total": total,
        "percent": percent,
        "seconds_left": remaining,
        "download_url": reverse("portal:job_file", args=[job.pk]) if done else None,
        "expires": expires if done else None,
    }


@login_required
@require_GET
def job(request: HttpRequest, pk) -> HttpResponse:
    job = _own_job(request, pk)
    state = _job_state(job)
    return render(
        request,
        "portal/export_job.html",
        {"job": job, "state": state, "status_url": reverse("portal:job_status", args=[job.pk])},
    )


@login_required
@require_GET
def job_status(request: HttpRequest, pk) -> JsonResponse:
    """The job's progress for the page's script (same origin, polled every second)."""
    state = _job_state(_own_job(request, pk))
    state["expires"] = state["expires"].isoformat() if state["expires"] else None
    return JsonResponse(state)


@login_required
@require_GET
def job_file(request: HttpRequest, pk) -> HttpResponseBase:
    job = _own_job(request, pk)
    if _job_state(job)["download_url"] is None:
        raise Http404
    return export_job_response(job)
