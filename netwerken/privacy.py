"""What the networks keep on people, in the register of personal data: their contact
addresses (which may be a person's) and who coordinates them. Imported at start-up by
portal's autodiscovery."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.personal_data import Ground, declare

declare(
    "netwerken.Netwerk",
    fields=("contact_email", "coordinators"),
    purpose=_("Whom to contact about a network, and who coordinates it."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("everyone (the contact address); staff (the coordinators)"),
    kept=_("while they hold that role"),
)
declare(
    "netwerken.Koepel",
    fields=("privacy_contact",),
    purpose=_("Where to send questions and requests about personal data."),
    ground=Ground.LEGAL_OBLIGATION,
    seen_by=_("everyone (in this privacy statement)"),
    kept=_("while they hold that role"),
)
