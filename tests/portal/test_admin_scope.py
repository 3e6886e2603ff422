"""The coordinators' admin is scoped: Twente's coordinator reaches Twente's rows and nothing of
Rotterdam's (404, or the choice refused); staff reach everything. One matrix per view kind."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Halfjaarprogramma, Materiaal
from leden.models import Lidmaatschap
from tests import factories
from tests.accountfixtures import give_totp

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [
    "netwerken.netwerk",
    "bijeenkomsten.halfjaarprogramma",
    "bijeenkomsten.bijeenkomst",
    "bijeenkomsten.programmaonderdeel",
    "bijeenkomsten.materiaal",
    "bijeenkomsten.aanmelding",
    "leden.lidmaatschap",
    "leden.lid",
]
# What a coordinator may delete (the rest is refused with 403 even in their own network).
COORDINATOR_DELETES = {
    "bijeenkomsten.halfjaarprogramma",
    "bijeenkomsten.bijeenkomst",
    "bijeenkomsten.programmaonderdeel",
    "bijeenkomsten.materiaal",
}


def url(label: str, view: str, *args) -> str:
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def changeform_data(response) -> dict:
    """The POST a browser would send for an admin change form, unchanged (extra rows left out)."""
    data: dict = {}

    def put(bound) -> None:
        value = bound.value()
        widget = bound.field.widget
        if hasattr(widget, "widgets") and not isinstance(value, (list, tuple)):
            for index, part in enumerate(widget.decompress(value)):
                text = "" if part is None else part
                if hasattr(text, "strftime"):
                    text = text.strftime("%d-%m-%Y" if index == 0 else "%H:%M:%S")
                data[f"{bound.html_name}_{index}"] = text
        elif isinstance(bound.field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        elif value is not None:
            data[bound.html_name] = str(value)

    for bound in response.context["adminform"].form:
        put(bound)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        count = formset.initial_form_count()
        prefix = formset.prefix
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(count),
                f"{prefix}-INITIAL_FORMS": str(count),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for form in formset.forms[:count]:
            for bound in form:
                put(bound)
    return data


@pytest.fixture
def world(twente, rotterdam, coordinator_twente, kern_twente, lid_rotterdam, staff):
    """One of everything in Twente and in Rotterdam."""
    rows: dict[str, dict] = {}
    for key, netwerk, member in (
        ("twente", twente, kern_twente),
        ("rotterdam", rotterdam, lid_rotterdam),
    ):
        programma = factories.HalfjaarprogrammaFactory(netwerk=netwerk, gepubliceerd=False)
        bijeenkomst = factories.BijeenkomstFactory(netwerken=[netwerk], programma=programma)
        aanvrager = factories.LidFactory(naam=f"Aanvrager {key}")
        rows[key] = {
            "netwerken.netwerk": netwerk,
            "bijeenkomsten.halfjaarprogramma": programma,
            "bijeenkomsten.bijeenkomst": bijeenkomst,
            "bijeenkomsten.programmaonderdeel": factories.ProgrammaonderdeelFactory(
                bijeenkomst=bijeenkomst
            ),
            "bijeenkomsten.materiaal": Materiaal.objects.create(
                bijeenkomst=bijeenkomst, soort="video", titel="Opname", url="https://example.org/v"
            ),
            "bijeenkomsten.aanmelding": factories.AanmeldingFactory(
                bijeenkomst=bijeenkomst, lid=member.lid
            ),
            "leden.lidmaatschap": factories.LidmaatschapFactory(
                lid=aanvrager, netwerk=netwerk, status="aangevraagd", schil="betrokken"
            ),
            "leden.lid": member.lid,
        }
    return rows


@pytest.fixture
def coordinator_client(client, coordinator_twente):
    give_totp(coordinator_twente)  # the admin is closed to coordinators without TOTP
    client.force_login(coordinator_twente)
    return client


@pytest.fixture
def staff_client(client, staff):
    give_totp(staff)
    client.force_login(staff)
    return client


# --- changelist, change view, history, delete ---------------------------------------------


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_coordinator_changelist_lists_only_own_network(coordinator_client, world, label):
    response = coordinator_client.get(url(label, "changelist"))
    assert response.status_code == 200
    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert world["twente"][label].pk in listed
    assert world["rotterdam"][label].pk not in listed


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_staff_changelist_lists_every_network(staff_client, world, label):
    response = staff_client.get(url(label, "changelist"))
    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert {world["twente"][label].pk, world["rotterdam"][label].pk} <= listed


@pytest.mark.parametrize("label", ADMIN_MODELS)
@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_coordinator_gets_404_for_other_network_object(coordinator_client, world, label, view):
    assert coordinator_client.get(url(label, view, world["rotterdam"][label].pk)).status_code == 404
    response = coordinator_client.post(
        url(label, view, world["rotterdam"][label].pk), {"post": "yes"}
    )
    assert response.status_code == 404
    model = type(world["rotterdam"][label])
    assert model.objects.filter(pk=world["rotterdam"][label].pk).exists()


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_coordinator_opens_own_network_object(coordinator_client, world, label):
    assert (
        coordinator_client.get(url(label, "change", world["twente"][label].pk)).status_code == 200
    )
    assert (
        coordinator_client.get(url(label, "history", world["twente"][label].pk)).status_code == 200
    )


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_staff_opens_every_object(staff_client, world, label):
    for key in ("twente", "rotterdam"):
        assert staff_client.get(url(label, "change", world[key][label].pk)).status_code == 200


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_coordinator_deletes_only_what_they_may(coordinator_client, world, label):
    obj = world["twente"][label]
    if label in ("bijeenkomsten.bijeenkomst", "bijeenkomsten.halfjaarprogramma"):
        world["twente"]["bijeenkomsten.aanmelding"].delete()  # see the test below
    response = coordinator_client.post(url(label, "delete", obj.pk), {"post": "yes"})
    exists = type(obj).objects.filter(pk=obj.pk).exists()
    if label in COORDINATOR_DELETES:
        assert response.status_code == 302
        assert not exists
    else:
        assert response.status_code == 403
        assert exists


def test_coordinator_saves_own_meeting_unchanged(coordinator_client, world):
    bijeenkomst = world["twente"]["bijeenkomsten.bijeenkomst"]
    change_url = url("bijeenkomsten.bijeenkomst", "change", bijeenkomst.pk)
    data = changeform_data(coordinator_client.get(change_url))
    data["titel"] = "Nieuwe titel"
    response = coordinator_client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    bijeenkomst.refresh_from_db()
    assert bijeenkomst.titel == "Nieuwe titel"
    assert bijeenkomst.sequence == 0  # not moved


def test_saving_a_co_organised_meeting_keeps_the_other_network(
    coordinator_client, world, rotterdam
):
    bijeenkomst = world["twente"]["bijeenkomsten.bijeenkomst"]
    bijeenkomst.netwerken.add(rotterdam)
    change_url = url("bijeenkomsten.bijeenkomst", "change", bijeenkomst.pk)
    data = changeform_data(coordinator_client.get(change_url))
    # The widget offers (and so a browser posts) only the networks the coordinator may choose.
    data["netwerken"] = [str(world["twente"]["netwerken.netwerk"].pk)]
    assert coordinator_client.post(change_url, data).status_code == 302
    assert set(bijeenkomst.netwerken.values_list("slug", flat=True)) == {"twente", "rotterdam"}


def test_coordinator_cannot_point_own_part_at_other_network_meeting(coordinator_client, world):
    onderdeel = world["twente"]["bijeenkomsten.programmaonderdeel"]
    change_url = url("bijeenkomsten.programmaonderdeel", "change", onderdeel.pk)
    data = changeform_data(coordinator_client.get(change_url))
    data["bijeenkomst"] = str(world["rotterdam"]["bijeenkomsten.bijeenkomst"].pk)
    response = coordinator_client.post(change_url, data)
    assert response.status_code == 200
    assert "bijeenkomst" in response.context["adminform"].form.errors
    onderdeel.refresh_from_db()
    assert onderdeel.bijeenkomst == world["twente"]["bijeenkomsten.bijeenkomst"]


# --- add views with a foreign key of another network ----------------------------------------


def _no_inlines(*prefixes: str) -> dict:
    data = {}
    for prefix in prefixes:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


MEETING_INLINES = ("aanmeldingen", "onderdelen", "materialen", "leertijd")  # leertijd: deelname


def _add_cases(world) -> dict:
    """Per model: (POST data given a network key, how to find the created row)."""

    def programma(key):
        netwerk = world[key]["netwerken.netwerk"]
        return {
            "netwerk": netwerk.pk,
            "jaar": 2030,
            "helft": 2,
            **_no_inlines("bijeenkomsten"),
        }, Halfjaarprogramma.objects.filter(jaar=2030, netwerk=netwerk)

    def bijeenkomst(key):
        return {
            "netwerken": [world[key]["netwerken.netwerk"].pk],
            "programma": world[key]["bijeenkomsten.halfjaarprogramma"].pk,
            "soort": "netwerk",
            "titel": f"Nieuw {key}",
            "slug": f"nieuw-{key}",
            "begin_0": "01-03-2030",
            "begin_1": "19:00",
            "einde_0": "01-03-2030",
            "einde_1": "21:00",
            "doelgroep": "leden",
            "aanmelden_verplicht": "on",
            **_no_inlines(*MEETING_INLINES),
        }, Bijeenkomst.objects.filter(titel=f"Nieuw {key}")  # a coordinator's slug is made

    def onderdeel(key):
        meeting = world[key]["bijeenkomsten.bijeenkomst"]
        data = {"bijeenkomst": meeting.pk, "soort": "lezing", "titel": "Nieuw", "volgorde": 0}
        return data, meeting.onderdelen.filter(titel="Nieuw")

    def materiaal(key):
        meeting = world[key]["bijeenkomsten.bijeenkomst"]
        data = {"bijeenkomst": meeting.pk, "soort": "verslag", "titel": "Nieuw", "tekst": "Tekst"}
        return data, meeting.materialen.filter(titel="Nieuw")

    return {
        "bijeenkomsten.halfjaarprogramma": programma,
        "bijeenkomsten.bijeenkomst": bijeenkomst,
        "bijeenkomsten.programmaonderdeel": onderdeel,
        "bijeenkomsten.materiaal": materiaal,
    }


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_coordinator_add_refuses_other_network_and_accepts_own(coordinator_client, world, label):
    cases = _add_cases(world)
    if label not in cases:
        # Networks, registrations, memberships and members are not created by coordinators.
        assert coordinator_client.get(url(label, "add")).status_code == 403
        return
    assert coordinator_client.get(url(label, "add")).status_code == 200
    data, created = cases[label]("rotterdam")
    response = coordinator_client.post(url(label, "add"), data)
    assert response.status_code == 200  # the form again, with the choice refused
    assert response.context["adminform"].form.errors
    assert not created.exists()

    data, created = cases[label]("twente")
    response = coordinator_client.post(url(label, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert created.exists()


def test_meeting_with_own_network_but_other_network_programme_is_refused(coordinator_client, world):
    data, created = _add_cases(world)["bijeenkomsten.bijeenkomst"]("twente")
    data["programma"] = world["rotterdam"]["bijeenkomsten.halfjaarprogramma"].pk
    response = coordinator_client.post(url("bijeenkomsten.bijeenkomst", "add"), data)
    assert "programma" in response.context["adminform"].form.errors
    assert not created.exists()


# --- actions ----------------------------------------------------------------------------------

ACTIONS = [
    ("bijeenkomsten.halfjaarprogramma", "publish", lambda o: o.gepubliceerd),
    ("bijeenkomsten.bijeenkomst", "cancel_meetings", lambda o: o.geannuleerd),
    ("bijeenkomsten.aanmelding", "mark_attended", lambda o: o.status == "aanwezig"),
    ("leden.lidmaatschap", "accept_as_core", lambda o: o.status == "actief"),
    ("leden.lidmaatschap", "decline", lambda o: o.status == "afgewezen"),
]


@pytest.mark.parametrize(("label", "action", "done"), ACTIONS)
def test_actions_reach_only_own_network(coordinator_client, world, label, action, done):
    ours, theirs = world["twente"][label], world["rotterdam"][label]
    response = coordinator_client.post(
        url(label, "changelist"),
        # "bevestigd": past the message page of actions that have one (decline)
        {"action": action, "_selected_action": [ours.pk, theirs.pk], "index": 0, "bevestigd": "1"},
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert done(ours)
    assert not done(theirs)


def test_staff_actions_reach_every_network(staff_client, world):
    label = "bijeenkomsten.halfjaarprogramma"
    ids = [world["twente"][label].pk, world["rotterdam"][label].pk]
    staff_client.post(url(label, "changelist"), {"action": "publish", "_selected_action": ids})
    assert Halfjaarprogramma.objects.filter(pk__in=ids, gepubliceerd=True).count() == 2


# --- autocomplete -----------------------------------------------------------------------------

AUTOCOMPLETES = [
    ("bijeenkomsten", "halfjaarprogramma", "netwerk", "netwerken.netwerk"),
    ("bijeenkomsten", "bijeenkomst", "netwerken", "netwerken.netwerk"),
    ("bijeenkomsten", "bijeenkomst", "programma", "bijeenkomsten.halfjaarprogramma"),
    ("bijeenkomsten", "programmaonderdeel", "bijeenkomst", "bijeenkomsten.bijeenkomst"),
    ("bijeenkomsten", "materiaal", "bijeenkomst", "bijeenkomsten.bijeenkomst"),
    ("bijeenkomsten", "aanmelding", "bijeenkomst", "bijeenkomsten.bijeenkomst"),
    ("bijeenkomsten", "aanmelding", "lid", "leden.lid"),
    ("leden", "lidmaatschap", "lid", "leden.lid"),
    ("leden", "lidmaatschap", "netwerk", "netwerken.netwerk"),
]


def _autocomplete_ids(client, app, model, field) -> set[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app, "model_name": model, "field_name": field, "term": ""},
    )
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(("app", "model", "field", "target"), AUTOCOMPLETES)
def test_autocomplete_offers_only_own_network(coordinator_client, world, app, model, field, target):
    ids = _autocomplete_ids(coordinator_client, app, model, field)
    assert str(world["twente"][target].pk) in ids
    assert str(world["rotterdam"][target].pk) not in ids


@pytest.mark.parametrize(("app", "model", "field", "target"), AUTOCOMPLETES)
def test_autocomplete_offers_staff_everything(staff_client, world, app, model, field, target):
    ids = _autocomplete_ids(staff_client, app, model, field)
    assert {str(world["twente"][target].pk), str(world["rotterdam"][target].pk)} <= ids


# --- who gets in ------------------------------------------------------------------------------


def test_staff_user_who_coordinates_nothing_sees_no_network_data(client, world):
    user = factories.UserFactory(is_staff=True)
    give_totp(user)
    client.force_login(user)
    assert client.get(url("bijeenkomsten.bijeenkomst", "changelist")).status_code == 403


def test_coordinator_sees_own_models_on_admin_index(coordinator_client, world):
    response = coordinator_client.get(reverse("admin:index"))
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert {"Halfjaarprogramma", "Bijeenkomst", "Lidmaatschap", "Netwerk"} <= models
    assert "User" not in models and "Koepel" not in models


def test_coordinator_cannot_rename_network_or_choose_coordinators(coordinator_client, world):
    response = coordinator_client.get(
        url("netwerken.netwerk", "change", world["twente"]["netwerken.netwerk"].pk)
    )
    assert "coordinators" not in response.context["adminform"].form.fields
    assert "naam" not in response.context["adminform"].form.fields


def test_member_page_shows_attended_meetings_of_own_network_only(
    coordinator_client, world, kern_twente, rotterdam
):
    elsewhere = factories.BijeenkomstFactory(netwerken=[rotterdam], titel="Rotterdamse avond")
    Aanmelding.objects.create(bijeenkomst=elsewhere, lid=kern_twente.lid, status="aanwezig")
    ours = world["twente"]["bijeenkomsten.aanmelding"]
    Aanmelding.objects.filter(pk=ours.pk).update(status="aanwezig")
    response = coordinator_client.get(url("leden.lid", "change", kern_twente.lid.pk))
    content = response.content.decode()
    assert ours.bijeenkomst.titel in content
    assert "Rotterdamse avond" not in content


def test_member_page_lists_only_own_network_memberships(coordinator_client, world, rotterdam):
    lid = world["twente"]["leden.lid"]
    factories.LidmaatschapFactory(lid=lid, netwerk=rotterdam)
    response = coordinator_client.get(url("leden.lid", "change", lid.pk))
    (inline,) = response.context["inline_admin_formsets"]
    assert [f.instance.netwerk.slug for f in inline.formset.forms] == ["twente"]


def test_accepting_a_join_request_queues_a_mail(coordinator_client, world, monkeypatch):
    calls = []
    monkeypatch.setattr("leden.mails.queue_membership_mail", lambda *args: calls.append(args))
    request = world["twente"]["leden.lidmaatschap"]
    coordinator_client.post(
        url("leden.lidmaatschap", "changelist"),
        {"action": "accept_as_second_tier", "_selected_action": [request.pk]},
    )
    request.refresh_from_db()
    assert (request.status, request.schil) == ("actief", "betrokken")
    assert request.lid_sinds is not None
    assert calls == [(request.pk, "geaccepteerd")]


def test_moving_a_member_between_tiers(coordinator_client, world):
    lidmaatschap = Lidmaatschap.objects.get(lid=world["twente"]["leden.lid"])
    coordinator_client.post(
        url("leden.lidmaatschap", "changelist"),
        {"action": "move_to_second_tier", "_selected_action": [lidmaatschap.pk]},
    )
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.schil == "betrokken"


def test_meeting_with_registrations_cannot_be_deleted_by_coordinator(coordinator_client, world):
    """Registrations are not the coordinator's to delete: such a meeting is cancelled instead
    (tests/bijeenkomsten/test_admin_deletes.py checks every path)."""
    bijeenkomst = world["twente"]["bijeenkomsten.bijeenkomst"]
    response = coordinator_client.post(
        url("bijeenkomsten.bijeenkomst", "delete", bijeenkomst.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert Bijeenkomst.objects.get(pk=bijeenkomst.pk).geannuleerd


# --- Django's own admin URLs --------------------------------------------------------------

ON_SITE = ["bijeenkomsten.bijeenkomst", "bijeenkomsten.halfjaarprogramma", "netwerken.netwerk"]


def _view_on_site(obj) -> str:
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


@pytest.mark.parametrize("label", ON_SITE)
def test_view_on_site_does_not_reveal_another_networks_object(coordinator_client, world, label):
    # A draft of Rotterdam's: its slug must not reach Twente's coordinator.
    response = coordinator_client.get(_view_on_site(world["rotterdam"][label]))
    assert response.status_code == 404


@pytest.mark.parametrize("label", ON_SITE)
def test_view_on_site_leads_to_own_networks_object(coordinator_client, world, label):
    obj = world["twente"][label]
    response = coordinator_client.get(_view_on_site(obj))
    assert response.status_code == 302
    assert response["Location"].endswith(obj.get_absolute_url())


@pytest.mark.parametrize("label", ON_SITE)
def test_view_on_site_leads_staff_anywhere(staff_client, world, label):
    obj = world["rotterdam"][label]
    response = staff_client.get(_view_on_site(obj))
    assert response.status_code == 302
    assert response["Location"].endswith(obj.get_absolute_url())


def test_view_on_site_refuses_models_without_an_admin_page_for_the_user(coordinator_client, world):
    # Koepel has no page for coordinators; a content type id that is no number is no object.
    koepel = world["rotterdam"]["netwerken.netwerk"].koepel
    assert coordinator_client.get(_view_on_site(koepel)).status_code == 404
    assert coordinator_client.get("/admin/r/x/1/").status_code == 404
