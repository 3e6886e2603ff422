"""The admin as a coordinator sees it: no technical fields, their network prefilled, filters that
list only their own networks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_coordinator_plans_a_meeting_without_technical_fields(
    client, coordinator_twente, twente, rotterdam
):
    client.force_login(coordinator_twente)
    add = reverse("admin:bijeenkomsten_bijeenkomst_add")
    page = client.get(add).content.decode()
    assert 'name="slug"' not in page and "sequence" not in page
    assert f'<option value="{twente.pk}" selected>' in page  # their one network, prefilled


def test_staff_still_see_the_slug(client, staff):
    client.force_login(staff)
    page = client.get(reverse("admin:bijeenkomsten_bijeenkomst_add")).content.decode()
    assert 'name="slug"' in page


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:bijeenkomsten_bijeenkomst_changelist",
        "admin:bijeenkomsten_halfjaarprogramma_changelist",
        "admin:leden_lidmaatschap_changelist",
    ],
)
def test_filter_sidebars_list_only_the_coordinators_networks(
    client, coordinator_twente, twente, rotterdam, changelist
):
    programma = factories.HalfjaarprogrammaFactory(netwerk=twente)
    factories.BijeenkomstFactory(netwerken=[twente], programma=programma)
    factories.BijeenkomstFactory(
        netwerken=[rotterdam], programma=factories.HalfjaarprogrammaFactory(netwerk=rotterdam)
    )
    factories.LidmaatschapFactory(netwerk=rotterdam)
    client.force_login(coordinator_twente)
    page = client.get(reverse(changelist)).content.decode()
    sidebar = page[page.index('id="changelist-filter"') :]
    # Only networks in the coordinator's own rows are offered (none at all when one is left).
    assert "Regionetwerk Rotterdam" not in sidebar


def test_a_members_page_lists_what_they_attended_in_the_coordinators_networks_only(
    client, coordinator_twente, twente, rotterdam
):
    lid = factories.LidFactory(naam="Twee Netwerken")
    factories.LidmaatschapFactory(lid=lid, netwerk=twente)
    factories.LidmaatschapFactory(lid=lid, netwerk=rotterdam)
    this_year = timezone.localtime().replace(month=1, day=2, hour=10)
    for netwerk, titel in [(twente, "Casustafel Twente"), (rotterdam, "Casustafel Rotterdam")]:
        bijeenkomst = factories.BijeenkomstFactory(
            netwerken=[netwerk],
            titel=titel,
            begin=this_year,
            einde=this_year + timedelta(hours=2),
        )
        factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=lid, status="aanwezig")
    client.force_login(coordinator_twente)
    page = client.get(reverse("admin:leden_lid_change", args=[lid.pk])).content.decode()
    assert "Casustafel Twente" in page
    assert "Casustafel Rotterdam" not in page
