"""Demo action plans, as the Flemish platforms and the Dutch networks describe theirs: the
umbrella's plan of 17 actions, West-Vlaanderen's 40 points from 435 surveyed professionals,
Limburg's three challenges, Antwerpen's two focus actions, Brussel's challenges of October
2020, Vlaams-Brabant's sub-regions each on a challenge (World Social Work Day 2021 first), and
the focus points the Dutch networks had. The wording of the points is invented in the spirit
of the source texts; the numbers are theirs.

Written through `actieplannen.services` (so the history is there too) and keyed on titles, so
loading twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from actieplannen import services
from actieplannen.models import Actieplan, Actiepunt, Status, Uitdaging
from bevragingen.models import Bevraging
from bijeenkomsten.models import Bijeenkomst
from leden.models import Lid
from netwerken.models import Koepel, Netwerk, Subregio

IDEE, LOPEND, AFGEROND, GESTOPT = Status.IDEE, Status.LOPEND, Status.AFGEROND, Status.GESTOPT
MIGRATED_TITLE = "Speerpunten"  # the plan actieplannen.0002 made of a network's focus points

# The umbrella's plan: 17 actions under the five lines of strength ("krachtlijnen").
KOEPELPLAN: dict[str, Any] = {
    "titel": "Actieplan Sterk Sociaal Werk",
    "vastgesteld_op": date(2020, 3, 1),
    "inleiding": (
        "Het Vlaamse actieplan Sterk Sociaal Werk telt 17 acties. De regionale platformen "
        "werken ze uit in hun regio en voegen er hun eigen acties aan toe."
    ),
    "uitdagingen": [
        (
            "Een gedeelde identiteit",
            [
                ("Een gedeelde taal voor de vijf krachtlijnen", LOPEND),
                ("Sociaal werk in beeld in de media", LOPEND),
                ("Een jaarlijkse dag van het sociaal werk", AFGEROND),
                ("Verhalen uit de praktijk verzamelen", IDEE),
            ],
        ),
        (
            "Sterke sociale professionals",
            [
                ("Intervisie over organisaties heen", LOPEND),
                ("Ruimte voor reflectie in de werkweek", IDEE),
                ("Een leerpad voor startende sociale professionals", IDEE),
            ],
        ),
        (
            "Samenwerken in de eerste lijn",
            [
                ("Sociaal werk aan tafel in de eerstelijnszones", LOPEND),
                ("Gedeelde casusbesprekingen met de zorg", IDEE),
                ("Wegwijs in het sociaal huis", IDEE),
            ],
        ),
        (
            "Rechten waarmaken",
            [
                ("Onderbescherming opsporen en aanpakken", LOPEND),
                ("Automatische rechtentoekenning bepleiten", IDEE),
                ("Toegankelijke digitale dienstverlening", LOPEND),
            ],
        ),
        (
            "Onderzoek, onderwijs en praktijk verbinden",
            [
                ("Praktijkonderzoek met de hogescholen", LOPEND),
                ("Stageplaatsen met ruimte om te leren", IDEE),
                ("Een kennisbank van goede praktijken", GESTOPT),
                ("Regionale platformen als leeromgeving", LOPEND),
            ],
        ),
    ],
}

# West-Vlaanderen: 40 points in five challenges of eight, numbered as in the plan.
WEST_VLAANDEREN = {
    "Zichtbaarheid van sociaal werk": [
        "Een West-Vlaamse campagne rond het beroep",
        "Sociale professionals aan het woord in de regionale pers",
        "Een gezicht per gemeente: ambassadeurs van sociaal werk",
        "Een jaarlijkse West-Vlaamse dag van het sociaal werk",
        "Praktijkverhalen op de website van het platform",
        "Sociaal werk op de agenda van de gemeenteraden",
        "Een affiche met de vijf krachtlijnen voor elke voorziening",
        "Studenten laten kennismaken met het werkveld",
    ],
    "Tijd voor de kern van het werk": [
        "Registratielast in kaart brengen per sector",
        "Dubbele registraties schrappen met de voorzieningen",
        "Eén aanmeldformulier voor de eerste lijn",
        "Vergaderen met minder en korter",
        "Goede praktijken van minder planlast delen",
        "Signalen over administratie bundelen naar het beleid",
        "Ruimte voor outreachend werken vrijmaken",
        "Een lerend netwerk rond vertrouwen in de professional",
    ],
    "Samenwerken over sectoren heen": [
        "Een sociale kaart die klopt en actueel blijft",
        "Kennismakingsmomenten tussen OCMW, CAW en mutualiteiten",
        "Gezamenlijke casusbesprekingen per eerstelijnszone",
        "Afspraken over warme doorverwijzing",
        "Samenwerking met huisartsen en apothekers",
        "Een gedeelde aanpak voor jongeren tussen wal en schip",
        "Contactpersonen per organisatie bekendmaken",
        "Samen vorming volgen over de sectoren heen",
    ],
    "Zorg voor de sociale professional": [
        "Intervisiegroepen in elke regio",
        "Een aanspreekpunt bij morele stress",
        "Nazorg na agressie-incidenten",
        "Startende collega's een meter of peter geven",
        "Supervisie toegankelijk maken voor kleine organisaties",
        "Aandacht voor werkdruk in de jaarplanning",
        "Een veilige plek om fouten te bespreken",
        "Erkenning van vrijwilligers en ervaringsdeskundigen",
    ],
    "Rechten en toegankelijkheid": [
        "Proactief rechten onderzoeken bij elk eerste gesprek",
        "Digitale drempels in kaart brengen",
        "Een digipunt in elke gemeente",
        "Tolken en eenvoudige taal in de hulpverlening",
        "Onderbescherming van zelfstandigen en jongeren signaleren",
        "Bereikbaarheid van diensten buiten de kantooruren",
        "Mobiliteit naar de hulpverlening verbeteren",
        "Structurele signalen jaarlijks voorleggen aan de provincie",
    ],
}


def _members(slug: str, n: int) -> list[Lid]:
    emails = [f"lid{i}.{slug}@regionet.local" for i in range(1, n + 1)]
    return list(Lid.objects.filter(user__email__in=emails).order_by("pk"))


def _plan(
    *, titel: str, netwerk: Netwerk | None = None, koepel: Koepel | None = None, **fields
) -> Actieplan:
    existing = Actieplan.objects.filter(netwerk=netwerk, koepel=koepel, titel=titel).first()
    if existing is not None:
        return existing
    return services.plan_create(titel=titel, netwerk=netwerk, koepel=koepel, **fields)


def _challenge(plan: Actieplan, titel: str, **fields) -> Uitdaging:
    existing = Uitdaging.objects.filter(plan=plan, titel=titel).first()
    if existing is not None:
        return existing
    return services.challenge_create(plan=plan, titel=titel, **fields)


def _point(uitdaging: Uitdaging, titel: str, **fields) -> Actiepunt:
    existing = Actiepunt.objects.filter(uitdaging=uitdaging, titel=titel).first()
    if existing is not None:
        return existing
    return services.action_point_create(uitdaging=uitdaging, titel=titel, **fields)


def _note(punt: Actiepunt, datum: date, tekst: str) -> None:
    if not punt.voortgang.filter(datum=datum, tekst=tekst).exists():
        services.progress_add(actiepunt=punt, datum=datum, tekst=tekst)


def _umbrella(koepel: Koepel) -> Actieplan:
    data = KOEPELPLAN
    plan = _plan(
        koepel=koepel,
        titel=data["titel"],
        vastgesteld_op=data["vastgesteld_op"],
        inleiding=data["inleiding"],
    )
    nummer = 0
    for titel, points in data["uitdagingen"]:
        uitdaging = _challenge(plan, titel)
        for point, status in points:
            nummer += 1
            _point(uitdaging, point, nummer=nummer, status=status)
    return plan


def _west_vlaanderen(netwerk: Netwerk, koepelplan: Actieplan) -> None:
    plan = _plan(
        netwerk=netwerk,
        titel="Het 40-actiepuntenplan",
        vastgesteld_op=date(2020, 9, 15),
        koepelplan=koepelplan,
        inleiding=(
            "Het platform bevroeg 435 sociale professionals over wat sterk sociaal werk in "
            "West-Vlaanderen nodig heeft. Met 70 van hen vertaalden we de resultaten in 40 "
            "actiepunten, in vijf uitdagingen. De digitale stuurgroep verdeelt de punten, volgt "
            "ze op en bespreekt hier de voortgang."
        ),
    )
    pullers = _members(netwerk.slug, 6)
    nummer = 0
    for volgorde, (titel, points) in enumerate(WEST_VLAANDEREN.items()):
        uitdaging = _challenge(plan, titel, volgorde=volgorde)
        for point in points:
            nummer += 1
            # The steering group started with the first two of each challenge.
            status = LOPEND if (nummer - 1) % 8 < 2 else IDEE
            if nummer in (4, 20):
                status = AFGEROND
            punt = _point(
                uitdaging,
                point,
                nummer=nummer,
                status=status,
                doel="Uit de bevraging van 435 sociale professionals.",
                trekkers=pullers[nummer % len(pullers) : nummer % len(pullers) + 1]
                if pullers and status != IDEE
                else (),
            )
            if status == LOPEND:
                _note(
                    punt,
                    date(2020, 11, 12),
                    "Besproken op de digitale stuurgroep: een trekker gevonden, eerste "
                    "afspraken gemaakt.",
                )
    assert nummer == 40


def _limburg(netwerk: Netwerk, koepelplan: Actieplan) -> None:
    plan = _plan(
        netwerk=netwerk,
        titel="Actieplan Sterk Sociaal Werk Limburg",
        koepelplan=koepelplan,
        inleiding=(
            "Uit gesprekken en brainstormsessies met een vijftigtal Limburgse sleutelfiguren in "
            "het welzijnsveld kwamen drie uitdagingen naar voren. Daarrond werken we dit "
            "actieplan uit: spring mee op de kar."
        ),
    )
    challenges = [
        (
            "Diversiteit",
            ["Diversiteit in teams zichtbaar maken", "Leren van cultuursensitief werken"],
        ),
        (
            "Een duidelijke plaats op de eerste lijn",
            ["Sociaal werk in elke eerstelijnszone vertegenwoordigd", "Een Limburgse wegwijzer"],
        ),
        (
            "Onderbescherming",
            ["Niet-gebruik van rechten signaleren", "Proactief werken met de OCMW's"],
        ),
    ]
    for volgorde, (titel, points) in enumerate(challenges):
        uitdaging = _challenge(plan, titel, volgorde=volgorde)
        for point in points:
            _point(uitdaging, point, status=IDEE)


def _antwerpen(netwerk: Netwerk, koepelplan: Actieplan) -> None:
    plan = _plan(
        netwerk=netwerk,
        titel="Twee focusacties voor twee jaar",
        vastgesteld_op=date(2020, 9, 1),
        koepelplan=koepelplan,
        inleiding=(
            "We werken niet alleen aan een community, maar ook aan concrete acties om sociale "
            "professionals te helpen in hun opdracht ten aanzien van mensen in kwetsbare "
            "posities. De volgende twee jaar zetten we in op twee focusacties."
        ),
    )
    uitdaging = _challenge(plan, "Sociale professionals sterker in hun opdracht")
    trekkers = _members(netwerk.slug, 2)
    vertrouwen = _point(
        uitdaging,
        "Werken in vertrouwen",
        nummer=1,
        status=LOPEND,
        doel=(
            "Praktijken zichtbaar maken die vertrekken vanuit een vertrouwensrelatie, en hoe "
            "daaruit sterke samenwerking groeit."
        ),
        trekkers=trekkers[:1],
    )
    _point(
        uitdaging,
        "Minder bureaucratie, meer hulpverlening",
        nummer=2,
        status=LOPEND,
        doel="Projecten die de administratieve last voor sociale professionals verlichten.",
        trekkers=trekkers[1:2],
    )
    _note(vertrouwen, date(2021, 2, 4), "Eerste drie praktijken verzameld en beschreven.")


def _brussel(netwerk: Netwerk, koepelplan: Actieplan) -> None:
    plan = _plan(
        netwerk=netwerk,
        titel="Uitdagingen voor sociaal werk in Brussel",
        vastgesteld_op=date(2020, 10, 20),
        koepelplan=koepelplan,
        inleiding=(
            "In juni 2020 bevroeg het platform Brusselse sociale professionals over sociaal werk "
            "in tijden van corona. In oktober 2020 stonden we stil bij de resultaten en kozen we "
            "de uitdagingen waarop we in Brussel inzetten."
        ),
    )
    # The June 2020 survey fed every challenge chosen in October (demo/bevragingen.py).
    survey = Bevraging.objects.filter(netwerk=netwerk, opent_op__year=2020).first()
    challenges = [
        (
            "Nabijheid in digitaal werk",
            [("Ervaringen met digitaal hulpverlenen delen", LOPEND)],
        ),
        (
            "Mensen bereiken die uit beeld verdwenen",
            [
                ("Outreachend werken in de wijken", LOPEND),
                ("Meertalige informatie over hulp", IDEE),
            ],
        ),
        (
            "Zorg voor de Brusselse sociale professional",
            [("Intervisie na de coronagolven", IDEE)],
        ),
    ]
    for volgorde, (titel, points) in enumerate(challenges):
        uitdaging = _challenge(plan, titel, volgorde=volgorde)
        for point, status in points:
            punt = _point(uitdaging, point, status=status)
            if survey is not None and not punt.bevragingen.filter(pk=survey.pk).exists():
                services.action_point_update(actiepunt=punt, bevragingen=[survey])


def _vlaams_brabant(netwerk: Netwerk, koepelplan: Actieplan) -> None:
    plan = _plan(
        netwerk=netwerk,
        titel="Actieplan in vier subregio's",
        vastgesteld_op=date(2020, 12, 1),
        koepelplan=koepelplan,
        inleiding=(
            "Om lokaal verankerd te blijven, werkt het platform in vier subregio's. Elke "
            "subregio vertrekt vanuit een uitdaging uit het actieplan Sterk Sociaal Werk. De "
            "eerste concrete actie: World Social Work Day op 16 maart 2021."
        ),
    )
    subregions = {s.naam: s for s in Subregio.objects.filter(netwerk=netwerk)}
    challenges = [
        ("Leuven", "Sociaal werk zichtbaar maken"),
        ("Hageland", "Beweging en ontmoeting in de regio"),
        ("Halle en Pajottenland", "Rechten waarmaken"),
        ("Vilvoorde", "Samenwerken in de eerstelijnszones"),
    ]
    wswd = Bijeenkomst.objects.filter(slug="world-social-work-day-2021").first()
    for volgorde, (subregio, titel) in enumerate(challenges):
        uitdaging = _challenge(plan, titel, volgorde=volgorde, subregio=subregions.get(subregio))
        if volgorde == 0:
            punt = _point(
                uitdaging,
                "World Social Work Day op 16 maart 2021",
                nummer=1,
                status=AFGEROND,
                doel="De eerste concrete actie van het platform, uitgewerkt vanuit de subregio's.",
                bijeenkomsten=[wswd] if wswd else (),
            )
            _note(
                punt, date(2021, 3, 16), "World Social Work Day vond plaats, online en in Leuven."
            )
        else:
            _point(uitdaging, f"Eerste actie in {subregio} kiezen", status=IDEE)


def _dutch(netwerk: Netwerk, challenges: list[tuple[str, str]]) -> None:
    """The Dutch networks' focus points, as the data migration turned them into challenges."""
    plan = _plan(netwerk=netwerk, titel=MIGRATED_TITLE)
    for volgorde, (titel, toelichting) in enumerate(challenges):
        _challenge(plan, titel, toelichting=toelichting, volgorde=volgorde)


def load_action_plans(networks: dict[str, Netwerk]) -> None:
    """The demo's action plans (called by `demo.data.load_demo`)."""
    koepel = Koepel.objects.get(slug="sterk-sociaal-werk")
    koepelplan = _umbrella(koepel)
    loaders = {
        "west-vlaanderen": _west_vlaanderen,
        "limburg": _limburg,
        "antwerpen": _antwerpen,
        "brussel": _brussel,
        "vlaams-brabant": _vlaams_brabant,
    }
    for slug, load in loaders.items():
        load(networks[slug], koepelplan)
        # A demo database from before the plans had its focus points migrated: one plan.
        Actieplan.objects.filter(netwerk=networks[slug], titel=MIGRATED_TITLE).delete()
    oost = _plan(netwerk=networks["oost-vlaanderen"], titel=MIGRATED_TITLE, koepelplan=koepelplan)
    for volgorde, titel in enumerate(
        ["Sociaal werk in (digitale) coronatijden", "Onderbescherming"]
    ):
        _challenge(oost, titel, volgorde=volgorde)
    _dutch(
        networks["twente"],
        [
            ("Reflectie op het vak, samen met collega's", ""),
            ("Het Nieuwe Werken en de spanningen die het oproept", ""),
            ("De BPSW en politieke beïnvloeding", "Werkthema voor het sociaal café."),
        ],
    )
    _dutch(
        networks["rotterdam"],
        [
            (
                "Ethiek en privacy in de wijkteams",
                "Gesprekken met wijkteamleden over de spanning tussen functieprofiel en "
                "beroepsprofiel.",
            ),
            ("De beroepscode in het onderwijs", "Samen met docenten van de hogescholen."),
            ("Sociaal werkers zichtbaar maken", "Bescheidenheid past niet meer in deze tijd."),
        ],
    )
