"""Demo data: the real networks and meetings from the source texts, plus fictitious members
and the half-year programmes around today, planned the way each network works.

Every write is keyed on a natural key (slug, e-mail, network × half-year…), so loading
twice changes nothing. `load_scale` adds a large synthetic data set with bulk inserts.
"""

from __future__ import annotations

import functools
import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from bijeenkomsten.models import (
    Aanmelding,
    Bijeenkomst,
    Halfjaarprogramma,
    Materiaal,
    Programmaonderdeel,
)
from demo.bevragingen import load_surveys
from demo.deelname import load_educational_time
from demo.meldpunt import load_meldpunt
from leden.models import Lid, Lidmaatschap, User
from netwerken.models import Koepel, Netwerk, Partnerorganisatie, Subregio
from portal import pagecache
from themas import dates as theme_dates
from themas import services as theme_services
from themas.models import Datumpeiling, Stem, Stembiljet, Steun, Themaronde, Themavoorstel
from themas.selection import seq_pav

from . import actieplannen as demo_action_plans
from .privacy import load_privacy_contacts

TZ = ZoneInfo("Europe/Amsterdam")
DEMO_PASSWORD = "regionet-demo-2026"  # documented in the README; demo accounts only

KOEPELS: list[dict[str, Any]] = [
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

NETWERKEN: list[dict[str, Any]] = [
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
    },
]


def _at(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    return (datetime.combine(day, start, TZ), datetime.combine(day, end, TZ))


# --- The calendar ---------------------------------------------------------------------------
# Meetings fall on working days: never on a Sunday (nor a Saturday), and never on the public
# holidays of the Netherlands or Flanders nor in the days between Christmas and New Year.


def _easter(year: int) -> date:
    """Easter Sunday (the Gregorian computation of Meeus, Jones and Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@functools.cache
def holidays(year: int) -> frozenset[date]:
    """Days without meetings: public holidays in NL or Flanders, and the Christmas week."""
    easter = _easter(year)
    fixed = [(1, 1), (4, 27), (5, 1), (5, 5), (7, 21), (8, 15), (11, 1), (11, 11)]
    fixed += [(12, day) for day in range(24, 32)]
    moving = [easter - timedelta(days=2), easter + timedelta(days=1)]  # Good Friday, Easter Monday
    moving += [easter + timedelta(days=39), easter + timedelta(days=50)]  # Ascension, Whit Monday
    return frozenset([date(year, m, d) for m, d in fixed] + moving)


def _half_year(day: date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


def _meeting_day(start: date, weekday: int) -> date:
    """The first `weekday` (0 = Monday) on or after `start` that is no holiday."""
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    while day in holidays(day.year):
        day += timedelta(days=7)
    return day


def _working_day(day: date) -> date:
    """`day`, or the first working day after it."""
    while day.weekday() >= 5 or day in holidays(day.year):
        day += timedelta(days=1)
    return day


# --- Places ---------------------------------------------------------------------------------
# The venues are made up; their streets and postcodes lie in the right town.
PLEKKEN = {
    "saxion": ("Saxion, Enschede", "M.H. Tromplaan 28, 7513 AB Enschede"),
    "enschede": ("Wijkcentrum De Bothoven, Enschede", "Walstraat 24, 7511 GH Enschede"),
    "hengelo": ("Buurthuis De Hasseler Es, Hengelo", "Marskant 12, 7552 AB Hengelo"),
    "almelo": ("Ontmoetingscentrum Het Erve, Almelo", "Grotestraat 70, 7607 CM Almelo"),
    "hr": ("Hogeschool Rotterdam, Museumpark", "Museumpark 40, 3015 CX Rotterdam"),
    "rotterdam-noord": (
        "Huis van de Wijk De Banier, Rotterdam-Noord",
        "Jonker Fransstraat 50, 3031 AS Rotterdam",
    ),
    "rotterdam-zuid": (
        "Huis van de Wijk Afrikaanderwijk, Rotterdam-Zuid",
        "Pretorialaan 104, 3072 EN Rotterdam",
    ),
    "eindhoven": ("Wijkcentrum De Boerderij, Eindhoven", "Kruisstraat 120, 5612 CN Eindhoven"),
    "helmond": ("Buurthuis De Fonkel, Helmond", "Mierloseweg 85, 5707 AH Helmond"),
    "groningen": ("Wijkcentrum De Kern, Groningen", "Oosterstraat 40, 9711 NW Groningen"),
    "leeuwarden": ("Buurthuis De Schakel, Leeuwarden", "Nieuwestad 60, 8911 CW Leeuwarden"),
    "borgerhout": (
        "Buurthuis De Kroon, Borgerhout",
        "Turnhoutsebaan 120, 2140 Antwerpen (Borgerhout)",
    ),
    "antwerpen": ("Ontmoetingscentrum Het Pakhuis, Antwerpen", "Kammenstraat 30, 2000 Antwerpen"),
    "brussel": ("Gemeenschapscentrum De Markten, Brussel", "Oude Graanmarkt 5, 1000 Brussel"),
    "anderlecht": ("Buurthuis Kuregem, Anderlecht", "Bergensesteenweg 150, 1070 Anderlecht"),
    "hasselt": ("Ontmoetingscentrum De Schakel, Hasselt", "Kuringersteenweg 40, 3500 Hasselt"),
    "genk": ("Buurthuis Winterslag, Genk", "Noordlaan 12, 3600 Genk"),
    "gent": ("Buurtwerking Brugse Poort, Gent", "Bevrijdingslaan 10, 9000 Gent"),
    "leuven": ("Provinciehuis Vlaams-Brabant, Leuven", "Provincieplein 1, 3010 Leuven"),
    "aarschot": ("Cultuurcentrum Het Gasthuis, Aarschot", "Gasthuisstraat 5, 3200 Aarschot"),
    "halle": ("Ontmoetingscentrum De Vondel, Halle", "Possozplein 1, 1500 Halle"),
    "vilvoorde": ("Sociaal Huis Vilvoorde", "Kursaalstraat 20, 1800 Vilvoorde"),
    "brugge": ("Ontmoetingscentrum Sint-Pieters, Brugge", "Sint-Pieterskerklaan 40, 8000 Brugge"),
    "kortrijk": ("Buurthuis Overleie, Kortrijk", "Overleiestraat 55, 8500 Kortrijk"),
}
ONLINE = "online"


# --- Slides ---------------------------------------------------------------------------------


def slides_pdf(title: str, slides: list[tuple[str, list[str]]]) -> bytes:
    """A small, valid PDF: one A4 landscape page per slide (a heading and lines of text).

    Written by hand (Helvetica needs no embedded font), with a correct cross-reference table,
    so any PDF reader opens it.
    """

    def text(value: str) -> bytes:
        escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("cp1252", errors="replace") + b")"

    font, first_page = 3, 4
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages are numbered
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for number, (heading, lines) in enumerate(slides):
        page = first_page + 2 * number
        kids.append(b"%d 0 R" % page)
        body = [b"BT /F1 28 Tf 60 520 Td " + text(heading) + b" Tj /F1 16 Tf"]
        body += [b"0 -30 Td " + text(line) + b" Tj" for line in lines]
        body += [b"ET BT /F1 10 Tf 60 30 Td " + text(title) + b" Tj ET"]
        stream = b"\n".join(body)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font, page + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    # Document information strings are not WinAnsi: UTF-16 with a byte order mark.
    info_title = b"<" + ("\ufeff" + title).encode("utf-16-be").hex().upper().encode() + b">"
    objects.append(b"<< /Title " + info_title + b" /Producer (Regionet demo) >>")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# --- Meetings from the source texts ---------------------------------------------------------
# Parts are (kind, title, speakers, description). Materials are (kind, title, content): a
# list of slides for a PDF, a link, or a text.
PROGRAMMA_TWENTE_2019 = (
    "twente",
    2019,
    1,
    [
        "Casuïstiek uit de praktijk",
        "Meldcode huiselijk geweld en kindermishandeling",
        "De BPSW en politieke beïnvloeding",
    ],
)
HISTORISCH: list[dict[str, Any]] = [
    {
        "netwerken": ["twente"],
        "slug": "twente-2019-01-17-casuistiek",
        "soort": "netwerk",
        "doelgroep": "kern",
        "titel": "Casuïstiek en voorbereiding sociaal café",
        "dag": date(2019, 1, 17),
        "tijd": (time(19, 30), time(21, 30)),
        "plek": "enschede",
        "programma": PROGRAMMA_TWENTE_2019,
        "thema": "Casuïstiek uit de praktijk",
        "beschrijving": "We bespreken casussen uit de praktijk en bereiden het sociaal café van het "
        "voorjaar voor: de BPSW en politieke beïnvloeding.",
        "onderdelen": [
            ("casus", "Casusbespreking", "", ""),
            ("overig", "Voorbereiding sociaal café", "", ""),
        ],
    },
    {
        "netwerken": ["twente"],
        "slug": "twente-2019-03-06-meldcode",
        "soort": "thema",
        "doelgroep": "open",
        "titel": "De aangescherpte meldcode en het afwegingskader",
        "dag": date(2019, 3, 6),
        "tijd": (time(19, 30), time(21, 30)),
        "plek": "enschede",
        "programma": PROGRAMMA_TWENTE_2019,
        "thema": "Meldcode huiselijk geweld en kindermishandeling",
        "beschrijving": "Met een vertrouwensarts over de aangescherpte meldcode huiselijk geweld en "
        "kindermishandeling en het afwegingskader: wat betekent het voor je handelen?",
        "onderdelen": [
            ("inleiding", "De meldcode en het afwegingskader", "een vertrouwensarts", ""),
        ],
    },
    {
        "netwerken": ["rotterdam"],
        "slug": "rotterdam-2016-05-26-werken-in-wijkteams",
        "soort": "conferentie",
        "doelgroep": "open",
        "titel": "Werkconferentie: werken in wijkteams",
        "dag": date(2016, 5, 26),
        "tijd": (time(13, 0), time(17, 0)),
        "plek": "hr",
        "beschrijving": "Met de Werkplaats Sociaal Domein Zuid-Holland Zuid: anderhalf jaar werken in "
        "Rotterdamse wijkteams. Wat gaat goed, waar schuurt het?",
        "verslag": "Sociaal werkers willen hun discretionaire ruimte gebruiken vanuit betrokkenheid, niet vanuit "
        "controle; ze willen mandaat en vertrouwen, samen met de cliënt het tempo bepalen en zichtbaar "
        "zijn in de wijk. Leercirkels voor casuïstiek en aandacht voor armoede, werkloosheid en "
        "huisvesting kwamen terug, net als ethisch actorschap en mensenrechten als basis van het vak. "
        "Uit de conferentie volgden gesprekken met wijkteams over ethiek en privacy.",
        "onderdelen": [
            ("inleiding", "Anderhalf jaar wijkteams in Rotterdam", "", ""),
            (
                "workshop",
                "Discretionaire ruimte en mandaat",
                "netwerkleden en docenten van de Werkplaats",
                "",
            ),
            (
                "workshop",
                "Presentie: zichtbaar en benaderbaar in de wijk",
                "netwerkleden en docenten van de Werkplaats",
                "",
            ),
            (
                "workshop",
                "Leercirkels voor casuïstiek in het wijkteam",
                "netwerkleden en docenten van de Werkplaats",
                "",
            ),
        ],
    },
    {
        "netwerken": ["twente"],
        "slug": "hoezo-sociaal-werk-2017",
        "soort": "conferentie",
        "doelgroep": "open",
        "titel": "Conferentie Hoe(Zo) Sociaal Werk?!",
        "dag": date(2017, 11, 9),
        "tijd": (time(9, 30), time(16, 30)),
        "plek": "saxion",
        "beschrijving": "Conferentie van de Werkplaats Sociaal Domein Twente om kennis over "
        "sociaal werk te behouden, samen nieuwe kennis te ontwikkelen en ervaringen breed te delen, "
        "met sociaal werkers, zorgprofessionals, onderzoekers, docenten, bestuurders en beleidsmakers.",
        "verslag": "Na plenaire lezingen brachten deelnemers zelf thema's in aan de tafelrondes. Tijdens de lunch "
        "stelden onderzoeksprojecten zich voor met posters, en 's middags speelden acteurs van Crux "
        "Creaties scènes bij de thema's van de dag. Van de conferentie zijn video-opnames gemaakt.",
        "onderdelen": [
            ("lezing", "Publieke waarden", "Eelke Blokker (Instituut voor Publieke Waarden)", ""),
            (
                "lezing",
                "Social work in een veranderende samenleving",
                "Jack de Swart (lector Social Work, Saxion)",
                "",
            ),
            (
                "lezing",
                "Technologie, gezondheid en zorg",
                "Somaya Ben Allouch (lector Technology, Health & Care)",
                "",
            ),
            (
                "tafelronde",
                "Tafelronde: zelfregie, en waar die ophoudt",
                "",
                "Wat doe je als eigen regie van de cliënt botst met je zorg om hem? Ingebracht door deelnemers.",
            ),
            (
                "tafelronde",
                "Tafelronde: inclusie en participatie in de wijk",
                "",
                "De verzorgingsstaat wordt een participatiesamenleving: wie doet mee en wie valt buiten de boot?",
            ),
            (
                "tafelronde",
                "Tafelronde: technologie in het dagelijks werk",
                "",
                "Apps, beeldbellen en domotica: hoe blijft het contact met de cliënt persoonlijk?",
            ),
            (
                "tafelronde",
                "Tafelronde: mensenrechten en diversiteit onder druk",
                "",
                "Hoe maak je je als sociaal werker sterk voor respect voor diversiteit?",
            ),
            (
                "tafelronde",
                "Tafelronde: kansrijk en kansarm",
                "",
                "De tweedeling in de samenleving en wat sociaal werk ertegen kan doen.",
            ),
            (
                "tafelronde",
                "Tafelronde: Zo hoort het! Succesverhalen uit de praktijk",
                "",
                "Deelnemers delen resultaten waar ze trots op zijn.",
            ),
            (
                "poster",
                "Poster: samenwerken in sociale wijkteams",
                "lectoraat Social Work (Saxion)",
                "Onderzoeksproject over hoe professionals uit verschillende organisaties samen een wijkteam vormen.",
            ),
            (
                "poster",
                "Poster: technologie voor thuiswonende ouderen",
                "lectoraat Technology, Health & Care (Saxion)",
                "Onderzoeksproject naar zorgtechnologie die ouderen langer zelfstandig laat wonen.",
            ),
            (
                "poster",
                "Poster: professionele ruimte van sociaal werkers",
                "Werkplaats Sociaal Domein Twente",
                "Praktijkonderzoek naar de ruimte die sociaal werkers ervaren om eigen afwegingen te maken.",
            ),
            (
                "overig",
                "Scènes door Crux Creaties",
                "Crux Creaties",
                "Acteurs spelen scènes bij de thema's van de tafelrondes en de lezingen, en houden de zaal "
                "met een knipoog een spiegel voor.",
            ),
        ],
        "materialen": [
            (
                "video",
                "Video-opname van de conferentie (Saxion)",
                "https://video.example.org/saxion/conferentie-hoezo-sociaal-werk-2017",
            ),
            (
                "slides",
                "Presentatie Eelke Blokker: publieke waarden",
                [
                    ("Publieke waarden", ["Eelke Blokker", "Instituut voor Publieke Waarden"]),
                    (
                        "Waar staan we voor?",
                        ["Wat is van waarde in het sociaal domein,", "en wie bewaakt het?"],
                    ),
                    ("Demo", ["Voorbeeldbestand van Regionet, niet de echte dia's."]),
                ],
            ),
            (
                "slides",
                "Presentatie Jack de Swart: social work in een veranderende samenleving",
                [
                    (
                        "Social work in een veranderende samenleving",
                        ["Jack de Swart", "lector Social Work, Saxion"],
                    ),
                    (
                        "Van verzorgingsstaat naar participatiesamenleving",
                        ["Zelfregie, inclusie, participatie", "en sociale samenhang"],
                    ),
                    ("Demo", ["Voorbeeldbestand van Regionet, niet de echte dia's."]),
                ],
            ),
            (
                "slides",
                "Presentatie Somaya Ben Allouch: technologie, gezondheid en zorg",
                [
                    (
                        "Technologie, gezondheid en zorg",
                        ["Somaya Ben Allouch", "lector Technology, Health & Care"],
                    ),
                    (
                        "Technologie in het leven van alledag",
                        ["Wat betekent het voor cliënten", "en voor sociaal werkers?"],
                    ),
                    ("Demo", ["Voorbeeldbestand van Regionet, niet de echte dia's."]),
                ],
            ),
            (
                "verslag",
                "Korte impressie van de conferentie",
                "Een dag met lezingen, tafelrondes, posters van onderzoeksprojecten en scènes van Crux "
                "Creaties, over hoe sociaal werk kan blijven bijdragen aan de sociale kwaliteit van de "
                "samenleving.",
            ),
        ],
    },
    {
        "netwerken": ["oost-vlaanderen"],
        # The source gives no date, only that it came before the safari of 19 November 2020
        # and before the article of September 2020; this day is assumed.
        "slug": "praktijksafari-coronatijden-2020",
        "soort": "online",
        "doelgroep": "open",
        "titel": "Online praktijksafari: sociaal werk in (digitale) coronatijden",
        "dag": date(2020, 9, 8),
        "tijd": (time(12, 30), time(14, 0)),
        "plek": ONLINE,
        "beschrijving": "Een online rondgang langs drie praktijken die in coronatijden nieuwe "
        "manieren vonden om nabij te blijven: een taalproject, buurtwerk en jeugdhulp.",
        "verslag": "Vormingplus stelde Babbelonië 2.0 voor, daarna maakten we kennis met het "
        "buurtwerk van de Meubelfabriek in de Brugse Poort in Gent, en tot slot met jeugdhulppraktijk "
        "de Cocon. De opname staat online.",
        "onderdelen": [
            (
                "inleiding",
                "Babbelonië 2.0",
                "Vormingplus",
                "Een project van Vormingplus met het Vlaams Agentschap Integratie en Inburgering: "
                "mensen oefenen samen Nederlands in gesprek, ook online.",
            ),
            (
                "inleiding",
                "De Meubelfabriek in de Brugse Poort",
                "buurtwerk Brugse Poort, Gent",
                "Een buurtwerkpraktijk in een oude fabriek in de Gentse Brugse Poort.",
            ),
            (
                "inleiding",
                "Jeugdhulppraktijk de Cocon",
                "de Cocon",
                "Hoe een jeugdhulppraktijk contact hield met jongeren toen alles digitaal moest.",
            ),
        ],
        "materialen": [
            (
                "video",
                "Opname van de online praktijksafari",
                "https://video.example.org/sterk-sociaal-werk/praktijksafari-oost-vlaanderen",
            ),
        ],
    },
    {
        "netwerken": ["oost-vlaanderen"],
        "slug": "praktijksafari-onderbescherming-2020",
        "soort": "online",
        "doelgroep": "open",
        "titel": "Online praktijksafari: onderbescherming",
        "dag": date(2020, 11, 19),
        "tijd": (time(12, 30), time(14, 0)),
        "plek": ONLINE,
        "beschrijving": "Een online bezoek aan praktijken die werken rond onderbescherming: mensen die geen gebruik "
        "maken van de rechten en hulp waar ze recht op hebben.",
    },
    {
        "netwerken": ["vlaams-brabant"],
        "slug": "world-social-work-day-2021",
        "soort": "wswd",
        "doelgroep": "open",
        "titel": "World Social Work Day 2021",
        "dag": date(2021, 3, 16),
        "tijd": (time(13, 0), time(17, 0)),
        "plek": "leuven",
        "beschrijving": "De eerste concrete actie van het platform Vlaams-Brabant, uitgewerkt vanuit de "
        "subregio's.",
    },
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


@transaction.atomic
def load_demo(today: date | None = None) -> None:
    """Load the real networks and meetings, fictitious members, and the programmes of the
    half-years around today (so there are always past and upcoming meetings)."""
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
        fields = {k: v for k, v in data.items() if k not in {"partners", "subregios"}}
        fields["koepel"] = koepels[data["koepel"]]
        netwerk, _ = Netwerk.objects.update_or_create(slug=data["slug"], defaults=fields)
        netwerk.partners.set([partners[p] for p in data["partners"]])
        for naam in data.get("subregios", []):
            Subregio.objects.get_or_create(netwerk=netwerk, naam=naam)
        networks[netwerk.slug] = netwerk

    _load_people(networks, password_hash)
    # Meetings of an earlier version of the demo, dated from today without regard to the
    # half-year or the calendar.
    Bijeenkomst.objects.filter(slug__regex=r"^[a-z-]+-komend-[1-4]$").delete()
    for meeting in HISTORISCH:
        _load_meeting(networks, **meeting)
    _load_programmes(networks, today)
    _register_demo_members(networks)
    _load_theme_rounds(networks, today)
    load_surveys(networks)
    demo_action_plans.load_action_plans(networks)
    load_meldpunt(password_hash)
    load_privacy_contacts()
    load_educational_time()
    pagecache.bump_content_version()  # bulk inserts send no signals; cached pages must go


def _load_meeting(
    networks: dict[str, Netwerk],
    *,
    netwerken: list[str],
    slug: str,
    soort: str,
    doelgroep: str,
    titel: str,
    dag: date,
    tijd: tuple[time, time],
    plek: str,
    beschrijving: str,
    verslag: str = "",
    thema: str = "",
    onderdelen: list | tuple = (),
    materialen: list | tuple = (),
    programma: Halfjaarprogramma | tuple[str, int, int, list[str]] | None = None,
    capaciteit: int | None = None,
    subregio: str = "",
) -> Bijeenkomst:
    if isinstance(programma, tuple):  # (network, year, half, themes) from the sources
        slug_netwerk, jaar, helft, themas = programma
        programma, _ = Halfjaarprogramma.objects.update_or_create(
            netwerk=networks[slug_netwerk],
            jaar=jaar,
            helft=helft,
            defaults={"themas": "\n".join(themas), "gepubliceerd": True},
        )
    begin, einde = _at(dag, *tijd)
    locatie, adres = ("", "") if plek == ONLINE else PLEKKEN[plek]
    bijeenkomst, _ = Bijeenkomst.objects.update_or_create(
        slug=slug,
        defaults={
            "soort": soort,
            "doelgroep": doelgroep,
            "titel": titel,
            "begin": begin,
            "einde": einde,
            "locatie": locatie,
            "adres": adres,
            "online_link": f"https://meet.example.org/{slug}" if plek == ONLINE else "",
            "beschrijving": beschrijving,
            "verslag": verslag,
            "programma": programma,
            "capaciteit": capaciteit,
            "thema": thema,
            "subregio": (
                Subregio.objects.get(netwerk=networks[netwerken[0]], naam=subregio)
                if subregio
                else None
            ),
        },
    )
    bijeenkomst.netwerken.set([networks[s] for s in netwerken])
    titles = [part[1] for part in onderdelen]
    bijeenkomst.onderdelen.exclude(titel__in=titles).delete()  # parts an earlier demo had
    for order, (kind, part_title, speakers, description) in enumerate(onderdelen):
        Programmaonderdeel.objects.update_or_create(
            bijeenkomst=bijeenkomst,
            titel=part_title,
            defaults={
                "soort": kind,
                "sprekers": speakers,
                "beschrijving": description,
                "volgorde": order,
            },
        )
    for kind, material_title, content in materialen:
        _load_material(bijeenkomst, kind, material_title, content)
    return bijeenkomst


def _load_material(bijeenkomst: Bijeenkomst, kind: str, titel: str, content) -> None:
    """One material, keyed on meeting and title. Slides become a generated PDF, stored like
    an upload; it is written once, so a rerun leaves the file as it is."""
    materiaal = Materiaal.objects.filter(bijeenkomst=bijeenkomst, titel=titel).first() or Materiaal(
        bijeenkomst=bijeenkomst, titel=titel
    )
    materiaal.soort = kind
    if kind == Materiaal.Soort.SLIDES:
        if not materiaal.pdf.name or not materiaal.pdf.storage.exists(materiaal.pdf.name):
            data = slides_pdf(f"{bijeenkomst.titel}: {titel}", content)
            materiaal.pdf.save(f"{slugify(titel)}.pdf", ContentFile(data), save=False)
    elif kind == Materiaal.Soort.VIDEO:
        materiaal.url = content
    else:
        materiaal.tekst = content
    materiaal.save()


def _register_demo_members(networks: dict[str, Netwerk]) -> None:
    """A few members of each network registered for its programme's meetings: attended for
    the past ones, registered for those ahead. Who is registered already stays as is."""
    now = timezone.now()
    registered = set(
        Aanmelding.objects.filter(lid__isnull=False).values_list("bijeenkomst_id", "lid_id")
    )
    rows = []
    for netwerk in networks.values():
        members = list(
            Lid.objects.filter(
                lidmaatschappen__netwerk=netwerk, lidmaatschappen__status="actief"
            ).order_by("pk")[:6]
        )
        for bijeenkomst in netwerk.bijeenkomsten.filter(programma__netwerk=netwerk):
            small = bijeenkomst.capaciteit is not None and bijeenkomst.capaciteit <= 20
            rows += [
                Aanmelding(
                    bijeenkomst=bijeenkomst,
                    lid=lid,
                    status="aanwezig" if bijeenkomst.begin < now else "aangemeld",
                )
                for lid in members[: 3 if small else 6]
                if (bijeenkomst.pk, lid.pk) not in registered
            ]
    Aanmelding.objects.bulk_create(rows)


def _load_people(networks: dict[str, Netwerk], password_hash: str) -> None:
    """The admin, a coordinator per network and its members, in a few bulk queries: rows
    that exist already are left as they are."""
    rng = random.Random(2026)
    people: list[tuple[str, str, dict]] = [("beheer@regionet.local", "Beheer Regionet", {})]
    memberships: list[tuple[str, Netwerk, dict]] = []
    coordinators: dict[str, Netwerk] = {}
    for index, netwerk in enumerate(networks.values()):
        email = f"coordinator.{netwerk.slug}@regionet.local"
        naam = f"{VOORNAMEN[index % len(VOORNAMEN)]} {ACHTERNAMEN[index % len(ACHTERNAMEN)]}"
        people.append((email, naam, {"rol": Lid.Rol.PROFESSIONAL, "organisatie": "Coördinatie"}))
        memberships.append((email, netwerk, {"schil": "kern", "lid_sinds": date(2020, 1, 1)}))
        coordinators[email] = netwerk
        size_core, size_second = (8, 5) if netwerk.slug == "twente" else (rng.randint(6, 12), 6)
        for n in range(size_core + size_second):
            email = f"lid{n + 1}.{netwerk.slug}@regionet.local"
            naam = f"{rng.choice(VOORNAMEN)} {rng.choice(ACHTERNAMEN)}"
            fields = {
                "rol": rng.choice(list(Lid.Rol.values)),
                "organisatie": rng.choice(ORGANISATIES),
                "sector": rng.choice(SECTOREN),
                "bpsw_lid": netwerk.koepel.land == "NL",
            }
            people.append((email, naam, fields))
            schil = "kern" if n < size_core else "betrokken"
            lid_sinds = date(2019 + n % 6, 1 + n % 12, 1)
            memberships.append((email, netwerk, {"schil": schil, "lid_sinds": lid_sinds}))

    emails = [email for email, _, _ in people]
    User.objects.bulk_create(
        [User(email=email, password=password_hash) for email in emails], ignore_conflicts=True
    )
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=users[email], email=email, verified=True, primary=True)
            for email in emails
        ],
        ignore_conflicts=True,
    )
    Lid.objects.bulk_create(
        [Lid(user=users[email], naam=naam, **fields) for email, naam, fields in people],
        ignore_conflicts=True,
    )
    leden = dict(Lid.objects.filter(user__email__in=emails).values_list("user__email", "pk"))
    Lidmaatschap.objects.bulk_create(
        [
            Lidmaatschap(lid_id=leden[email], netwerk=netwerk, status="actief", **fields)
            for email, netwerk, fields in memberships
        ],
        ignore_conflicts=True,
    )
    User.objects.filter(email="beheer@regionet.local").update(is_staff=True, is_superuser=True)
    User.objects.filter(email__in=list(coordinators)).update(is_staff=True)
    for email, netwerk in coordinators.items():
        netwerk.coordinators.add(users[email])


# --- The half-year programmes ---------------------------------------------------------------
# Each network plans its half-years the way its source text describes it. A meeting's day is
# `when`: (month, day) means the first suitable weekday from then on; an int k means the k-th
# meeting of the network's six-weekly series (Twente). Every half-year has at least three
# meetings per network, so the agenda is never empty: the demo loads the previous, current
# and next half-year around today.
AVOND = (time(19, 30), time(21, 30))
AVOND_VROEG = (time(19, 0), time(21, 15))
MIDDAG = (time(13, 30), time(16, 30))
LUNCH = (time(12, 30), time(14, 0))


def _m(
    key: str,
    when: tuple[int, int] | int,
    titel: str,
    thema: str,
    *,
    plek: str,
    soort: str = "thema",
    doelgroep: str = "open",
    weekdag: int | None = None,
    tijd: tuple[time, time] = AVOND,
    capaciteit: int | None = None,
    beschrijving: str = "",
    onderdelen: tuple = (),
    subregio: str = "",
) -> dict:
    """One planned meeting of a programme; the weekday defaults to the network's own."""
    return locals()


AGENDA: dict[str, dict] = {
    "twente": {
        "reeks": {1: (1, 12), 2: (9, 1)},  # every six weeks on Thursday, from these days on
        "toelichting": "Samen gekozen thema's; de themabijeenkomsten en het sociaal café staan "
        "open voor iedereen die belangstelling heeft.",
        1: [
            _m(
                "casuistiek",
                0,
                "Casuïstiek en vooruitblik op het sociaal café",
                "Casuïstiek uit de praktijk",
                soort="netwerk",
                doelgroep="kern",
                plek="enschede",
                beschrijving="Leden brengen een casus in; daarna verdelen we de taken voor het "
                "sociaal café van het voorjaar.",
                onderdelen=(("casus", "Casusbespreking", "", ""),),
            ),
            _m(
                "nieuwe-werken",
                1,
                "Het Nieuwe Werken: zelforganisatie in de praktijk",
                "Het Nieuwe Werken",
                plek="hengelo",
                capaciteit=30,
                beschrijving="Zelfsturende teams, flexibele werkplekken, minder regels: wat vraagt "
                "het Nieuwe Werken van de sociaal werker, en welke spanningen roept het op?",
            ),
            _m(
                "sociaal-cafe",
                (3, 23),  # in spring
                "Sociaal café: sociaal werk en de lokale politiek",
                "De BPSW en politieke beïnvloeding",
                soort="sociaal_cafe",
                weekdag=1,
                plek="enschede",
                capaciteit=40,
                beschrijving="Ons sociaal café van het voorjaar. Hoe laten sociaal werkers hun "
                "stem horen bij wie over hun werk beslist? We nodigen raadsleden en wethouders "
                "uit de Twentse gemeenten uit, en mensen van betrokken organisaties.",
                onderdelen=(
                    ("inleiding", "Wat de BPSW wil bereiken bij de politiek", "", ""),
                    (
                        "overig",
                        "Gesprek met lokale politici",
                        "raadsleden uit Enschede, Hengelo en Almelo (uitgenodigd)",
                        "",
                    ),
                ),
            ),
            _m(
                "reflectie",
                2,
                "Reflectie: waar schuurt het in je werk?",
                "Reflectie op het vak",
                soort="netwerk",
                doelgroep="netwerk",
                plek="almelo",
                beschrijving="Een avond intervisie in kleine groepen, met collega's van buiten je "
                "eigen organisatie.",
            ),
            _m(
                "vooruitblik",
                3,
                "Terugblik en thema's voor het najaar",
                "Het halfjaarprogramma",
                soort="netwerk",
                doelgroep="kern",
                plek="enschede",
                beschrijving="We kijken terug op het halfjaar en kiezen samen de thema's van het "
                "volgende programma.",
            ),
        ],
        2: [
            _m(
                "startavond",
                0,
                "Startavond: casuïstiek na de zomer",
                "Casuïstiek uit de praktijk",
                soort="netwerk",
                doelgroep="kern",
                plek="enschede",
                onderdelen=(("casus", "Casusbespreking", "", ""),),
            ),
            _m(
                "wijkteams",
                1,
                "Wijkteams in Enschede, Hengelo en Almelo: een tussenstand",
                "Wijkteams in de Twentse steden",
                plek="hengelo",
                capaciteit=30,
                beschrijving="Sociaal werkers uit de wijkteams van de drie grote Twentse steden "
                "vertellen wat goed gaat en waar het wringt.",
            ),
            _m(
                "sociaal-cafe",
                (11, 3),
                "Sociaal café: wat vraagt de wijk van de gemeente?",
                "Wijkteams in de Twentse steden",
                soort="sociaal_cafe",
                weekdag=1,
                plek="almelo",
                capaciteit=40,
                beschrijving="We belichten de wijkteams breder, met wethouders, raadsleden en "
                "organisaties uit de regio aan tafel.",
                onderdelen=(
                    (
                        "overig",
                        "Gesprek met wethouders en raadsleden",
                        "politici uit de Twentse steden (uitgenodigd)",
                        "",
                    ),
                ),
            ),
            _m(
                "spanningen",
                2,
                "De eisen van het Nieuwe Werken bespreekbaar maken",
                "Het Nieuwe Werken",
                soort="netwerk",
                doelgroep="netwerk",
                plek="enschede",
            ),
        ],
    },
    "rotterdam": {
        "toelichting": "Gesprekken met wijkteams over ethiek en privacy, en samen met de "
        "hogescholen over de beroepscode.",
        1: [
            _m(
                "wijkteam-noord",
                (1, 20),
                "In gesprek met wijkteam Noord: privacy en gegevens delen",
                "Ethiek en privacy in de wijkteams",
                tijd=AVOND_VROEG,
                plek="rotterdam-noord",
                capaciteit=30,
                beschrijving="Het functieprofiel van de wijkteams, door de gemeente opgesteld, "
                "staat soms op gespannen voet met het beroepsprofiel. Met medewerkers van een "
                "wijkteam bespreken we wat je deelt, met wie, en waarom.",
                onderdelen=(
                    ("inleiding", "Beroepsprofiel en functieprofiel: waar botsen ze?", "", ""),
                    ("workshop", "Casussen uit het wijkteam", "medewerkers van wijkteam Noord", ""),
                ),
            ),
            _m(
                "beroepscode-onderwijs",
                (3, 10),
                "De beroepscode in de opleiding",
                "De beroepscode in het onderwijs",
                soort="netwerk",
                doelgroep="netwerk",
                tijd=AVOND_VROEG,
                plek="hr",
                beschrijving="Met docenten kijken we wat studenten moeten leren over de "
                "beroepscode, de ethische vragen die eruit volgen en de registratie.",
            ),
            _m(
                "young-professionals",
                (4, 14),
                "Young professionals: wat drijft jou?",
                "Sociaal werkers zichtbaar maken",
                soort="netwerk",
                doelgroep="netwerk",
                tijd=AVOND_VROEG,
                plek="rotterdam-zuid",
            ),
            _m(
                "werkconferentie",
                (6, 1),
                "Werkconferentie: het beroepsprofiel in het wijkteam",
                "Ethiek en privacy in de wijkteams",
                soort="conferentie",
                weekdag=3,
                tijd=(time(13, 0), time(17, 0)),
                plek="hr",
                capaciteit=80,
                beschrijving="Een middag met de Werkplaats Sociaal Domein Zuid-Holland Zuid: "
                "inleidingen en workshops door netwerkleden en docenten.",
                onderdelen=(
                    ("inleiding", "Wat de gesprekken met de wijkteams opleverden", "", ""),
                    ("workshop", "Discretionaire ruimte in de praktijk", "", ""),
                    ("workshop", "Privacy en beroepsgeheim", "", ""),
                ),
            ),
        ],
        2: [
            _m(
                "wijkteam-feijenoord",
                (9, 8),
                "In gesprek met wijkteam Feijenoord: beroepsgeheim en meldingen",
                "Ethiek en privacy in de wijkteams",
                tijd=AVOND_VROEG,
                plek="rotterdam-zuid",
                capaciteit=30,
            ),
            _m(
                "netwerkavond",
                (10, 13),
                "Netwerkavond: wat speelt er in Rotterdam?",
                "Sociaal werkers zichtbaar maken",
                soort="netwerk",
                doelgroep="kern",
                tijd=AVOND_VROEG,
                plek="hr",
            ),
            _m(
                "leercirkel",
                (11, 17),
                "Ethiek in de wijk: een leercirkel met wijkteamleden",
                "Ethiek en privacy in de wijkteams",
                tijd=AVOND_VROEG,
                plek="rotterdam-noord",
                capaciteit=20,
            ),
        ],
    },
    "zuidoost": {
        1: [
            _m(
                "armoede",
                (1, 21),
                "Studieavond: armoede en schulden in Zuidoost-Brabant",
                "Armoede en bestaanszekerheid",
                weekdag=2,
                plek="eindhoven",
            ),
            _m(
                "mensenrechten",
                (3, 18),
                "Mensenrechten als kompas in het sociaal werk",
                "Mensenrechten in het sociaal werk",
                weekdag=2,
                plek="helmond",
            ),
            _m(
                "registratie",
                (5, 20),
                "Netwerkavond ZuidOost: registratie en de beroepscode",
                "Beroepsregistratie",
                soort="netwerk",
                doelgroep="netwerk",
                weekdag=2,
                plek="eindhoven",
            ),
        ],
        2: [
            _m(
                "wonen",
                (9, 16),
                "Studieavond: wonen, huisvesting en dakloosheid",
                "Huisvesting",
                weekdag=2,
                plek="eindhoven",
            ),
            _m(
                "intervisie",
                (10, 21),
                "Intervisieavond ZuidOost",
                "Reflectie op het vak",
                soort="netwerk",
                doelgroep="kern",
                weekdag=2,
                plek="helmond",
            ),
            _m(
                "technologie",
                (11, 25),
                "Sociaal werk en technologie in de regio",
                "Technologie in het sociaal werk",
                weekdag=2,
                plek="eindhoven",
            ),
        ],
    },
    "noord": {
        1: [
            _m(
                "krimp",
                (1, 26),
                "Themabijeenkomst: leefbaarheid in krimpgebieden",
                "Leefbaarheid en krimp",
                weekdag=0,
                plek="groningen",
            ),
            _m(
                "beroepsregister",
                (3, 23),
                "Netwerkavond Noord: het beroepsregister",
                "Beroepsregistratie",
                soort="netwerk",
                doelgroep="netwerk",
                weekdag=0,
                plek="leeuwarden",
            ),
            _m(
                "jongeren-schulden",
                (5, 18),
                "Jongeren en schulden: wat werkt?",
                "Jongeren en schulden",
                weekdag=0,
                plek="groningen",
            ),
        ],
        2: [
            _m(
                "laaggeletterdheid",
                (9, 21),
                "Laaggeletterdheid herkennen in je werk",
                "Laaggeletterdheid",
                weekdag=0,
                plek="leeuwarden",
            ),
            _m(
                "casuistiek",
                (10, 26),
                "Netwerkavond Noord: casuïstiek",
                "Casuïstiek uit de praktijk",
                soort="netwerk",
                doelgroep="kern",
                weekdag=0,
                plek="groningen",
            ),
            _m(
                "aardbevingsgebied",
                (11, 30),
                "Herstel en vertrouwen in het aardbevingsgebied",
                "Leefbaarheid en krimp",
                weekdag=0,
                plek="groningen",
            ),
        ],
    },
    "antwerpen": {
        "toelichting": "De twee focusacties van Antwerpen: werken in vertrouwen, en minder "
        "bureaucratie voor meer hulpverlening.",
        1: [
            _m(
                "vertrouwen",
                (2, 3),
                "Werken in vertrouwen: praktijken aan het woord",
                "Werken in vertrouwen",
                weekdag=1,
                tijd=MIDDAG,
                plek="antwerpen",
                capaciteit=40,
                beschrijving="Praktijken die vertrekken vanuit een vertrouwensrelatie vertellen "
                "hoe daaruit sterke samenwerking groeide.",
            ),
            _m(
                "bureaucratie",
                (3, 24),
                "Minder bureaucratie, meer hulpverlening: werksessie",
                "Minder bureaucratie, meer hulpverlening",
                weekdag=1,
                tijd=MIDDAG,
                plek="borgerhout",
                beschrijving="We verzamelen projecten die de administratieve last van sociaal "
                "werkers verlichten en kiezen er een paar om uit te dragen.",
            ),
            _m(
                "krachtlijnen",
                (5, 19),
                "Communitymoment Antwerpen: de vijf krachtlijnen",
                "Community van sociale professionals",
                soort="netwerk",
                doelgroep="netwerk",
                weekdag=1,
                tijd=MIDDAG,
                plek="antwerpen",
            ),
        ],
        2: [
            _m(
                "samenwerking",
                (9, 29),
                "Van vertrouwensrelatie naar sterke samenwerking",
                "Werken in vertrouwen",
                weekdag=1,
                tijd=MIDDAG,
                plek="borgerhout",
            ),
            _m(
                "projectenmarkt",
                (10, 20),
                "Projectenmarkt: minder administratieve werklast",
                "Minder bureaucratie, meer hulpverlening",
                weekdag=1,
                tijd=MIDDAG,
                plek="antwerpen",
            ),
            _m(
                "trekkers",
                (12, 1),
                "Trekkersoverleg: wie neemt welke rol op?",
                "Community van sociale professionals",
                soort="netwerk",
                doelgroep="kern",
                weekdag=1,
                tijd=MIDDAG,
                plek="antwerpen",
            ),
        ],
    },
    "brussel": {
        1: [
            _m(
                "bevraging",
                (2, 5),
                "Sterk Sociaal Werk BXL: wat leerden we uit de bevraging?",
                "Uitdagingen voor sociaal werk in Brussel",
                weekdag=3,
                tijd=MIDDAG,
                plek="brussel",
            ),
            _m(
                "sectoren",
                (3, 26),
                "Werkgroep BXL: netwerken over sectoren heen",
                "Netwerken over sectoren heen",
                soort="netwerk",
                doelgroep="netwerk",
                weekdag=3,
                tijd=MIDDAG,
                plek="anderlecht",
            ),
            _m(
                "acties",
                (5, 21),
                "Acties ter ondersteuning van Brusselse sociale professionals",
                "Acties voor sociale professionals",
                weekdag=3,
                tijd=MIDDAG,
                plek="brussel",
            ),
        ],
        2: [
            _m(
                "uitdagingen",
                (10, 1),
                "Kiezen voor Brussel: welke uitdagingen pakken we aan?",
                "Uitdagingen voor sociaal werk in Brussel",
                weekdag=3,
                tijd=MIDDAG,
                plek="brussel",
            ),
            _m(
                "nabijheid",
                (11, 5),
                "Nabijheid in digitaal werk: ervaringen uit Brussel",
                "Digitaal werken en nabijheid",
                soort="online",
                weekdag=3,
                tijd=LUNCH,
                plek=ONLINE,
            ),
            _m(
                "terugblik",
                (12, 3),
                "Netwerkmoment BXL: terugblik op het jaar",
                "Netwerken over sectoren heen",
                soort="netwerk",
                doelgroep="netwerk",
                weekdag=3,
                tijd=MIDDAG,
                plek="anderlecht",
            ),
        ],
    },
    "limburg": {
        "toelichting": "Drie uitdagingen uit de gesprekken met Limburgse sleutelfiguren, "
        "uitgewerkt in een actieplan.",
        1: [
            _m(
                "diversiteit",
                (2, 9),
                "Diversiteit: werksessie voor het actieplan",
                "Diversiteit",
                weekdag=0,
                tijd=MIDDAG,
                plek="hasselt",
            ),
            _m(
                "eerste-lijn",
                (3, 30),
                "Een duidelijke plaats op de eerste lijn",
                "Een duidelijke plaats op de eerste lijn",
                weekdag=0,
                tijd=MIDDAG,
                plek="genk",
            ),
            _m(
                "onderbescherming",
                (5, 11),
                "Onderbescherming: wie valt tussen de mazen?",
                "Onderbescherming",
                weekdag=0,
                tijd=MIDDAG,
                plek="hasselt",
            ),
        ],
        2: [
            _m(
                "actieplan",
                (9, 14),
                "Actieplan Limburg: stand van zaken",
                "Het actieplan",
                soort="netwerk",
                doelgroep="kern",
                weekdag=0,
                tijd=MIDDAG,
                plek="hasselt",
            ),
            _m(
                "diversiteit-genk",
                (10, 19),
                "Diversiteit in de praktijk: voorbeelden uit Genk",
                "Diversiteit",
                weekdag=0,
                tijd=MIDDAG,
                plek="genk",
            ),
            _m(
                "eerstelijnszones",
                (11, 23),
                "Samenwerken met de eerstelijnszones",
                "Een duidelijke plaats op de eerste lijn",
                weekdag=0,
                tijd=MIDDAG,
                plek="hasselt",
            ),
        ],
    },
    "oost-vlaanderen": {
        "toelichting": "Praktijksafari's: korte bezoeken aan praktijken, meestal online over de "
        "middag, af en toe ter plaatse.",
        1: [
            _m(
                "safari-nabijheid",
                (2, 12),
                "Online praktijksafari: nabij blijven op afstand",
                "Digitaal werken en nabijheid",
                soort="online",
                weekdag=3,
                tijd=LUNCH,
                plek=ONLINE,
                capaciteit=60,
            ),
            _m(
                "safari-brugse-poort",
                (3, 19),
                "Praktijksafari ter plaatse: buurtwerk in de Brugse Poort",
                "Buurtwerk",
                weekdag=3,
                tijd=MIDDAG,
                plek="gent",
                capaciteit=25,
                beschrijving="Een wandeling langs buurtwerkpraktijken in de Gentse Brugse Poort, "
                "met een gesprek met de buurtwerkers.",
            ),
            _m(
                "safari-jongeren",
                (5, 6),
                "Online praktijksafari: onderbescherming bij jongeren",
                "Onderbescherming",
                soort="online",
                weekdag=3,
                tijd=LUNCH,
                plek=ONLINE,
                capaciteit=60,
            ),
        ],
        2: [
            _m(
                "safari-digitale-kloof",
                (9, 24),
                "Online praktijksafari: de digitale kloof",
                "Digitaal werken en nabijheid",
                soort="online",
                weekdag=3,
                tijd=LUNCH,
                plek=ONLINE,
                capaciteit=60,
            ),
            _m(
                "platformmoment",
                (10, 22),
                "Platformmoment Oost-Vlaanderen",
                "Community van sociale professionals",
                soort="netwerk",
                doelgroep="netwerk",
                weekdag=3,
                tijd=MIDDAG,
                plek="gent",
            ),
            _m(
                "safari-rechten",
                (11, 19),
                "Online praktijksafari: rechten verkennen tegen onderbescherming",
                "Onderbescherming",
                soort="online",
                weekdag=3,
                tijd=LUNCH,
                plek=ONLINE,
                capaciteit=60,
            ),
        ],
    },
    "vlaams-brabant": {
        "toelichting": "Vier subregio's houden het platform dicht bij huis; elk vertrekt vanuit "
        "een uitdaging uit het actieplan Sterk Sociaal Werk.",
        1: [
            _m(
                "wswd-voorbereiding",
                (2, 2),
                "Voorbereiding World Social Work Day",
                "World Social Work Day",
                soort="online",
                doelgroep="kern",
                weekdag=1,
                tijd=LUNCH,
                plek=ONLINE,
            ),
            _m(
                "wswd",
                (3, 15),  # World Social Work Day: the third Tuesday of March
                "World Social Work Day {jaar} in Vlaams-Brabant",
                "World Social Work Day",
                soort="wswd",
                weekdag=1,
                tijd=(time(13, 0), time(17, 0)),
                plek="leuven",
                capaciteit=120,
                beschrijving="Sociale professionals uit de vier subregio's tonen wat sterk "
                "sociaal werk is.",
                onderdelen=(
                    ("inleiding", "Sterk sociaal werk vanuit de vijf krachtlijnen", "", ""),
                    ("workshop", "De subregio's aan zet", "", ""),
                ),
            ),
            _m(
                "eerstelijnszone",
                (5, 4),
                "Het platform stelt zich voor in de eerstelijnszone",
                "Aansluiting bij de eerstelijnszones",
                weekdag=3,
                tijd=MIDDAG,
                plek="vilvoorde",
            ),
        ],
        2: [
            _m(
                "hageland",
                (9, 22),
                "Subregio Hageland: hoe brengen we beweging in de regio?",
                "Beweging en ontmoeting in de regio",
                subregio="Hageland",
                weekdag=1,
                tijd=MIDDAG,
                plek="aarschot",
            ),
            _m(
                "leuven",
                (9, 24),
                "Subregio Leuven: ontmoeting tussen praktijken",
                "Beweging en ontmoeting in de regio",
                subregio="Leuven",
                weekdag=3,
                tijd=MIDDAG,
                plek="leuven",
            ),
            _m(
                "halle-pajottenland",
                (9, 29),
                "Subregio Halle en Pajottenland: sterk sociaal werk op het spoor",
                "Beweging en ontmoeting in de regio",
                subregio="Halle en Pajottenland",
                weekdag=1,
                tijd=MIDDAG,
                plek="halle",
            ),
            _m(
                "vilvoorde",
                (10, 1),
                "Subregio Vilvoorde, met Dilbeek en Asse",
                "Beweging en ontmoeting in de regio",
                subregio="Vilvoorde",
                weekdag=3,
                tijd=MIDDAG,
                plek="vilvoorde",
            ),
        ],
    },
    "west-vlaanderen": {
        1: [
            _m(
                "stuurgroep-actiepunten",
                (1, 28),
                "Digitale stuurgroep: de 40 actiepunten verdelen",
                "Het 40-actiepuntenplan",
                soort="stuurgroep",
                doelgroep="kern",
                weekdag=3,
                tijd=(time(19, 30), time(21, 0)),
                plek=ONLINE,
            ),
            _m(
                "werkatelier-brugge",
                (3, 12),
                "Werkatelier Brugge: van actiepunt naar actie",
                "Het 40-actiepuntenplan",
                weekdag=3,
                tijd=MIDDAG,
                plek="brugge",
            ),
            _m(
                "terugkomdag",
                (5, 27),
                "Terugkomdag voor wie het actieplan mee schreef",
                "Het 40-actiepuntenplan",
                soort="netwerk",
                doelgroep="netwerk",
                weekdag=3,
                tijd=MIDDAG,
                plek="kortrijk",
            ),
        ],
        2: [
            _m(
                "stuurgroep-najaar",
                (9, 17),
                "Digitale stuurgroep: prioriteiten voor het najaar",
                "Het 40-actiepuntenplan",
                soort="stuurgroep",
                doelgroep="kern",
                weekdag=3,
                tijd=(time(19, 30), time(21, 0)),
                plek=ONLINE,
            ),
            _m(
                "werkatelier-kortrijk",
                (10, 15),
                "Werkatelier Kortrijk: actiepunten in de praktijk",
                "Het 40-actiepuntenplan",
                weekdag=3,
                tijd=MIDDAG,
                plek="kortrijk",
            ),
            _m(
                "stuurgroep-jaarverslag",
                (11, 26),
                "Digitale stuurgroep: het jaar van het actieplan",
                "Het 40-actiepuntenplan",
                soort="stuurgroep",
                doelgroep="kern",
                weekdag=3,
                tijd=(time(19, 30), time(21, 0)),
                plek=ONLINE,
            ),
        ],
    },
}


def _planned_day(netwerk: Netwerk, plan: dict, meeting: dict, jaar: int, helft: int) -> date:
    when = meeting["when"]
    weekday = meeting["weekdag"] if meeting["weekdag"] is not None else netwerk.vaste_weekdag
    if weekday is None:
        raise ValueError(f"{meeting['key']}: neither it nor {netwerk.slug} has a weekday")
    if isinstance(when, int):  # the k-th of a six-weekly series
        month, day = plan["reeks"][helft]
        first = _meeting_day(date(jaar, month, day), weekday)
        day = _meeting_day(first + timedelta(weeks=6 * when), weekday)
    else:
        day = _meeting_day(date(jaar, *when), weekday)
    if _half_year(day) != (jaar, helft):
        raise ValueError(f"{meeting['key']} falls outside {jaar}-{helft}: {day}")
    return day


def _half_years_around(today: date) -> list[tuple[int, int]]:
    """The previous, current and next half-year."""
    year, half = _half_year(today)
    previous = (year - 1, 2) if half == 1 else (year, 1)
    following = (year, 2) if half == 1 else (year + 1, 1)
    return [previous, (year, half), following]


def _load_programmes(networks: dict[str, Netwerk], today: date) -> None:
    """Each network's programmes for the half-years around today, with their meetings."""
    for slug, plan in AGENDA.items():
        netwerk = networks[slug]
        for jaar, helft in _half_years_around(today):
            meetings = plan[helft]
            themes = list(dict.fromkeys(m["thema"] for m in meetings))
            programma, _ = Halfjaarprogramma.objects.update_or_create(
                netwerk=netwerk,
                jaar=jaar,
                helft=helft,
                defaults={
                    "themas": "\n".join(themes),
                    "toelichting": plan.get("toelichting", ""),
                    "gepubliceerd": True,
                },
            )
            for meeting in meetings:
                day = _planned_day(netwerk, plan, meeting, jaar, helft)
                meeting_slug = f"{slug}-{jaar}-{helft}-{meeting['key']}"
                _load_meeting(
                    networks,
                    netwerken=[slug],
                    slug=meeting_slug,
                    soort=meeting["soort"],
                    doelgroep=meeting["doelgroep"],
                    titel=meeting["titel"].format(jaar=jaar),
                    dag=day,
                    tijd=meeting["tijd"],
                    plek=meeting["plek"],
                    thema=meeting["thema"],
                    beschrijving=meeting["beschrijving"]
                    or f"Uit het halfjaarprogramma, thema: {meeting['thema']}.",
                    onderdelen=meeting["onderdelen"],
                    capaciteit=meeting["capaciteit"],
                    subregio=meeting["subregio"],
                    programma=programma,
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
            # Two years back, one ahead, on working days like the demo's own meetings.
            day = _working_day(today + timedelta(days=(i * 7) % 1095 - 730))
            begin, einde = _at(day, time(19, 30), time(21, 30))
            soort = Bijeenkomst.Soort.values[i % 5]
            batch.append(
                Bijeenkomst(
                    slug=f"schaal-{i}",
                    titel=f"{Bijeenkomst.Soort(soort).label.capitalize()} {i}",
                    soort=soort,
                    doelgroep=["open", "netwerk", "kern", "leden"][i % 4],
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


# --- Theme rounds (themas) ---------------------------------------------------------------
# Twente votes now on the themes of its next half-year (the seeds' "gezamenlijk gekozen
# thema's"); Rotterdam chose the themes of its next half-year early: its round is closed, shows
# its result, and its date poll is open. Round rows are written directly (no mails from a
# demo); the result comes from the real selection rule.

THEMA_RONDES = {
    "twente": [
        (
            "Het Nieuwe Werken en zijn spanningen",
            "Flexplekken, thuiswerken en hybride teams: wat doet het met collegiale "
            "afstemming en met de bereikbaarheid voor bewoners?",
            "themabijeenkomst",
        ),
        (
            "De BPSW en politieke invloed",
            "Hoe brengen we wat we in de wijk zien bij raadsleden? Een avond met "
            "Twentse politici over beleid en praktijk.",
            "sociaal_cafe",
        ),
        (
            "De herziene meldcode",
            "Het afwegingskader na de herziening: wat verandert er voor ons, en waar "
            "lopen collega's tegenaan?",
            "casuistiek",
        ),
        (
            "Wijkteams in de Twentse steden",
            "Enschede, Hengelo en Almelo organiseren hun wijkteams verschillend: wat "
            "kunnen we van elkaar leren?",
            "themabijeenkomst",
        ),
        (
            "Ethiek en privacy",
            "Wat mag je delen met de huisarts, de school of de wijkagent? Dilemma's uit "
            "de praktijk besproken.",
            "casuistiek",
        ),
    ],
    "rotterdam": [
        (
            "Armoede en schulden op Zuid",
            "Vroegsignalering werkt alleen als we elkaar weten te vinden.",
            "themabijeenkomst",
        ),
        (
            "Samenwerken met informele zorg",
            "Vrijwilligers en mantelzorgers als partners, niet als sluitpost.",
            "themabijeenkomst",
        ),
        (
            "Registratiedruk",
            "Minder schrijven, meer bewoners zien: wat kan er weg?",
            "sociaal_cafe",
        ),
        (
            "Morele stress in het sociaal domein",
            "Als wat je moet doen schuurt met wat je wilt doen.",
            "casuistiek",
        ),
        (
            "Jongeren en kansengelijkheid",
            "Wat werkt voor jongeren tussen school en werk?",
            "themabijeenkomst",
        ),
    ],
}


def _load_theme_round(
    netwerk: Netwerk,
    *,
    jaar: int,
    helft: int,
    voorstellen_tot: datetime,
    stemmen_tot: datetime,
    closed: bool,
) -> Themaronde:
    ronde, _ = Themaronde.objects.update_or_create(
        netwerk=netwerk,
        jaar=jaar,
        helft=helft,
        defaults={
            "voorstellen_tot": voorstellen_tot,
            "stemmen_tot": stemmen_tot,
            "max_stemmen": 3,
            "aantal_themas": 3,
            "geopend_op": voorstellen_tot - timedelta(days=21),
        },
    )
    leden = list(
        Lid.objects.filter(
            lidmaatschappen__netwerk=netwerk, lidmaatschappen__status="actief"
        ).order_by("pk")
    )
    rng = random.Random(f"themas-{netwerk.slug}-{jaar}-{helft}")
    proposals = []
    for i, (titel, waarom, vorm) in enumerate(THEMA_RONDES[netwerk.slug]):
        voorstel, _ = Themavoorstel.objects.update_or_create(
            ronde=ronde,
            titel=titel,
            defaults={
                "waarom": waarom,
                "vorm": vorm,
                "indiener": leden[i % len(leden)] if leden else None,
            },
        )
        proposals.append(voorstel)
    Steun.objects.bulk_create(
        [
            Steun(voorstel=v, lid=lid)
            for v in proposals
            for lid in rng.sample(leden, k=min(len(leden), rng.randint(2, 6)))
        ],
        ignore_conflicts=True,
    )
    # Popularity differs per theme, as it would: the first themes draw more approvals.
    weights = [len(proposals) - i for i in range(len(proposals))]
    for lid in leden[: max(len(leden) * 2 // 3, 1)]:
        biljet, created = Stembiljet.objects.get_or_create(ronde=ronde, lid=lid)
        if not created:
            continue
        picks = {v.pk for v in rng.choices(proposals, weights=weights, k=3)}
        Stem.objects.bulk_create([Stem(biljet=biljet, voorstel_id=pk) for pk in picks])
    if closed and ronde.gesloten_op is None:
        chosen = seq_pav(theme_services.round_ballots(ronde), ronde.aantal_themas)
        for place, pk in enumerate(chosen, start=1):
            Themavoorstel.objects.filter(pk=pk).update(gekozen_als=place)
        Themaronde.objects.filter(pk=ronde.pk).update(gesloten_op=stemmen_tot)
        ronde.refresh_from_db()
    return ronde


def _load_date_poll(ronde: Themaronde, now: datetime) -> None:
    """An open date poll for a closed round: the network's usual weekday, every week of the
    round's half-year after the poll closes, answered by about two thirds of its members.
    Through the services (which send no mail here); made once, so seeding again adds nothing."""
    if Datumpeiling.objects.filter(ronde=ronde).exists():
        return
    netwerk = ronde.netwerk
    sluit_op = now + timedelta(days=10)
    first = max(
        date(ronde.jaar, 1 if ronde.helft == 1 else 7, 1),
        timezone.localtime(sluit_op, TZ).date() + timedelta(days=1),
    )
    last = date(ronde.jaar, 6, 30) if ronde.helft == 1 else date(ronde.jaar, 12, 31)
    weekday = netwerk.vaste_weekdag if netwerk.vaste_weekdag is not None else 1
    start = netwerk.vaste_aanvang or time(19, 30)
    end = time(start.hour + 2, start.minute)
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    evenings = []
    while day <= last:
        if day not in holidays(day.year):
            evenings.append((day, start, end))
        day += timedelta(days=7)
    if len(evenings) < ronde.aantal_themas:
        return  # too late in the half-year for a poll; the service would refuse it
    peiling = theme_dates.date_poll_open(ronde=ronde, sluit_op=sluit_op, avonden=evenings, now=now)
    avonden = list(peiling.avonden.order_by("datum"))
    rng = random.Random(f"datumpeiling-{netwerk.slug}-{ronde.jaar}-{ronde.helft}")
    memberships = list(
        Lidmaatschap.objects.active().filter(netwerk=netwerk).select_related("lid").order_by("pk")
    )
    for membership in memberships[: max(len(memberships) * 2 // 3, 1)]:
        # Core members keep their evenings freer; everyone has a few they cannot make.
        weights = [6, 2, 2] if membership.schil == "kern" else [4, 3, 3]
        theme_dates.availability_save(
            peiling=peiling,
            lid=membership.lid,
            antwoorden={
                avond.pk: rng.choices(["yes", "if_need_be", "no"], weights=weights)[0]
                for avond in avonden
            },
            now=now,
        )


def _load_theme_rounds(networks: dict[str, Netwerk], today: date) -> None:
    now = timezone.now()
    jaar, helft = _half_year(today)
    next_jaar, next_helft = (jaar, 2) if helft == 1 else (jaar + 1, 1)
    if "twente" in networks:
        _load_theme_round(
            networks["twente"],
            jaar=next_jaar,
            helft=next_helft,
            voorstellen_tot=now - timedelta(days=2),
            stemmen_tot=now + timedelta(days=12),
            closed=False,
        )
    if "rotterdam" in networks:
        # Rotterdam chose the themes of its next half-year early, and now polls their evenings.
        rotterdam = _load_theme_round(
            networks["rotterdam"],
            jaar=next_jaar,
            helft=next_helft,
            voorstellen_tot=now - timedelta(days=60),
            stemmen_tot=now - timedelta(days=45),
            closed=True,
        )
        _load_date_poll(rotterdam, now)
