"""Members' portal pages: who sees what, filters, and a fixed number of queries."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ROLES = [
    "visitor",
    "lid_rotterdam",
    "betrokken_twente",
    "kern_twente",
    "coordinator_twente",
    "staff",
]


def client_for(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.fixture
def meetings(twente):
    draft = factories.HalfjaarprogrammaFactory(netwerk=twente, gepubliceerd=False)
    return {
        "open": factories.BijeenkomstFactory(doelgroep="open", netwerken=[twente]),
        "leden": factories.BijeenkomstFactory(doelgroep="leden", netwerken=[twente]),
        "kern": factories.BijeenkomstFactory(doelgroep="kern", netwerken=[twente]),
        "concept": factories.BijeenkomstFactory(
            doelgroep="open", netwerken=[twente], programma=draft
        ),
    }


# Expected status per meeting audience and role: 404 hides what must stay hidden.
EXPECTED = {
    "open": dict.fromkeys(ROLES, 200),
    "leden": {**dict.fromkeys(ROLES, 200), "visitor": 404},
    "kern": {
        "visitor": 404,
        "lid_rotterdam": 404,
        "betrokken_twente": 404,
        "kern_twente": 200,
        "coordinator_twente": 200,
        "staff": 200,
    },
    "concept": {
        "visitor": 404,
        "lid_rotterdam": 404,
        "betrokken_twente": 404,
        "kern_twente": 404,
        "coordinator_twente": 200,
        "staff": 200,
    },
}


@pytest.mark.parametrize("audience", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_meeting_page_visibility_matrix(client, cast, meetings, audience, role):
    bijeenkomst = meetings[audience]
    response = client_for(client, cast[role]).get(bijeenkomst.get_absolute_url())
    assert response.status_code == EXPECTED[audience][role]
    ics = client.get(reverse("bijeenkomsten:ics", args=[bijeenkomst.slug]))
    assert ics.status_code == EXPECTED[audience][role]


def test_coordinator_does_not_see_another_networks_core_meeting(client, cast, rotterdam):
    hidden = factories.BijeenkomstFactory(doelgroep="kern", netwerken=[rotterdam])
    client.force_login(cast["coordinator_twente"])
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_staff_permission_holder_sees_every_network(client, rotterdam):
    user = factories.UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="alle_netwerken"))
    hidden = factories.BijeenkomstFactory(doelgroep="kern", netwerken=[rotterdam])
    client.force_login(user)
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_agenda_lists_only_what_the_visitor_may_see(client, meetings):
    content = client.get("/").content.decode()
    assert meetings["open"].titel in content
    assert meetings["leden"].titel not in content
    assert meetings["kern"].titel not in content
    assert meetings["concept"].titel not in content


def test_agenda_filters_by_network_in_the_query_string(client, twente, rotterdam):
    ours = factories.BijeenkomstFactory(netwerken=[twente])
    theirs = factories.BijeenkomstFactory(netwerken=[rotterdam])
    content = client.get("/", {"netwerk": "rotterdam"}).content.decode()
    assert theirs.titel in content and ours.titel not in content


def test_archive_search_finds_words_in_reports_and_programme_parts(client, twente):
    from datetime import timedelta

    from django.utils import timezone

    past = timezone.now() - timedelta(days=30)
    report = factories.BijeenkomstFactory(
        begin=past, verslag="Over wijkteams en privacy", netwerken=[twente]
    )
    part = factories.BijeenkomstFactory(begin=past, netwerken=[twente])
    factories.ProgrammaonderdeelFactory(bijeenkomst=part, titel="Workshop wijkteams")
    other = factories.BijeenkomstFactory(begin=past, netwerken=[twente])
    content = client.get(reverse("bijeenkomsten:archief"), {"zoek": "wijkteams"}).content.decode()
    assert report.titel in content and part.titel in content and other.titel not in content


def test_join_link_is_shown_only_to_registered_members(client, cast, twente):
    bijeenkomst = factories.BijeenkomstFactory(
        doelgroep="leden",
        locatie="",
        online_link="https://meet.example.org/geheim",
        netwerken=[twente],
    )
    client.force_login(cast["kern_twente"])
    assert (
        "meet.example.org/geheim" not in client.get(bijeenkomst.get_absolute_url()).content.decode()
    )
    client.post(reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]))
    assert "meet.example.org/geheim" in client.get(bijeenkomst.get_absolute_url()).content.decode()


def test_registering_lowers_the_place_count_on_the_page(client, cast, twente):
    bijeenkomst = factories.BijeenkomstFactory(capaciteit=5, netwerken=[twente])
    client.force_login(cast["kern_twente"])
    assert "5 plaatsen over" in client.get(bijeenkomst.get_absolute_url()).content.decode()
    client.post(reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]))
    assert "4 plaatsen over" in client.get(bijeenkomst.get_absolute_url()).content.decode()


def build_data(twente, n: int) -> None:
    programma = factories.HalfjaarprogrammaFactory(netwerk=twente)
    for _ in range(n):
        bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente], programma=programma)
        factories.AanmeldingFactory(bijeenkomst=bijeenkomst)
        factories.ProgrammaonderdeelFactory(bijeenkomst=bijeenkomst)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("role", ["visitor", "kern_twente"])
def test_pages_issue_a_fixed_number_of_queries_whatever_the_data_size(client, cast, twente, role):
    from bijeenkomsten.models import Bijeenkomst

    client_for(client, cast[role])

    def urls():
        first = Bijeenkomst.objects.order_by("pk").first()
        programma = first.programma
        return [
            "/",
            reverse("bijeenkomsten:archief"),
            reverse("netwerken:detail", args=[twente.slug]),
            first.get_absolute_url(),
            programma.get_absolute_url(),
        ]

    build_data(twente, 5)
    small = [count_queries(client, url) for url in urls()]
    factories.HalfjaarprogrammaFactory  # noqa: B018 - same programme grows below
    programma = Bijeenkomst.objects.order_by("pk").first().programma
    for _ in range(45):
        bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente], programma=programma)
        factories.AanmeldingFactory(bijeenkomst=bijeenkomst)
    large = [count_queries(client, url) for url in urls()]
    assert small == large
    assert max(large) <= 10, large
