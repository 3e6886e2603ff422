"""The confidential channel's cast: a committee member (with TOTP), one without TOTP yet, and
a reporter's client of its own (its own address, so rate limits touch no other test)."""

from __future__ import annotations

import itertools
import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from meldpunt.permissions import COMMITTEE_GROUP
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
    # Made by a migration; a transactional test's flush empties it, so made again here.
    group, _ = Group.objects.get_or_create(name=COMMITTEE_GROUP)
    group.permissions.add(
        Permission.objects.get(codename="behandelen", content_type__app_label="meldpunt")
    )
    user.groups.add(group)
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
