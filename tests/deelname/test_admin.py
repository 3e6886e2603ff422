"""Coordinators set a meeting's educational time on the meeting's own admin page, in their
own networks only; the database refuses an accredited activity without its id."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from deelname.models import Categorie, Leertijd
from tests.deelname.conftest import past_meeting

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """The change form's fields as the browser would post them (no submit buttons)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data) -> None:
        if self._textarea:
            self.data[self._textarea][0] += data.lstrip("\n")


def _change_form(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    form = _Form()
    form.feed(response.content.decode())
    return form.data


def test_coordinator_sets_accredited_time_on_the_meeting_page(client, twente, coordinator_twente):
    bijeenkomst = past_meeting(twente)
    client.force_login(coordinator_twente)
    url = reverse("admin:bijeenkomsten_bijeenkomst_change", args=[bijeenkomst.pk])
    data = _change_form(client, url)
    assert "leertijd-TOTAL_FORMS" in data
    data.update(
        {
            "leertijd-TOTAL_FORMS": ["1"],
            "leertijd-0-minuten": ["100"],
            "leertijd-0-categorie": [Categorie.GEACCREDITEERD],
            "leertijd-0-accreditatie_id": [""],
            "leertijd-0-bewijs": ["on"],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200  # shown again: the id is missing
    assert not Leertijd.objects.exists()
    data["leertijd-0-accreditatie_id"] = ["PE-424242"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    leertijd = Leertijd.objects.get(bijeenkomst=bijeenkomst)
    assert (leertijd.minuten, leertijd.accreditatie_id) == (100, "PE-424242")


def test_another_networks_meeting_is_not_there_for_a_coordinator(
    client, rotterdam, coordinator_twente
):
    bijeenkomst = past_meeting(rotterdam)
    client.force_login(coordinator_twente)
    url = reverse("admin:bijeenkomsten_bijeenkomst_change", args=[bijeenkomst.pk])
    assert client.get(url).status_code == 404
