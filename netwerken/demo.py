"""Demo data: the real networks and meetings from the source texts, plus fictitious members.

Every write is keyed on a natural key (slug, e-mail, network × half-year…), so loading
twice changes nothing. `load_scale` adds a large synthetic data set with bulk inserts.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Halfjaarprogramma, Programmaonderdeel
from leden.models import Lid, Lidmaatschap, User

from .models import Koepel, Netwerk, Partnerorganisatie, Speerpunt, Subregio

TZ = ZoneInfo("Europe/Amsterdam")
DEMO_PASSWORD = "regionet-demo-2026"  # documented in the README; demo accounts only

KOEPELS = [
    {
        "slug": "bpsw",
        "naam": "Beroepsvereniging van Professionals in Sociaal Werk",
        "afkorting": "BPSW",
        "land": "NL",
        "website": "https://www.bpsw.nl",
    },
    {
        "slug": "sterk-sociaal-werk",
        "naam": "Vlaams Platform Sterk Sociaal Werk",
        "afkorting": "SSW",
        "land": "BE",
        "website": "",
    },
]

PARTNERS = {
    "saxion": ("Saxion Hogeschool", "hogeschool"),
    "wsd-twente": ("Werkplaats Sociaal Domein Twente", "werkplaats"),
    "wsd-zhz": ("Werkplaats Sociaal Domein Zuid-Holland Zuid", "werkplaats"),
    "vormingplus": ("Vormingplus", "organisatie"),
}

NETWERKEN = [
    {
        "slug": "twente",
        "naam": "Regionetwerk Twente",
        "koepel": "bpsw",
        "regio": "Twente (Overijssel)",
        "contact_email": "regionetwerktwente@bpsw.nl",
        "opgericht_in": 2008,
        "vaste_weekdag": 3,
        "vaste_aanvang": time(19, 30),
        "partners": ["saxion", "wsd-twente"],
        "beschrijving": (
            "Al meer dan tien jaar komen sociaal werkers uit Twente elke zes weken bij elkaar, "
            "dicht bij huis, om collega's te ontmoeten, ervaringen uit te wisselen en bij te "
            "blijven in een vak dat onder druk staat. Het Nieuwe Werken en wat het van de sociaal "
            "werker vraagt, was de laatste jaren een terugkerend thema.\n\n"
            "We zoeken nog een paar sociaal werkers die opbouwend kritisch met hun vak bezig zijn: "
            "we streven naar een actieve kern van 10 tot 14 mensen, met een tweede schil die af en "
            "toe aanschuift. Thema's uit het halfjaarprogramma staan ook open voor andere "
            "belangstellenden, en in het sociaal café belichten we een thema breder, met politiek "
            "en organisaties aan tafel, zoals de wijkteams in de Twentse steden."
        ),
        "speerpunten": [
            ("Reflectie op het vak, samen met collega's", ""),
            ("Het Nieuwe Werken en de spanningen die het oproept", ""),
            ("De BPSW en politieke beïnvloeding", "Werkthema voor het sociaal café."),
        ],
    },
    {
        "slug": "rotterdam",
        "naam": "Regionetwerk Rotterdam",
        "koepel": "bpsw",
        "regio": "Rotterdam (Zuid-Holland)",
        "opgericht_in": None,
        "partners": ["wsd-zhz"],
        "vaste_weekdag": 1,
        "vaste_aanvang": time(19, 0),
        "beschrijving": (
            "Een samenwerking van BPSW-leden en hogescholen: ongeveer twaalf mensen, half "
            "professionals in het sociaal werk, half docenten en oud-docenten, en steeds meer "
            "young professionals. Het netwerk volgt de maatschappelijke ontwikkelingen die het "
            "werk raken, peilt wat professionals in de regio nodig hebben en laat zien wat "
            "sociaal werkers doen en kunnen, bij gemeente, wijkteams en grote organisaties."
        ),
        "speerpunten": [
            (
                "Ethiek en privacy in de wijkteams",
                "Gesprekken met wijkteamleden over de spanning tussen functieprofiel en beroepsprofiel.",
            ),
            ("De beroepscode in het onderwijs", "Samen met docenten van de hogescholen."),
            ("Sociaal werkers zichtbaar maken", "Bescheidenheid past niet meer in deze tijd."),
        ],
    },
    {
        "slug": "zuidoost",
        "naam": "Regionetwerk ZuidOost",
        "koepel": "bpsw",
        "regio": "Zuidoost-Nederland",
        "opgericht_in": None,
        "partners": [],
        "beschrijving": (
            "Het regionetwerk van de BPSW in het zuidoosten van het land: studie- en "
            "themabijeenkomsten over wat in de regio speelt, dicht bij huis."
        ),
        "speerpunten": [],
    },
    {
        "slug": "noord",
        "naam": "Regionetwerk Noord",
        "koepel": "bpsw",
        "regio": "Noord-Nederland",
        "opgericht_in": None,
        "partners": [],
        "beschrijving": (
            "Het regionetwerk van de BPSW in het noorden: je vak profileren, netwerken en kennis "
            "delen met collega's uit de regio."
        ),
        "speerpunten": [],
    },
    {
        "slug": "antwerpen",
        "naam": "Sterk Sociaal Werk Antwerpen",
        "koepel": "sterk-sociaal-werk",
        "regio": "Provincie Antwerpen",
        "opgericht_in": 2020,
        "partners": [],
        "beschrijving": (
            "Het Antwerpse platform verbindt sociale professionals vanuit de gedeelde identiteit "
            "van de vijf krachtlijnen, en zoekt mensen die vanuit hun organisatie of overleg een "
            "actieve rol willen opnemen."
        ),
        "speerpunten": [
            (
                "Werken in vertrouwen",
                "Praktijken die vertrekken vanuit een vertrouwensrelatie, en hoe daaruit sterke "
                "samenwerking groeit.",
            ),
            (
                "Minder bureaucratie, meer hulpverlening",
                "Projecten die de administratieve last voor sociaal werkers verlichten.",
            ),
        ],
    },
    {
        "slug": "brussel",
        "naam": "Sterk Sociaal Werk BXL",
        "koepel": "sterk-sociaal-werk",
        "regio": "Brussels Hoofdstedelijk Gewest",
        "opgericht_in": 2020,
        "partners": [],
        "beschrijving": (
            "Het Brusselse platform bevroeg in juni 2020 sociale professionals over hun werk in "
            "coronatijden en koos in oktober 2020 de uitdagingen waarop het inzet."
        ),
        "speerpunten": [
            ("Sociaal werk in tijden van corona", "Vertrekt van de bevraging van juni 2020.")
        ],
    },
    {
        "slug": "limburg",
        "naam": "Sterk Sociaal Werk Limburg",
        "koepel": "sterk-sociaal-werk",
        "regio": "Provincie Limburg",
        "opgericht_in": 2020,
        "partners": [],
        "beschrijving": (
            "Uit gesprekken met een vijftigtal Limburgse sleutelfiguren in het welzijnsveld kwamen "
            "drie uitdagingen naar voren; daarrond werkt het platform een actieplan uit."
        ),
        "speerpunten": [
            ("Diversiteit", ""),
            ("Een duidelijke plaats op de eerste lijn", ""),
            ("Onderbescherming", ""),
        ],
    },
    {
        "slug": "oost-vlaanderen",
        "naam": "Sterk Sociaal Werk Oost-Vlaanderen",
        "koepel": "sterk-sociaal-werk",
        "regio": "Provincie Oost-Vlaanderen",
        "opgericht_in": 2020,
        "partners": ["vormingplus"],
        "beschrijving": (
            "Het platform organiseert online praktijksafari's: korte bezoeken aan praktijken, "
            "zoals Babbelonië 2.0 van Vormingplus, de buurtwerking in de Meubelfabriek in de "
            "Brugse Poort in Gent en jeugdhulppraktijk de Cocon."
        ),
        "speerpunten": [("Sociaal werk in (digitale) coronatijden", ""), ("Onderbescherming", "")],
    },
    {
        "slug": "vlaams-brabant",
        "naam": "Sterk Sociaal Werk Vlaams-Brabant",
        "koepel": "sterk-sociaal-werk",
        "regio": "Provincie Vlaams-Brabant",
        "opgericht_in": 2020,
        "partners": [],
        "subregios": ["Hageland", "Leuven", "Halle en Pajottenland", "Vilvoorde"],
        "beschrijving": (
            "Om lokaal verankerd te blijven, werkt het platform in vier subregio's; er wordt ook "
            "aansluiting gezocht bij Dilbeek en Asse en bij de eerstelijnszones. Elke subregio "
            "vertrekt vanuit een uitdaging uit het actieplan Sterk Sociaal Werk."
        ),
        "speerpunten": [
            (
                "Beweging en ontmoeting in de regio",
                "Mobiliteit is een uitdaging: daarom subregio's.",
            ),
            ("World Social Work Day", "De eerste concrete actie, op 16 maart 2021."),
        ],
    },
    {
        "slug": "west-vlaanderen",
        "naam": "Sterk Sociaal Werk West-Vlaanderen",
        "koepel": "sterk-sociaal-werk",
        "regio": "Provincie West-Vlaanderen",
        "opgericht_in": 2020,
        "partners": [],
        "beschrijving": (
            "Het platform bevroeg 435 sociale professionals over de uitdagingen voor sterk sociaal "
            "werk en vertaalde de resultaten samen met 70 professionals in een plan van 40 "
            "actiepunten. Een digitale stuurgroep volgt het op."
        ),
        "speerpunten": [
            ("Het 40-actiepuntenplan", "Uit de bevraging van 435 sociale professionals.")
        ],
    },
]


def _at(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    return (datetime.combine(day, start, TZ), datetime.combine(day, end, TZ))


# Meetings from the source texts: (network slugs, slug, kind, audience, title, day, start, end,
# place, online, description, report, parts[(kind, title, speakers)]).
HISTORISCH = [
    (
        ["twente"],
        "twente-2019-01-17-casuistiek",
        "netwerk",
        "kern",
        "Casuïstiek en voorbereiding sociaal café",
        date(2019, 1, 17),
        time(19, 30),
        time(21, 30),
        "Enschede",
        "",
        "We bespreken casussen uit de praktijk en bereiden het sociaal café van het "
        "voorjaar voor: de BPSW en politieke beïnvloeding.",
        "",
        [("casus", "Casusbespreking", ""), ("overig", "Voorbereiding sociaal café", "")],
    ),
    (
        ["twente"],
        "twente-2019-03-06-meldcode",
        "thema",
        "open",
        "De aangescherpte meldcode en het afwegingskader",
        date(2019, 3, 6),
        time(19, 30),
        time(21, 30),
        "Enschede",
        "",
        "Met een vertrouwensarts over de aangescherpte meldcode huiselijk geweld en "
        "kindermishandeling en het afwegingskader: wat betekent het voor je handelen?",
        "",
        [("inleiding", "De meldcode en het afwegingskader", "een vertrouwensarts")],
    ),
    (
        ["rotterdam"],
        "rotterdam-2016-05-26-werken-in-wijkteams",
        "conferentie",
        "open",
        "Werkconferentie: werken in wijkteams",
        date(2016, 5, 26),
        time(13, 0),
        time(17, 0),
        "Rotterdam",
        "",
        "Met de Werkplaats Sociaal Domein Zuid-Holland Zuid: anderhalf jaar werken in "
        "Rotterdamse wijkteams. Wat gaat goed, waar schuurt het?",
        "Sociaal werkers willen hun discretionaire ruimte gebruiken vanuit betrokkenheid, niet vanuit "
        "controle; ze willen mandaat en vertrouwen, samen met de cliënt het tempo bepalen en zichtbaar "
        "zijn in de wijk. Leercirkels voor casuïstiek en aandacht voor armoede, werkloosheid en "
        "huisvesting kwamen terug, net als ethisch actorschap en mensenrechten als basis van het vak. "
        "Uit de conferentie volgden gesprekken met wijkteams over ethiek en privacy.",
        [
            ("inleiding", "Anderhalf jaar wijkteams in Rotterdam", ""),
            (
                "workshop",
                "Discretionaire ruimte en mandaat",
                "netwerkleden en docenten van de Werkplaats",
            ),
            (
                "workshop",
                "Presentie: zichtbaar en benaderbaar in de wijk",
                "netwerkleden en docenten van de Werkplaats",
            ),
            (
                "workshop",
                "Leercirkels voor casuïstiek in het wijkteam",
                "netwerkleden en docenten van de Werkplaats",
            ),
        ],
    ),
    (
        ["twente"],
        "hoezo-sociaal-werk-2017",
        "conferentie",
        "open",
        "Conferentie Hoe(Zo) Sociaal Werk?!",
        date(2017, 11, 9),
        time(9, 30),
        time(16, 30),
        "Saxion, Enschede",
        "",
        "Conferentie van de Werkplaats Sociaal Domein Twente om kennis over "
        "sociaal werk te behouden, samen nieuwe kennis te ontwikkelen en ervaringen breed te delen, "
        "met sociaal werkers, zorgprofessionals, onderzoekers, docenten, bestuurders en beleidsmakers.",
        "Na plenaire lezingen brachten deelnemers zelf thema's in aan de tafelrondes. Tijdens de lunch "
        "stelden onderzoeksprojecten zich voor met posters, en 's middags speelden acteurs van Crux "
        "Creaties scènes bij de thema's van de dag. Van de conferentie zijn video-opnames gemaakt.",
        [
            ("lezing", "Publieke waarden", "Eelke Blokker (Instituut voor Publieke Waarden)"),
            (
                "lezing",
                "Social work in een veranderende samenleving",
                "Jack de Swart (lector Social Work, Saxion)",
            ),
            (
                "lezing",
                "Technologie, gezondheid en zorg",
                "Somaya Ben Allouch (lector Technology, Health & Care)",
            ),
            ("tafelronde", "Tafelrondes met thema's van deelnemers", ""),
            ("poster", "Posterpresentaties van onderzoeksprojecten", ""),
            ("overig", "Scènes door Crux Creaties", "Crux Creaties"),
        ],
    ),
    (
        ["oost-vlaanderen"],
        "praktijksafari-onderbescherming-2020",
        "online",
        "open",
        "Online praktijksafari: onderbescherming",
        date(2020, 11, 19),
        time(12, 30),
        time(14, 0),
        "",
        "https://meet.example.org/praktijksafari-onderbescherming",
        "Een online bezoek aan praktijken die werken rond onderbescherming: mensen die geen gebruik "
        "maken van de rechten en hulp waar ze recht op hebben.",
        "",
        [],
    ),
    (
        ["vlaams-brabant"],
        "world-social-work-day-2021",
        "wswd",
        "open",
        "World Social Work Day 2021",
        date(2021, 3, 16),
        time(13, 0),
        time(17, 0),
        "Leuven",
        "",
        "De eerste concrete actie van het platform Vlaams-Brabant, uitgewerkt vanuit de "
        "subregio's.",
        "",
        [],
    ),
]

VOORNAMEN = [
    "Anouk",
    "Bram",
    "Charlotte",
    "Daan",
    "Eline",
    "Fatima",
    "Gert",
    "Hanneke",
    "Ilse",
    "Jeroen",
    "Karim",
    "Lotte",
    "Mehmet",
    "Noor",
    "Olivier",
    "Petra",
    "Rik",
    "Sanne",
    "Tom",
    "Ulla",
    "Vera",
    "Wout",
    "Yasmina",
    "Zeynep",
    "Lieve",
    "Jan",
    "Marieke",
    "Senne",
]
ACHTERNAMEN = [
    "Jansen",
    "de Vries",
    "Bakker",
    "Visser",
    "Smit",
    "Peeters",
    "Maes",
    "Claes",
    "Willems",
    "Mertens",
    "Aydın",
    "El Amrani",
    "Hendriks",
    "Dijkstra",
    "Vermeulen",
    "Wouters",
    "Goossens",
    "Kuipers",
    "Brouwer",
    "Janssens",
]
ORGANISATIES = [
    "Wijkteam Centrum",
    "Welzijn Oost",
    "OCMW",
    "CAW",
    "Jeugdhulp Regio",
    "Hogeschool (docent)",
    "Buurtwerk",
    "Schuldhulpverlening",
    "Ziekenhuis (MW)",
]
SECTOREN = ["wijkteam", "maatschappelijk werk", "jeugdhulp", "onderwijs", "welzijn", "zorg"]


def _ensure_user(email: str, naam: str, *, password_hash: str, **lid_fields) -> Lid:
    user, _ = User.objects.get_or_create(email=email, defaults={"password": password_hash})
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    lid, _ = Lid.objects.get_or_create(user=user, defaults={"naam": naam, **lid_fields})
    return lid


@transaction.atomic
def load_demo(today: date | None = None) -> None:
    """Load the real networks and meetings, fictitious members and meetings ahead of today."""
    today = today or timezone.localdate()
    password_hash = make_password(DEMO_PASSWORD)
    koepels = {
        k["slug"]: Koepel.objects.update_or_create(slug=k["slug"], defaults=k)[0] for k in KOEPELS
    }
    partners = {
        key: Partnerorganisatie.objects.get_or_create(naam=naam, defaults={"soort": soort})[0]
        for key, (naam, soort) in PARTNERS.items()
    }
    networks: dict[str, Netwerk] = {}
    for data in NETWERKEN:
        fields = {
            k: v for k, v in data.items() if k not in {"partners", "speerpunten", "subregios"}
        }
        fields["koepel"] = koepels[data["koepel"]]
        netwerk, _ = Netwerk.objects.update_or_create(slug=data["slug"], defaults=fields)
        netwerk.partners.set([partners[p] for p in data["partners"]])
        for order, (titel, toelichting) in enumerate(data["speerpunten"]):
            Speerpunt.objects.update_or_create(
                netwerk=netwerk,
                titel=titel,
                defaults={"volgorde": order, "toelichting": toelichting},
            )
        for naam in data.get("subregios", []):
            Subregio.objects.get_or_create(netwerk=netwerk, naam=naam)
        networks[netwerk.slug] = netwerk

    _load_people(networks, password_hash)
    for row in HISTORISCH:
        _load_meeting(networks, *row)
    _load_programmes_and_upcoming(networks, today)


def _load_people(networks: dict[str, Netwerk], password_hash: str) -> None:
    rng = random.Random(2026)
    admin = _ensure_user("beheer@regionet.local", "Beheer Regionet", password_hash=password_hash)
    User.objects.filter(pk=admin.user_id).update(is_staff=True, is_superuser=True)
    for index, netwerk in enumerate(networks.values()):
        coordinator = _ensure_user(
            f"coordinator.{netwerk.slug}@regionet.local",
            f"{VOORNAMEN[index % len(VOORNAMEN)]} {ACHTERNAMEN[index % len(ACHTERNAMEN)]}",
            password_hash=password_hash,
            rol=Lid.Rol.PROFESSIONAL,
            organisatie="Coördinatie",
        )
        User.objects.filter(pk=coordinator.user_id).update(is_staff=True)
        netwerk.coordinators.add(coordinator.user)
        Lidmaatschap.objects.get_or_create(
            lid=coordinator,
            netwerk=netwerk,
            defaults={"schil": "kern", "status": "actief", "lid_sinds": date(2020, 1, 1)},
        )
        size_core, size_second = (8, 5) if netwerk.slug == "twente" else (rng.randint(6, 12), 6)
        for n in range(size_core + size_second):
            naam = f"{rng.choice(VOORNAMEN)} {rng.choice(ACHTERNAMEN)}"
            lid = _ensure_user(
                f"lid{n + 1}.{netwerk.slug}@regionet.local",
                naam,
                password_hash=password_hash,
                rol=rng.choice(list(Lid.Rol.values)),
                organisatie=rng.choice(ORGANISATIES),
                sector=rng.choice(SECTOREN),
                bpsw_lid=netwerk.koepel.land == "NL",
            )
            Lidmaatschap.objects.get_or_create(
                lid=lid,
                netwerk=netwerk,
                defaults={
                    "schil": "kern" if n < size_core else "betrokken",
                    "status": "actief",
                    "lid_sinds": date(2019 + n % 6, 1 + n % 12, 1),
                },
            )


def _load_meeting(
    networks,
    slugs,
    slug,
    soort,
    doelgroep,
    titel,
    day,
    start,
    end,
    locatie,
    online,
    beschrijving,
    verslag,
    parts,
    programma=None,
    capaciteit=None,
    thema="",
) -> Bijeenkomst:
    begin, einde = _at(day, start, end)
    bijeenkomst, _ = Bijeenkomst.objects.update_or_create(
        slug=slug,
        defaults={
            "soort": soort,
            "doelgroep": doelgroep,
            "titel": titel,
            "begin": begin,
            "einde": einde,
            "locatie": locatie,
            "online_link": online,
            "beschrijving": beschrijving,
            "verslag": verslag,
            "programma": programma,
            "capaciteit": capaciteit,
            "thema": thema,
        },
    )
    bijeenkomst.netwerken.set([networks[s] for s in slugs])
    for order, (kind, part_title, speakers) in enumerate(parts):
        Programmaonderdeel.objects.update_or_create(
            bijeenkomst=bijeenkomst,
            titel=part_title,
            defaults={"soort": kind, "sprekers": speakers, "volgorde": order},
        )
    return bijeenkomst


THEMAS = [
    "Casuïstiek uit de praktijk",
    "Beroepscode en ethiek",
    "Sociaal werk en de politiek",
    "Werken in wijkteams",
    "Onderbescherming",
    "Digitaal werken en nabijheid",
]


def _load_programmes_and_upcoming(networks: dict[str, Netwerk], today: date) -> None:
    """The current half-year's programme of each network with four meetings from today on."""
    year, half = today.year, 1 if today.month <= 6 else 2
    for index, netwerk in enumerate(networks.values()):
        themes = THEMAS[index % 3 : index % 3 + 3]
        programma, _ = Halfjaarprogramma.objects.update_or_create(
            netwerk=netwerk,
            jaar=year,
            helft=half,
            defaults={"themas": "\n".join(themes), "gepubliceerd": True},
        )
        start = netwerk.vaste_aanvang or time(19, 30)
        end = (datetime.combine(today, start) + timedelta(hours=2)).time()
        flemish = netwerk.koepel.land == "BE"
        plan = [
            ("netwerk", "kern", f"Netwerkbijeenkomst {netwerk.naam}", None, themes[0]),
            ("thema", "open", f"Themabijeenkomst: {themes[1].lower()}", 30, themes[1]),
            (
                "online" if flemish else "sociaal_cafe",
                "open",
                "Online praktijksafari" if flemish else "Sociaal café",
                10 if flemish else 40,
                themes[2],
            ),
            ("netwerk", "leden", f"Open netwerkavond {netwerk.naam}", None, themes[0]),
        ]
        for n, (soort, doelgroep, titel, capaciteit, thema) in enumerate(plan):
            day = today + timedelta(days=7 + index + 21 * n)
            online = "https://meet.example.org/" + netwerk.slug if soort == "online" else ""
            _load_meeting(
                networks,
                [netwerk.slug],
                f"{netwerk.slug}-komend-{n + 1}",
                soort,
                doelgroep,
                titel,
                day,
                start,
                end,
                "" if online else f"{netwerk.regio.split(' (')[0]}",
                online,
                f"Bijeenkomst in het halfjaarprogramma rond het thema {thema.lower()}.",
                "",
                [],
                programma=programma,
                capaciteit=capaciteit,
                thema=thema,
            )
    _register_demo_members(networks)


def _register_demo_members(networks: dict[str, Netwerk]) -> None:
    for netwerk in networks.values():
        members = list(
            Lid.objects.filter(
                lidmaatschappen__netwerk=netwerk, lidmaatschappen__status="actief"
            ).order_by("pk")[:6]
        )
        for bijeenkomst in netwerk.bijeenkomsten.filter(slug__contains="-komend-"):
            for lid in members[: 3 if bijeenkomst.capaciteit == 10 else 6]:
                Aanmelding.objects.get_or_create(
                    bijeenkomst=bijeenkomst, lid=lid, status="aangemeld"
                )


BATCH = 5000


def load_scale(n: int, *, today: date | None = None, log=print) -> None:
    """Add about n members, n/10 meetings and 4n registrations with bulk inserts.

    Rows are keyed (e-mail, slug, member × meeting), and conflicts are ignored, so a rerun
    adds nothing. Needs the demo networks (call `load_demo` first).
    """
    today = today or timezone.localdate()
    # The demo's own networks only: a network added since (a benchmark's) would shift every
    # member's network and make a rerun add memberships instead of nothing.
    networks = list(Netwerk.objects.filter(slug__in=[n["slug"] for n in NETWERKEN]).order_by("pk"))
    password_hash = make_password(None)  # unusable: scale members cannot log in
    rng = random.Random(n)

    log(f"users and members: {n}")
    for start in range(0, n, BATCH):
        stop = min(start + BATCH, n)
        User.objects.bulk_create(
            [
                User(email=f"lid{i}@schaal.regionet.local", password=password_hash)
                for i in range(start, stop)
            ],
            ignore_conflicts=True,
        )
    user_ids = dict(
        User.objects.filter(email__endswith="@schaal.regionet.local").values_list("email", "pk")
    )
    for start in range(0, n, BATCH):
        stop = min(start + BATCH, n)
        Lid.objects.bulk_create(
            [
                Lid(
                    user_id=user_ids[f"lid{i}@schaal.regionet.local"],
                    naam=f"{VOORNAMEN[i % len(VOORNAMEN)]} {ACHTERNAMEN[(i // 7) % len(ACHTERNAMEN)]} {i}",
                    rol=Lid.Rol.values[i % 4],
                    organisatie=ORGANISATIES[i % len(ORGANISATIES)],
                    sector=SECTOREN[i % len(SECTOREN)],
                    bpsw_lid=i % 2 == 0,
                    digest=Lid.Digest.WEEKLY if i % 3 == 0 else Lid.Digest.NEVER,
                )
                for i in range(start, stop)
            ],
            ignore_conflicts=True,
        )
    lid_ids = list(
        Lid.objects.filter(user__email__endswith="@schaal.regionet.local")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    log("memberships")
    for start in range(0, len(lid_ids), BATCH):
        Lidmaatschap.objects.bulk_create(
            [
                Lidmaatschap(
                    lid_id=lid_id,
                    netwerk=networks[i % len(networks)],
                    schil="kern" if i % 5 == 0 else "betrokken",
                    status="actief",
                    lid_sinds=date(2015 + i % 10, 1 + i % 12, 1),
                )
                for i, lid_id in enumerate(lid_ids[start : start + BATCH], start=start)
            ],
            ignore_conflicts=True,
        )

    meetings = max(n // 10, 1)
    log(f"meetings: {meetings}")
    through = Bijeenkomst.netwerken.through
    for start in range(0, meetings, BATCH):
        batch = []
        for i in range(start, min(start + BATCH, meetings)):
            day = today + timedelta(days=(i * 7) % 1095 - 730)  # two years back, one ahead
            begin, einde = _at(day, time(19, 30), time(21, 30))
            soort = Bijeenkomst.Soort.values[i % 5]
            batch.append(
                Bijeenkomst(
                    slug=f"schaal-{i}",
                    titel=f"{Bijeenkomst.Soort(soort).label.capitalize()} {i}",
                    soort=soort,
                    doelgroep=["open", "leden", "kern"][i % 3],
                    begin=begin,
                    einde=einde,
                    locatie="Utrecht",
                    capaciteit=60 if i % 2 else None,
                    beschrijving="Een bijeenkomst uit de grote testset.",
                    verslag="Verslag van de bijeenkomst over wijkteams." if day < today else "",
                )
            )
        Bijeenkomst.objects.bulk_create(batch, ignore_conflicts=True)
    meeting_rows = list(
        Bijeenkomst.objects.filter(slug__startswith="schaal-")
        .order_by("pk")
        .values_list("pk", "begin")
    )
    through.objects.bulk_create(
        [
            through(bijeenkomst_id=pk, netwerk_id=networks[i % len(networks)].pk)
            for i, (pk, _) in enumerate(meeting_rows)
        ],
        ignore_conflicts=True,
    )

    log(f"registrations: about {4 * n}")
    now = timezone.now()
    per_meeting = max(4 * n // max(len(meeting_rows), 1), 1)
    rows = []
    for pk, begin in meeting_rows:
        offset = rng.randrange(len(lid_ids))
        for k in range(min(per_meeting, len(lid_ids))):
            rows.append(
                Aanmelding(
                    bijeenkomst_id=pk,
                    lid_id=lid_ids[(offset + k) % len(lid_ids)],
                    status="aanwezig" if begin < now else "aangemeld",
                    aangemeld_op=begin - timedelta(days=10),
                )
            )
        if len(rows) >= BATCH:
            Aanmelding.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Aanmelding.objects.bulk_create(rows, ignore_conflicts=True)
