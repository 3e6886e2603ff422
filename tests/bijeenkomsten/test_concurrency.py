"""Capacity holds under concurrent registrations on PostgreSQL (real connections, real locks)."""

import threading

import pytest
from django.db import connection, connections

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding
from bijeenkomsten.services import registration
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (set DATABASE_URL)")


def run_concurrently(calls) -> list[Exception]:
    """Start every call at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    errors: list[Exception] = []

    def worker(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_thirty_concurrent_registrations_fill_exactly_ten_places():
    bijeenkomst = factories.BijeenkomstFactory(capaciteit=10)
    leden = [factories.LidFactory() for _ in range(30)]
    errors = run_concurrently(
        [
            lambda lid=lid: services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=lid)
            for lid in leden
        ]
    )
    assert errors == []
    registrations = Aanmelding.objects.filter(bijeenkomst=bijeenkomst)
    assert registrations.filter(status="aangemeld").count() == 10
    assert registrations.filter(status="wachtlijst").count() == 20


def test_double_submit_from_two_tabs_gives_one_registration():
    bijeenkomst = factories.BijeenkomstFactory()
    lid = factories.LidFactory()
    errors = run_concurrently(
        [lambda: services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=lid)] * 8
    )
    assert errors == []
    assert Aanmelding.objects.filter(bijeenkomst=bijeenkomst, lid=lid).count() == 1


def test_without_the_row_lock_capacity_is_exceeded(monkeypatch):
    """Negative control: the race is real, so the lock is what keeps the count right."""
    from bijeenkomsten.models import Bijeenkomst

    monkeypatch.setattr(registration, "_lock", lambda pk: Bijeenkomst.objects.get(pk=pk))
    original_has_room = registration._has_room

    def slow_has_room(bijeenkomst):
        room = original_has_room(bijeenkomst)
        threading.Event().wait(0.05)  # widen the window between check and insert
        return room

    monkeypatch.setattr(registration, "_has_room", slow_has_room)
    bijeenkomst = factories.BijeenkomstFactory(capaciteit=10)
    leden = [factories.LidFactory() for _ in range(30)]
    run_concurrently(
        [
            lambda lid=lid: services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=lid)
            for lid in leden
        ]
    )
    taken = Aanmelding.objects.filter(bijeenkomst=bijeenkomst, status="aangemeld").count()
    assert taken > 10
