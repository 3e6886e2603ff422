"""Coordinators' and staff's figures: who sees them, what they say, a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deelname.figures import current_half_year, network_figures, staff_figures
from tests import factories
from tests.conftest import ROLES
from tests.deelname.conftest import attend, past_meeting
from tests.themas.conftest import open_round, propose, start_voting
from themas import services as themas_services

pytestmark = pytest.mark.django_db


def _network_url(netwerk) -> str:
    return reverse("deelname:netwerk_cijfers", args=[netwerk.slug])


def _recent(netwerk, days_ago: int, **kwargs):
    """A meeting in the current half-year, before now."""
    jaar, helft = current_half_year()
    begin = timezone.now() - timedelta(days=days_ago)
    if (begin.year, 1 if begin.month <= 6 else 2) != (jaar, helft):
        begin = timezone.now() - timedelta(hours=3 + days_ago)
    return past_meeting(netwerk, begin=begin, **kwargs)


def _members(netwerk, schil: str, n: int):
    users = []
    for i in range(n):
        lid = factories.LidFactory(naam=f"{schil.title()} {netwerk.slug} {i}")
        factories.LidmaatschapFactory(lid=lid, netwerk=netwerk, schil=schil)
        users.append(lid.user)
    return users


@pytest.mark.parametrize("role", ROLES)
def test_only_its_coordinators_and_staff_see_a_networks_figures(client, cast, role):
    if role != "visitor":
        client.force_login(cast[role])
    response = client.get(_network_url(cast["coordinator_twente"].gecoordineerde_netwerken.get()))
    expected = {"visitor": 302, "coordinator_twente": 200, "staff": 200}.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_see_the_figures_across_networks(client, cast, role):
    if role != "visitor":
        client.force_login(cast[role])
    response = client.get(reverse("deelname:staf_cijfers"))
    assert response.status_code == {"visitor": 302, "staff": 200}.get(role, 404)


def test_core_missing_three_meetings_is_an_invitation_to_get_in_touch(
    client, twente, coordinator_twente, kern_twente, betrokken_twente
):
    stil = _members(twente, "kern", 1)[0]
    meetings = [_recent(twente, days) for days in (3, 2, 1)]
    for m in meetings:
        attend(m, coordinator_twente, kern_twente)
    attend(meetings[0], betrokken_twente)
    attend(meetings[1], stil, present=False)  # registered, did not come
    data = network_figures(twente, *current_half_year())
    assert data.missed_last_three == [stil.lid.naam]
    assert data.kern_size == 3 and data.kern_status == "below"
    assert [m.kern for m in data.meetings] == [2, 2, 2]
    assert [m.betrokken for m in data.meetings] == [1, 0, 0]
    assert [m.no_shows for m in data.meetings] == [0, 1, 0]
    client.force_login(coordinator_twente)
    page = client.get(_network_url(twente)).content.decode()
    assert stil.lid.naam in page and "<svg" in page and "<table" in page
    assert "get in touch" in page or "contact op" in page


def test_forecast_holds_the_theme_rounds_approvals(twente, kern_twente, betrokken_twente):
    ronde = open_round(twente)
    (voorstel,) = propose(ronde, ["Ethiek"], lid=kern_twente.lid)
    start_voting(ronde)
    for user in (kern_twente, betrokken_twente):
        themas_services.ballot_save(ronde=ronde, lid=user.lid, voorstel_ids=[voorstel.pk])
    m = _recent(twente, 2)
    voorstel.bijeenkomst = m
    voorstel.save(update_fields=["bijeenkomst"])
    attend(m, kern_twente)
    (row,) = network_figures(twente, *current_half_year()).meetings
    assert row.goedkeuringen == 2 and row.aanmeldingen == 1 and row.aanwezig == 1


def test_staff_figures_count_a_co_organised_meeting_for_each_network_once(
    twente, rotterdam, kern_twente, lid_rotterdam
):
    m = _recent(twente, 2)
    m.netwerken.add(rotterdam)
    from_twente = [kern_twente, *_members(twente, "kern", 3)]
    from_rotterdam = [lid_rotterdam, *_members(rotterdam, "kern", 2)]
    attend(m, *from_twente, *from_rotterdam)
    data = staff_figures(*current_half_year())
    names = [n.slug for n in data.netwerken]
    # Each network counts its own core as core, the other's members as others.
    assert data.uitkomsten.cells[names.index("twente")] == [4, 0, 3, 0]
    assert data.uitkomsten.cells[names.index("rotterdam")] == [3, 0, 4, 0]
    assert data.uitkomsten.total == 14


def test_staff_figures_hide_small_groups(twente, rotterdam, kern_twente):
    m = _recent(twente, 2)
    attend(m, kern_twente, *_members(twente, "kern", 4))
    attend(m, _members(twente, "betrokken", 1)[0])
    data = staff_figures(*current_half_year())
    i = [n.slug for n in data.netwerken].index("twente")
    row = data.uitkomsten.cells[i]
    assert row[1] is None  # one person of the second tier
    assert row[0] is None or data.uitkomsten.row_totals[i] is None  # not recoverable


def _grow(twente, rotterdam, n: int) -> None:
    for i in range(n):
        m = _recent(twente, 1 + i % 5)
        users = _members(twente, "kern", 2) + _members(rotterdam, "betrokken", 1)
        attend(m, *users[:2])
        attend(m, users[2], present=False)


def test_figures_pages_issue_a_fixed_number_of_queries(
    client, twente, rotterdam, staff, coordinator_twente
):
    counts: dict[str, list[int]] = {"coordinator": [], "staff": []}
    for n in (3, 9):
        _grow(twente, rotterdam, n)
        for who, user, url in (
            ("coordinator", coordinator_twente, _network_url(twente)),
            ("staff", staff, reverse("deelname:staf_cijfers")),
        ):
            client.force_login(user)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts[who].append(len(ctx))
    assert counts["coordinator"][0] == counts["coordinator"][1]
    assert counts["staff"][0] == counts["staff"][1]
