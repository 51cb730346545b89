"""Build Ovi's demo directory: HSDS 3.0 services in the Kymenlaakso wellbeing services county.

DEMO DATA, not a real directory. Four nationwide services are real (112, MIELI ry:n kriisipuhelin,
Nollalinja, Päivystysapu 116117); every other service, address, phone number, e-mail and web address is
fictional (see README.md). The tables below (organisations, then services) are the single source; this script
turns them into ``kymenlaakso_demo.json``, a JSON array of HSDS 3.0 service objects in the Finnish profile
(SPEC §5). Ids are ``uuid5`` values from a fixed namespace and stable slugs, so a rerun gives the same file.

    PYTHONPATH=. .venv/bin/python directory_db/data/demo/build_demo.py          # write the JSON
    PYTHONPATH=. .venv/bin/python directory_db/data/demo/build_demo.py --check  # validate it
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from directory_db import profile
from ovi_lang import codes
from ovi_lang.needs import NEEDS, SITUATION_KEYS

Json = dict[str, Any]

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
OUTPUT = HERE / "kymenlaakso_demo.json"
SCHEMA_CANDIDATES = (REPO / "directory_db" / "schemas" / "hsds-3.0" / "compiled" / "service.json",)

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://demo.ovi.invalid/ovi-demo-directory")
LAST_MODIFIED = "2025-06-02T09:00:00Z"
DEMO_HOST = "demo.ovi.invalid"
DEMO_NOTE = "Demoaineisto: kuvitteellinen palvelu."
DEMO_ORG_NOTE = "Demoaineisto: kuvitteellinen järjestö."
FICTIONAL_PHONE = re.compile(r"^040 000 0\d{3}$")

# Service areas: municipality codes (kunta_1_20230101), the county and the whole country.
KOTKA, KOUVOLA, HAMINA, PYHTAA, MIEHIKKALA, VIROLAHTI = "285", "286", "075", "624", "489", "935"
KYMENLAAKSO = "hva:10"
FINLAND = "FI"
CHECKED_MUNICIPALITIES = (KOTKA, KOUVOLA, HAMINA)
MIN_LOCAL = 3
"""Services per situation each checked town must have locally or through county 10."""

ORG_TYPE_NAMES = {
    "Organization": "Järjestö tai säätiö",
    "Municipality": "Kunta",
    "Region": "Hyvinvointialue",
    "State": "Valtio",
    "parish": "Seurakunta",
}
PROVIDER_TYPE = {
    "Organization": "ngo",
    "Municipality": "public",
    "Region": "public",
    "State": "public",
    "parish": "parish",
}
LANGUAGE_NAMES = {
    "fi": "suomi", "sv": "ruotsi", "en": "englanti", "ru": "venäjä", "uk": "ukraina", "ar": "arabia",
}  # fmt: skip
TOPICS = (*SITUATION_KEYS, "crisis")
"""Internal topic tags: the situations of ``ovi_lang.needs`` (every key of ``SITUATION_KEYS``) plus crisis."""

DAY_ABBR = {"MO": "ma", "TU": "ti", "WE": "ke", "TH": "to", "FR": "pe", "SA": "la", "SU": "su"}
WEEKDAYS = "MO,TU,WE,TH,FR"
ALL_DAYS = "MO,TU,WE,TH,FR,SA,SU"


# ------------------------------------------------------------------------------------- building blocks
@dataclass(frozen=True)
class Hours:
    byday: str
    opens: str
    closes: str
    description: str


def _clock(hhmm: str) -> str:
    hour, minute = hhmm.split(":")
    return str(int(hour)) if minute == "00" else f"{int(hour)}.{minute}"


def _days(byday: str) -> str:
    days = byday.split(",")
    if byday == ALL_DAYS:
        return "joka päivä"
    order = list(DAY_ABBR)
    positions = [order.index(d) for d in days]
    consecutive = positions == list(range(positions[0], positions[-1] + 1))
    if consecutive and len(days) >= 3:
        return f"{DAY_ABBR[days[0]]}–{DAY_ABBR[days[-1]]}"
    names = [DAY_ABBR[d] for d in days]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} ja {names[-1]}"


def hours(byday: str, opens: str, closes: str, description: str | None = None) -> Hours:
    """Weekly opening hours; the Finnish description ("ma–pe klo 9–15") is derived unless given."""
    text = description or f"{_days(byday)} klo {_clock(opens)}–{_clock(closes)}"
    return Hours(byday, opens, closes, text)


OFFICE = hours(WEEKDAYS, "09:00", "15:00")
ALWAYS = hours(ALL_DAYS, "00:00", "23:59", "Avoinna joka päivä ympäri vuorokauden")


@dataclass(frozen=True)
class Place:
    name: str
    street: str
    postal_code: str
    city: str


@dataclass(frozen=True)
class Org:
    slug: str
    name: str
    kind: str
    """PTV organisation type code (``Organization``, ``Municipality``, ``Region``, ``State``) or "
    "``parish``."""
    description: str
    website: str | None = None
    """A real, certain web address; None gives a fictional ``demo.ovi.invalid`` address."""
    real: bool = False


@dataclass(frozen=True)
class Svc:
    slug: str
    org: str
    name: str
    description: str
    topics: tuple[str, ...]
    classes: tuple[str, ...]
    areas: tuple[str, ...]
    hours: Hours = OFFICE
    places: tuple[Place, ...] = ()
    langs: tuple[str, ...] = ("fi",)
    groups: tuple[str, ...] = ()
    fees: str | None = "Maksuton."
    eligibility: str | None = None
    alternate_name: str | None = None
    phone: str | None = "demo"
    """``"demo"``: a fictional 040 000 0NNN number; None: no phone (chat); otherwise the real number."""
    phone_note: str | None = None
    url: str | None = None
    real: bool = False


# --------------------------------------------------------------------------------------- organisations
ORGS: tuple[Org, ...] = (
    # Real bodies. The four real services are theirs; the other services of public bodies are fictional demos.
    Org(
        "hatakeskuslaitos",
        "Hätäkeskuslaitos",
        "State",
        "Hätäkeskuslaitos vastaanottaa hätänumeroon 112 tulevat hätäilmoitukset ja välittää tehtävät "
        "poliisille, pelastustoimelle, ensihoidolle ja sosiaalitoimelle.",
        "https://112.fi",
        real=True,
    ),
    Org(
        "mieli",
        "MIELI Suomen Mielenterveys ry",
        "Organization",
        "Valtakunnallinen kansanterveysjärjestö, joka edistää mielenterveyttä ja tarjoaa kriisiapua.",
        "https://mieli.fi",
        real=True,
    ),
    Org(
        "thl",
        "Terveyden ja hyvinvoinnin laitos (THL)",
        "State",
        "Sosiaali- ja terveysministeriön alainen asiantuntijalaitos, joka vastaa muun muassa Nollalinjan "
        "järjestämisestä.",
        "https://thl.fi",
        real=True,
    ),
    Org(
        "kymenlaakson-hyvinvointialue",
        "Kymenlaakson hyvinvointialue",
        "Region",
        "Järjestää sosiaali- ja terveyspalvelut sekä pelastustoimen Kotkassa, Kouvolassa, Haminassa, "
        "Pyhtäällä, Miehikkälässä ja Virolahdella. Demoaineiston palvelut ja yhteystiedot ovat "
        "kuvitteellisia.",
        real=True,
    ),
    Org(
        "kela",
        "Kela",
        "State",
        "Kansaneläkelaitos hoitaa Suomessa asuvien perusturvaa, esimerkiksi asumistukea ja "
        "perustoimeentulotukea. Demoaineiston yhteystiedot ja palvelupisteet ovat kuvitteellisia.",
        "https://www.kela.fi",
        real=True,
    ),
    Org(
        "kotkan-kaupunki",
        "Kotkan kaupunki",
        "Municipality",
        "Kaupunki Kymenlaakson rannikolla. Demoaineiston palvelut ja yhteystiedot ovat kuvitteellisia.",
        "https://www.kotka.fi",
        real=True,
    ),
    Org(
        "kouvolan-kaupunki",
        "Kouvolan kaupunki",
        "Municipality",
        "Kaupunki Pohjois-Kymenlaaksossa. Demoaineiston palvelut ja yhteystiedot ovat kuvitteellisia.",
        "https://www.kouvola.fi",
        real=True,
    ),
    Org(
        "haminan-kaupunki",
        "Haminan kaupunki",
        "Municipality",
        "Kaupunki Kymenlaakson rannikolla, Kotkan itäpuolella. Demoaineiston palvelut ja yhteystiedot "
        "ovat kuvitteellisia.",
        "https://www.hamina.fi",
        real=True,
    ),
    Org(
        "virolahden-kunta",
        "Virolahden kunta",
        "Municipality",
        "Kunta Kymenlaakson itäosassa. Demoaineiston palvelut ja yhteystiedot ovat kuvitteellisia.",
        real=True,
    ),
    # Fictional NGOs and parishes.
    Org(
        "kotkan-asumisen-tuki",
        "Kotkan Asumisen Tuki ry (demo)",
        "Organization",
        f"Kotkalainen yhdistys, joka tukee asunnottomia ja asunnottomuusuhan alla olevia. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kouvolan-asunnottomien-tuki",
        "Kouvolan Asunnottomien Tuki ry (demo)",
        "Organization",
        f"Yhdistys, joka auttaa kouvolalaisia asunnon löytämisessä ja pitämisessä. {DEMO_ORG_NOTE}",
    ),
    Org(
        "haminan-seudun-asumisneuvonta",
        "Haminan Seudun Asumisneuvonta ry (demo)",
        "Organization",
        f"Asumisen neuvontaa Haminassa, Virolahdella ja Miehikkälässä. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kymen-paihdetyo",
        "Kymen Päihdetyön Yhdistys ry (demo)",
        "Organization",
        f"Päihde- ja riippuvuustyötä tekevä yhdistys, jolla on päihdeneuvolat Kotkassa, Kouvolassa ja "
        f"Haminassa. {DEMO_ORG_NOTE}",
    ),
    Org(
        "raittiin-arjen-tuki",
        "Raittiin Arjen Tuki ry (demo)",
        "Organization",
        f"Vertaistukiyhdistys päihteistä ja pelaamisesta toipuville ja heidän läheisilleen. {DEMO_ORG_NOTE}",
    ),
    Org(
        "verkkoauttamisen-liitto",
        "Verkkoauttamisen Liitto ry (demo)",
        "Organization",
        f"Valtakunnallinen järjestö, joka ylläpitää nimettömiä chat-palveluja. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kymenlaakson-mielen-tuki",
        "Kymenlaakson Mielen Tuki ry (demo)",
        "Organization",
        f"Mielenterveysjärjestö, joka tarjoaa keskusteluapua, kriisityötä ja vertaistukea. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kymen-turvakotiyhdistys",
        "Kymen Turvakotiyhdistys ry (demo)",
        "Organization",
        f"Ylläpitää turvakotia ja lähisuhdeväkivaltatyön avopalveluja Kymenlaaksossa. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kaakon-rikosuhrituki",
        "Kaakon Rikosuhrituki ry (demo)",
        "Organization",
        f"Tukee rikoksen uhreja, heidän läheisiään ja todistajia Kymenlaaksossa. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kymen-talousapu",
        "Kymen Talousapu ry (demo)",
        "Organization",
        f"Talous- ja velkaneuvontaa sekä raha-asioiden ryhmiä kymenlaaksolaisille. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kymen-ystavapiiri",
        "Kymen Ystäväpiiri ry (demo)",
        "Organization",
        f"Kouluttaa vapaaehtoisia ystäviä yksinäisille aikuisille ja ikäihmisille. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kotkan-olohuone",
        "Kotkan Olohuone ry (demo)",
        "Organization",
        f"Ylläpitää avointa kohtaamispaikkaa Kotkan keskustassa. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kouvolan-kohtaamispaikat",
        "Kouvolan Kohtaamispaikat ry (demo)",
        "Organization",
        f"Ylläpitää kohtaamispaikkoja ja ryhmiä Kouvolassa. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kaakon-kylat",
        "Kaakon Kylät ry (demo)",
        "Organization",
        f"Kyläyhdistysten yhteenliittymä, joka pitää kylätupia Pyhtäällä ja Virolahdella. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kymen-ikaihmisten-tuki",
        "Kymen Ikäihmisten Tuki ry (demo)",
        "Organization",
        f"Eläkeläisten ja ikäihmisten neuvontaa ja toimintaa Kotkan seudulla. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kymen-nuorisotyo",
        "Kymen Nuorisotyöyhdistys ry (demo)",
        "Organization",
        f"Nuorisotyötä ja nuorten ryhmiä Kymenlaaksossa. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kotkan-seudun-seurakunta",
        "Kotkan seudun seurakunta (demo)",
        "parish",
        f"Evankelis-luterilainen seurakunta; diakoniatyö auttaa kaikkia taustasta riippumatta. "
        f"{DEMO_ORG_NOTE}",
    ),
    Org(
        "kouvolan-seudun-seurakunta",
        "Kouvolan seudun seurakunta (demo)",
        "parish",
        f"Evankelis-luterilainen seurakunta; diakoniatyö auttaa kaikkia taustasta riippumatta. "
        f"{DEMO_ORG_NOTE}",
    ),
    # Real public bodies added for crime victims (their services here are fictional demos).
    Org(
        "kaakkois-suomen-poliisilaitos",
        "Kaakkois-Suomen poliisilaitos",
        "State",
        "Poliisilaitos, jonka alueeseen kuuluvat Kymenlaakso ja Etelä-Karjala. Demoaineiston palvelut ja "
        "yhteystiedot ovat kuvitteellisia.",
        "https://poliisi.fi",
        real=True,
    ),
    Org(
        "kaakkois-suomen-oikeusapupiiri",
        "Kaakkois-Suomen oikeusapu- ja edunvalvontapiiri",
        "State",
        "Valtion oikeusaputoimistot antavat oikeusapua ja talous- ja velkaneuvontaa. Demoaineiston palvelut "
        "ja yhteystiedot ovat kuvitteellisia.",
        real=True,
    ),
    # Fictional NGOs and a parish for the needs added later (food, health, families, work, ...).
    Org(
        "kymen-ruoka-apu",
        "Kymen Ruoka-apu ry (demo)",
        "Organization",
        f"Jakaa hävikkiruokaa ja ruokakasseja sekä järjestää yhteisöaterioita Kymenlaaksossa. "
        f"{DEMO_ORG_NOTE}",
    ),
    Org(
        "haminan-seurakunta",
        "Haminan seudun seurakunta (demo)",
        "parish",
        f"Evankelis-luterilainen seurakunta; diakoniatyö auttaa kaikkia taustasta riippumatta. "
        f"{DEMO_ORG_NOTE}",
    ),
    Org(
        "kymen-terveyspiste",
        "Kymen Terveyspiste ry (demo)",
        "Organization",
        f"Matalan kynnyksen terveysneuvontaa niille, joilla on vaikeuksia päästä terveyspalveluihin. "
        f"{DEMO_ORG_NOTE}",
    ),
    Org(
        "kymen-muistiyhdistys",
        "Kymen Muistiyhdistys ry (demo)",
        "Organization",
        f"Tukee muistisairaita ja heidän omaisiaan neuvonnalla ja vertaisryhmillä. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kymen-omaishoitajat",
        "Kymen Omaishoitajat ry (demo)",
        "Organization",
        f"Omaishoitajien ja läheisistään huolehtivien yhdistys Kymenlaaksossa. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kymen-perhekeskus",
        "Kymen Perhekeskusyhdistys ry (demo)",
        "Organization",
        f"Lapsiperheiden kohtaamispaikkoja, vertaisryhmiä ja eroperheiden tukea Kymenlaaksossa. "
        f"{DEMO_ORG_NOTE}",
    ),
    Org(
        "kymen-vammaisneuvonta",
        "Kymen Vammaisneuvonta ry (demo)",
        "Organization",
        f"Vammaisjärjestöjen yhteinen neuvontapalvelu vammaisille ihmisille ja heidän läheisilleen. "
        f"{DEMO_ORG_NOTE}",
    ),
    Org(
        "rikosuhrien-tukilinja",
        "Rikosuhrien Tukilinja ry (demo)",
        "Organization",
        f"Valtakunnallinen järjestö, joka ylläpitää rikoksen uhrien auttavaa puhelinta ja chattia. "
        f"{DEMO_ORG_NOTE}",
    ),
    Org(
        "kymen-tyottomat",
        "Kymen Työttömät ry (demo)",
        "Organization",
        f"Työttömien yhdistys: kohtaamispaikkoja, työnhaun tukea ja etuusneuvontaa. {DEMO_ORG_NOTE}",
    ),
    Org(
        "kymen-monikulttuuriset",
        "Kymen Monikulttuuriset ry (demo)",
        "Organization",
        f"Maahan muuttaneiden neuvontaa, suomen kielen opetusta ja kohtaamisia Kymenlaaksossa. "
        f"{DEMO_ORG_NOTE}",
    ),
)


# ---------------------------------------------------------------------------------------------- places
def kotka(name: str, street: str, postal_code: str = "48100") -> Place:
    return Place(name, street, postal_code, "Kotka")


def kouvola(name: str, street: str, postal_code: str = "45100") -> Place:
    return Place(name, street, postal_code, "Kouvola")


def hamina(name: str, street: str) -> Place:
    return Place(name, street, "49400", "Hamina")


HVA = "kymenlaakson-hyvinvointialue"
KOTKA_SOTE = kotka("Sosiaali- ja terveyskeskus Kotka (demo)", "Esimerkkikatu 10")
KOUVOLA_SOTE = kouvola("Sosiaali- ja terveyskeskus Kouvola (demo)", "Mallikatu 4")
HAMINA_SOTE = hamina("Sosiaali- ja terveyskeskus Hamina (demo)", "Demokatu 7")
OFFICE_AREAS = (KOTKA, KOUVOLA, HAMINA)

# -------------------------------------------------------------------------------------------- services
SERVICES: tuple[Svc, ...] = (
    # --- Real nationwide and regional numbers ------------------------------------------------------------
    Svc(
        "hatanumero-112",
        "hatakeskuslaitos",
        "Hätänumero 112",
        "Soita hätänumeroon 112, kun henki, terveys, omaisuus tai ympäristö on uhattuna tai vaarassa. "
        "Hätäkeskus arvioi tilanteen ja lähettää apua paikalle.",
        ("crisis", "violence"),
        ("P19.3",),
        (FINLAND,),
        ALWAYS,
        langs=("fi", "sv"),
        alternate_name="Hätäkeskus",
        phone="112",
        phone_note="Hätänumero, päivystää ympäri vuorokauden.",
        url="https://112.fi",
        real=True,
    ),
    Svc(
        "mieli-kriisipuhelin",
        "mieli",
        "Kriisipuhelin",
        "Valtakunnallinen kriisipuhelin, johon voi soittaa nimettömänä, kun oma tai läheisen elämäntilanne "
        "tuntuu ylivoimaiselta tai mielessä on itsemurha-ajatuksia. Päivystäjä kuuntelee ja auttaa "
        "miettimään "
        "seuraavia askelia.",
        ("crisis", "mental_health"),
        ("P5.7", "P5.17"),
        (FINLAND,),
        ALWAYS,
        fees=None,
        alternate_name="MIELI ry:n kriisipuhelin",
        phone="09 2525 0111",
        phone_note="Kriisipuhelin päivystää ympäri vuorokauden.",
        url="https://mieli.fi",
        real=True,
    ),
    Svc(
        "nollalinja",
        "thl",
        "Nollalinja",
        "Maksuton auttava puhelin lähisuhdeväkivaltaa tai sen uhkaa kokeneille, heidän läheisilleen sekä "
        "ammattilaisille. Voit soittaa nimettömänä mihin aikaan tahansa, ja päivystäjä auttaa tarvittaessa "
        "turvakotiin tai muihin palveluihin.",
        ("violence", "crisis"),
        ("P4.13", "P19.3"),
        (FINLAND,),
        ALWAYS,
        alternate_name="Auttava puhelin lähisuhdeväkivaltaa kokeneille",
        phone="080 005 005",
        phone_note="Maksuton, päivystää ympäri vuorokauden.",
        url="https://www.nollalinja.fi",
        real=True,
    ),
    Svc(
        "paivystysapu-116117",
        HVA,
        "Päivystysapu 116117",
        "Soita Päivystysapuun ennen kuin lähdet päivystykseen: terveydenhuollon ammattilainen arvioi "
        "tilanteesi ja neuvoo, tarvitsetko päivystyksellistä hoitoa. Hengenvaarallisessa tilanteessa soita "
        "aina 112.",
        ("crisis", "health_care"),
        ("P5.5", "P5.17"),
        (KYMENLAAKSO,),
        ALWAYS,
        fees=None,
        phone="116 117",
        phone_note="Päivystää ympäri vuorokauden.",
        real=True,
    ),
    # --- Crisis and emergency social work (public, fictional) --------------------------------------------
    Svc(
        "sosiaalipaivystys",
        HVA,
        "Sosiaalipäivystys",
        "Kiireellistä sosiaalihuollon apua ympäri vuorokauden, esimerkiksi kun koti ei ole turvallinen, "
        "olet jäämässä yöksi ilman asuntoa tai läheisen tilanne huolestuttaa. Päivystäjä arvioi tilanteen "
        "ja järjestää tarvittaessa hätämajoituksen.",
        ("crisis", "violence", "homelessness"),
        ("P4.13", "P19.3", "P4.1"),
        (KYMENLAAKSO,),
        ALWAYS,
        langs=("fi", "sv", "en"),
    ),
    Svc(
        "psykiatrinen-paivystys",
        HVA,
        "Psykiatrinen päivystys",
        "Aikuisten kiireellinen psykiatrinen arvio ja hoito, kun oma tai läheisen vointi on äkillisesti "
        "huonontunut, esimerkiksi itsemurha-ajatusten tai vakavan ahdistuksen vuoksi. Päivystykseen tullaan "
        "yhteispäivystyksen kautta, tarvittaessa ilman lähetettä.",
        ("crisis", "mental_health"),
        ("P5.5", "P5.7"),
        (KYMENLAAKSO,),
        ALWAYS,
        (kotka("Yhteispäivystys (demo)", "Esimerkkikatu 30", "48210"),),
        fees="Asiakasmaksu hyvinvointialueen asiakasmaksujen mukaan.",
    ),
    Svc(
        "akuutti-kriisityo",
        HVA,
        "Akuutti kriisityö",
        "Keskusteluapua äkillisen järkyttävän tapahtuman jälkeen, esimerkiksi läheisen kuoleman, "
        "onnettomuuden tai väkivallan kokemisen jälkeen. Kriisityöntekijä soittaa takaisin saman päivän "
        "aikana ja sopii tapaamisen.",
        ("crisis", "mental_health"),
        ("P5.7", "P5.17"),
        (KYMENLAAKSO,),
        hours(ALL_DAYS, "08:00", "20:00"),
    ),
    # --- Housing and homelessness ------------------------------------------------------------------------
    Svc(
        "asumisen-palveluohjaus",
        HVA,
        "Asumisen tuki aikuissosiaalityössä",
        "Sosiaaliohjaaja auttaa, kun asunto on menossa alta, vuokria on rästissä tai olet jo ilman "
        "vakituista asuntoa. Yhdessä selvitetään asumisvaihtoehdot, tuetun asumisen tarve ja haettavat tuet.",
        ("homelessness",),
        ("P4.13", "P4.1", "P1.4"),
        (KYMENLAAKSO,),
        OFFICE,
        (KOTKA_SOTE, KOUVOLA_SOTE),
        eligibility="Täysi-ikäiset kymenlaaksolaiset, joilla on asumiseen liittyviä vaikeuksia.",
    ),
    Svc(
        "tuettu-asuminen-hva",
        HVA,
        "Tuettu asuminen ja asumispalvelut",
        "Tukiasuntoja ja asumispalveluja mielenterveys- ja päihdekuntoutujille sekä asunnottomille, joilla "
        "itsenäinen asuminen ei vielä onnistu. Ohjaaja käy kotona ja auttaa arjen asioissa.",
        ("homelessness", "substance_use", "mental_health"),
        ("P4.1", "P1.1"),
        (KYMENLAAKSO,),
        OFFICE,
        fees="Vuokra ja palvelumaksu tulojen mukaan.",
        eligibility="Palvelun tarve arvioidaan sosiaalityössä; yhteyttä voi ottaa myös itse.",
    ),
    Svc(
        "asumisneuvonta-kotka",
        "kotkan-kaupunki",
        "Asumisneuvonta",
        "Asumisneuvoja auttaa vuokranmaksuvaikeuksissa, häätöuhassa, asunnon hakemisessa ja "
        "naapuririidoissa. Neuvonta on luottamuksellista, ja neuvojan voi tavata myös kotikäynnillä.",
        ("homelessness",),
        ("P1.1", "P4.13"),
        (KOTKA, PYHTAA),
        hours("MO,TU,WE,TH", "09:00", "15:00"),
        (kotka("Kaupungintalo (demo)", "Mallikatu 2"),),
        langs=("fi", "en", "ru"),
    ),
    Svc(
        "asumisneuvonta-kouvola",
        "kouvolan-kaupunki",
        "Asumisneuvonta",
        "Neuvontaa vuokra-asumisen ongelmiin: vuokrarästit, häätöuhka, asunnon hakeminen ja "
        "vuokrasopimusasiat. Asumisneuvoja auttaa myös sopimaan maksusuunnitelman vuokranantajan kanssa.",
        ("homelessness",),
        ("P1.1", "P4.13"),
        (KOUVOLA,),
        OFFICE,
        (kouvola("Kaupungintalo (demo)", "Esimerkkikatu 1"),),
    ),
    Svc(
        "asumisneuvonta-hamina",
        "haminan-kaupunki",
        "Asumisneuvonta",
        "Asumisneuvoja neuvoo vuokra-asumisessa, vuokrarästeissä ja asunnon hakemisessa ja ohjaa "
        "tarvittaessa sosiaalityöhön. Aika sovitaan puhelimitse.",
        ("homelessness",),
        ("P1.1", "P4.13"),
        (HAMINA,),
        hours("TU,TH", "09:00", "15:00"),
        (hamina("Kaupungintalo (demo)", "Mallikatu 5"),),
    ),
    Svc(
        "paivakeskus-majakka",
        "kotkan-asumisen-tuki",
        "Päiväkeskus Majakka",
        "Asunnottomille ja päihteitä käyttäville avoin päiväkeskus: aamupala, pesu- ja "
        "pyykinpesumahdollisuus sekä asumisneuvojan päivystys. Voit tulla sellaisena kuin olet, ilman "
        "ajanvarausta.",
        ("homelessness", "substance_use", "food_aid"),
        ("P4.13", "P4.12"),
        (KOTKA, PYHTAA),
        hours(WEEKDAYS, "08:00", "14:00"),
        (kotka("Päiväkeskus Majakka (demo)", "Demokatu 3"),),
    ),
    Svc(
        "tukiasunnot-kotka",
        "kotkan-asumisen-tuki",
        "Tukiasunnot ja asumisen ohjaus",
        "Yhdistyksen tukiasunnoissa asuva saa ohjaajalta säännöllistä tukea vuokranmaksuun, raha-asioihin "
        "ja arkeen. Tavoitteena on oma vuokra-asunto.",
        ("homelessness",),
        ("P4.1", "P1.1"),
        (KOTKA, PYHTAA),
        OFFICE,
        (kotka("Asumisen tukipiste (demo)", "Demokatu 3"),),
        fees="Vuokra; ohjaus on maksutonta.",
        eligibility="Asunnottomat ja asunnottomuusuhan alla olevat täysi-ikäiset Kotkan seudulla.",
    ),
    Svc(
        "yomaja-kotka",
        "kotkan-asumisen-tuki",
        "Yömaja",
        "Ilmainen yöpaikka aikuiselle, jolla ei ole muuta paikkaa nukkua. Yömajassa saa iltapalan ja "
        "suihkun, ja aamulla työntekijä auttaa hakemaan pysyvämpää ratkaisua.",
        ("homelessness", "crisis"),
        ("P4.1", "P4.13"),
        (KYMENLAAKSO,),
        hours(ALL_DAYS, "20:00", "08:00", "joka ilta klo 20–8"),
        (kotka("Yömaja (demo)", "Kuvitelmankatu 12"),),
        eligibility="Täysi-ikäiset; päihtyneenäkin voi tulla.",
    ),
    Svc(
        "asumisneuvonta-kouvola-ry",
        "kouvolan-asunnottomien-tuki",
        "Asunnonhaun tuki ja asumisneuvonta",
        "Apua vuokra-asunnon hakemiseen, hakemusten täyttämiseen ja vuokravakuuden järjestämiseen. "
        "Työntekijä voi lähteä mukaan asuntonäyttöön ja vuokranantajan tapaamiseen.",
        ("homelessness",),
        ("P4.13", "P1.1"),
        (KOUVOLA,),
        hours("MO,WE,FR", "10:00", "15:00"),
        (kouvola("Asumisen olohuone (demo)", "Demokatu 8"),),
    ),
    Svc(
        "asumisvalmennus-kouvola",
        "kouvolan-asunnottomien-tuki",
        "Tuettu asuminen ja asumisvalmennus",
        "Asumisvalmentaja tukee omassa kodissa asumista, kun vuokrat ovat jääneet maksamatta tai asunto on "
        "mennyt aiemmin alta. Valmennus kestää tavallisesti puolesta vuodesta vuoteen.",
        ("homelessness",),
        ("P4.1",),
        (KOUVOLA,),
        OFFICE,
        (kouvola("Asumisen olohuone (demo)", "Demokatu 8"),),
    ),
    Svc(
        "asumisneuvonta-haminan-seutu",
        "haminan-seudun-asumisneuvonta",
        "Asumisneuvonta Haminan seudulla",
        "Asumisneuvoja auttaa vuokrarästeissä, häätöuhassa ja asunnon etsimisessä Haminassa, Virolahdella ja "
        "Miehikkälässä. Neuvoja tekee myös kotikäyntejä.",
        ("homelessness",),
        ("P4.13", "P1.1"),
        (HAMINA, VIROLAHTI, MIEHIKKALA),
        OFFICE,
        (hamina("Asumisneuvonta (demo)", "Esimerkkitie 6"),),
    ),
    Svc(
        "nuorten-asumisvalmennus-hamina",
        "haminan-seudun-asumisneuvonta",
        "Nuorten asumisvalmennus",
        "Ensimmäiseen omaan kotiin muuttavalle tai asunnottomaksi jääneelle nuorelle: apua asunnon "
        "hakemiseen, vuokrasopimukseen, tukien hakemiseen ja laskujen maksamiseen.",
        ("homelessness", "youth"),
        ("P4.1", "P1.1"),
        (HAMINA, VIROLAHTI, MIEHIKKALA),
        OFFICE,
        (hamina("Asumisneuvonta (demo)", "Esimerkkitie 6"),),
        groups=("KR1.3",),
        eligibility="18–29-vuotiaat.",
    ),
    Svc(
        "kela-asumistuki",
        "kela",
        "Yleinen asumistuki",
        "Pienituloinen ruokakunta voi saada asumistukea vuokraan ja muihin asumismenoihin. Hae verkossa tai "
        "palvelupisteessä; tuen määrään vaikuttavat tulot, asumismenot ja ruokakunnan koko.",
        ("homelessness", "income_support"),
        ("P1.4",),
        (FINLAND,),
        hours(WEEKDAYS, "09:00", "16:00"),
        fees="Hakeminen on maksutonta.",
        langs=("fi", "sv", "en"),
    ),
    Svc(
        "kela-perustoimeentulotuki",
        "kela",
        "Perustoimeentulotuki",
        "Viimesijainen taloudellinen tuki, kun tulot ja varat eivät riitä välttämättömiin menoihin, kuten "
        "vuokraan, ruokaan ja lääkkeisiin. Hakemukseen liitetään tiliotteet ja selvitys menoista.",
        ("income_support", "food_aid", "debt", "homelessness"),
        ("P4.10",),
        (FINLAND,),
        hours(WEEKDAYS, "09:00", "16:00"),
        fees="Hakeminen on maksutonta.",
        langs=("fi", "sv", "en"),
    ),
    Svc(
        "kela-palvelupiste-kotka",
        "kela",
        "Kelan palvelupiste Kotka",
        "Palvelupisteessä saat apua Kelan etuuksien, kuten asumistuen ja perustoimeentulotuen, hakemiseen "
        "ja liitteiden toimittamiseen. Ajan voi varata, mutta myös ilman ajanvarausta pääsee asioimaan.",
        ("income_support", "debt", "homelessness"),
        ("P4.10", "P1.4", "P10.6", "P13.1"),
        (KOTKA, PYHTAA),
        hours(WEEKDAYS, "09:00", "16:00"),
        (kotka("Kelan palvelupiste (demo)", "Esimerkkikatu 22"),),
        fees="Hakeminen on maksutonta.",
        langs=("fi", "sv", "en"),
    ),
    # --- Substance use and gambling ----------------------------------------------------------------------
    Svc(
        "mtp-neuvola-kotka",
        HVA,
        "Mielenterveys- ja päihdeneuvola Kotka",
        "Matalan kynnyksen vastaanotto aikuisille, jotka ovat masentuneita, ahdistuneita tai "
        "uupuneita tai joita huolestuttaa oma juominen, huumeiden tai lääkkeiden käyttö. "
        "Ensimmäiselle käynnille pääsee ilman lähetettä, ja hoitaja arvioi jatkohoidon tarpeen.",
        ("substance_use", "mental_health"),
        ("P5.7", "P5.17"),
        (KOTKA, PYHTAA),
        hours(WEEKDAYS, "08:00", "16:00"),
        (KOTKA_SOTE,),
        langs=("fi", "en"),
    ),
    Svc(
        "mtp-neuvola-kouvola",
        HVA,
        "Mielenterveys- ja päihdeneuvola Kouvola",
        "Ajanvarauksetonta keskusteluapua ja hoidon tarpeen arviota, kun olet masentunut, ahdistunut "
        "tai uupunut tai alkoholin ja muiden päihteiden käyttö huolestuttaa. Neuvolasta ohjataan "
        "tarvittaessa päihdepoliklinikalle tai psykiatriseen hoitoon.",
        ("substance_use", "mental_health"),
        ("P5.7", "P5.17"),
        (KOUVOLA,),
        hours(WEEKDAYS, "08:00", "16:00"),
        (KOUVOLA_SOTE,),
    ),
    Svc(
        "mtp-neuvola-hamina",
        HVA,
        "Mielenterveys- ja päihdeneuvola Hamina",
        "Hoitajan vastaanotto Haminan, Virolahden ja Miehikkälän asukkaille, jotka ovat masentuneita,"
        " ahdistuneita tai uupuneita tai joita huolestuttaa alkoholin tai muiden päihteiden käyttö. "
        "Ilman ajanvarausta ma ja ke, muina päivinä ajanvarauksella.",
        ("substance_use", "mental_health"),
        ("P5.7", "P5.17"),
        (HAMINA, VIROLAHTI, MIEHIKKALA),
        hours(WEEKDAYS, "08:00", "15:00"),
        (HAMINA_SOTE,),
    ),
    Svc(
        "mtp-hoitaja-virolahti",
        HVA,
        "Mielenterveys- ja päihdehoitajan vastaanotto Virolahti",
        "Hoitajan vastaanotto terveysasemalla kerran viikossa: keskustelua jaksamisesta, alkoholin käytöstä "
        "ja hoitoon hakeutumisesta. Aika varataan puhelimitse.",
        ("substance_use", "mental_health"),
        ("P5.7",),
        (VIROLAHTI, MIEHIKKALA),
        hours("TH", "08:00", "15:00"),
        (Place("Terveysasema Virolahti (demo)", "Esimerkkitie 2", "49900", "Virolahti"),),
    ),
    Svc(
        "paihdepoliklinikka",
        HVA,
        "Päihdepoliklinikka",
        "Avohoitoa alkoholi-, huume- ja lääkeriippuvuuteen: hoidon suunnittelu, korvaushoito ja "
        "läheisten tapaamiset. Hoitoon voi hakeutua itse soittamalla.",
        ("substance_use",),
        ("P5.7",),
        (KYMENLAAKSO,),
        hours(WEEKDAYS, "08:00", "15:30"),
        (kouvola("Päihdepoliklinikka (demo)", "Mallikatu 14"),),
        fees="Maksuton.",
    ),
    Svc(
        "katkaisuhoito",
        HVA,
        "Katkaisuhoito",
        "Lyhyt hoitojakso osastolla, kun juomisen tai muun päihteiden käytön kierre pitää katkaista "
        "turvallisesti. Hoitoon voi hakeutua itse; puhelimessa sovitaan tulopäivä.",
        ("substance_use",),
        ("P5.7",),
        (KYMENLAAKSO,),
        hours(WEEKDAYS, "08:00", "15:00"),
        (kouvola("Katkaisuhoito-osasto (demo)", "Mallikatu 16"),),
        fees="Hoitopäivämaksu hyvinvointialueen asiakasmaksujen mukaan.",
        phone_note="Hoitoon hakeutuminen ma–pe klo 8–15; osasto on auki ympäri vuorokauden.",
    ),
    Svc(
        "peliriippuvuus-hva",
        HVA,
        "Peliriippuvuuden hoito",
        "Rahapelaamisen hallinnan menettäneille ja heidän läheisilleen: arvio, yksilökäynnit ja apu "
        "pelitilien rajaamiseen. Tapaamiset myös puhelimessa tai videoyhteydellä.",
        ("gambling",),
        ("P5.7", "P5.17"),
        (KYMENLAAKSO,),
        OFFICE,
    ),
    Svc(
        "nuorisoasema",
        HVA,
        "Nuorisoasema",
        "13–24-vuotiaille nuorille ja heidän vanhemmilleen apua päihteisiin, pelaamiseen ja mielialaan "
        "liittyvissä huolissa. Nuori voi tulla yksin tai yhdessä vanhemman kanssa.",
        ("substance_use", "gambling", "mental_health", "youth"),
        ("P5.7",),
        (KYMENLAAKSO,),
        hours(WEEKDAYS, "08:00", "16:00"),
        (kotka("Nuorisoasema (demo)", "Esimerkkikatu 16"),),
        groups=("KR1.3",),
        eligibility="13–24-vuotiaat ja heidän vanhempansa.",
    ),
    Svc(
        "paihdeneuvola-kotka-ry",
        "kymen-paihdetyo",
        "Päihdeneuvola Kotka",
        "Luottamuksellista keskusteluapua ja avohoitoa alkoholin, huumeiden ja lääkkeiden käyttöön sekä "
        "pelaamiseen. Myös läheiset voivat tulla juttelemaan, eikä lähetettä tarvita.",
        ("substance_use", "gambling"),
        ("P5.7",),
        (KOTKA, PYHTAA),
        hours(WEEKDAYS, "09:00", "16:00"),
        (kotka("Päihdeneuvola (demo)", "Kuvitelmankatu 4"),),
    ),
    Svc(
        "paihdeneuvola-kouvola-ry",
        "kymen-paihdetyo",
        "Päihdeneuvola Kouvola",
        "Keskusteluapua, hoidon suunnittelua ja tukea raittiuteen, kun alkoholin juominen, huumeet "
        "tai lääkkeet ovat karanneet käsistä. Ensimmäiselle käynnille pääsee yleensä samalla "
        "viikolla.",
        ("substance_use",),
        ("P5.7",),
        (KOUVOLA,),
        hours(WEEKDAYS, "09:00", "16:00"),
        (kouvola("Päihdeneuvola (demo)", "Kuvitelmankatu 9", "45700"),),
    ),
    Svc(
        "paihdeneuvola-hamina-ry",
        "kymen-paihdetyo",
        "Päihdeneuvola Hamina",
        "Keskusteluapua ja avohoitoa alkoholin, huumeiden ja lääkkeiden käyttöön Haminan seudulla. "
        "Työntekijä tekee sovittaessa kotikäyntejä myös Virolahdelle ja Miehikkälään.",
        ("substance_use",),
        ("P5.7",),
        (HAMINA, VIROLAHTI, MIEHIKKALA),
        hours("MO,TU,WE", "09:00", "15:00"),
        (hamina("Päihdeneuvola (demo)", "Mallikatu 11"),),
    ),
    Svc(
        "terveysneuvontapiste-kotka",
        "kymen-paihdetyo",
        "Terveysneuvontapiste",
        "Huumeita käyttäville nimetöntä terveysneuvontaa: käyttövälineiden vaihto, hepatiittirokotukset ja "
        "tartuntatautitestit. Työntekijä auttaa myös hakeutumaan hoitoon.",
        ("substance_use", "health_care"),
        ("P5.7", "P5.17"),
        (KOTKA, PYHTAA),
        hours("MO,WE,FR", "12:00", "16:00"),
        (kotka("Terveysneuvontapiste (demo)", "Kuvitelmankatu 4"),),
    ),
    Svc(
        "paihdevertaisryhmat",
        "raittiin-arjen-tuki",
        "Päihdetoipujien vertaisryhmät",
        "Vertaisryhmiä alkoholista ja huumeista toipuville Kouvolassa, Kotkassa ja Haminassa. Ryhmään voi "
        "tulla ilmoittautumatta, ja siellä saa puhua tai vain kuunnella.",
        ("substance_use", "loneliness"),
        ("P4.12", "P5.16"),
        (KYMENLAAKSO,),
        hours("TU,TH", "17:00", "19:00"),
        (kouvola("Raittiin Arjen Tuki ry:n kerhotila (demo)", "Demopolku 1"),),
    ),
    Svc(
        "laheisten-vertaisryhma",
        "raittiin-arjen-tuki",
        "Läheisten vertaisryhmä",
        "Ryhmä niille, joiden puoliso, lapsi tai vanhempi juo liikaa tai käyttää huumeita. Ryhmässä jaetaan "
        "kokemuksia ja saadaan tukea omaan jaksamiseen.",
        ("substance_use", "mental_health"),
        ("P5.16", "P4.12"),
        (KOTKA, PYHTAA),
        hours("WE", "17:30", "19:00"),
        (kotka("Järjestötalo (demo)", "Demopolku 5"),),
    ),
    Svc(
        "pelaamisen-vertaisryhma",
        "raittiin-arjen-tuki",
        "Pelaajien vertaisryhmä",
        "Vertaistukiryhmä rahapelaamisen vuoksi velkaantuneille ja pelaamista lopettaville. Ryhmässä "
        "käydään läpi myös raha-asioiden järjestämistä.",
        ("gambling", "debt"),
        ("P5.16", "P4.12"),
        (KYMENLAAKSO,),
        hours("MO", "18:00", "19:30"),
        (kotka("Järjestötalo (demo)", "Demopolku 5"),),
    ),
    Svc(
        "paihdechat",
        "verkkoauttamisen-liitto",
        "Päihdechat",
        "Nimetön chat, jossa voi kysyä omasta tai läheisen alkoholin, huumeiden tai lääkkeiden käytöstä ja "
        "pelaamisesta. Vastaajina ovat koulutetut päihdetyöntekijät.",
        ("substance_use", "gambling"),
        ("P5.7", "P5.16"),
        (FINLAND,),
        hours("MO,TU,WE,TH", "18:00", "21:00"),
        phone=None,
    ),
    # --- Mental health -----------------------------------------------------------------------------------
    Svc(
        "keskusteluapu-kotka",
        "kymenlaakson-mielen-tuki",
        "Keskusteluapu ja kriisivastaanotto",
        "Maksuttomia keskusteluja, kun elämässä on kriisi, olet masentunut tai ahdistunut tai "
        "jaksaminen on lopussa. Voit saada ajan muutamassa päivässä, eikä lähetettä tarvita.",
        ("mental_health", "crisis"),
        ("P5.17", "P5.7"),
        (KOTKA, PYHTAA),
        hours(WEEKDAYS, "09:00", "17:00"),
        (kotka("Kriisivastaanotto (demo)", "Mallikatu 20"),),
        langs=("fi", "en"),
    ),
    Svc(
        "klubitalo-kouvola",
        "kymenlaakson-mielen-tuki",
        "Klubitalo",
        "Mielenterveyskuntoutujien yhteisö, jossa osallistutaan talon töihin, syödään yhdessä ja saadaan "
        "vertaistukea. Jäseneksi pääsee tutustumiskäynnin jälkeen.",
        ("mental_health", "loneliness"),
        ("P5.16", "P4.12"),
        (KOUVOLA,),
        hours(WEEKDAYS, "08:30", "15:30"),
        (kouvola("Klubitalo (demo)", "Esimerkkitie 3"),),
    ),
    Svc(
        "mielen-vertaisryhmat-hamina",
        "kymenlaakson-mielen-tuki",
        "Mielenterveyden vertaisryhmät",
        "Vertaisryhmiä Haminassa masentuneille ja ahdistuneille sekä kaikille, joiden mieli on ollut "
        "pitkään maassa. Ohjaajina koulutetut vertaisohjaajat; ryhmään voi tulla kokeilemaan ilman "
        "sitoutumista.",
        ("mental_health", "loneliness"),
        ("P5.16",),
        (HAMINA, VIROLAHTI, MIEHIKKALA),
        hours("WE", "17:00", "18:30"),
        (hamina("Järjestötalo (demo)", "Demokatu 15"),),
    ),
    Svc(
        "omaisten-vertaistuki",
        "kymenlaakson-mielen-tuki",
        "Mielenterveysomaisten vertaistuki",
        "Tukea niille, joiden läheinen sairastaa masennusta, psykoosia tai muuta mielenterveyden häiriötä: "
        "omaisneuvojan keskustelut ja vertaisryhmät. Omaisen oma jaksaminen on yhtä tärkeää kuin läheisen "
        "hoito.",
        ("mental_health", "loneliness"),
        ("P5.16", "P5.17"),
        (KYMENLAAKSO,),
        OFFICE,
        (kouvola("Järjestötalo (demo)", "Demopolku 9"),),
    ),
    Svc(
        "keskusteluapu-chat",
        "verkkoauttamisen-liitto",
        "Keskusteluapu-chat aikuisille",
        "Nimetön chat, jossa voi purkaa huolta, yksinäisyyttä tai ahdistusta koulutetun "
        "vapaaehtoisen kanssa. "
        "Chatissa ei tarvitse kertoa nimeään.",
        ("mental_health", "loneliness"),
        ("P5.17", "P5.16"),
        (FINLAND,),
        hours(ALL_DAYS, "18:00", "22:00"),
        phone=None,
    ),
    Svc(
        "nuorten-iltachat",
        "verkkoauttamisen-liitto",
        "Nuorten iltachat",
        "12–29-vuotiaille nimetön chat kaikista elämän asioista: kaverit, koti, koulu, mieliala ja "
        "seurustelu. Vastaajina ovat nuorisotyön ammattilaiset.",
        ("youth", "mental_health", "loneliness"),
        ("P5.17", "P28.5"),
        (FINLAND,),
        hours(WEEKDAYS, "17:00", "21:00"),
        langs=("fi", "en"),
        groups=("KR1.3",),
        phone=None,
        eligibility="12–29-vuotiaat.",
    ),
    # --- Violence ----------------------------------------------------------------------------------------
    Svc(
        "turvakoti",
        "kymen-turvakotiyhdistys",
        "Turvakoti",
        "Turvakotiin voi tulla ympäri vuorokauden, yksin tai lasten kanssa, kun puoliso, entinen "
        "kumppani tai muu läheinen lyö, uhkailee tai pelottaa. Turvakodin osoite ei ole julkinen: "
        "soita, niin sovitaan tulemisesta.",
        ("violence", "crisis"),
        ("P4.13",),
        (KYMENLAAKSO,),
        ALWAYS,
        langs=("fi", "en"),
        groups=("KR1.2",),
        eligibility="Kaikki lähisuhdeväkivaltaa tai sen uhkaa kokevat; ei lähetettä.",
    ),
    Svc(
        "lahisuhdevakivalta-avopalvelu",
        "kymen-turvakotiyhdistys",
        "Lähisuhdeväkivallan avopalvelu",
        "Keskusteluapua ja turvasuunnitelma, kun kumppani tai muu läheinen on väkivaltainen tai "
        "uhkailee, eikä muutto turvakotiin ole ajankohtainen. Tapaamisia Kotkassa ja Kouvolassa, myös"
        " puhelimessa.",
        ("violence",),
        ("P4.13", "P3.5"),
        (KYMENLAAKSO,),
        OFFICE,
        (kotka("Avopalvelu (demo)", "Kuvitelmankatu 7"), kouvola("Avopalvelu (demo)", "Kuvitelmankatu 2")),
    ),
    Svc(
        "vakivaltaa-kayttaneiden-vastaanotto",
        "kymen-turvakotiyhdistys",
        "Väkivallan katkaisu",
        "Keskusteluapua ja ryhmiä sille, joka on käyttänyt väkivaltaa läheistään kohtaan tai pelkää "
        "käyttävänsä. Työskentely auttaa tunnistamaan väkivallan ja löytämään muita keinoja "
        "riitatilanteisiin.",
        ("violence",),
        ("P4.13",),
        (KYMENLAAKSO,),
        hours("MO,TU,WE,TH", "12:00", "18:00"),
        (kouvola("Avopalvelu (demo)", "Kuvitelmankatu 2"),),
    ),
    Svc(
        "lahisuhdevakivaltatyo-hva",
        HVA,
        "Lähisuhdeväkivaltatyö",
        "Sosiaalityöntekijä auttaa väkivaltaa kokenutta tai sitä käyttänyttä selvittämään tilanteen, "
        "tekemään "
        "turvasuunnitelman ja hakemaan lähestymiskieltoa. Myös väkivaltaa käyttäneille on oma vastaanotto.",
        ("violence",),
        ("P4.13", "P3.5"),
        (KYMENLAAKSO,),
        OFFICE,
        (KOUVOLA_SOTE, HAMINA_SOTE),
    ),
    Svc(
        "rikoksen-uhrin-tuki",
        "kaakon-rikosuhrituki",
        "Rikoksen uhrin tukipalvelu",
        "Tukea rikoksen uhrille, läheisille ja todistajille: apua rikosilmoituksen tekemiseen, neuvontaa "
        "oikeudenkäynnistä ja tukihenkilö mukaan kuulusteluun tai oikeuteen.",
        ("crime_victim", "violence"),
        ("P7.5", "P4.13"),
        (KYMENLAAKSO,),
        hours("MO,TU,WE,TH", "10:00", "16:00"),
        (kouvola("Rikosuhrituen toimisto (demo)", "Mallikatu 8"),),
    ),
    # --- Debt and money ----------------------------------------------------------------------------------
    Svc(
        "talous-ja-velkaneuvonta-ry",
        "kymen-talousapu",
        "Talous- ja velkaneuvonta",
        "Talousneuvoja käy kanssasi läpi tulot, menot ja velat, auttaa neuvottelemaan velkojien kanssa ja "
        "tekemään ulosotto- tai velkajärjestelyasioissa tarvittavat hakemukset. Vastaanotot Kotkassa, "
        "Kouvolassa ja Haminassa.",
        ("debt",),
        ("P15.1", "P15.5", "P15.3"),
        (KYMENLAAKSO,),
        OFFICE,
        (
            kotka("Talousapu (demo)", "Esimerkkikatu 5"),
            kouvola("Talousapu (demo)", "Esimerkkikatu 9"),
            hamina("Talousapu (demo)", "Esimerkkitie 1"),
        ),
        langs=("fi", "en"),
    ),
    Svc(
        "raha-arki-ryhma",
        "kymen-talousapu",
        "Raha-arki-ryhmä",
        "Pienryhmä, jossa opetellaan budjetin tekoa, laskujen priorisointia ja pikavippien välttämistä. "
        "Ryhmä kokoontuu kuusi kertaa, ja mukaan voi ilmoittautua puhelimitse.",
        ("debt",),
        ("P15.1",),
        (KOTKA, PYHTAA),
        hours("TU", "13:00", "15:00"),
        (kotka("Talousapu (demo)", "Esimerkkikatu 5"),),
    ),
    Svc(
        "velkachat",
        "verkkoauttamisen-liitto",
        "Velkachat",
        "Nimetön chat velka- ja rahahuolista: maksuhäiriömerkintä, ulosotto, pikavipit ja maksusuunnitelmat. "
        "Chatista ohjataan tarvittaessa oman alueen talous- ja velkaneuvontaan.",
        ("debt",),
        ("P15.1", "P15.3"),
        (FINLAND,),
        hours("MO,WE", "12:00", "15:00"),
        phone=None,
    ),
    Svc(
        "sosiaalinen-luototus",
        HVA,
        "Sosiaalinen luototus",
        "Pieni laina pienituloiselle, joka ei saa lainaa pankista mutta pystyy maksamaan sen takaisin, "
        "esimerkiksi velkojen yhdistämiseen tai välttämättömään hankintaan. Lainaan kuuluu talousneuvonta.",
        ("debt",),
        ("P15.3", "P15.1"),
        (KYMENLAAKSO,),
        OFFICE,
        fees="Laina on koroton; neuvonta on maksutonta.",
        eligibility="Pienituloiset ja vähävaraiset kymenlaaksolaiset, joilla on maksukykyä.",
    ),
    Svc(
        "taydentava-toimeentulotuki",
        HVA,
        "Täydentävä ja ehkäisevä toimeentulotuki",
        "Tukea esimerkiksi vuokrarästeihin, muuttokuluihin tai äkilliseen menoon, jota "
        "perustoimeentulotuki ei "
        "kata. Hakemuksen voi jättää Kelaan perustoimeentulotuen hakemuksen yhteydessä.",
        ("income_support", "debt", "homelessness"),
        ("P4.10",),
        (KYMENLAAKSO,),
        OFFICE,
        (KOTKA_SOTE, KOUVOLA_SOTE, HAMINA_SOTE),
    ),
    Svc(
        "diakoniatyo-kotka",
        "kotkan-seudun-seurakunta",
        "Diakoniatyön vastaanotto",
        "Diakoniatyöntekijä kuuntelee ja auttaa, kun rahat eivät riitä tai elämä tuntuu raskaalta: "
        "keskustelua, apua raha-asioiden selvittelyyn ja tarvittaessa ruoka-apua. Palvelu on kaikille "
        "avoin kirkkoon kuulumisesta riippumatta.",
        ("debt", "food_aid", "loneliness", "mental_health"),
        ("P15.1", "P4.12"),
        (KOTKA, PYHTAA),
        hours("MO,WE", "09:00", "11:00"),
        (kotka("Seurakuntakeskus (demo)", "Mallikatu 3"),),
    ),
    Svc(
        "diakonia-kohtaamispaikka-kouvola",
        "kouvolan-seudun-seurakunta",
        "Diakonian kohtaamispaikka",
        "Avoin aamupäivä, jossa saa kahvia ja puuroa, seuraa ja mahdollisuuden keskustella diakonin kanssa. "
        "Diakoni auttaa myös ruoka-apuun ja raha-asioiden selvittelyyn liittyvissä kysymyksissä.",
        ("loneliness", "food_aid", "debt"),
        ("P4.12", "P25.5"),
        (KOUVOLA,),
        hours("TU,TH", "09:00", "12:00"),
        (kouvola("Seurakuntatalo (demo)", "Demokatu 2"),),
    ),
    # --- Loneliness --------------------------------------------------------------------------------------
    Svc(
        "ystavatoiminta",
        "kymen-ystavapiiri",
        "Ystävätoiminta",
        "Yksinäinen aikuinen tai ikäihminen saa koulutetun vapaaehtoisen ystävän, joka tapaa "
        "säännöllisesti esimerkiksi kahvin, ulkoilun tai asioinnin merkeissä. Ystävää voi pyytää "
        "itselle tai läheiselle koko Kymenlaaksossa.",
        ("loneliness", "elderly"),
        ("P4.12",),
        (KYMENLAAKSO,),
        OFFICE,
    ),
    Svc(
        "puhelinystava",
        "kymen-ystavapiiri",
        "Puhelinystävä",
        "Vapaaehtoinen soittaa sovittuna päivänä kerran viikossa juttelemaan. Sopii erityisesti "
        "yksinäisille ikäihmisille, jotka eivät pääse liikkumaan kodin ulkopuolella.",
        ("loneliness", "elderly"),
        ("P4.12", "P4.2"),
        (KYMENLAAKSO,),
        OFFICE,
        groups=("KR1.1",),
    ),
    Svc(
        "olohuone-satama",
        "kotkan-olohuone",
        "Olohuone Satama",
        "Avoin kohtaamispaikka kaikille, joilla on yksinäistä tai jotka kaipaavat seuraa: kahvia, "
        "lehtiä ja juttuseuraa. Päivittäin on ohjattua toimintaa, kuten pelejä, käsitöitä ja "
        "keskusteluryhmä.",
        ("loneliness",),
        ("P4.12", "P25.5"),
        (KOTKA, PYHTAA),
        hours(WEEKDAYS, "10:00", "16:00"),
        (kotka("Olohuone Satama (demo)", "Mallikatu 9"),),
        langs=("fi", "en", "ru"),
    ),
    Svc(
        "kohtaamispaikka-tupa",
        "kouvolan-kohtaamispaikat",
        "Kohtaamispaikka Tupa",
        "Matalan kynnyksen olohuone yksinäisille ja kaikille, jotka kaipaavat seuraa: kahvia, ryhmiä "
        "ja vapaaehtoisia juttukavereita. Keskiviikkoisin on yhteinen lounas.",
        ("loneliness",),
        ("P4.12", "P25.5"),
        (KOUVOLA,),
        hours("MO,TU,WE,TH", "10:00", "15:00"),
        (kouvola("Kohtaamispaikka Tupa (demo)", "Esimerkkitie 8"),),
    ),
    Svc(
        "kylatupa-virolahti",
        "kaakon-kylat",
        "Kylätupa Virojoki",
        "Kylätuvalla kokoonnutaan kahvittelemaan, pelaamaan ja kuulemaan ajankohtaisista asioista, "
        "ettei kenenkään tarvitse olla yksin. Tuvalle järjestetään tarvittaessa kimppakyyti "
        "Miehikkälästä.",
        ("loneliness", "elderly"),
        ("P4.12", "P25.5"),
        (VIROLAHTI, MIEHIKKALA),
        hours("TU", "10:00", "14:00"),
        (Place("Kylätupa (demo)", "Demotie 4", "49900", "Virolahti"),),
    ),
    Svc(
        "kylatupa-pyhtaa",
        "kaakon-kylat",
        "Kylätupa Pyhtää",
        "Kaksikielinen kylätupa, jossa on kahvia, seuraa ja viikoittain vaihtuvaa ohjelmaa. Tervetuloa myös "
        "ruotsinkielisille.",
        ("loneliness",),
        ("P4.12", "P25.5"),
        (PYHTAA,),
        hours("TH", "10:00", "14:00"),
        (Place("Kylätupa (demo)", "Esimerkkitie 11", "49220", "Pyhtää"),),
        langs=("fi", "sv"),
    ),
    Svc(
        "kirjaston-olohuone-kotka",
        "kotkan-kaupunki",
        "Kirjaston olohuone",
        "Pääkirjaston olohuoneessa on ohjaaja paikalla arkipäivisin: voi tulla juttelemaan, lukemaan "
        "ja osallistumaan lukupiiriin tai digineuvontaan. Hyvä paikka tutustua uusiin ihmisiin, jos "
        "olo on yksinäinen.",
        ("loneliness",),
        ("P25.5", "P4.12"),
        (KOTKA,),
        hours(WEEKDAYS, "12:00", "16:00"),
        (kotka("Pääkirjasto (demo)", "Kuvitelmankatu 1"),),
    ),
    Svc(
        "seniorien-kohtaamispaikka-kouvola",
        "kouvolan-kaupunki",
        "Seniorien kohtaamispaikka",
        "Ikäihmisille avoin kohtaamispaikka, jossa on kahvila, jumppaa, lauluhetkiä ja retkiä, ja "
        "apua yksinäisyyteen. Uudet kävijät otetaan vastaan ja esitellään muille.",
        ("loneliness", "elderly"),
        ("P25.5", "P4.12"),
        (KOUVOLA,),
        hours("MO,TU,WE,TH", "09:00", "14:00"),
        (kouvola("Seniorikeskus (demo)", "Mallikatu 21", "45700"),),
        groups=("KR1.1",),
    ),
    Svc(
        "asukastupa-hamina",
        "haminan-kaupunki",
        "Asukastupa",
        "Kaikille avoin asukastupa, jossa voi tavata muita, osallistua ryhmiin ja saada apua arjen "
        "asioihin, jos arki tuntuu yksinäiseltä. Tuvalla on kahvia ja edullinen lounas.",
        ("loneliness", "food_aid"),
        ("P25.5", "P4.12"),
        (HAMINA,),
        hours(WEEKDAYS, "10:00", "14:00"),
        (hamina("Asukastupa (demo)", "Kuvitelmankatu 6"),),
        fees="Maksuton; lounas 4 €.",
    ),
    Svc(
        "vapaaehtoistoiminta-hva",
        HVA,
        "Vapaaehtoistoiminta ikäihmisille",
        "Hyvinvointialueen vapaaehtoiset tarjoavat yksinäisille ikäihmisille seuraa, ulkoiluapua ja "
        "ryhmätoimintaa kotona ja palvelutaloissa. Soita ja kerro, millaista seuraa toivot.",
        ("loneliness", "elderly"),
        ("P4.12", "P4.2"),
        (KYMENLAAKSO,),
        OFFICE,
        groups=("KR1.1",),
    ),
    # --- Youth -------------------------------------------------------------------------------------------
    Svc(
        "etsiva-nuorisotyo-kotka",
        "kotkan-kaupunki",
        "Etsivä nuorisotyö",
        "Etsivä nuorisotyöntekijä auttaa alle 29-vuotiasta, joka on jäänyt ilman opiskelu- tai työpaikkaa "
        "tai tarvitsee tukea asumiseen, raha-asioihin tai jaksamiseen. Yhteyttä voi ottaa itse, "
        "ja tapaaminen sovitaan nuoren toivomaan paikkaan.",
        ("youth",),
        ("P28.4", "P4.13", "P6.4"),
        (KOTKA, PYHTAA),
        hours(WEEKDAYS, "09:00", "16:00"),
        langs=("fi", "en"),
        groups=("KR1.3",),
        eligibility="Alle 29-vuotiaat.",
    ),
    Svc(
        "etsiva-nuorisotyo-kouvola",
        "kouvolan-kaupunki",
        "Etsivä nuorisotyö",
        "Tukea alle 29-vuotiaille nuorille, jotka tarvitsevat apua opiskeluun, työhön, asumiseen tai "
        "arjen hallintaan. Työntekijä kulkee tarvittaessa mukana virastoissa.",
        ("youth",),
        ("P28.4", "P4.13", "P6.4"),
        (KOUVOLA,),
        hours(WEEKDAYS, "09:00", "16:00"),
        groups=("KR1.3",),
        eligibility="Alle 29-vuotiaat.",
    ),
    Svc(
        "etsiva-nuorisotyo-hamina",
        "haminan-kaupunki",
        "Etsivä nuorisotyö",
        "Haminalainen alle 29-vuotias nuori saa etsivältä nuorisotyöntekijältä henkilökohtaista tukea "
        "koulutukseen, työhön ja arjen asioihin.",
        ("youth",),
        ("P28.4", "P4.13", "P6.4"),
        (HAMINA,),
        hours(WEEKDAYS, "09:00", "16:00"),
        groups=("KR1.3",),
        eligibility="Alle 29-vuotiaat.",
    ),
    Svc(
        "etsiva-nuorisotyo-virolahti",
        "virolahden-kunta",
        "Etsivä nuorisotyö Virolahti–Miehikkälä",
        "Yhteinen etsivä nuorisotyöntekijä Virolahden ja Miehikkälän nuorille. Apua opiskelupaikan, työn ja "
        "tukien hakemiseen sekä tukea jaksamiseen.",
        ("youth",),
        ("P28.4", "P4.13", "P6.4"),
        (VIROLAHTI, MIEHIKKALA),
        hours(WEEKDAYS, "09:00", "15:00"),
        groups=("KR1.3",),
        eligibility="Alle 29-vuotiaat.",
    ),
    Svc(
        "ohjaamo-kotka",
        "kotkan-kaupunki",
        "Ohjaamo Kotka",
        "Alle 30-vuotiaiden neuvontapiste: apua työnhakuun, opiskeluun, asunnon hakemiseen, raha-asioihin ja "
        "jaksamiseen samasta paikasta. Voit tulla ilman ajanvarausta.",
        ("youth", "unemployment", "homelessness"),
        ("P28.5", "P6.4", "P10.2", "P10.1"),
        (KOTKA, PYHTAA),
        hours("MO,TU,WE,TH", "10:00", "16:00"),
        (kotka("Ohjaamo (demo)", "Demokatu 11"),),
        langs=("fi", "en"),
        groups=("KR1.3",),
    ),
    Svc(
        "ohjaamo-kouvola",
        "kouvolan-kaupunki",
        "Ohjaamo Kouvola",
        "Alle 30-vuotiaille maksutonta ohjausta työhön, koulutukseen, asumiseen ja arkeen. Ohjaamossa on "
        "paikalla nuoriso-, työllisyys- ja sosiaalialan työntekijöitä.",
        ("youth", "unemployment", "homelessness"),
        ("P28.5", "P6.4", "P10.2", "P10.1"),
        (KOUVOLA,),
        hours("MO,TU,WE,TH", "10:00", "16:00"),
        (kouvola("Ohjaamo (demo)", "Demokatu 6"),),
        langs=("fi", "en"),
        groups=("KR1.3",),
    ),
    Svc(
        "nuorten-ryhmat-kouvola",
        "kymen-nuorisotyo",
        "Nuorten kohtaamispaikka ja ryhmät",
        "Iltaisin avoinna oleva nuorten tila ja pienryhmiä nuorille, jotka kaipaavat kavereita tai "
        "jännittävät ryhmiä. Ohjaajat ovat paikalla ja juttelevat mielellään.",
        ("youth", "loneliness"),
        ("P28.1", "P4.12"),
        (KOUVOLA,),
        hours("MO,TU,WE,TH", "15:00", "20:00"),
        (kouvola("Nuorten tila (demo)", "Esimerkkitie 15"),),
        groups=("KR1.3",),
        eligibility="13–25-vuotiaat.",
    ),
    # --- Elderly people ----------------------------------------------------------------------------------
    Svc(
        "seniorineuvonta-hva",
        HVA,
        "Ikäihmisten neuvonta ja palveluohjaus",
        "Neuvontaa ikäihmisille ja omaisille kotona asumisen tuesta, kotihoidosta, omaishoidosta ja "
        "asumispalveluista. Tarvittaessa työntekijä tulee kotikäynnille arvioimaan palvelutarvetta.",
        ("elderly", "family_carer"),
        ("P4.2", "P4.13"),
        (KYMENLAAKSO,),
        OFFICE,
        langs=("fi", "sv"),
        groups=("KR1.1",),
    ),
    Svc(
        "seniorineuvonta-ry",
        "kymen-ikaihmisten-tuki",
        "Seniorineuvonta ja senioriolohuone",
        "Eläkeläisille neuvontaa etuuksista, asumisesta ja arjen asioista sekä olohuone, jossa voi tavata "
        "muita. Neuvoja auttaa myös hakemusten täyttämisessä.",
        ("elderly", "loneliness"),
        ("P4.2", "P4.12"),
        (KOTKA, PYHTAA),
        hours("MO,TU,WE,TH", "10:00", "14:00"),
        (kotka("Senioriolohuone (demo)", "Kuvitelmankatu 8", "48600"),),
        groups=("KR1.1",),
    ),
    # --- Food aid ----------------------------------------------------------------------------------------
    Svc(
        "ruoka-apu-kotka",
        "kymen-ruoka-apu",
        "Ruoka-apu ja ruokakassit Kotka",
        "Ruokajakelu kaikille, joilla ruoka tai ruokaraha on loppu: hävikkiruokaa ja ruokakasseja ilman "
        "tulojen selvittämistä. Jonoon voi tulla nimettömänä, ja omat kassit kannattaa ottaa mukaan.",
        ("food_aid",),
        ("P4.12", "P4.14"),
        (KOTKA, PYHTAA),
        hours("TU,FR", "12:00", "14:00"),
        (kotka("Ruokajakelu (demo)", "Demokatu 21"),),
        langs=("fi", "en", "ru"),
        eligibility="Kaikille avoin; henkilöllisyyttä tai tuloja ei kysytä.",
    ),
    Svc(
        "ruoka-apu-kouvola",
        "kymen-ruoka-apu",
        "Ruoka-apu ja yhteisöateria Kouvola",
        "Ruokakasseja ja kaupoista lahjoitettua ruokaa jaetaan kahdesti viikossa, ja torstaisin on "
        "maksuton yhteisöateria, jolle voi jäädä syömään yhdessä muiden kanssa. Ruoka-apuun ei tarvita "
        "ajanvarausta.",
        ("food_aid", "loneliness"),
        ("P4.12", "P4.14"),
        (KOUVOLA,),
        hours("MO,TH", "11:00", "14:00"),
        (kouvola("Ruoka-apu (demo)", "Esimerkkitie 24", "45700"),),
        langs=("fi", "uk"),
        eligibility="Kaikille avoin; henkilöllisyyttä tai tuloja ei kysytä.",
    ),
    Svc(
        "ruoka-apu-hamina",
        "kymen-ruoka-apu",
        "Ruokajakelu Hamina",
        "Viikoittainen ruoka-apu Haminassa: ruokakassi ja hävikkileipä niille, joiden rahat eivät riitä "
        "ruokaan. Virolahdelle ja Miehikkälään ruokakasseja viedään kerran kuukaudessa kylätuvalle.",
        ("food_aid",),
        ("P4.12", "P4.14"),
        (HAMINA, VIROLAHTI, MIEHIKKALA),
        hours("WE", "12:00", "14:00"),
        (hamina("Ruokajakelu (demo)", "Kuvitelmankatu 14"),),
        eligibility="Kaikille avoin; henkilöllisyyttä tai tuloja ei kysytä.",
    ),
    Svc(
        "yhteisoateria-hamina",
        "haminan-seurakunta",
        "Diakonian yhteisöateria ja ruoka-apu",
        "Lämmin lounas yhdessä syötynä kerran viikossa sekä diakoniatyöntekijän myöntämä ruoka-apu, kun "
        "ruokaan ei ole rahaa. Kaikki ovat tervetulleita kirkkoon kuulumisesta riippumatta.",
        ("food_aid", "loneliness"),
        ("P4.12", "P4.14"),
        (HAMINA, VIROLAHTI, MIEHIKKALA),
        hours("TH", "11:00", "13:00"),
        (hamina("Seurakuntakeskus (demo)", "Esimerkkitie 19"),),
        langs=("fi", "sv"),
    ),
    Svc(
        "kiireellinen-toimeentulotuki",
        HVA,
        "Kiireellinen toimeentulotuki ja ruoka-apu",
        "Jos rahaa ei ole ruokaan tai välttämättömiin lääkkeisiin eikä apua voi odottaa, "
        "sosiaalityöntekijä arvioi tilanteen samana päivänä ja voi antaa maksusitoumuksen ruokakauppaan "
        "tai apteekkiin. Ohjaa myös lähimpään ruoka-apuun.",
        ("food_aid", "income_support"),
        ("P4.10", "P4.14", "P4.13"),
        (KYMENLAAKSO,),
        OFFICE,
        (KOTKA_SOTE, KOUVOLA_SOTE, HAMINA_SOTE),
        langs=("fi", "sv", "en"),
        eligibility="Kymenlaaksolaiset, joiden rahat eivät riitä välttämättömään ruokaan tai lääkkeisiin.",
    ),
    # --- Gambling ----------------------------------------------------------------------------------------
    Svc(
        "pelaajien-laheiset",
        "raittiin-arjen-tuki",
        "Pelaajien läheisten tuki",
        "Keskusteluapua ja vertaisryhmä niille, joiden puoliso, lapsi tai vanhempi pelaa rahapelejä "
        "hallitsemattomasti. Läheinen saa tukea omaan jaksamiseensa ja neuvoja, miten suojata omat "
        "raha-asiat pelihaitoilta.",
        ("gambling",),
        ("P5.16", "P4.12"),
        (KYMENLAAKSO,),
        hours("TH", "17:00", "19:00"),
        (kouvola("Raittiin Arjen Tuki ry:n kerhotila (demo)", "Demopolku 1"),),
    ),
    Svc(
        "pelihaittachat",
        "verkkoauttamisen-liitto",
        "Pelihaittachat",
        "Nimetön chat omasta tai läheisen rahapelaamisesta, nettikasinoista, vedonlyönnistä ja "
        "digipelaamisesta. Peliongelman asiantuntija auttaa tekemään suunnitelman pelaamisen "
        "lopettamiseksi ja ohjaa hoitoon.",
        ("gambling",),
        ("P5.7", "P5.16"),
        (FINLAND,),
        hours("MO,TU,WE,TH", "12:00", "18:00"),
        langs=("fi", "sv"),
        phone=None,
    ),
    # --- Health care -------------------------------------------------------------------------------------
    Svc(
        "sote-asema-kotka",
        HVA,
        "Sote-asema Kotka: lääkärin ja hoitajan vastaanotto",
        "Terveysasemalla hoidetaan äkilliset sairaudet, pitkäaikaissairauksien seuranta, reseptien "
        "uusiminen ja rokotukset. Soita ajanvaraukseen: sairaanhoitaja arvioi, tarvitsetko lääkärin "
        "vastaanottoa.",
        ("health_care",),
        ("P5.1", "P5.17"),
        (KOTKA, PYHTAA),
        hours(WEEKDAYS, "08:00", "16:00"),
        (KOTKA_SOTE,),
        langs=("fi", "sv", "en"),
        fees="Asiakasmaksu hyvinvointialueen asiakasmaksujen mukaan; alle 18-vuotiaille maksuton.",
    ),
    Svc(
        "sote-asema-kouvola",
        HVA,
        "Sote-asema Kouvola: lääkärin ja hoitajan vastaanotto",
        "Terveysaseman vastaanotolle pääsee äkillisen sairauden, pitkäaikaissairauden, kivun tai "
        "terveyshuolen vuoksi. Ajanvarauksessa sairaanhoitaja arvioi hoidon tarpeen ja varaa ajan "
        "lääkärille tai hoitajalle.",
        ("health_care",),
        ("P5.1", "P5.17"),
        (KOUVOLA,),
        hours(WEEKDAYS, "08:00", "16:00"),
        (KOUVOLA_SOTE,),
        langs=("fi", "en"),
        fees="Asiakasmaksu hyvinvointialueen asiakasmaksujen mukaan; alle 18-vuotiaille maksuton.",
    ),
    Svc(
        "sote-asema-hamina",
        HVA,
        "Sote-asema Hamina: lääkärin ja hoitajan vastaanotto",
        "Haminan, Virolahden ja Miehikkälän asukkaiden terveysasema: lääkärin ja sairaanhoitajan "
        "vastaanotot, reseptit, laboratorio ja rokotukset. Ajanvaraus puhelimitse tai verkossa.",
        ("health_care",),
        ("P5.1", "P5.17"),
        (HAMINA, VIROLAHTI, MIEHIKKALA),
        hours(WEEKDAYS, "08:00", "16:00"),
        (HAMINA_SOTE,),
        fees="Asiakasmaksu hyvinvointialueen asiakasmaksujen mukaan; alle 18-vuotiaille maksuton.",
    ),
    Svc(
        "suun-terveydenhuolto",
        HVA,
        "Suun terveydenhuolto",
        "Hammashoito kaikenikäisille: hammaslääkärin ja suuhygienistin vastaanotot sekä kiireellinen "
        "hoito hammassärkyyn. Soita ajanvaraukseen aamulla, jos hammas on kipeä, niin hoitaja arvioi "
        "kiireellisyyden.",
        ("health_care",),
        ("P5.10",),
        (KYMENLAAKSO,),
        hours(WEEKDAYS, "08:00", "15:00"),
        (
            kotka("Hammashoitola (demo)", "Esimerkkikatu 12"),
            kouvola("Hammashoitola (demo)", "Mallikatu 6"),
            hamina("Hammashoitola (demo)", "Demokatu 9"),
        ),
        langs=("fi", "sv"),
        fees="Asiakasmaksu hyvinvointialueen asiakasmaksujen mukaan; alle 18-vuotiaille maksuton.",
        alternate_name="Hammashoitolat",
    ),
    Svc(
        "terveyspiste",
        "kymen-terveyspiste",
        "Terveyspiste",
        "Sairaanhoitajan vastaanotto ilman ajanvarausta niille, joilla ei ole omaa lääkäriä tai jotka "
        "eivät ole saaneet hoitoa muualta: haavanhoito, verenpaineen mittaus, lääkeneuvonta ja apu "
        "terveysaseman ajan varaamiseen. Voit asioida nimettömänä, eikä kotikuntaa kysytä.",
        ("health_care",),
        ("P5.17", "P5.1"),
        (KYMENLAAKSO,),
        hours("MO,WE", "10:00", "14:00"),
        (kotka("Terveyspiste (demo)", "Demokatu 25"), kouvola("Terveyspiste (demo)", "Demokatu 14")),
        langs=("fi", "en", "ru"),
        eligibility="Kaikille avoin, myös paperittomille ja ilman kotikuntaa oleville.",
    ),
    Svc(
        "pitkaaikaissairaiden-neuvonta",
        "kymen-terveyspiste",
        "Pitkäaikaissairaiden neuvonta",
        "Terveydenhoitaja neuvoo puhelimessa pitkäaikaissairauksien, kuten diabeteksen ja sydänsairauksien, "
        "omahoidossa, lääkekuluissa ja Kelan korvauksissa ja kertoo, milloin hakeutua vastaanotolle.",
        ("health_care",),
        ("P5.17", "P5.15"),
        (KYMENLAAKSO,),
        hours("TU,TH", "09:00", "12:00"),
    ),
    # --- Elderly people and family carers ----------------------------------------------------------------
    Svc(
        "kotihoito",
        HVA,
        "Kotihoito",
        "Kotihoito auttaa ikäihmistä asumaan kotona: hoitaja käy auttamassa lääkkeissä, peseytymisessä ja "
        "arjen asioissa sovitusti, tarvittaessa useita kertoja päivässä. Palvelun tarve arvioidaan "
        "kotikäynnillä, ja yhteyttä voi ottaa myös omainen.",
        ("elderly",),
        ("P4.3", "P5.14", "P4.2"),
        (KYMENLAAKSO,),
        OFFICE,
        langs=("fi", "sv"),
        groups=("KR1.1",),
        fees="Kuukausimaksu tulojen ja palvelun määrän mukaan.",
        eligibility="Palvelun tarve arvioidaan; asiakkaaksi voi hakeutua itse tai omaisen kanssa.",
    ),
    Svc(
        "muistineuvonta-hva",
        HVA,
        "Muistihoitajan vastaanotto",
        "Muistihoitaja tekee muistitestit ja ohjaa tutkimuksiin, kun oma tai läheisen muisti huolestuttaa. "
        "Muistisairauden toteamisen jälkeen muistikoordinaattori tukee ikäihmistä ja omaisia palveluissa.",
        ("elderly",),
        ("P4.2", "P5.14"),
        (KYMENLAAKSO,),
        OFFICE,
        (KOTKA_SOTE, KOUVOLA_SOTE, HAMINA_SOTE),
        groups=("KR1.1",),
    ),
    Svc(
        "muistiyhdistys-neuvonta",
        "kymen-muistiyhdistys",
        "Muistineuvonta ja omaisten ryhmät",
        "Muistisairaille ja heidän omaisilleen neuvontaa muistisairauden kanssa elämisestä, palveluista ja "
        "etuuksista sekä omaisten vertaisryhmiä Kotkassa, Kouvolassa ja Haminassa. Muistiluotsi tekee myös "
        "kotikäyntejä.",
        ("elderly", "family_carer"),
        ("P4.2", "P4.12", "P4.13"),
        (KYMENLAAKSO,),
        OFFICE,
        (kouvola("Muistikeskus (demo)", "Esimerkkitie 27"), hamina("Järjestötalo (demo)", "Demokatu 15")),
        langs=("fi", "sv"),
    ),
    Svc(
        "omaishoitajien-neuvonta",
        "kymen-omaishoitajat",
        "Omaishoitajien neuvonta ja vertaisryhmät",
        "Omaishoitaja, joka hoitaa puolisoa, vanhempaa tai lasta kotona, saa neuvontaa omaishoidon tuesta, "
        "vapaapäivistä ja lyhytaikaishoidosta sekä vertaisryhmän ja virkistystä omaan jaksamiseen. "
        "Neuvontaa saa myös ilman omaishoitosopimusta.",
        ("family_carer", "elderly"),
        ("P5.14", "P4.12", "P4.13"),
        (KYMENLAAKSO,),
        hours("MO,TU,WE,TH", "09:00", "15:00"),
        (
            kotka("Omaishoitajien olohuone (demo)", "Mallikatu 17"),
            kouvola("Omaishoitajien olohuone (demo)", "Esimerkkikatu 18"),
            hamina("Järjestötalo (demo)", "Demokatu 15"),
        ),
        langs=("fi", "sv"),
    ),
    Svc(
        "omaishoitajien-kahvila",
        "kouvolan-seudun-seurakunta",
        "Omaishoitajien kahvila",
        "Kerran kuussa kokoontuva kahvila omaishoitajille: vertaistukea, jaksamista tukevia alustuksia ja "
        "hengähdystauko arjesta. Hoidettavalle järjestetään samaan aikaan seuraa.",
        ("family_carer",),
        ("P4.12", "P5.14"),
        (KOUVOLA,),
        hours("TU", "13:00", "15:00", "kuukauden ensimmäinen ti klo 13–15"),
        (kouvola("Seurakuntatalo (demo)", "Demokatu 2"),),
    ),
    Svc(
        "omaishoidon-tuki",
        HVA,
        "Omaishoidon tuki",
        "Omaishoidon tukeen kuuluvat hoitopalkkio, omaishoitajan vapaapäivät ja hoidettavalle tarvittavat "
        "palvelut. Tukea haetaan hakemuksella, ja omaishoidon ohjaaja arvioi tilanteen kotikäynnillä.",
        ("family_carer", "elderly"),
        ("P5.14", "P4.2", "P4.13"),
        (KYMENLAAKSO,),
        OFFICE,
        langs=("fi", "sv"),
        eligibility="Kotona läheistään hoitavat, kun hoito on sitovaa ja hoidettava asuu Kymenlaaksossa.",
    ),
    Svc(
        "omaishoitajan-vapaat",
        HVA,
        "Omaishoitajan vapaat ja lyhytaikaishoito",
        "Omaishoitaja voi pitää vapaapäiviä, kun hoidettava on lyhytaikaishoidossa hoivakodissa tai "
        "sijaishoitaja tulee kotiin. Lyhytaikaishoitoa voi saada myös omaishoitajan uupuessa.",
        ("family_carer",),
        ("P5.14", "P4.2"),
        (KYMENLAAKSO,),
        OFFICE,
        fees="Hoitopäivämaksu hyvinvointialueen asiakasmaksujen mukaan.",
        eligibility="Omaishoitajat, joilla on omaishoitosopimus; muille palvelutarpeen arvion mukaan.",
    ),
    # --- Families and children ---------------------------------------------------------------------------
    Svc(
        "perheneuvola",
        HVA,
        "Perheneuvola",
        "Perheneuvola auttaa, kun lapsen käytös, kasvatus, vanhemmuus tai perheen riidat huolestuttavat, "
        "sekä erotilanteissa. Yhteyttä voi ottaa itse ilman lähetettä, ja ensimmäinen aika on "
        "tavallisesti muutaman viikon sisällä.",
        ("families",),
        ("P3.7", "P3.6"),
        (KYMENLAAKSO,),
        OFFICE,
        (kotka("Perheneuvola (demo)", "Mallikatu 12"), kouvola("Perheneuvola (demo)", "Mallikatu 10")),
        langs=("fi", "sv", "en"),
        groups=("KR1.2",),
    ),
    Svc(
        "neuvola",
        HVA,
        "Äitiys- ja lastenneuvola",
        "Neuvolassa seurataan raskautta sekä lapsen kasvua ja kehitystä kouluikään asti, ja vanhemmat "
        "saavat tukea vauva-arkeen ja vanhemmuuteen. Neuvolaan voi soittaa, kun raskaus on alkanut tai "
        "lapsen voinnista herää kysyttävää.",
        ("families",),
        ("P5.2",),
        (KYMENLAAKSO,),
        hours(WEEKDAYS, "08:00", "15:00"),
        (KOTKA_SOTE, KOUVOLA_SOTE, HAMINA_SOTE),
        langs=("fi", "sv", "en"),
        groups=("KR1.2",),
    ),
    Svc(
        "perhetyo-hva",
        HVA,
        "Lapsiperheiden perhetyö ja kotipalvelu",
        "Perhetyöntekijä tulee kotiin tukemaan vanhemmuutta, arjen rytmiä ja lasten hoitoa, kun perheen "
        "voimat ovat vähissä. Lapsiperheiden kotipalvelua voi hakea esimerkiksi vanhemman sairauden tai "
        "uupumuksen vuoksi.",
        ("families",),
        ("P3.6", "P3.8"),
        (KYMENLAAKSO,),
        OFFICE,
        langs=("fi", "sv"),
        groups=("KR1.2",),
        fees="Perhetyö on maksutonta; kotipalvelusta peritään maksu tulojen mukaan.",
    ),
    Svc(
        "lastenvalvoja",
        HVA,
        "Lastenvalvoja",
        "Lastenvalvoja auttaa eroavia vanhempia sopimaan lapsen huoltajuudesta, asumisesta, "
        "tapaamisoikeudesta ja elatusavusta ja vahvistaa sopimuksen. Myös isyyden tunnustaminen "
        "hoidetaan lastenvalvojalla.",
        ("families",),
        ("P3.5",),
        (KYMENLAAKSO,),
        OFFICE,
        (KOTKA_SOTE, KOUVOLA_SOTE),
        langs=("fi", "sv"),
        groups=("KR1.2",),
    ),
    Svc(
        "perhekeskus-pesa",
        "kymen-perhekeskus",
        "Perhekeskus Pesä",
        "Lapsiperheiden kohtaamispaikka: avoin perhekahvila, vauva- ja vanhempainryhmiä sekä "
        "perheohjaajan maksuton keskusteluapu kasvatukseen ja vanhemmuuteen. Tervetuloa myös "
        "yksinhuoltajat ja odottavat perheet.",
        ("families", "loneliness"),
        ("P3.7", "P3.6", "P4.12"),
        (KOTKA, PYHTAA),
        hours("MO,TU,WE,TH", "09:00", "14:00"),
        (kotka("Perhekeskus Pesä (demo)", "Kuvitelmankatu 16"),),
        langs=("fi", "en", "ru"),
        groups=("KR1.2",),
    ),
    Svc(
        "perhekahvila-kouvola",
        "kymen-perhekeskus",
        "Perhekahvila ja vertaisryhmät Kouvola",
        "Perhekahvilassa vanhemmat ja lapset tapaavat muita perheitä, ja perheohjaajan kanssa voi jutella "
        "kasvatuksesta, uhmaiästä tai väsymyksestä. Lisäksi isä-lapsi-ryhmä ja yksinhuoltajien "
        "vertaisryhmä.",
        ("families", "loneliness"),
        ("P3.6", "P3.7", "P4.12"),
        (KOUVOLA,),
        hours("TU,TH", "09:30", "12:30"),
        (kouvola("Perhekahvila (demo)", "Kuvitelmankatu 11"),),
        groups=("KR1.2",),
    ),
    Svc(
        "eroperheiden-tuki",
        "kymen-perhekeskus",
        "Eroperheiden tuki",
        "Eroa harkitseville ja eronneille vanhemmille keskusteluapua, vertaisryhmiä ja tukea lasten "
        "asioista sopimiseen. Lisäksi valvotut tapaamiset ja vaihdot, kun lapsen tapaamisoikeus vaatii "
        "turvallisen paikan.",
        ("families",),
        ("P3.5", "P3.7", "P3.1"),
        (KYMENLAAKSO,),
        OFFICE,
        (kotka("Perhekeskus Pesä (demo)", "Kuvitelmankatu 16"), hamina("Järjestötalo (demo)", "Demokatu 15")),
        langs=("fi", "en"),
        groups=("KR1.2",),
        fees="Keskusteluapu ja ryhmät maksuttomia; valvotut tapaamiset sosiaalitoimen päätöksellä.",
    ),
    Svc(
        "perheasiain-neuvottelukeskus",
        "kotkan-seudun-seurakunta",
        "Perheasiain neuvottelukeskus",
        "Pari- ja perheterapeuttista keskusteluapua parisuhteen kriiseihin, erotilanteisiin ja perheen "
        "ristiriitoihin. Palvelu on luottamuksellista ja avoin kaikille kirkkoon kuulumisesta riippumatta.",
        ("families",),
        ("P3.1", "P3.7"),
        (KYMENLAAKSO,),
        OFFICE,
        (kotka("Seurakuntakeskus (demo)", "Mallikatu 3"),),
        langs=("fi", "sv"),
    ),
    # --- Disability --------------------------------------------------------------------------------------
    Svc(
        "vammaispalvelut-hva",
        HVA,
        "Vammaispalvelujen sosiaalityö ja palveluohjaus",
        "Vammaispalvelujen sosiaalityöntekijä arvioi palvelujen tarpeen ja tekee päätökset esimerkiksi "
        "kuljetuspalvelusta, asunnon muutostöistä ja päivätoiminnasta. Yhteyttä voi ottaa vammainen "
        "itse tai hänen läheisensä.",
        ("disability",),
        ("P4.4", "P4.13"),
        (KYMENLAAKSO,),
        OFFICE,
        (KOTKA_SOTE, KOUVOLA_SOTE, HAMINA_SOTE),
        langs=("fi", "sv"),
        groups=("KR1.6",),
    ),
    Svc(
        "henkilokohtainen-apu",
        HVA,
        "Henkilökohtainen apu",
        "Henkilökohtainen apu tukee vaikeavammaista ihmistä arjessa, työssä, opiskelussa ja harrastuksissa. "
        "Avustajan voi palkata itse työnantajana, tai apu järjestetään palvelusetelillä.",
        ("disability",),
        ("P4.5", "P4.4"),
        (KYMENLAAKSO,),
        OFFICE,
        groups=("KR1.6",),
        eligibility="Vaikeavammaiset, joiden avun tarve johtuu vammasta; päätös tehdään hakemuksesta.",
    ),
    Svc(
        "kehitysvammapalvelut",
        HVA,
        "Kehitysvammaisten palvelut",
        "Kehitysvammaisille ja heidän perheilleen ohjausta, asumisen tukea, päivä- ja työtoimintaa sekä "
        "lyhytaikaishoitoa. Palveluohjaaja auttaa suunnittelemaan palvelut yhdessä perheen kanssa.",
        ("disability",),
        ("P4.7", "P4.4"),
        (KYMENLAAKSO,),
        OFFICE,
        groups=("KR1.6",),
    ),
    Svc(
        "apuvalinepalvelut",
        HVA,
        "Apuvälinepalvelut",
        "Lainaa apuvälineitä, kuten rollaattoreita, pyörätuoleja ja suihkutuoleja, sekä neuvoo niiden "
        "käytössä. Fysioterapeutti arvioi tarpeen; lyhytaikaiseen lainaan ei tarvita lähetettä.",
        ("disability", "elderly"),
        ("P5.13", "P4.4"),
        (KYMENLAAKSO,),
        hours(WEEKDAYS, "09:00", "14:00"),
        (
            kotka("Apuvälinelainaamo (demo)", "Esimerkkikatu 30", "48210"),
            kouvola("Apuvälinelainaamo (demo)", "Mallikatu 14"),
        ),
    ),
    Svc(
        "vammaisneuvonta-ry",
        "kymen-vammaisneuvonta",
        "Vammaisneuvonta",
        "Maksutonta neuvontaa vammaisille ihmisille ja heidän läheisilleen vammaispalveluista, "
        "henkilökohtaisesta avusta, kuljetuspalvelusta ja Kelan etuuksista. Neuvoja auttaa myös "
        "hakemusten ja valitusten tekemisessä.",
        ("disability",),
        ("P4.4", "P4.13"),
        (KYMENLAAKSO,),
        hours("MO,TU,WE,TH", "09:00", "15:00"),
        (kotka("Järjestötalo (demo)", "Demopolku 5"), kouvola("Järjestötalo (demo)", "Demopolku 9")),
        langs=("fi", "sv", "en"),
        groups=("KR1.6",),
    ),
    Svc(
        "kehitysvammaisten-tuki-ry",
        "kymen-vammaisneuvonta",
        "Kehitysvammaisten ja omaisten vertaistuki",
        "Kehitysvammaisille aikuisille kerhoja ja vertaisryhmiä sekä omaisille ja läheisille "
        "keskusteluryhmiä, joissa jaetaan kokemuksia palveluista ja arjesta.",
        ("disability", "loneliness"),
        ("P4.7", "P4.12"),
        (KYMENLAAKSO,),
        hours("WE", "17:00", "19:00"),
        (hamina("Järjestötalo (demo)", "Demokatu 15"),),
        groups=("KR1.6",),
    ),
    # --- Crime victims -----------------------------------------------------------------------------------
    Svc(
        "rikosuhrien-auttava-puhelin",
        "rikosuhrien-tukilinja",
        "Rikosuhrien auttava puhelin",
        "Valtakunnallinen auttava puhelin rikoksen uhrille, läheisille ja todistajille: ryöstö, petos, "
        "huijaus, murto, pahoinpitely tai seksuaalirikos, myös vuosia sitten tapahtunut. Päivystäjä "
        "neuvoo rikosilmoituksessa ja oikeusavussa ja välittää tarvittaessa tukihenkilön.",
        ("crime_victim",),
        ("P7.5", "P4.13", "P7.4"),
        (FINLAND,),
        hours(WEEKDAYS, "13:00", "21:00"),
        langs=("fi", "sv", "en"),
        eligibility="Kaikille; voit soittaa nimettömänä.",
    ),
    Svc(
        "rikosilmoitus-poliisi",
        "kaakkois-suomen-poliisilaitos",
        "Rikosilmoitus ja poliisin lupa- ja neuvontapalvelut",
        "Rikosilmoituksen esimerkiksi petoksesta, huijauksesta, varkaudesta, murrosta tai pahoinpitelystä "
        "voi tehdä verkossa tai poliisiasemalla. Poliisi neuvoo, mitä rikosilmoituksen jälkeen tapahtuu. "
        "Hätätilanteessa soita aina 112.",
        ("crime_victim",),
        ("P7.5",),
        (KYMENLAAKSO,),
        hours(WEEKDAYS, "09:00", "16:00"),
        (
            kotka("Poliisiasema (demo)", "Kuvitelmankatu 20"),
            kouvola("Poliisiasema (demo)", "Kuvitelmankatu 15"),
            hamina("Poliisiasema (demo)", "Mallikatu 19"),
        ),
        langs=("fi", "sv", "en"),
        phone_note="Neuvonta virka-aikana; hätätilanteessa 112.",
    ),
    Svc(
        "oikeusapu",
        "kaakkois-suomen-oikeusapupiiri",
        "Yleinen oikeusapu",
        "Oikeusaputoimiston julkinen oikeusavustaja neuvoo ja avustaa oikeudellisissa asioissa, esimerkiksi "
        "rikoksen uhrina oikeudenkäynnissä, vahingonkorvausten hakemisessa tai perheasioissa. Oikeusapu "
        "on pienituloisille maksutonta tai osittain maksullista.",
        ("crime_victim",),
        ("P7.4",),
        (KYMENLAAKSO,),
        OFFICE,
        (
            kotka("Oikeusaputoimisto (demo)", "Esimerkkikatu 24"),
            kouvola("Oikeusaputoimisto (demo)", "Mallikatu 23"),
        ),
        langs=("fi", "sv"),
        fees="Maksuton tai omavastuu tulojen mukaan; neuvonta puhelimessa on maksutonta.",
    ),
    Svc(
        "talous-ja-velkaneuvonta-oikeusapu",
        "kaakkois-suomen-oikeusapupiiri",
        "Talous- ja velkaneuvonta (oikeusaputoimisto)",
        "Talous- ja velkaneuvoja auttaa, kun velat, ulosotto tai maksuhäiriömerkintä painavat: "
        "maksuohjelma ja sovintoehdotus velkojille, velkajärjestelyhakemus ja apu budjetin tekoon. "
        "Neuvonta on maksutonta ja luottamuksellista.",
        ("debt",),
        ("P15.1", "P15.5", "P15.3"),
        (KYMENLAAKSO,),
        OFFICE,
        (
            kotka("Oikeusaputoimisto (demo)", "Esimerkkikatu 24"),
            kouvola("Oikeusaputoimisto (demo)", "Mallikatu 23"),
        ),
        langs=("fi", "sv"),
    ),
    # --- Youth -------------------------------------------------------------------------------------------
    Svc(
        "ohjaamo-hamina",
        "haminan-kaupunki",
        "Ohjaamo Hamina",
        "Alle 30-vuotiaiden matalan kynnyksen ohjauspiste: apua opiskelupaikan ja työn hakemiseen, "
        "ammatinvalintaan, asumiseen ja raha-asioihin. Ohjaamoon voi tulla ilman ajanvarausta.",
        ("youth", "unemployment"),
        ("P28.5", "P6.4", "P10.2", "P10.1"),
        (HAMINA, VIROLAHTI, MIEHIKKALA),
        hours("TU,WE,TH", "10:00", "16:00"),
        (hamina("Ohjaamo (demo)", "Kuvitelmankatu 3"),),
        langs=("fi", "en"),
        groups=("KR1.3",),
    ),
    Svc(
        "nuorten-tulevaisuusvalmennus",
        "kymen-nuorisotyo",
        "Nuorten tulevaisuusvalmennus",
        "Valmentaja tukee 16–29-vuotiasta nuorta, joka on keskeyttänyt koulun, on ilman opiskelupaikkaa "
        "tai työtä tai ei tiedä, mitä haluaa tehdä. Yhdessä kokeillaan eri aloja, haetaan opiskelupaikkaa "
        "ja harjoitellaan arjen taitoja.",
        ("youth", "unemployment"),
        ("P6.4", "P10.2", "P4.13"),
        (KYMENLAAKSO,),
        OFFICE,
        (
            kotka("Nuorten tila (demo)", "Demokatu 19"),
            kouvola("Nuorten tila (demo)", "Esimerkkitie 15"),
            hamina("Nuorten tila (demo)", "Esimerkkitie 9"),
        ),
        langs=("fi", "en"),
        groups=("KR1.3",),
        eligibility="16–29-vuotiaat.",
    ),
    # --- Income support ----------------------------------------------------------------------------------
    Svc(
        "kela-palvelupiste-kouvola",
        "kela",
        "Kelan palvelupiste Kouvola",
        "Apua Kelan etuuksien, kuten perustoimeentulotuen, asumistuen, sairauspäivärahan ja "
        "työttömyysetuuksien, hakemiseen ja päätösten selvittämiseen. Asioida voi ajanvarauksella tai "
        "ilman.",
        ("income_support",),
        ("P4.10", "P1.4", "P10.6", "P13.1"),
        (KOUVOLA,),
        hours(WEEKDAYS, "09:00", "16:00"),
        (kouvola("Kelan palvelupiste (demo)", "Esimerkkikatu 14"),),
        fees="Hakeminen on maksutonta.",
        langs=("fi", "sv", "en"),
    ),
    Svc(
        "kela-palvelupiste-hamina",
        "kela",
        "Kelan palvelupiste Hamina",
        "Kelan palvelupisteessä neuvotaan etuuksissa, kuten toimeentulotuessa, asumistuessa ja "
        "kuntoutusrahassa, ja autetaan hakemusten ja liitteiden kanssa. Avoinna kolmena päivänä viikossa.",
        ("income_support",),
        ("P4.10", "P1.4", "P10.6", "P13.1"),
        (HAMINA, VIROLAHTI, MIEHIKKALA),
        hours("MO,WE,TH", "09:00", "15:00"),
        (hamina("Kelan palvelupiste (demo)", "Mallikatu 13"),),
        fees="Hakeminen on maksutonta.",
        langs=("fi", "sv"),
    ),
    Svc(
        "kela-elake",
        "kela",
        "Kansaneläke ja takuueläke",
        "Kansaneläke ja takuueläke turvaavat toimeentuloa, kun työeläke on pieni tai sitä ei ole. "
        "Kelan neuvonta auttaa selvittämään, mitä eläkkeitä ja tukia voi hakea.",
        ("income_support", "elderly"),
        ("P13.1",),
        (FINLAND,),
        hours(WEEKDAYS, "09:00", "16:00"),
        fees="Hakeminen on maksutonta.",
        langs=("fi", "sv", "en"),
    ),
    Svc(
        "aikuissosiaalityo",
        HVA,
        "Aikuissosiaalityö ja sosiaaliohjaus",
        "Sosiaaliohjaaja auttaa, kun rahat eivät riitä elämiseen, Kelan tukipäätös on kielteinen tai "
        "elämäntilanne on sekaisin. Yhdessä selvitetään toimeentulo, haettavat tuet ja tarvittava muu "
        "apu.",
        ("income_support",),
        ("P4.13", "P4.10"),
        (KYMENLAAKSO,),
        OFFICE,
        (KOTKA_SOTE, KOUVOLA_SOTE, HAMINA_SOTE),
        langs=("fi", "sv", "en"),
        eligibility="Täysi-ikäiset kymenlaaksolaiset.",
    ),
    Svc(
        "etuusneuvonta-ry",
        "kymen-talousapu",
        "Etuusneuvonta",
        "Neuvoja auttaa selvittämään, mitä tukia voit saada, ja täyttämään Kelan hakemukset, esimerkiksi "
        "toimeentulotuen, asumistuen tai sairauspäivärahan. Apua saa myös kielteisen päätöksen "
        "oikaisupyyntöön.",
        ("income_support",),
        ("P4.13", "P4.10", "P10.6"),
        (KYMENLAAKSO,),
        hours("MO,TU,WE,TH", "10:00", "14:00"),
        (
            kotka("Talousapu (demo)", "Esimerkkikatu 5"),
            kouvola("Talousapu (demo)", "Esimerkkikatu 9"),
            hamina("Talousapu (demo)", "Esimerkkitie 1"),
        ),
        langs=("fi", "en", "ru"),
    ),
    # --- Work and unemployment ---------------------------------------------------------------------------
    Svc(
        "tyollisyyspalvelut-kotka-hamina",
        "kotkan-kaupunki",
        "Kotka–Haminan seudun työllisyyspalvelut",
        "Työttömäksi jäävä ilmoittautuu työnhakijaksi työllisyyspalveluihin, jotta työttömyysetuus voidaan "
        "maksaa. Asiantuntija tekee kanssasi työnhakusuunnitelman ja auttaa työnhaussa, koulutuksessa ja "
        "palkkatuessa.",
        ("unemployment",),
        ("P10.1", "P10.6", "P10.7"),
        (KOTKA, HAMINA, PYHTAA, VIROLAHTI, MIEHIKKALA),
        hours(WEEKDAYS, "09:00", "16:00"),
        (
            kotka("Työllisyyspalvelut (demo)", "Kuvitelmankatu 22"),
            hamina("Työllisyyspalvelut (demo)", "Mallikatu 13"),
        ),
        langs=("fi", "sv", "en"),
        alternate_name="Entiset TE-palvelut",
    ),
    Svc(
        "tyollisyyspalvelut-kouvola",
        "kouvolan-kaupunki",
        "Kouvolan työllisyyspalvelut",
        "Työnhakijaksi ilmoittautuminen, työnhakusuunnitelma, työvoimakoulutus ja palkkatuki. Lomautetut ja "
        "työttömät saavat neuvontaa myös työttömyysturvasta, kuten työmarkkinatuesta ja "
        "ansiopäivärahasta.",
        ("unemployment",),
        ("P10.1", "P10.6", "P10.7"),
        (KOUVOLA,),
        hours(WEEKDAYS, "09:00", "16:00"),
        (kouvola("Työllisyyspalvelut (demo)", "Mallikatu 25"),),
        langs=("fi", "sv", "en"),
        alternate_name="Entiset TE-palvelut",
    ),
    Svc(
        "kuntouttava-tyotoiminta",
        HVA,
        "Kuntouttava työtoiminta",
        "Pitkään työttömänä olleelle tai työelämästä syrjään jääneelle mahdollisuus harjoitella työtä ja "
        "arjen rytmiä muutamana päivänä viikossa. Ohjaaja tukee työkyvyn arvioinnissa ja seuraavissa "
        "askelissa.",
        ("unemployment",),
        ("P10.7", "P4.8", "P10.4"),
        (KYMENLAAKSO,),
        OFFICE,
        fees="Maksuton; osallistujalle maksetaan kulukorvaus.",
        eligibility="Työttömät, joille se sovitaan aktivointisuunnitelmassa.",
    ),
    Svc(
        "tyopaja-kouvola",
        "kouvolan-kaupunki",
        "Työpaja",
        "Työpajalla voi harjoitella töitä puu-, metalli-, keittiö- ja kierrätyspuolella ja saada "
        "valmennusta työnhakuun tai opiskeluun. Sopii nuorille ja aikuisille työttömille.",
        ("unemployment", "youth"),
        ("P10.7", "P10.4", "P6.4"),
        (KOUVOLA,),
        hours(WEEKDAYS, "08:00", "14:30"),
        (kouvola("Työpaja (demo)", "Esimerkkitie 30", "45700"),),
        langs=("fi", "en"),
    ),
    Svc(
        "tyopaja-hamina",
        "haminan-kaupunki",
        "Työpaja Hamina",
        "Valmennusta työhön ja koulutukseen käytännön töiden kautta: ompelimo, keittiö ja kiinteistötyöt. "
        "Pajalla voi olla työkokeilussa, kuntouttavassa työtoiminnassa tai palkkatuella.",
        ("unemployment", "youth"),
        ("P10.7", "P6.4"),
        (HAMINA,),
        hours(WEEKDAYS, "08:00", "14:00"),
        (hamina("Työpaja (demo)", "Esimerkkitie 17"),),
    ),
    Svc(
        "kela-tyottomyysturva",
        "kela",
        "Työttömyysturva: työmarkkinatuki ja peruspäiväraha",
        "Työtön työnhakija voi saada Kelasta työmarkkinatukea tai peruspäivärahaa, jos ei kuulu "
        "työttömyyskassaan. Ansiopäivärahaa haetaan omasta työttömyyskassasta.",
        ("unemployment", "income_support"),
        ("P10.6",),
        (FINLAND,),
        hours(WEEKDAYS, "09:00", "16:00"),
        fees="Hakeminen on maksutonta.",
        langs=("fi", "sv", "en"),
    ),
    Svc(
        "tyottomien-kohtaamispaikka",
        "kymen-tyottomat",
        "Työttömien kohtaamispaikka ja neuvonta",
        "Työttömien yhdistyksen kohtaamispaikassa on edullinen lounas, vertaistukea ja neuvontaa "
        "työttömyysturvasta ja muista etuuksista. Neuvoja auttaa työhakemusten, ansioluettelon ja "
        "Kelan lomakkeiden kanssa.",
        ("unemployment", "income_support", "loneliness"),
        ("P10.8", "P10.6", "P10.1"),
        (KYMENLAAKSO,),
        hours(WEEKDAYS, "09:00", "14:00"),
        (
            kotka("Työttömien talo (demo)", "Demokatu 17"),
            kouvola("Työttömien talo (demo)", "Demokatu 10"),
            hamina("Työttömien talo (demo)", "Kuvitelmankatu 10"),
        ),
        fees="Neuvonta maksuton; lounas 3 €.",
    ),
    Svc(
        "tyonhakuklubi",
        "kymen-tyottomat",
        "Työnhakuklubi",
        "Viikoittainen ryhmä, jossa haetaan töitä yhdessä: piilotyöpaikat, ansioluettelo, työhaastatteluun "
        "valmistautuminen ja verkostot. Mukaan pääsee ilmoittautumatta.",
        ("unemployment",),
        ("P10.1", "P10.8"),
        (KOTKA, PYHTAA),
        hours("WE", "10:00", "12:00"),
        (kotka("Työttömien talo (demo)", "Demokatu 17"),),
        langs=("fi", "en"),
    ),
    # --- Moved to Finland --------------------------------------------------------------------------------
    Svc(
        "kotoutumispalvelut-kotka",
        "kotkan-kaupunki",
        "Maahanmuuttajien neuvonta ja kotoutumispalvelut",
        "Maahan muuttaneille neuvontaa kotoutumisesta, oleskeluluvista, asumisesta, koulutuksesta ja "
        "työstä sekä kotoutumissuunnitelma. Neuvontaa saa useilla kielillä, tarvittaessa tulkin avulla.",
        ("immigrants",),
        ("P4.11", "P22.2", "P22.1"),
        (KOTKA, PYHTAA),
        OFFICE,
        (kotka("Kaupungintalo (demo)", "Mallikatu 2"),),
        langs=("fi", "en", "ru", "uk", "ar"),
    ),
    Svc(
        "kotoutumispalvelut-kouvola",
        "kouvolan-kaupunki",
        "Kotoutumispalvelut",
        "Kouvolaan muuttaneiden maahanmuuttajien palveluohjaus: kotoutumissuunnitelma, kielikoulutukseen "
        "ohjaaminen ja apu viranomaisasioissa, kuten oleskelulupa- ja Kela-asioissa.",
        ("immigrants",),
        ("P4.11", "P22.2", "P22.3"),
        (KOUVOLA,),
        OFFICE,
        (kouvola("Kaupungintalo (demo)", "Esimerkkikatu 1"),),
        langs=("fi", "en", "ru", "uk"),
    ),
    Svc(
        "kotoutumispalvelut-hamina",
        "haminan-kaupunki",
        "Kotoutumisen neuvonta",
        "Neuvontaa Haminaan, Virolahdelle ja Miehikkälään muuttaneille: kotoutumissuunnitelma, "
        "kielikurssit, koulut ja päiväkodit sekä viranomaisasiointi. Aika sovitaan puhelimitse, tulkki "
        "varataan tarvittaessa.",
        ("immigrants",),
        ("P4.11", "P22.3"),
        (HAMINA, VIROLAHTI, MIEHIKKALA),
        hours("MO,WE", "09:00", "15:00"),
        (hamina("Kaupungintalo (demo)", "Mallikatu 5"),),
        langs=("fi", "en", "ru"),
    ),
    Svc(
        "asioimistulkkaus",
        HVA,
        "Asioimistulkkaus",
        "Sosiaali- ja terveyspalveluissa asiakkaalle varataan maksuton tulkki, kun yhteistä kieltä ei ole. "
        "Tulkkaus onnistuu paikan päällä, puhelimessa tai videolla; pyydä tulkkia ajanvarauksen "
        "yhteydessä.",
        ("immigrants",),
        ("P7.10", "P4.11"),
        (KYMENLAAKSO,),
        OFFICE,
        langs=("fi", "sv", "en", "ru", "uk", "ar"),
    ),
    Svc(
        "monikielinen-neuvonta",
        "kymen-monikulttuuriset",
        "Monikielinen neuvonta",
        "Neuvontaa omalla kielellä maahan muuttaneille: apua viranomaisten kirjeiden ymmärtämiseen, "
        "oleskelulupa- ja perheenyhdistämishakemuksiin, rekisteröitymiseen sekä Kelan ja koulujen "
        "asioihin.",
        ("immigrants",),
        ("P4.11", "P22.1", "P7.10"),
        (KYMENLAAKSO,),
        hours("MO,TU,WE,TH", "10:00", "16:00"),
        (
            kotka("Monikulttuurinen keskus (demo)", "Demokatu 23"),
            kouvola("Monikulttuurinen keskus (demo)", "Mallikatu 27"),
        ),
        langs=("fi", "en", "ru", "uk", "ar"),
    ),
    Svc(
        "suomen-kielen-kurssit",
        "kymen-monikulttuuriset",
        "Suomen kielen kurssit ja keskusteluryhmät",
        "Maksuttomia suomen kielen kursseja alkeista jatkotasolle sekä keskusteluryhmiä, joissa "
        "harjoitellaan arjen suomea. Kielikurssille voi tulla myös odottaessaan kotoutumiskoulutusta.",
        ("immigrants", "loneliness"),
        ("P22.3", "P4.11"),
        (KYMENLAAKSO,),
        hours("MO,WE", "17:00", "19:00"),
        (
            kotka("Monikulttuurinen keskus (demo)", "Demokatu 23"),
            kouvola("Monikulttuurinen keskus (demo)", "Mallikatu 27"),
            hamina("Kirjasto (demo)", "Kuvitelmankatu 5"),
        ),
        langs=("fi", "en", "ru", "uk", "ar"),
    ),
    # --- Close ones of people who use substances -----------------------------------------------------
    Svc(
        "laheisneuvonta-paihteet",
        "kymen-paihdetyo",
        "Läheisneuvonta",
        "Keskusteluapua omaisille ja läheisille, joiden puoliso, lapsi tai vanhempi käyttää alkoholia tai "
        "huumeita liikaa. Läheinen voi tulla yksin, eikä päihteitä käyttävän tarvitse olla hoidossa.",
        ("substance_use",),
        ("P5.7", "P5.16"),
        (KYMENLAAKSO,),
        hours(WEEKDAYS, "09:00", "16:00"),
        (
            kouvola("Päihdeneuvola (demo)", "Kuvitelmankatu 9", "45700"),
            hamina("Päihdeneuvola (demo)", "Mallikatu 11"),
        ),
        alternate_name="Läheistuki",
    ),
)


# ------------------------------------------------------------------------------------------ JSON build
def uid(*parts: str) -> str:
    """A deterministic uuid5 from the fixed namespace and a stable path of slugs."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def demo_url(*parts: str) -> str:
    return f"https://{DEMO_HOST}/{'/'.join(parts)}"


def taxonomy_attribute(owner: str, taxonomy: str, code: str, name: str, description: str) -> Json:
    term_id = uid("taxonomy_term", taxonomy, code)
    term: Json = {
        "id": term_id,
        "taxonomy": taxonomy,
        "code": code,
        "name": name,
        "description": description,
        "language": "fi",
    }
    if taxonomy in codes.SCHEMES:
        term["term_uri"] = f"{codes.SCHEMES[taxonomy]}/code/{code}"
    return {"id": uid(owner, "attribute", taxonomy, code), "taxonomy_term_id": term_id, "taxonomy_term": term}


def code_attribute(owner: str, taxonomy: str, code: str) -> Json:
    item = codes.taxonomy_code(taxonomy, code)
    if item is None:
        raise ValueError(f"{owner}: unknown {taxonomy} code {code}")
    kind = "PTV-palveluluokka" if taxonomy == "ptvserclass2" else "PTV-kohderyhmä"
    return taxonomy_attribute(owner, taxonomy, code, item.name_fi, f"{kind} {code}: {item.name_fi}")


def organization(org: Org) -> Json:
    owner = f"organization/{org.slug}"
    return {
        "id": uid(owner),
        "name": org.name,
        "description": org.description,
        "website": org.website or demo_url(org.slug),
        "attributes": [
            taxonomy_attribute(
                owner,
                "ptv_organization_type",
                org.kind,
                ORG_TYPE_NAMES[org.kind],
                f"PTV-organisaatiotyyppi: {ORG_TYPE_NAMES[org.kind]}",
            )
        ],
    }


def service_area(owner: str, token: str) -> Json:
    area_id = uid(owner, "service_area", token)
    if token == FINLAND:
        return {"id": area_id, "name": "Koko Suomi", "extent_type": "text", "extent": "FI"}
    scheme, code = ("hyvinvointialue", token.split(":")[1]) if token.startswith("hva:") else ("kunta", token)
    item = codes.codes(scheme)[code]
    return {"id": area_id, "name": item.name_fi, "uri": item.uri}


def schedule(owner: str, h: Hours) -> Json:
    return {
        "id": uid(owner, "schedule", "0"),
        "freq": "WEEKLY",
        "byday": h.byday,
        "opens_at": h.opens,
        "closes_at": h.closes,
        "description": h.description,
    }


def languages(owner: str, langs: Iterable[str]) -> list[Json]:
    return [
        {"id": uid(owner, "language", code), "name": LANGUAGE_NAMES[code], "code": code} for code in langs
    ]


def service_at_location(owner: str, index: int, place: Place) -> Json:
    sal = f"{owner}/service_at_location/{index}"
    address = {
        "id": uid(sal, "address"),
        "address_1": place.street,
        "city": place.city,
        "postal_code": place.postal_code,
        "state_province": "Kymenlaakso",
        "country": "FI",
        "address_type": "physical",
    }
    location = {
        "id": uid(sal, "location"),
        "location_type": "physical",
        "name": place.name,
        "addresses": [address],
    }
    return {"id": uid(sal), "location": location}


def phone_number(svc: Svc, fictional_index: int) -> str:
    return f"040 000 0{fictional_index:03d}" if svc.phone == "demo" else str(svc.phone)


def phones(owner: str, svc: Svc, fictional_index: int) -> list[Json]:
    if svc.phone is None:
        return []
    default = "Päivystää ympäri vuorokauden." if svc.hours == ALWAYS else "Neuvonta ja ajanvaraus."
    note = svc.phone_note or default
    return [
        {
            "id": uid(owner, "phone", "0"),
            "number": phone_number(svc, fictional_index),
            "type": "voice",
            "description": note,
        }
    ]


def service(svc: Svc, org: Org, fictional_index: int) -> Json:
    owner = f"service/{svc.slug}"
    record: Json = {"id": uid(owner), "organization_id": uid(f"organization/{org.slug}"), "name": svc.name}
    if svc.alternate_name:
        record["alternate_name"] = svc.alternate_name
    record["description"] = svc.description if svc.real else f"{svc.description} {DEMO_NOTE}"
    if svc.url or not svc.real:
        record["url"] = svc.url or demo_url(org.slug, svc.slug)
    if not svc.real:
        record["email"] = f"{svc.slug}@{DEMO_HOST}"
    record["status"] = "active"
    if svc.eligibility:
        record["eligibility_description"] = svc.eligibility
    if svc.fees:
        record["fees_description"] = svc.fees
    record["last_modified"] = LAST_MODIFIED
    record["organization"] = organization(org)
    record["phones"] = phones(owner, svc, fictional_index)
    record["schedules"] = [schedule(owner, svc.hours)]
    record["service_areas"] = [service_area(owner, token) for token in svc.areas]
    record["service_at_locations"] = [service_at_location(owner, i, p) for i, p in enumerate(svc.places)]
    record["languages"] = languages(owner, svc.langs)
    record["attributes"] = [code_attribute(owner, "ptvserclass2", c) for c in svc.classes] + [
        code_attribute(owner, "ptvkohderyhmat", g) for g in svc.groups
    ] + [profile_attribute(owner, taxonomy, code) for taxonomy, code in profile_flags(svc)]
    return record


_REFERRAL = re.compile(r"\blähet(e|teen|teellä)\b")
_NO_REFERRAL = re.compile(r"\b(ei|ilman) lähetettä\b")


def profile_flags(svc: Svc) -> list[tuple[str, str]]:
    """The Finnish profile's cost and eligibility flags (SPEC §5), read from the service's own texts: what
    residents filter by ("free", "anonymous") must be data, not only words in a description."""
    text = " ".join(filter(None, (svc.description, svc.eligibility, svc.phone_note))).lower()
    fees = (svc.fees or "").lower()
    flags = []
    if fees.startswith("maksuton"):  # "Maksuton; lounas 4 €": the service is free, the lunch is not
        flags.append((profile.COST_TAXONOMY, profile.FREE))
    elif "€" in fees or fees.startswith("maksullinen"):
        flags.append((profile.COST_TAXONOMY, profile.FEE))
    if any(word in text for word in ("nimettöm", "nimetön", "anonyym")):
        flags.append((profile.ELIGIBILITY_TAXONOMY, profile.ANONYMOUS))
    if _REFERRAL.search(text) and not _NO_REFERRAL.search(text):
        flags.append((profile.ELIGIBILITY_TAXONOMY, profile.REFERRAL_REQUIRED))
    return flags


def profile_attribute(owner: str, taxonomy: str, code: str) -> Json:
    name = profile.OVI_TAXONOMIES[taxonomy].codes[code]
    return taxonomy_attribute(owner, taxonomy, code, name, f"Ovin profiili, luokitus {taxonomy}: {name}")


def build() -> list[Json]:
    """All service records, in table order."""
    orgs = {org.slug: org for org in ORGS}
    records, fictional_index = [], 100
    for svc in SERVICES:
        if svc.phone == "demo":
            fictional_index += 1
        records.append(service(svc, orgs[svc.org], fictional_index))
    return records


def render(records: list[Json]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------- checks
def load_schema() -> Json:
    for path in SCHEMA_CANDIDATES:
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    tried = ", ".join(str(p) for p in SCHEMA_CANDIDATES)
    raise FileNotFoundError(f"HSDS compiled service schema not found (tried {tried})")


def schema_errors(records: list[Json]) -> list[str]:
    validator = jsonschema.Draft202012Validator(
        load_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [
        f"{rec['name']} ({rec['id']}): {'/'.join(map(str, err.path))}: {err.message}"
        for rec in records
        for err in validator.iter_errors(rec)
    ]


def walk_ids(node: Any, path: str = "") -> Iterable[tuple[str, str, Any]]:
    """Yield (path, id, object) for every object with an ``id`` in a record."""
    if isinstance(node, dict):
        if "id" in node:
            yield path, node["id"], node
        for key, value in node.items():
            yield from walk_ids(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk_ids(value, f"{path}/{i}")


def id_errors(records: list[Json]) -> list[str]:
    """Every id is unique; only organisations and taxonomy terms recur, and then as identical objects."""
    seen: dict[str, Any] = {}
    errors = []
    for rec in records:
        for path, ident, node in walk_ids(rec):
            shared = path.startswith("/organization") or path.endswith("/taxonomy_term")
            if ident in seen and seen[ident] != node:
                errors.append(f"{rec['name']}: id {ident} at {path} is reused for a different object")
            elif ident in seen and not shared:
                errors.append(f"{rec['name']}: id {ident} at {path} is not unique")
            seen.setdefault(ident, node)
    return errors


def code_errors(records: list[Json]) -> list[str]:
    errors = []
    for rec in records:
        for attr in rec["attributes"]:
            term = attr["taxonomy_term"]
            if term["taxonomy"] in profile.OVI_TAXONOMIES:
                known = profile.OVI_TAXONOMIES[term["taxonomy"]].codes
                if known.get(term["code"]) != term["name"]:
                    errors.append(f"{rec['name']}: bad taxonomy term {term['taxonomy']} {term['code']}")
                continue
            item = codes.taxonomy_code(term["taxonomy"], term["code"])
            if item is None or item.name_fi != term["name"] or item.uri != term.get("term_uri"):
                errors.append(f"{rec['name']}: bad taxonomy term {term['taxonomy']} {term['code']}")
        if not any(a["taxonomy_term"]["taxonomy"] == "ptvserclass2" for a in rec["attributes"]):
            errors.append(f"{rec['name']}: no ptvserclass2 service class")
        for area in rec["service_areas"]:
            if "uri" in area:
                item = codes.parse_area_uri(area["uri"])
                if item is None or item.name_fi != area["name"]:
                    errors.append(f"{rec['name']}: bad service area {area}")
            elif area.get("extent") != "FI":
                errors.append(f"{rec['name']}: service area without a code URI")
        if org_type(rec) not in PROVIDER_TYPE:
            errors.append(f"{rec['name']}: unknown organisation type {org_type(rec)}")
    return errors


def fiction_errors(records: list[Json]) -> list[str]:
    """Every non-real service is visibly fictional: demo note, demo url/e-mail, 040 000 0NNN phone."""
    real_services = {uid(f"service/{s.slug}") for s in SERVICES if s.real}
    real_orgs = {o.name for o in ORGS if o.real}
    errors = []
    for rec in records:
        org_name = rec["organization"]["name"]
        if org_name not in real_orgs and not org_name.endswith(" (demo)"):
            errors.append(f"{rec['name']}: fictional organisation name without ' (demo)'")
        if rec["id"] in real_services:
            continue
        ok = (
            rec["description"].endswith(DEMO_NOTE)
            and rec["url"].startswith(f"https://{DEMO_HOST}/")
            and rec["email"].endswith(f"@{DEMO_HOST}")
            and all(FICTIONAL_PHONE.match(p["number"]) for p in rec["phones"])
        )
        if not ok:
            errors.append(f"{rec['name']}: fictional service not clearly marked as demo data")
    numbers = [p["number"] for rec in records for p in rec["phones"]]
    if len(numbers) != len(set(numbers)):
        errors.append("phone numbers are not unique")
    return errors


def org_type(rec: Json) -> str:
    return str(rec["organization"]["attributes"][0]["taxonomy_term"]["code"])


def provider_type(rec: Json) -> str:
    return PROVIDER_TYPE.get(org_type(rec), "unknown")


def local_municipalities(rec: Json) -> set[str]:
    """Municipality codes a record serves directly or through county 10 (nationwide records excluded)."""
    served: set[str] = set()
    for area in rec["service_areas"]:
        item = codes.parse_area_uri(area.get("uri", ""))
        if item is not None and item.scheme == "kunta":
            served.add(item.code)
        elif item is not None and item.scheme == "hyvinvointialue":
            served |= {m for m, c in codes.municipality_to_county().items() if c == item.code}
    return served


def classes_of(rec: Json) -> set[str]:
    return {
        a["taxonomy_term"]["code"]
        for a in rec["attributes"]
        if a["taxonomy_term"]["taxonomy"] == "ptvserclass2"
    }


def matches(rec: Json, topics: dict[str, tuple[str, ...]], situation: str) -> bool:
    """The record carries one of the situation's service classes and is tagged with that topic."""
    return situation in topics[rec["id"]] and bool(classes_of(rec) & set(NEEDS[situation].service_classes))


def coverage(records: list[Json]) -> tuple[list[str], list[str]]:
    """The coverage table (lines) and the rule violations (local or county services only)."""
    topics = {uid(f"service/{s.slug}"): s.topics for s in SERVICES}
    names = {m: codes.codes("kunta")[m].name_fi for m in CHECKED_MUNICIPALITIES}
    lines = [
        f"{'situation':<14}"
        + "".join(f"{names[m]:>22}" for m in CHECKED_MUNICIPALITIES)
        + f"{'nationwide':>12}",
        f"{'':<14}" + f"{'ngo/public/parish':>22}" * 3,
    ]
    errors = []
    for situation in SITUATION_KEYS:
        row = f"{situation:<14}"
        first_class = NEEDS[situation].service_classes[0]
        national = [r for r in records if matches(r, topics, situation) and not local_municipalities(r)]
        for muni in CHECKED_MUNICIPALITIES:
            hits = [r for r in records if matches(r, topics, situation) and muni in local_municipalities(r)]
            count = Counter(provider_type(r) for r in hits)
            row += f"{count['ngo']:>16}/{count['public']}/{count['parish']}"
            errors += [
                f"{situation} × {names[muni]}: no local {kind} service"
                for kind in ("ngo", "public")
                if not count[kind]
            ]
            if len(hits) < MIN_LOCAL:
                errors.append(
                    f"{situation} × {names[muni]}: only {len(hits)} local services (need {MIN_LOCAL})"
                )
            if not any(first_class in classes_of(r) for r in hits + national):
                errors.append(f"{situation} × {names[muni]}: no service with the first class {first_class}")
        lines.append(row + f"{len(national):>12}")
    return lines, errors


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(counter.items()))


def summary(records: list[Json]) -> list[str]:
    orgs = {rec["organization"]["id"]: rec["organization"] for rec in records}
    org_kinds = Counter(o["attributes"][0]["taxonomy_term"]["code"] for o in orgs.values())
    by_topic = Counter(t for s in SERVICES for t in s.topics)
    real = [s.name for s in SERVICES if s.real]
    return [
        f"services: {len(records)}, organisations: {len(orgs)}",
        f"real services: {len(real)} ({', '.join(real)})",
        f"services by provider type: {_counts(Counter(provider_type(r) for r in records))}",
        f"organisations by PTV type: {_counts(org_kinds)}",
        "services by topic: " + ", ".join(f"{t} {by_topic[t]}" for t in TOPICS),
        f"24/7 services: {sum(1 for s in SERVICES if s.hours == ALWAYS)}, "
        f"walk-in (with a location): {sum(1 for s in SERVICES if s.places)}",
    ]


def check(path: Path) -> int:
    records = json.loads(path.read_text(encoding="utf-8"))
    errors = [] if render(records) == render(build()) else [f"{path.name} is out of date: rerun the build"]
    if len(records) < 60:
        errors.append(f"only {len(records)} services (need at least 60)")
    errors += schema_errors(records) + id_errors(records) + code_errors(records) + fiction_errors(records)
    errors += [f"unknown topic in {s.slug}" for s in SERVICES if not set(s.topics) <= set(TOPICS)]
    table, coverage_errors = coverage(records)
    print("\n".join(summary(records)))
    print("\nCoverage (services carrying a class of the situation, serving the town or county 10):")
    print("\n".join(table))
    errors += coverage_errors
    for error in errors:
        print(f"ERROR: {error}", file=sys.stderr)
    print(f"\n{'FAILED' if errors else 'OK'}: {len(errors)} problem(s) in {path}")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="validate the generated file, do not write")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"JSON file (default: {OUTPUT.name})")
    args = parser.parse_args(argv)
    if args.check:
        return check(args.output)
    records = build()
    args.output.write_text(render(records), encoding="utf-8")
    print(f"wrote {len(records)} services to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
