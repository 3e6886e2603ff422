"""Two-factor authentication: optional for members, required for staff and coordinators."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests import factories
from tests.accountfixtures import give_totp, secret_of, totp_code

pytestmark = pytest.mark.django_db


def _login(client, user) -> object:
    return client.post(
        reverse("account_login"), {"login": user.email, "password": factories.PASSWORD}
    )


@pytest.fixture
def admin_users(twente) -> dict:
    """Fresh staff and coordinator without TOTP, whatever the shared cast may carry."""
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    coordinator = factories.UserFactory(is_staff=True)
    twente.coordinators.add(coordinator)
    return {"staff": staff, "coordinator": coordinator}


@pytest.mark.parametrize("who", ["staff", "coordinator"])
def test_admin_without_totp_sends_staff_and_coordinators_to_activation(client, admin_users, who):
    client.force_login(admin_users[who])
    for url in (reverse("admin:index"), reverse("admin:leden_lidmaatschap_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert "tweestapsverificatie" in page.content.decode().lower()


def test_staff_without_totp_can_still_log_out_of_the_admin(client, admin_users):
    client.force_login(admin_users["staff"])
    client.post(reverse("admin:logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("who", ["staff", "coordinator"])
def test_admin_opens_once_totp_is_activated(client, admin_users, who):
    user = admin_users[who]
    secret = give_totp(user)
    # The authenticator really holds this secret: allauth accepts the code an app would show.
    assert Authenticator.objects.get(user=user).wrap().validate_code(totp_code(secret))
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200


def test_member_without_admin_access_is_not_asked_for_totp(client, kern_twente):
    client.force_login(kern_twente)
    response = client.get(reverse("admin:index"))
    # The admin's own answer (login), not the activation page: members need no second step.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_profile_links_to_two_step_verification(client, kern_twente):
    client.force_login(kern_twente)
    content = client.get(reverse("leden:profiel")).content.decode()
    assert reverse("mfa_index") in content


def test_member_activates_totp_and_then_login_asks_for_the_code(client, kern_twente):
    assert _login(client, kern_twente).status_code == 302
    # allauth asks for the password again before a new authenticator is added.
    assert client.get(reverse("mfa_activate_totp")).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert secret_of(kern_twente) == secret

    client.post(reverse("account_logout"))
    response = _login(client, kern_twente)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("leden:profiel")).status_code == 302  # not logged in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(reverse("leden:profiel")).status_code == 200


def test_mfa_pages_render_in_dutch_in_the_portal_layout(client, kern_twente):
    _login(client, kern_twente)
    client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})
    index = client.get(reverse("mfa_index")).content.decode()
    activate = client.get(reverse("mfa_activate_totp")).content.decode()
    for content in (index, activate):
        assert 'class="navbar-brand' in content  # inside our base.html
    assert "Authenticator-app" in index and "Activeer" in index
    assert "Authenticator code" in activate and "Activeer" in activate
    assert 'class="btn btn-primary' in activate  # our allauth elements: Bootstrap styling


# --- The second factor guards every elevated right, not only the admin ----------------------


_JOBS = "/export/taak/"


def _export_members(client):
    return client.post(reverse("portal:members"), {"formaat": "csv"})


@pytest.mark.parametrize("who", ["staff", "coordinator"])
def test_export_without_totp_sends_to_activation_and_gives_no_member_data(
    client, admin_users, kern_twente, who
):
    user = admin_users[who]
    client.force_login(user)
    response = _export_members(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert kern_twente.email.encode() not in response.content
    give_totp(user)
    # The same request, once TOTP is on, starts the export job.
    assert _export_members(client)["Location"].startswith(_JOBS)


def test_coordinator_without_totp_sees_no_draft_of_their_network(client, admin_users, twente):
    draft = factories.HalfjaarprogrammaFactory(netwerk=twente, gepubliceerd=False)
    meeting = factories.BijeenkomstFactory(netwerken=[twente], programma=draft)
    client.force_login(admin_users["coordinator"])
    assert client.get(meeting.get_absolute_url()).status_code == 404
    give_totp(admin_users["coordinator"])
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_password_alone_opens_no_export_for_a_coordinator_with_totp(client, admin_users):
    """allauth asks every login of a user with an authenticator for the code: until it is
    given the session is not logged in, so holding TOTP means having passed it."""
    coordinator = admin_users["coordinator"]
    secret = give_totp(coordinator)
    assert _login(client, coordinator)["Location"] == reverse("mfa_authenticate")
    response = _export_members(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert _export_members(client)["Location"].startswith(_JOBS)


def test_page_cached_for_a_coordinator_with_totp_is_not_served_to_one_without(
    client, coordinator_twente, twente
):
    draft = factories.HalfjaarprogrammaFactory(netwerk=twente, gepubliceerd=False)
    meeting = factories.BijeenkomstFactory(netwerken=[twente], programma=draft, titel="Conceptje")
    # A second coordinator of Twente with the same membership, TOTP not yet activated.
    newcomer = factories.LidmaatschapFactory(netwerk=twente, schil="kern").lid.user
    newcomer.is_staff = True
    newcomer.save(update_fields=["is_staff"])
    twente.coordinators.add(newcomer)
    client.force_login(coordinator_twente)
    assert meeting.titel in client.get(reverse("home")).content.decode()
    client.force_login(newcomer)
    assert meeting.titel not in client.get(reverse("home")).content.decode()
    give_totp(newcomer)  # activation puts the rights in force at once
    assert meeting.titel in client.get(reverse("home")).content.decode()
