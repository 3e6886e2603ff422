"""Demo surveys, as the seeds describe them (the Flemish platforms' autumn 2020 letter):

- West-Vlaanderen surveyed 435 social professionals about the challenges for strong social
  work and turned the results, with 70 of them, into a 40-point action plan: a closed
  survey with 435 generated responses whose published results point at those challenges.
- Brussel surveyed social professionals in June 2020 about social work in times of corona,
  to choose its challenges in October: a closed survey with its results published.

The responses are generated (seeded random, so every load is the same) with plausible
shares, and stored in bulk by the same service a paper import would use. Idempotent: a
survey that already has its responses is left alone.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bevragingen import services
from bevragingen.models import Bevraging, Optie, Sectie, Vraag
from netwerken.models import Netwerk

BRUSSELS = ZoneInfo("Europe/Brussels")
EEN, MEER, SCHAAL, GETAL, OPEN = (
    Vraag.Soort.EEN,
    Vraag.Soort.MEER,
    Vraag.Soort.SCHAAL,
    Vraag.Soort.GETAL,
    Vraag.Soort.OPEN,
)

SECTORS = [
    ("Algemeen welzijnswerk (CAW)", 22),
    ("OCMW / lokaal bestuur", 26),
    ("Jeugdhulp", 15),
    ("Personen met een handicap", 9),
    ("Geestelijke gezondheidszorg", 10),
    ("Samenlevingsopbouw en buurtwerk", 8),
    ("Onderwijs en vorming", 5),
    ("Andere", 5),
]

# (text, kind, options with weights (for MEER: the chance of each), required, published)
WEST_VLAANDEREN: dict[str, Any] = {
    "titel": "Uitdagingen voor sterk sociaal werk in West-Vlaanderen",
    "opent_op": datetime(2020, 5, 4, 9, 0, tzinfo=BRUSSELS),
    "sluit_op": datetime(2020, 6, 15, 23, 59, tzinfo=BRUSSELS),
    "responses": 435,
    "welkomtekst": (
        "Het regionale platform Sterk Sociaal Werk West-Vlaanderen wil weten waar jij als "
        "sociale professional op botst en wat je werk sterker zou maken. Invullen duurt "
        "een tiental minuten. Je antwoorden zijn anoniem."
    ),
    "danktekst": (
        "Dank je wel! Met de resultaten gaan we in het najaar met sociale professionals "
        "aan de slag om een actieplan op te stellen."
    ),
    "resultaten_toelichting": (
        "435 sociale professionals vulden de bevraging in. Met 70 van hen vertaalden we de "
        "resultaten in een plan van 40 actiepunten, dat de digitale stuurgroep verder "
        "bespreekt."
    ),
    "secties": [
        (
            "Over jou",
            [
                ("In welke sector werk je?", EEN, SECTORS, True, True),
                (
                    "Hoe lang werk je al als sociale professional?",
                    EEN,
                    [("Minder dan 5 jaar", 27), ("5 tot 15 jaar", 38), ("Meer dan 15 jaar", 35)],
                    True,
                    False,
                ),
                (
                    "In welke regio werk je vooral?",
                    EEN,
                    [
                        ("Brugge en Noorden", 27),
                        ("Oostende en kust", 14),
                        ("Westhoek", 12),
                        ("Midden-West-Vlaanderen (Roeselare, Tielt)", 19),
                        ("Zuid-West-Vlaanderen (Kortrijk)", 28),
                    ],
                    False,
                    False,
                ),
            ],
        ),
        (
            "Uitdagingen",
            [
                (
                    "Welke uitdagingen ervaar je het sterkst in je werk? (meerdere antwoorden)",
                    MEER,
                    [
                        ("Administratieve last en bureaucratie", 0.64),
                        ("Werkdruk en wachtlijsten", 0.58),
                        ("Onderbescherming: mensen krijgen niet waar ze recht op hebben", 0.47),
                        ("Samenwerken over sectoren heen", 0.35),
                        ("Betaalbaar en kwaliteitsvol wonen", 0.33),
                        ("Digitalisering van dienstverlening", 0.29),
                        ("Tijd en ruimte voor een vertrouwensrelatie", 0.41),
                    ],
                    True,
                    True,
                ),
                (
                    "Ik kan in mijn werk de vijf krachtlijnen van sterk sociaal werk waarmaken.",
                    SCHAAL,
                    [("1", 6), ("2", 17), ("3", 37), ("4", 31), ("5", 9)],
                    True,
                    True,
                ),
                (
                    "Ik voel me in mijn opdracht gesteund door mijn organisatie.",
                    SCHAAL,
                    [("1", 5), ("2", 12), ("3", 29), ("4", 39), ("5", 15)],
                    True,
                    True,
                ),
                (
                    "Hoeveel uur per week gaat er in je job naar administratie en registratie?",
                    GETAL,
                    [("gemiddelde", 9), ("spreiding", 4)],
                    False,
                    True,
                ),
            ],
        ),
        (
            "Samen aan de slag",
            [
                (
                    "Wil je meewerken aan acties van het regionale platform?",
                    EEN,
                    [("Ja", 21), ("Misschien, hou me op de hoogte", 47), ("Nee", 32)],
                    True,
                    True,
                ),
                (
                    "Wat zou jouw werk het meest versterken?",
                    OPEN,
                    [
                        ("Minder registreren, meer tijd voor de mensen zelf.", 1),
                        ("Eén aanspreekpunt per gezin in plaats van vijf diensten.", 1),
                        ("Intervisie met collega's van andere organisaties.", 1),
                        ("Meer mandaat om af te wijken van de regels als het nodig is.", 1),
                        ("Betaalbare woningen: zonder dak lukt niets anders.", 1),
                        ("Automatische toekenning van rechten.", 1),
                    ],
                    False,
                    False,
                ),
            ],
        ),
    ],
}

BRUSSEL: dict[str, Any] = {
    "titel": "Sociaal werk in tijden van corona",
    "opent_op": datetime(2020, 6, 2, 9, 0, tzinfo=BRUSSELS),
    "sluit_op": datetime(2020, 6, 30, 23, 59, tzinfo=BRUSSELS),
    "responses": 186,
    "welkomtekst": (
        "Corona had een onmiddellijke impact op jouw job en nog meer op de levens van de "
        "mensen voor en met wie je werkt. Het regionale platform Sterk Sociaal Werk BXL wil "
        "weten hoe Brusselse sociale professionals deze periode beleven."
    ),
    "danktekst": (
        "Dank je wel! In oktober 2020 staan we stil bij de resultaten en kiezen we op welke "
        "uitdagingen we in Brussel inzetten. Wees erbij!"
    ),
    "resultaten_toelichting": (
        "In oktober 2020 bespraken we deze resultaten en kozen we de uitdagingen waarop het "
        "Brusselse platform inzet."
    ),
    "secties": [
        (
            "Je werk",
            [
                (
                    "In welke sector werk je?",
                    EEN,
                    [
                        ("Algemeen welzijnswerk (CAW)", 24),
                        ("OCMW", 21),
                        ("Jeugdwerk en jeugdhulp", 17),
                        ("Samenlevingsopbouw en buurtwerk", 16),
                        ("Gezondheid en geestelijke gezondheid", 12),
                        ("Andere", 10),
                    ],
                    True,
                    True,
                ),
                (
                    "Hoe bereik je de mensen met wie je werkt sinds de maatregelen? "
                    "(meerdere antwoorden)",
                    MEER,
                    [
                        ("Telefonisch", 0.86),
                        ("Videobellen", 0.52),
                        ("Wandelgesprek of afspraak buiten", 0.44),
                        ("Aan de deur of op straat", 0.31),
                        ("Op kantoor, op afspraak", 0.38),
                        ("Nauwelijks nog", 0.09),
                    ],
                    True,
                    True,
                ),
                (
                    "Het lukt me om nabij te blijven bij mensen in kwetsbare posities.",
                    SCHAAL,
                    [("1", 11), ("2", 28), ("3", 34), ("4", 21), ("5", 6)],
                    True,
                    True,
                ),
                (
                    "Mijn werkdruk is sinds corona …",
                    EEN,
                    [
                        ("sterk gestegen", 38),
                        ("wat gestegen", 33),
                        ("gelijk gebleven", 20),
                        ("gedaald", 9),
                    ],
                    True,
                    True,
                ),
            ],
        ),
        (
            "De mensen voor wie je werkt",
            [
                (
                    "Welke groepen vallen volgens jou het meest uit de boot? (meerdere antwoorden)",
                    MEER,
                    [
                        ("Dak- en thuislozen", 0.55),
                        ("Mensen zonder wettig verblijf", 0.51),
                        ("Gezinnen in armoede", 0.62),
                        ("Ouderen die alleen wonen", 0.39),
                        ("Jongeren", 0.33),
                        ("Mensen met een psychische kwetsbaarheid", 0.46),
                    ],
                    True,
                    True,
                ),
                (
                    "Op welke uitdaging moet het Brusselse platform vooral inzetten?",
                    EEN,
                    [
                        ("De digitale kloof dichten", 31),
                        ("Nabijheid en outreachend werken", 27),
                        ("De stem van mensen in kwetsbare posities laten horen", 26),
                        ("Het welzijn van sociale professionals", 16),
                    ],
                    True,
                    True,
                ),
                (
                    "Wat wil je nog kwijt?",
                    OPEN,
                    [
                        ("Zonder computer of data ben je vandaag nergens.", 1),
                        ("We missen het informele contact in de wachtzaal.", 1),
                        ("Telefonisch hoor je niet wat er thuis echt speelt.", 1),
                        ("Collega's zijn op: zorg ook voor de hulpverleners.", 1),
                    ],
                    False,
                    False,
                ),
            ],
        ),
    ],
}


def _build(netwerk: Netwerk, spec: dict) -> tuple[Bevraging, list[tuple[Vraag, list]]]:
    bevraging, _created = Bevraging.objects.update_or_create(
        netwerk=netwerk,
        titel=spec["titel"],
        defaults={
            "welkomtekst": spec["welkomtekst"],
            "danktekst": spec["danktekst"],
            "resultaten_toelichting": spec["resultaten_toelichting"],
            "opent_op": spec["opent_op"],
            "sluit_op": spec["sluit_op"],
            "doelgroep": Bevraging.Doelgroep.OPEN,
        },
    )
    plan: list[tuple[Vraag, list]] = []
    order = 0
    for s_order, (s_title, questions) in enumerate(spec["secties"]):
        sectie, _ = Sectie.objects.update_or_create(
            bevraging=bevraging, titel=s_title, defaults={"volgorde": s_order}
        )
        for tekst, soort, options, required, published in questions:
            vraag, _ = Vraag.objects.update_or_create(
                bevraging=bevraging,
                tekst=tekst,
                defaults={
                    "sectie": sectie,
                    "volgorde": order,
                    "soort": soort,
                    "verplicht": required,
                    "publiceren": published,
                },
            )
            order += 1
            if soort in (EEN, MEER):
                existing = {o.tekst: o for o in vraag.opties.all()}
                new = [
                    Optie(vraag=vraag, volgorde=k, tekst=label)
                    for k, (label, _w) in enumerate(options)
                    if label not in existing
                ]
                Optie.objects.bulk_create(new)
                by_label = {o.tekst: o.pk for o in vraag.opties.all()}
                plan.append((vraag, [(by_label[label], w) for label, w in options]))
            else:
                plan.append((vraag, options))
    return bevraging, plan


def _responses(plan: list[tuple[Vraag, list]], count: int, rng: random.Random):
    for _n in range(count):
        given: dict[int, list] = {}
        for vraag, options in plan:
            if not vraag.verplicht and rng.random() < (0.7 if vraag.soort == OPEN else 0.1):
                continue
            values = [value for value, _w in options]
            weights = [w for _v, w in options]
            if vraag.soort == EEN:
                given[vraag.pk] = [rng.choices(values, weights)[0]]
            elif vraag.soort == MEER:
                chosen = [value for value, chance in options if rng.random() < chance]
                given[vraag.pk] = chosen or [rng.choices(values, weights)[0]]
            elif vraag.soort == SCHAAL:
                given[vraag.pk] = [int(rng.choices(values, weights)[0])]
            elif vraag.soort == GETAL:
                mean, spread = weights
                given[vraag.pk] = [max(0, min(38, round(rng.gauss(mean, spread))))]
            else:
                given[vraag.pk] = [rng.choice(values)]
        yield given


def load_surveys(networks: dict[str, Netwerk]) -> None:
    """West-Vlaanderen's and Brussel's closed surveys with their responses."""
    for slug, spec in (("west-vlaanderen", WEST_VLAANDEREN), ("brussel", BRUSSEL)):
        netwerk = networks.get(slug)
        if netwerk is None:
            continue
        bevraging, plan = _build(netwerk, spec)
        if bevraging.responsen.filter(afgerond=True).count() == spec["responses"]:
            continue
        bevraging.responsen.all().delete()
        services.responses_bulk_create(
            bevraging=bevraging,
            responses=_responses(plan, spec["responses"], random.Random(f"bevraging-{slug}")),
        )
