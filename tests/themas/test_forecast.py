"""The attendance forecast: each chosen theme's approvals, shown next to its meeting once the
plan is accepted, to coordinators only and never while voting runs."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.themas.conftest import open_round, propose, start_voting, voters
from tests.themas.test_dates import next_year, weekly
from themas import dates, services

pytestmark = pytest.mark.django_db


def _planning_url(ronde) -> str:
    return reverse(
        "themas:datumplanning",
        kwargs={"slug": ronde.netwerk.slug, "jaar": ronde.jaar, "helft": ronde.helft},
    )


def _accepted_round(netwerk):
    """Three themes chosen with 6, 4 and 4 approvals, and the plan accepted."""
    ronde = open_round(netwerk, jaar=next_year(), max_stemmen=3, aantal_themas=3)
    a, b, c = propose(ronde, ["Ethiek en privacy", "De herziene meldcode", "Wijkteams"])
    start_voting(ronde)
    for lid in voters(netwerk, 4):
        services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=[a.pk, b.pk, c.pk])
    for lid in voters(netwerk, 2):
        services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=[a.pk])
    services.round_close(ronde=ronde)
    days = weekly(20)
    peiling = dates.date_poll_open(
        ronde=ronde,
        sluit_op=timezone.now() + timedelta(days=7),
        avonden=[(day, time(19, 30), time(21, 30)) for day in days],
    )
    evenings = {e.datum: e.pk for e in peiling.avonden.all()}
    themes = dates.chosen_themes(ronde)
    toewijzing = {t.pk: evenings[days[i * 6]] for i, t in enumerate(themes)}
    dates.date_plan_accept(peiling=peiling, toewijzing=toewijzing)
    return ronde


def test_accepting_links_each_chosen_theme_to_its_meeting_with_its_forecast(twente):
    ronde = _accepted_round(twente)
    themes = dates.chosen_themes(ronde)
    assert [(t.titel, t.goedkeuringen) for t in themes] == [
        ("Ethiek en privacy", 6),
        ("De herziene meldcode", 4),
        ("Wijkteams", 4),
    ]
    assert all(t.bijeenkomst and t.bijeenkomst.titel == t.titel for t in themes)
    assert len({t.bijeenkomst_id for t in themes}) == 3


def test_the_plan_page_and_the_admin_show_the_forecast_next_to_each_meeting(
    client, twente, coordinator_twente
):
    ronde = _accepted_round(twente)
    client.force_login(coordinator_twente)
    page = client.get(_planning_url(ronde)).content.decode()
    assert "Bijeenkomsten en opkomstverwachting" in page
    assert "6 leden" in page and "4 leden" in page
    meeting = dates.chosen_themes(ronde)[0].bijeenkomst
    assert reverse("admin:bijeenkomsten_bijeenkomst_change", args=[meeting.pk]) in page
    admin_page = client.get(
        reverse("admin:themas_themaronde_change", args=[ronde.pk])
    ).content.decode()
    assert "Ethiek en privacy (" in admin_page and "): 6 leden" in admin_page


def test_no_forecast_while_voting(client, twente, coordinator_twente):
    ronde = open_round(twente, jaar=next_year())
    (voorstel,) = propose(ronde, ["Ethiek en privacy"])
    start_voting(ronde)
    services.ballot_save(ronde=ronde, lid=voters(twente, 1)[0], voorstel_ids=[voorstel.pk])
    assert dates.chosen_themes(ronde) == []
    client.force_login(coordinator_twente)
    admin_page = client.get(
        reverse("admin:themas_themaronde_change", args=[ronde.pk])
    ).content.decode()
    assert "1 lid" not in admin_page
    assert "opkomstverwachting" not in client.get(_planning_url(ronde)).content.decode().lower()
