"""The round's pages and admin: who sees what, voting without leaks, fixed query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import ROLES
from tests.themas.conftest import open_round, propose, start_voting, voters
from themas import services
from themas.models import Reactie, Stem, Stembiljet

pytestmark = pytest.mark.django_db


def _url(ronde) -> str:
    return reverse(
        "themas:ronde",
        kwargs={"slug": ronde.netwerk.slug, "jaar": ronde.jaar, "helft": ronde.helft},
    )


def _urls(ronde) -> list[str]:
    voorstel = ronde.voorstellen.order_by("pk").first()
    reactie = Reactie.objects.filter(voorstel__ronde=ronde).order_by("pk").first()
    return [
        reverse("admin:themas_reactie_changelist"),
        reverse("admin:themas_reactie_change", args=[reactie.pk]),
        reverse("themas:rondes", kwargs={"slug": ronde.netwerk.slug}),
        _url(ronde),
        reverse("admin:themas_themaronde_changelist"),
        reverse("admin:themas_themaronde_change", args=[ronde.pk]),
        reverse("admin:themas_themavoorstel_changelist"),
        reverse("admin:themas_themavoorstel_changelist") + "?o=1",
        reverse("admin:themas_themavoorstel_change", args=[voorstel.pk]),
        reverse("netwerken:detail", kwargs={"slug": ronde.netwerk.slug}),
        reverse(
            "themas:datumplanning",
            kwargs={"slug": ronde.netwerk.slug, "jaar": ronde.jaar, "helft": ronde.helft},
        ),
    ]


def _cast_ballots(ronde, leden, proposals, pattern) -> None:
    """Each voter's ballot from `pattern(i)` (indexes into proposals), replacing any earlier."""
    for i, lid in enumerate(leden):
        ids = [proposals[j].pk for j in pattern(i)]
        services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=ids)


def _comment(proposals, leden) -> None:
    for i, lid in enumerate(leden):
        services.comment_create(voorstel=proposals[i % len(proposals)], lid=lid, tekst=f"Ja! {i}")


def _page(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    html = (
        response.content.decode() if response.status_code == 200 else response.get("Location", "")
    )
    return response.status_code, re.sub(r'value="[^"]{20,}"', 'value="csrf"', html)


def test_while_voting_every_role_sees_the_same_pages_whatever_the_ballots(client, cast, twente):
    ronde = open_round(twente, max_stemmen=3)
    proposals = propose(ronde)
    start_voting(ronde)
    others = voters(twente, 12)
    _comment(proposals, others[:3])
    _cast_ballots(ronde, others, proposals, lambda i: [0, 1, 2])  # a bloc on the first three
    before = {}
    for role in ROLES:
        client.logout()
        if role != "visitor":
            client.force_login(cast[role])
        before[role] = [_page(client, url) for url in _urls(ronde)]
    _cast_ballots(ronde, others, proposals, lambda i: [4, 3] if i % 2 else [4])  # all else
    for role in ROLES:
        client.logout()
        if role != "visitor":
            client.force_login(cast[role])
        after = [_page(client, url) for url in _urls(ronde)]
        for url, one, two in zip(_urls(ronde), before[role], after, strict=True):
            assert one == two, (role, url)
    # The pages were really shown to those who may see them.
    client.force_login(cast["kern_twente"])
    assert client.get(_url(ronde)).status_code == 200
    client.force_login(cast["coordinator_twente"])
    assert client.get(reverse("admin:themas_themaronde_change", args=[ronde.pk])).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("lid_rotterdam", 404),
        ("betrokken_twente", 200),
        ("kern_twente", 200),
        ("coordinator_twente", 200),
        ("staff", 200),
    ],
)
def test_the_round_page_is_for_the_network_its_coordinators_and_staff(
    client, cast, twente, role, status
):
    ronde = open_round(twente)
    client.force_login(cast[role])
    assert client.get(_url(ronde)).status_code == status


def test_a_visitor_is_asked_to_log_in(client, twente):
    ronde = open_round(twente)
    assert client.get(_url(ronde))["Location"].startswith(reverse("account_login"))


def test_the_round_page_is_never_stored_by_caches(client, kern_twente, twente):
    ronde = open_round(twente)
    client.force_login(kern_twente)
    assert "no-store" in client.get(_url(ronde))["Cache-Control"]


def test_a_member_proposes_supports_and_votes_through_the_page(client, kern_twente, twente):
    ronde = open_round(twente, max_stemmen=2)
    client.force_login(kern_twente)
    url = _url(ronde)
    client.post(
        url, {"actie": "voorstel", "titel": "Ethiek en privacy", "waarom": "AVG", "vorm": ""}
    )
    (voorstel,) = ronde.voorstellen.all()
    assert voorstel.indiener == kern_twente.lid
    client.post(url, {"actie": "steun_intrekken", "voorstel": voorstel.pk})
    assert not voorstel.steun.exists()
    (other,) = propose(ronde, ["Wijkteams"])
    start_voting(ronde)
    page = client.get(url).content.decode()
    assert 'type="checkbox"' in page
    client.post(url, {"actie": "stemmen", "voorstel": [voorstel.pk, other.pk]})
    assert set(Stem.objects.values_list("voorstel_id", flat=True)) == {voorstel.pk, other.pk}
    response = client.post(url, {"actie": "stemmen", "voorstel": [voorstel.pk]}, follow=True)
    assert "Je keuze is opgeslagen" in response.content.decode()
    assert Stem.objects.count() == 1


def test_after_the_close_everyone_in_the_network_sees_the_result_without_voters(
    client, kern_twente, twente
):
    ronde = open_round(twente, max_stemmen=2, aantal_themas=2)
    proposals = propose(ronde)
    start_voting(ronde)
    _cast_ballots(ronde, voters(twente, 5), proposals, lambda i: [0, 1])
    services.round_close(ronde=ronde)
    client.force_login(kern_twente)
    page = client.get(_url(ronde)).content.decode()
    assert "Uitslag" in page and "5 leden zouden komen" in page
    assert "Bij gelijke score" in page  # the tie-break rule is stated
    for biljet in Stembiljet.objects.select_related("lid"):
        assert biljet.lid.naam not in page  # no voter named


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("closed", [False, True])
def test_the_round_page_takes_the_same_queries_for_5_and_50_proposals_comments_and_ballots(
    client, kern_twente, twente, closed
):
    counts = []
    for helft, n in ((1, 5), (2, 50)):
        ronde = open_round(twente, helft=helft, max_stemmen=3)
        proposals = propose(ronde, [f"Thema {i}" for i in range(n)])
        start_voting(ronde)
        leden = voters(twente, n)
        _comment(proposals, leden)  # as many comments as proposals, from members
        _cast_ballots(ronde, leden, proposals, lambda i, n=n: [i % n, (i * 7 + 1) % n])
        services.ballot_save(ronde=ronde, lid=kern_twente.lid, voorstel_ids=[proposals[0].pk])
        if closed:
            services.round_close(ronde=ronde)
        client.force_login(kern_twente)
        counts.append(_queries(client, _url(ronde)))
    assert counts[0] == counts[1], counts
    print("round page queries", "closed" if closed else "voting", counts)


def test_the_admin_lists_take_the_same_queries_for_5_and_50_proposals_and_comments(
    client, coordinator_twente, twente
):
    counts = []
    for helft, n in ((1, 5), (2, 50)):
        ronde = open_round(twente, helft=helft)
        propose(ronde, [f"Thema {i}" for i in range(n)])
        client.force_login(coordinator_twente)
        _comment(list(ronde.voorstellen.all()), voters(twente, n))
        urls = [
            reverse("admin:themas_reactie_changelist"),
            reverse("admin:themas_themavoorstel_changelist"),
            reverse("admin:themas_themaronde_change", args=[ronde.pk]),
        ]
        for url in urls:  # warm Django's process-wide content-type cache, a one-off query
            client.get(url)
        counts.append(tuple(_queries(client, url) for url in urls))
    assert counts[0] == counts[1], counts
    print("admin queries (comments, proposals, round)", counts)


def test_a_member_finds_the_rounds_from_the_network_page(client, kern_twente, twente):
    rondes = reverse("themas:rondes", kwargs={"slug": "twente"})
    assert (
        rondes
        not in client.get(reverse("netwerken:detail", kwargs={"slug": "twente"})).content.decode()
    )
    client.force_login(kern_twente)
    page = client.get(reverse("netwerken:detail", kwargs={"slug": "twente"})).content.decode()
    assert rondes in page
