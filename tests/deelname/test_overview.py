"""The yearly overview, as PDF and CSV: every attended meeting, hours per category, totals, and
the register's maximum for "other" pointed out, not applied."""

import io
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from deelname.models import Categorie, Leertijd
from deelname.selectors import year_overview, year_totals_all
from tests.deelname.conftest import attend, past_meeting

pytestmark = pytest.mark.django_db


def _in(year: int, month: int) -> datetime:
    return timezone.make_aware(datetime(year, month, 10, 19, 0))


@pytest.fixture
def year_of_meetings(twente, kern_twente, betrokken_twente):
    a = past_meeting(twente, titel="Accreditatie-avond", begin=_in(2025, 3))
    Leertijd.objects.create(
        bijeenkomst=a, minuten=120, categorie=Categorie.GEACCREDITEERD, accreditatie_id="PE-1"
    )
    b = past_meeting(twente, titel="=HYPERLINK(1)", begin=_in(2025, 5))  # other: 2 hours
    c = past_meeting(twente, titel="Intervisie", begin=_in(2025, 9))
    Leertijd.objects.create(bijeenkomst=c, minuten=90, categorie=Categorie.REFLECTIE)
    d = past_meeting(twente, titel="Vorig jaar", begin=_in(2024, 9))
    for m in (a, b, c, d):
        attend(m, kern_twente)
    attend(b, betrokken_twente)
    return a, b, c, d


def test_totals_per_category_for_one_year(year_of_meetings, kern_twente):
    overview = year_overview(kern_twente.lid, 2025)
    assert [r.bijeenkomst.titel for r in overview.rows][0] == "Accreditatie-avond"
    assert len(overview.rows) == 3
    assert overview.totals == {
        Categorie.GEACCREDITEERD: 120,
        Categorie.OVERIG: 120,
        Categorie.REFLECTIE: 90,
    }


def test_the_other_maximum_is_pointed_out_not_applied(year_of_meetings, kern_twente, settings):
    settings.DEELNAME_OVERIG_MAX_PUNTEN = 1
    overview = year_overview(kern_twente.lid, 2025)
    assert overview.overig_above_max and overview.totals[Categorie.OVERIG] == 120


def test_overview_pdf_and_csv(client, year_of_meetings, kern_twente, settings):
    settings.DEELNAME_OVERIG_MAX_PUNTEN = 1
    client.force_login(kern_twente)
    response = client.get(reverse("deelname:jaar_pdf", args=[2025]))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Kern Twente" in text and "Accreditatie-avond" in text and "PE-1" in text
    assert "Vorig jaar" not in text and "2,00" in text and "1,50" in text
    csv = client.get(reverse("deelname:jaar_csv", args=[2025])).content.decode("utf-8-sig")
    assert "Intervisie" in csv and "Vorig jaar" not in csv
    assert "'=HYPERLINK(1)" in csv  # no formula gets through
    assert csv.count("\n") >= 5 and "2,00;0,00;0,00" in csv


def test_totals_for_all_members_match_each_overview(
    year_of_meetings, kern_twente, betrokken_twente
):
    everyone = dict(year_totals_all(2025))
    assert everyone[kern_twente.lid.pk] == year_overview(kern_twente.lid, 2025).totals
    assert everyone[betrokken_twente.lid.pk] == {Categorie.OVERIG: 120}


def test_member_page_lists_years_and_meetings(client, year_of_meetings, kern_twente):
    client.force_login(kern_twente)
    page = client.get(reverse("deelname:mijn_deelname")).content.decode()
    assert reverse("deelname:jaar_pdf", args=[2025]) in page
    assert reverse("deelname:jaar_csv", args=[2024]) in page
    assert "Intervisie" in page


def test_member_page_queries_do_not_grow_with_attendance(client, twente, kern_twente):
    client.force_login(kern_twente)
    counts = []
    for n in (1, 6):
        for i in range(n):
            m = past_meeting(twente, days_ago=30 + i + n * 10)
            attend(m, kern_twente)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("deelname:mijn_deelname")).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
