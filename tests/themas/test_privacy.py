"""What theme rounds hold on a member is in their download, and goes when they leave."""

import pytest

from leden import privacy
from leden import services as leden_services
from tests.themas.conftest import open_round, propose, start_voting
from themas import services
from themas.models import Stembiljet, Steun, Themavoorstel

pytestmark = pytest.mark.django_db


def test_the_download_holds_their_proposals_support_and_approvals(twente, kern_twente):
    ronde = open_round(twente)
    (voorstel,) = propose(ronde, ["Ethiek en privacy"], lid=kern_twente.lid)
    start_voting(ronde)
    services.ballot_save(ronde=ronde, lid=kern_twente.lid, voorstel_ids=[voorstel.pk])
    rows = privacy.member_data(lid=kern_twente.lid)["themas"]
    assert {row["soort"] for row in rows} == {"voorstel", "steun", "stem"}


def test_leaving_the_network_takes_their_ballot_out_of_a_running_round(twente, kern_twente):
    ronde = open_round(twente)
    (voorstel,) = propose(ronde, ["Ethiek en privacy"], lid=kern_twente.lid)
    start_voting(ronde)
    services.ballot_save(ronde=ronde, lid=kern_twente.lid, voorstel_ids=[voorstel.pk])
    leden_services.membership_leave(lid=kern_twente.lid, netwerk_id=twente.pk)
    assert not Stembiljet.objects.exists() and not Steun.objects.exists()
    assert Themavoorstel.objects.get().indiener == kern_twente.lid  # the proposal stays


def test_erasure_keeps_proposals_without_their_proposer(twente, kern_twente):
    ronde = open_round(twente)
    propose(ronde, ["Ethiek en privacy"], lid=kern_twente.lid)
    privacy.account_delete(user=kern_twente)
    assert Themavoorstel.objects.get().indiener is None
