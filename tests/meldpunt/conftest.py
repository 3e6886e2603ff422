"""The confidential channel's cast: a committee member (with TOTP), one without TOTP yet, and
a reporter's client of its own (its own address, so rate limits touch no other test)."""

from __future__ import annotations

import itertools
import uuid

import pytest
from django.test import Client

from meldpunt.permissions import committee_group
from tests import factories
from tests.accountfixtures import give_totp

_ip_numbers = itertools.count(uuid.uuid4().int % 2**22 * 4)

REPORT_TEXT = "Collega X deelt dossiers van cliënten via WhatsApp met de wijkagent."


def new_ip() -> str:
    n = next(_ip_numbers)
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def committee_user(email: str = "commissie@example.org", *, totp: bool = True):
    user = factories.UserFactory(email=email)
    factories.LidFactory(user=user, naam="Commissielid")
    user.groups.add(committee_group())  # a transactional test's flush may have emptied it
    if totp:
        give_totp(user)
    return user


@pytest.fixture
def committee(db):
    return committee_user()


@pytest.fixture
def reporter() -> Client:
    """A browser-like client: it posts from a page of the portal (Origin, Sec-Fetch-Site)."""
    return Client(
        REMOTE_ADDR=new_ip(),
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
        enforce_csrf_checks=True,
    )
