"""The member's attendance page, certificates and yearly overview; the public verification
page; the coordinators' and staff's figures."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from leden.selectors import lid_for_user
from leden.two_factor import totp_required
from netwerken.models import Netwerk
from netwerken.permissions import coordinated_network_ids, is_portal_staff
from portal.exports import csv_cell
from portal.formats import local_date
from portal.headers import personal_data
from portal.requestguard import BIGINT_MAX
from themas.permissions import can_steer

from . import figures, pdf
from .charts import Series, bar_chart
from .educational import hours
from .models import Categorie
from .selectors import attended_meetings, certificate_facts, year_overview
from .services import NoCertificate, certificate_issue


def _lid(request: HttpRequest):
    lid = lid_for_user(request.user)
    if lid is None:
        raise Http404
    return lid


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("deelname:verificatie", kwargs={"code": code})


@login_required
@personal_data
def my_attendance(request: HttpRequest) -> HttpResponse:
    lid = _lid(request)
    rows = attended_meetings(lid)
    years = sorted({row.datum.year for row in rows}, reverse=True)
    return render(
        request,
        "deelname/mijn_deelname.html",
        {
            "rows": [(row, hours(row.tijd.totaal)) for row in rows],
            "years": years,
            "overig_max": settings.DEELNAME_OVERIG_MAX_PUNTEN,
            # Where the coordinators' and staff's figures are found.
            "gecoordineerd": Netwerk.objects.filter(pk__in=coordinated_network_ids(request.user)),
            "staf": is_portal_staff(request.user),
        },
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@personal_data
def certificate(request: HttpRequest, bijeenkomst_id: int) -> HttpResponse:
    """The member's own certificate: only for a meeting they were marked present at."""
    lid = _lid(request)
    if bijeenkomst_id > BIGINT_MAX:  # no such row, and no integer column holds it
        raise Http404
    try:
        bewijs = certificate_issue(lid=lid, bijeenkomst_id=bijeenkomst_id)
    except NoCertificate:
        raise Http404 from None
    facts = certificate_facts(bewijs.code)
    assert facts is not None
    content = pdf.certificate_pdf(facts, verification_url(bewijs.code))
    return _pdf_response(content, f"deelnamebewijs-{facts.datum:%Y-%m-%d}-{bijeenkomst_id}.pdf")


@personal_data
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone with the link sees what the certificate states, and whether it still holds."""
    facts = certificate_facts(code)
    if facts is None:
        raise Http404
    rows = [(pdf.category_label(cat), hours(m)) for cat, m in sorted(facts.tijd.minuten.items())]
    response = render(
        request,
        "deelname/verificatie.html",
        {"facts": facts, "uren": hours(facts.tijd.totaal), "categorieen": rows},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"  # a name, for those given the link only
    return response


def _year(jaar: int) -> int:
    if not 2000 <= jaar <= 2100:
        raise Http404
    return jaar


@login_required
@personal_data
def year_pdf(request: HttpRequest, jaar: int) -> HttpResponse:
    overview = year_overview(_lid(request), _year(jaar))
    return _pdf_response(pdf.year_overview_pdf(overview), f"deskundigheidsbevordering-{jaar}.pdf")


@login_required
@personal_data
def year_csv(request: HttpRequest, jaar: int) -> HttpResponse:
    """The yearly overview as CSV for Excel (semicolon, UTF-8 with BOM), formula-safe."""
    overview = year_overview(_lid(request), _year(jaar))
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    cats = [c for c, _label in Categorie.choices]
    writer.writerow(
        [_("Date"), _("Meeting"), _("Organised by"), _("Accreditation id")]
        + [f"{pdf.category_label(c)} ({_('hours')})" for c in cats]
    )
    for row in overview.rows:
        writer.writerow(
            [
                csv_cell(row.datum.date()),
                csv_cell(row.bijeenkomst.titel),
                csv_cell(", ".join(row.netwerken)),
                csv_cell(row.tijd.accreditatie_id),
            ]
            + [hours(row.tijd.minuten.get(c, 0)) for c in cats]
        )
    writer.writerow(["", _("Totals"), "", ""] + [hours(overview.totals.get(c, 0)) for c in cats])
    writer.writerow(["", pdf.overig_note(overview)])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deskundigheidsbevordering-{jaar}.csv"'
    return response


def _half_year(request: HttpRequest) -> tuple[int, int]:
    jaar, helft = figures.current_half_year()
    try:
        jaar = int(request.GET.get("jaar", jaar))
        helft = int(request.GET.get("helft", helft))
    except ValueError:
        raise Http404 from None
    if not (2000 <= jaar <= 2100 and helft in (1, 2)):
        raise Http404
    return jaar, helft


def _previous_next(jaar: int, helft: int) -> tuple[tuple[int, int], tuple[int, int]]:
    previous = (jaar, 1) if helft == 2 else (jaar - 1, 2)
    following = (jaar, 2) if helft == 1 else (jaar + 1, 1)
    return previous, following


@login_required
@totp_required
@personal_data
def network_figures(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinators' figures for their network: private to them (and staff)."""
    netwerk = get_object_or_404(Netwerk, slug=slug)
    if not can_steer(request.user, netwerk):
        raise Http404
    jaar, helft = _half_year(request)
    data = figures.network_figures(netwerk, jaar, helft)
    labels = [f"{local_date(m.begin, 'SHORT_MONTH_DAY_FORMAT')} {m.titel}" for m in data.meetings]
    forecast_chart = bar_chart(
        _("Forecast and attendance per meeting"),
        labels,
        [
            Series(_("registrations"), [m.aanmeldingen for m in data.meetings]),
            Series(_("approvals in the theme round"), [m.goedkeuringen for m in data.meetings]),
            Series(_("attended"), [m.aanwezig for m in data.meetings]),
        ],
    )
    tier_chart = bar_chart(
        _("Who came: core and second tier"),
        labels,
        [
            Series(_("core"), [m.kern for m in data.meetings]),
            Series(_("second tier"), [m.betrokken for m in data.meetings]),
            Series(_("others"), [m.overig for m in data.meetings]),
            Series(_("no-shows"), [m.no_shows for m in data.meetings]),
        ],
    )
    previous, following = _previous_next(jaar, helft)
    return render(
        request,
        "deelname/netwerk_cijfers.html",
        {
            "data": data,
            "netwerk": netwerk,
            "forecast_chart": forecast_chart,
            "tier_chart": tier_chart,
            "previous": previous,
            "following": following,
        },
    )


@login_required
@totp_required
@personal_data
def staff_figures(request: HttpRequest) -> HttpResponse:
    """Across networks, for umbrella staff: groups under three suppressed."""
    if not is_portal_staff(request.user):
        raise Http404
    jaar, helft = _half_year(request)
    data = figures.staff_figures(jaar, helft)
    names = [n.naam for n in data.netwerken]
    chart = bar_chart(
        _("Registrations by outcome per network"),
        names,
        [
            Series(_("core"), [row[0] for row in data.uitkomsten.cells]),
            Series(_("second tier"), [row[1] for row in data.uitkomsten.cells]),
            Series(_("others"), [row[2] for row in data.uitkomsten.cells]),
            Series(_("no-shows"), [row[3] for row in data.uitkomsten.cells]),
        ],
    )
    previous, following = _previous_next(jaar, helft)
    return render(
        request,
        "deelname/staf_cijfers.html",
        {"data": data, "chart": chart, "previous": previous, "following": following},
    )
