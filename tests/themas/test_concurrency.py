"""A member's approval limit holds under concurrent ballots on PostgreSQL (real locks)."""

import threading

import pytest
from django.db import connection

from tests.bijeenkomsten.test_concurrency import run_concurrently
from tests.themas.conftest import open_round, propose, start_voting
from themas import services
from themas.models import Stem, Stembiljet

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (set DATABASE_URL)")


def _eight_ballots_at_once(twente, kern_twente) -> tuple[list[Exception], int]:
    ronde = open_round(twente, max_stemmen=2)
    proposals = propose(ronde, [f"Thema {i}" for i in range(8)])
    start_voting(ronde)
    lid = kern_twente.lid
    ballots = [[proposals[i].pk, proposals[(i + 1) % 8].pk] for i in range(8)]
    errors = run_concurrently(
        [
            lambda ids=ids: services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=ids)
            for ids in ballots
        ]
    )
    return errors, Stem.objects.filter(biljet__lid=lid).count()


def test_eight_ballots_of_one_member_at_once_leave_one_ballot_within_the_limit(twente, kern_twente):
    errors, lines = _eight_ballots_at_once(twente, kern_twente)
    assert errors == []
    assert Stembiljet.objects.count() == 1
    assert lines == 2


def test_without_the_ballot_lock_the_limit_is_exceeded(monkeypatch, twente, kern_twente):
    """Negative control: the race is real, so the lock is what holds the limit."""

    def unlocked(ronde, lid):
        biljet, _ = Stembiljet.objects.get_or_create(ronde=ronde, lid=lid)
        threading.Event().wait(0.1)  # widen the window between reading and replacing
        return biljet

    monkeypatch.setattr(services, "_lock_ballot", unlocked)
    _errors, lines = _eight_ballots_at_once(twente, kern_twente)
    assert lines > 2
