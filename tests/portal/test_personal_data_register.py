"""The register of personal data covers every field that looks personal (issue 19).

Every installed model, Django's and allauth's included, is read; a field that looks personal
and is neither declared (`portal.personal_data.declare`, in an app's `privacy` module) nor in
the small allow-list below fails the test with its name. So a new model cannot forget to say
why it keeps a field and how long.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.conf import settings
from django.db import models

from portal import personal_data

# Names that say a field is about a person (whole words of the field name).
PERSONAL_WORDS = re.compile(
    r"naam|name|e?mail|email|adres|address|telefoon|phone|mobiel|mobile|ip|agent|foto|photo|"
    r"avatar|afbeelding|image|tekst|text|motivatie|motivation|toelichting|opmerking|note|notes|"
    r"comment|reactie|bericht|message|antwoord|answer|waarom|sprekers?|speakers?|ontvanger|"
    r"recipient|repr|organisatie|organisation|registernummer|contact|geboortedatum|birth|bio|"
    r"data|gegevens|html|fout|error|onderwerp|subject|via|bestand|file|pdf|logo|bijlagen"
)
# Anywhere in the name.
PERSONAL_PARTS = re.compile(r"email|naam|name|adres|address|phone|telefoon")
# Kinds of field that hold free text, files, addresses: personal unless shown otherwise.
PERSONAL_KINDS = (
    models.EmailField,
    models.GenericIPAddressField,
    models.FileField,
    models.TextField,
    models.JSONField,
    models.BinaryField,
)

# Fields that look personal but are not, each with the reason. Keep it small and honest:
# anything a person writes about themselves or others belongs in the register instead.
NOT_PERSONAL = {
    "auth.permission.name": "a permission's label, written by the code",
    "auth.permission.codename": "a permission's code name",
    "auth.group.name": "a group's name (a role such as 'Staf'), not a person",
    "sites.site.name": "the site's name",
    "admin.logentry.object_id": "a primary key as text; the name is in object_repr",
    "netwerken.koepel.naam": "an umbrella organisation's name",
    "netwerken.koepel.privacy_organisatie": "the responsible organisation's name",
    "netwerken.koepel.privacy_adres": "the responsible organisation's postal address",
    "netwerken.partnerorganisatie.naam": "a partner organisation's name",
    "netwerken.netwerk.naam": "a network's name",
    "netwerken.netwerk.beschrijving": "a network's public description",
    "netwerken.netwerk.logo": "a network's logo",
    "netwerken.subregio.naam": "a sub-region's name",
    "bijeenkomsten.halfjaarprogramma.themas": "a programme's chosen themes",
    "bijeenkomsten.halfjaarprogramma.toelichting": "a programme's introduction",
    "bijeenkomsten.bijeenkomst.adres": "the meeting's venue, not anyone's home",
    "bijeenkomsten.bijeenkomst.beschrijving": "the meeting's announcement",
    "leden.digesttoestemming.tekst": "the consent text the portal showed (the portal's words)",
    "actieplannen.actieplan.inleiding": "a plan's public introduction",
    "actieplannen.uitdaging.toelichting": "a challenge's public explanation",
    "actieplannen.actiepunt.doel": "what an action point aims at, public",
    "actieplannen.wijziging.onderwerp": "the kind of object changed ('plan', 'uitdaging', ...)",
    "bevragingen.bevraging.welkomtekst": "a survey's welcome text, the coordinators' words",
    "bevragingen.bevraging.danktekst": "a survey's thank-you text",
    "bevragingen.bevraging.resultaten_toelichting": "the coordinators' note on published results",
    "bevragingen.sectie.toelichting": "a survey section's introduction",
    "bevragingen.vraag.tekst": "a survey question",
    "bevragingen.vraag.toelichting": "a survey question's explanation",
    "bevragingen.optie.tekst": "an answer option of a question",
    "portal.exportjob.error": "why an export failed: the worker's message, never a row",
    "bevragingen.label.naam": "a coordinator's tag for open answers (a theme, not a person)",
}


def _person_models() -> set[type[models.Model]]:
    """The user model and every model that is one person's profile (one-to-one with it)."""
    user = apps.get_model(settings.AUTH_USER_MODEL)
    people = {user}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.OneToOneField) and field.related_model is user:
                people.add(model)
    return people


def looks_personal(field: models.Field, people: set[type[models.Model]]) -> bool:
    if field.is_relation:
        # A link to a person (their account or profile) makes the row about them.
        return field.related_model in people and not field.auto_created
    if isinstance(field, models.BooleanField | models.IntegerField | models.DateField):
        return False  # a yes/no, a number, a moment: not about who someone is
    words = field.name.lower().split("_")
    return (
        isinstance(field, PERSONAL_KINDS)
        or any(PERSONAL_WORDS.fullmatch(word) for word in words)
        or bool(PERSONAL_PARTS.search(field.name.lower()))
    )


def personal_fields() -> set[str]:
    people = _person_models()
    found = set()
    for model in apps.get_models():
        for field in [*model._meta.concrete_fields, *model._meta.local_many_to_many]:
            if field.primary_key or not looks_personal(field, people):
                continue
            if model in people and isinstance(field, models.OneToOneField):
                continue  # the profile's own link to its account
            found.add(f"{model._meta.label_lower}.{field.name}")
    return found


def _declared() -> set[str]:
    return {f"{model}.{name}" for model, name in personal_data.declared_fields()}


def test_every_personal_field_is_in_the_register():
    undeclared = personal_fields() - _declared() - set(NOT_PERSONAL)
    assert not undeclared, (
        "Personal fields missing from the register of personal data: declare them with "
        "portal.personal_data.declare(...) in the app's privacy.py (or, if they are not "
        "personal, add them with a reason to NOT_PERSONAL):\n  " + "\n  ".join(sorted(undeclared))
    )


def test_register_names_only_fields_that_exist():
    for entry in personal_data.entries():
        model = apps.get_model(entry.model)
        names = {f.name for f in model._meta.get_fields()}
        assert set(entry.fields) <= names, (entry.model, set(entry.fields) - names)


def test_allow_list_is_not_stale_and_not_declared():
    personal = personal_fields()
    assert set(NOT_PERSONAL) <= personal, set(NOT_PERSONAL) - personal
    assert not set(NOT_PERSONAL) & _declared()


def test_every_rule_has_a_setting_and_a_step():
    for rule in personal_data.retentions():
        assert rule.apply is not None, rule.key
        if type(rule).days is not personal_data.Retention.days:
            continue  # a period set elsewhere (the committee sets its own, on its page)
        assert rule.key in settings.RETENTION_DAYS, rule.key
