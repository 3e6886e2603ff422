"""Brief comments on proposals: who may write them, when, where they show, and moderation."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse

from leden import privacy
from leden import services as leden_services
from tests.themas.conftest import open_round, propose, start_voting
from themas import services
from themas.models import Reactie

pytestmark = pytest.mark.django_db


def _url(ronde) -> str:
    return reverse(
        "themas:ronde",
        kwargs={"slug": ronde.netwerk.slug, "jaar": ronde.jaar, "helft": ronde.helft},
    )


def test_members_comment_while_proposing_and_voting_but_not_after(twente, kern_twente):
    ronde = open_round(twente)
    (voorstel,) = propose(ronde, ["Ethiek en privacy"])
    services.comment_create(voorstel=voorstel, lid=kern_twente.lid, tekst="  Graag!  ")
    start_voting(ronde)
    services.comment_create(voorstel=voorstel, lid=kern_twente.lid, tekst="Nog steeds.")
    assert list(voorstel.reacties.values_list("tekst", flat=True)) == ["Graag!", "Nog steeds."]
    services.round_close(ronde=ronde)
    with pytest.raises(ValidationError, match="Reageren is gesloten"):
        services.comment_create(voorstel=voorstel, lid=kern_twente.lid, tekst="Te laat")


def test_only_active_members_comment_and_briefly(twente, kern_twente, lid_rotterdam):
    ronde = open_round(twente)
    (voorstel,) = propose(ronde, ["Ethiek en privacy"])
    with pytest.raises(ValidationError, match="Alleen actieve leden"):
        services.comment_create(voorstel=voorstel, lid=lid_rotterdam.lid, tekst="Hallo")
    with pytest.raises(ValidationError, match="500 tekens"):
        services.comment_create(voorstel=voorstel, lid=kern_twente.lid, tekst="x" * 501)
    with pytest.raises(ValidationError, match="Schrijf eerst"):
        services.comment_create(voorstel=voorstel, lid=kern_twente.lid, tekst="   ")
    services.comment_create(voorstel=voorstel, lid=kern_twente.lid, tekst="x" * 500)


@pytest.mark.parametrize("tekst", ["x" * 501, "", "   "])
def test_the_database_refuses_long_or_empty_comments(twente, kern_twente, tekst):
    ronde = open_round(twente)
    (voorstel,) = propose(ronde, ["Ethiek en privacy"])
    # PostgreSQL's varchar refuses the long one itself (DataError); SQLite needs the check.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Reactie.objects.create(voorstel=voorstel, lid=kern_twente.lid, tekst=tekst)


def test_a_merge_carries_the_comments_over(twente, kern_twente):
    ronde = open_round(twente)
    dup, into = propose(ronde, ["Privacy", "Ethiek en privacy"])
    services.comment_create(voorstel=dup, lid=kern_twente.lid, tekst="Dubbel?")
    services.proposal_merge(voorstel=dup, into=into)
    assert Reactie.objects.get().voorstel == into
    with pytest.raises(ValidationError):
        services.comment_create(voorstel=dup, lid=kern_twente.lid, tekst="Hier niet meer")


def test_a_member_comments_on_the_page_and_fellow_members_see_the_name(
    client, twente, kern_twente, betrokken_twente
):
    ronde = open_round(twente)
    (voorstel,) = propose(ronde, ["Ethiek en privacy"])
    client.force_login(kern_twente)
    response = client.post(
        _url(ronde),
        {"actie": "reactie", "voorstel": voorstel.pk, "tekst": "Goed plan"},
        follow=True,
    )
    assert "Je reactie staat erbij" in response.content.decode()
    start_voting(ronde)
    client.force_login(betrokken_twente)
    page = client.get(_url(ronde)).content.decode()
    assert "Goed plan" in page and kern_twente.lid.naam in page
    assert 'form="reactie-' in page  # the comment field lives inside the ballot form
    # Voting: the comment form posts to its own form, not the ballot.
    client.post(_url(ronde), {"actie": "reactie", "voorstel": voorstel.pk, "tekst": "Mee eens"})
    assert Reactie.objects.count() == 2


def test_a_commenter_who_left_the_network_shows_without_a_name(
    client, twente, kern_twente, betrokken_twente
):
    ronde = open_round(twente)
    (voorstel,) = propose(ronde, ["Ethiek en privacy"])
    services.comment_create(voorstel=voorstel, lid=kern_twente.lid, tekst="Goed plan")
    leden_services.membership_leave(lid=kern_twente.lid, netwerk_id=twente.pk)
    client.force_login(betrokken_twente)
    page = client.get(_url(ronde)).content.decode()
    assert "Goed plan" in page and kern_twente.lid.naam not in page
    assert "een oud-lid" in page


def test_comments_are_in_the_download_and_go_with_the_member(twente, kern_twente):
    ronde = open_round(twente)
    (voorstel,) = propose(ronde, ["Ethiek en privacy"])
    services.comment_create(voorstel=voorstel, lid=kern_twente.lid, tekst="Goed plan")
    rows = privacy.member_data(lid=kern_twente.lid)["themas"]
    assert {"soort": "reactie", "tekst": "Goed plan"}.items() <= next(
        r for r in rows if r["soort"] == "reactie"
    ).items()
    privacy.account_delete(user=kern_twente)
    assert not Reactie.objects.exists()


def test_coordinators_moderate_their_networks_comments_only(
    client, twente, rotterdam, kern_twente, lid_rotterdam, coordinator_twente
):
    mine = services.comment_create(
        voorstel=propose(open_round(twente), ["Ethiek"])[0], lid=kern_twente.lid, tekst="Hier"
    )
    theirs = services.comment_create(
        voorstel=propose(open_round(rotterdam), ["Wijken"])[0], lid=lid_rotterdam.lid, tekst="Daar"
    )
    client.force_login(coordinator_twente)
    listing = client.get(reverse("admin:themas_reactie_changelist")).content.decode()
    assert "Hier" in listing and "Daar" not in listing
    assert client.get(reverse("admin:themas_reactie_change", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("admin:themas_reactie_add")).status_code == 403
    client.post(reverse("admin:themas_reactie_delete", args=[mine.pk]), {"post": "yes"})
    assert list(Reactie.objects.all()) == [theirs]
