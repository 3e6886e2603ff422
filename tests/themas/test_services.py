"""Theme rounds through their services: proposing, support, merging, ballots, the close."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from berichten.models import Verzending
from tests import factories
from tests.themas.conftest import open_round, propose, start_voting, voters
from themas import services, tasks
from themas.models import RondeStatus, Stem, Stembiljet, Steun, Themaronde

pytestmark = pytest.mark.django_db


def _sent(kind: str) -> list[str]:
    return sorted(Verzending.objects.filter(soort=kind).values_list("ontvanger", flat=True))


def test_opening_a_round_mails_the_active_members_of_the_network_only(
    twente, kern_twente, betrokken_twente, lid_rotterdam
):
    factories.LidmaatschapFactory(netwerk=twente, status="aangevraagd")
    open_round(twente)
    assert _sent("themaronde_geopend") == sorted([kern_twente.email, betrokken_twente.email])


def test_one_round_per_network_and_half_year(ronde, twente):
    with pytest.raises(ValidationError):
        open_round(twente)
    with pytest.raises(IntegrityError), transaction.atomic():
        Themaronde.objects.create(
            netwerk=twente,
            jaar=2027,
            helft=1,
            voorstellen_tot=ronde.voorstellen_tot,
            stemmen_tot=ronde.stemmen_tot,
        )


def test_voting_must_end_after_proposals(twente):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Themaronde.objects.create(
            netwerk=twente, jaar=2027, helft=2, voorstellen_tot=now, stemmen_tot=now
        )


def test_members_propose_and_support_while_proposals_are_open(ronde, kern_twente, lid_rotterdam):
    (voorstel,) = propose(ronde, ["Ethiek en privacy"])
    assert Steun.objects.filter(voorstel=voorstel).count() == 1  # the proposer
    services.proposal_support(voorstel=voorstel, lid=kern_twente.lid)
    services.proposal_support(voorstel=voorstel, lid=kern_twente.lid)  # a double click
    assert Steun.objects.filter(voorstel=voorstel).count() == 2
    with pytest.raises(ValidationError):
        services.proposal_support(voorstel=voorstel, lid=lid_rotterdam.lid)
    start_voting(ronde)
    with pytest.raises(ValidationError):
        propose(ronde, ["Te laat"])


def test_a_ballot_is_replaced_until_the_deadline_and_holds_the_limit(ronde, kern_twente):
    a, b, c, d, e = propose(ronde)
    lid = kern_twente.lid
    with pytest.raises(ValidationError):  # not yet: proposals are open
        services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=[a.pk])
    start_voting(ronde)
    services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=[a.pk, b.pk])
    services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=[c.pk, d.pk, e.pk])
    assert set(Stem.objects.values_list("voorstel_id", flat=True)) == {c.pk, d.pk, e.pk}
    with pytest.raises(ValidationError):
        services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=[a.pk, b.pk, c.pk, d.pk])
    other = open_round(ronde.netwerk, helft=2)
    (elsewhere,) = propose(other, ["Elders"])
    with pytest.raises(ValidationError):
        services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=[elsewhere.pk])
    with pytest.raises(ValidationError):
        services.ballot_save(
            ronde=ronde, lid=lid, voorstel_ids=[a.pk], now=ronde.stemmen_tot + timedelta(1)
        )
    assert Stembiljet.objects.count() == 1


def test_merging_carries_support_and_votes_over_once_and_tells_the_proposers(
    ronde, kern_twente, betrokken_twente
):
    dup, keep, other = propose(ronde, ["Meldcode", "De herziene meldcode", "Ethiek"])
    services.proposal_support(voorstel=dup, lid=kern_twente.lid)
    services.proposal_support(voorstel=keep, lid=kern_twente.lid)  # backs both
    services.proposal_support(voorstel=dup, lid=betrokken_twente.lid)
    start_voting(ronde)
    services.ballot_save(ronde=ronde, lid=kern_twente.lid, voorstel_ids=[dup.pk, keep.pk])
    services.ballot_save(ronde=ronde, lid=betrokken_twente.lid, voorstel_ids=[dup.pk, other.pk])
    services.proposal_merge(voorstel=dup, into=keep)
    dup.refresh_from_db()
    assert dup.samengevoegd_in == keep
    # keep's proposer, dup's proposer (moved over), kern (once), betrokken: four supporters.
    assert keep.steun.count() == 4 and dup.steun.count() == 0
    assert keep.stemmen.count() == 2 and dup.stemmen.count() == 0
    assert _sent("themavoorstel_samengevoegd") == sorted(
        [dup.indiener.user.email, keep.indiener.user.email]
    )
    with pytest.raises(ValidationError):
        services.proposal_merge(voorstel=dup, into=other)


def test_closing_chooses_proportionally_once_and_mails_the_result(twente):
    ronde = open_round(twente, max_stemmen=4, aantal_themas=4)
    proposals = propose(ronde, list("ABCDEFGH"))
    start_voting(ronde)
    bloc, minority = proposals[:4], proposals[4:]
    for lid in voters(twente, 13):
        services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=[p.pk for p in bloc])
    for lid in voters(twente, 7):
        services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=[p.pk for p in minority])
    chosen = services.round_close(ronde=ronde)
    assert services.round_close(ronde=ronde) == []  # a second close does nothing
    assert len(chosen) == 4 and set(chosen) & {p.pk for p in minority}
    ronde.refresh_from_db()
    assert ronde.status() == RondeStatus.GESLOTEN
    assert ronde.voorstellen.filter(gekozen_als__isnull=False).count() == 4
    members = twente.lidmaatschappen.filter(status="actief").count()
    assert len(_sent("themaronde_uitslag")) == members


def test_the_reminder_goes_two_days_before_to_who_has_not_voted_exactly_once(
    ronde, kern_twente, betrokken_twente, coordinator_twente
):
    (voorstel,) = propose(ronde, ["Ethiek"], lid=kern_twente.lid)
    start_voting(ronde, days_left=3)
    services.ballot_save(ronde=ronde, lid=kern_twente.lid, voorstel_ids=[voorstel.pk])
    betrokken_twente.lid.herinneringen = False  # wants no reminders
    betrokken_twente.lid.save()
    assert tasks.run_rounds() == 0  # three days left: not yet
    soon = ronde.stemmen_tot - timedelta(days=1)
    tasks.run_rounds(now=soon)
    tasks.run_rounds(now=soon + timedelta(hours=1))
    assert _sent("themaronde_stemherinnering") == [coordinator_twente.email]
    tasks.run_rounds(now=ronde.stemmen_tot)  # the deadline passed: the beat closes it
    ronde.refresh_from_db()
    assert ronde.gesloten_op is not None
    assert voorstel.pk in ronde.voorstellen.filter(gekozen_als=1).values_list("pk", flat=True)
