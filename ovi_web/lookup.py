"""The professionals' quick lookup (``/haku``, SPEC §2b): what is asked, what is found, as data.

The parameters are the HSDS API's own declarations (``hsds_api``: municipality, target_group, language,
provider_type, free_of_charge, anonymous, open_now), so the lookup and the API accept and refuse the same
values with the same messages, plus four of the lookup's own: ``q`` (the free text), ``need`` (one of
Ovi's needs, ``ovi_lang/data/needs.yml``), ``service_class`` (a PTV service class code) and ``county`` (a
wellbeing services county: services that reach some resident of it, ``areas.areas_serving_county``).

The ranking is the directory's one search (``directory_db.search``): the text, the municipality and the
need's service classes go in as they do for the bot. A need or a service class is a filter here, as a
professional expects of a filter: only services that have one of its classes (or a narrower one) are listed.
Each result is a card with what a professional needs to pass on: contact details, the opening hours and
whether the service is open now, free, anonymous; a confidential address (a shelter) is never shown.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory_db.areas import AreaRef, areas_serving_county
from directory_db.loading import card_service_options
from directory_db.models import Service
from directory_db.profile import SERVICE_CLASS_TAXONOMY
from directory_db.recommend import map_url
from directory_db.search import rank_services
from directory_db.service_facts import (
    address_of,
    helsinki_time,
    is_always_open,
    is_anonymous,
    is_free,
    localized_description,
    localized_name,
    open_now,
    opening_hours_of,
    phone_of,
)
from ovi_lang import codes
from ovi_lang.needs import NEEDS
from ovi_web import hsds_api as p
from ovi_web.hsds_api import Invalid, Param, Query

MAX_RESULTS = 30
SUMMARY_CHARS = 280


def _need(raw: str) -> str:
    if raw not in NEEDS or raw == "crisis":
        raise Invalid(f"unknown need {raw[:30]!r}", f"tuntematon tarve {raw[:30]!r}")
    return raw


def _service_class(raw: str) -> str:
    if codes.taxonomy_code(SERVICE_CLASS_TAXONOMY, raw) is None:
        raise Invalid(f"unknown {SERVICE_CLASS_TAXONOMY} code {raw[:20]!r}, e.g. P5.7",
                      f"tuntematon palveluluokka {raw[:20]!r} ({SERVICE_CLASS_TAXONOMY}), esim. P5.7")
    return raw


def _county(raw: str) -> str:
    if raw not in codes.codes("hyvinvointialue"):
        raise Invalid(f"unknown wellbeing services county code {raw[:20]!r}, e.g. 10",
                      f"tuntematon hyvinvointialueen koodi {raw[:20]!r}, esim. 10 (Kymenlaakso)")
    return raw


Q = Param("q", "q", p.SEARCH.schema, "Free text.", "Vapaa teksti.", p.SEARCH.parse)
NEED = Param("need", "need", {"type": "string", "enum": [k for k in NEEDS if k != "crisis"]},
             "One of Ovi's needs.", "Jokin Ovin tarpeista.", _need)
COUNTY = Param("county", "county", {"type": "string", "enum": sorted(codes.codes("hyvinvointialue"))},
               "A wellbeing services county code.", "Hyvinvointialueen koodi.", _county)
SERVICE_CLASS = Param("service_class", "service_class", {"type": "string"},
                      "A PTV service class code.", "PTV-palveluluokan koodi.", _service_class)


@dataclass(frozen=True)
class LookupQuery:
    q: str | None = None
    municipality: str | None = None
    county: str | None = None
    need: str | None = None
    service_class: str | None = None
    target_group: str | None = None
    provider_type: str | None = None
    language: str | None = None
    free_of_charge: bool = False
    anonymous: bool = False
    open_now: bool = False

    @classmethod
    def read(cls, query: Query) -> LookupQuery:
        """The query's parameters, checked; a bad one is a 400 naming it (``hsds_api.BadParameter``)."""
        return cls(
            q=Q.read(query), municipality=p.MUNICIPALITY.read(query), county=COUNTY.read(query),
            need=NEED.read(query),
            service_class=SERVICE_CLASS.read(query), target_group=p.TARGET_GROUP.read(query),
            provider_type=p.PROVIDER_TYPE.read(query), language=p.LANGUAGE.read(query),
            free_of_charge=bool(p.FREE_OF_CHARGE.read(query)), anonymous=bool(p.ANONYMOUS.read(query)),
            open_now=bool(p.OPEN_NOW.read(query)),
        )

    @property
    def asked(self) -> bool:
        """Anything to search for (an empty form lists nothing rather than the whole country)."""
        return any(value for value in asdict(self).values())

    @property
    def classes(self) -> tuple[str, ...]:
        if self.service_class:
            return (self.service_class,)
        if self.need:
            return NEEDS[self.need].service_classes
        return ()

    def as_params(self) -> dict[str, str]:
        """The query as URL parameters (what a shared link holds), without the empty ones."""
        out: dict[str, str] = {}
        for key, value in asdict(self).items():
            if value is True:
                out[key] = "true"
            elif value:
                out[key] = str(value)
        return out


@dataclass(frozen=True)
class Card:
    id: str
    name: str
    organization: str
    provider_type: str | None
    summary: str | None
    phone: str | None
    email: str | None
    url: str | None
    address: str | None
    map_url: str | None
    opening_hours: str | None
    open_now: bool
    always_open: bool
    free: bool
    anonymous: bool
    languages: list[str]
    service_classes: list[str] = field(default_factory=list)
    area_level: str | None = None


def _summary(service: Service, language: str = "fi") -> str | None:
    text = localized_description(service, language)
    if not text or len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


def _classes(service: Service) -> list[str]:
    return [a.taxonomy_term.code for a in service.attributes
            if a.taxonomy_term is not None and a.taxonomy_term.taxonomy == SERVICE_CLASS_TAXONOMY
            and a.taxonomy_term.code]


def _has_class(service: Service, wanted: tuple[str, ...]) -> bool:
    # "P5" is the parent of "P5.7": a broader class asked for includes the narrower ones.
    return any(code == want or code.startswith(want + ".") for code in _classes(service) for want in wanted)


def _reaches(service: Service, reach: frozenset[AreaRef]) -> bool:
    return any(AreaRef(a.area_level, a.area_code) in reach  # type: ignore[arg-type]
               for a in service.service_areas if a.area_level and a.area_code)


def card_of(service: Service, at: datetime, language: str = "fi", area_level: str | None = None) -> Card:
    """What a professional passes on about a service, in ``language`` where the directory has it."""
    address = address_of(service)
    return Card(
        id=service.id,
        name=localized_name(service, language),
        organization=localized_name(service.organization, language),
        provider_type=service.organization.provider_type,
        summary=_summary(service, language),
        phone=phone_of(service),
        email=service.email or service.organization.email,
        url=service.url or service.organization.website,
        address=address,
        map_url=map_url(address) if address else None,
        opening_hours=opening_hours_of(service, language),
        open_now=open_now(service, at),
        always_open=is_always_open(service),
        free=is_free(service),
        anonymous=is_anonymous(service),
        languages=sorted({lang.code for lang in service.languages if lang.code}),
        service_classes=_classes(service),
        area_level=area_level,
    )


def run(session: Session, query: LookupQuery, at: datetime | None = None) -> list[Card]:
    """The cards for a query, best first (nothing for an empty query)."""
    if not query.asked:
        return []
    at = helsinki_time(at or datetime.now())
    wanted = query.classes
    text = query.q or (" ".join(NEEDS[query.need].keywords) if query.need else None)
    filtered = bool(wanted or query.county)
    ranked = rank_services(
        session, text, limit=None if filtered else MAX_RESULTS, municipality=query.municipality,
        service_classes=wanted, target_group=query.target_group, language=query.language,
        provider_type=query.provider_type, free_of_charge=query.free_of_charge, anonymous=query.anonymous,
        open_at=at if query.open_now else None,
    )
    reach = areas_serving_county(query.county) if query.county else None
    cards: list[Card] = []
    # The class and county filters need the services' rows: read the ranking a chunk at a time until the
    # page is full, not a whole national list for 30 cards.
    for start in range(0, len(ranked), 2 * MAX_RESULTS):
        chunk = ranked[start:start + 2 * MAX_RESULTS]
        services = load_for_cards(session, [r.service_id for r in chunk])
        for r in chunk:
            service = services.get(r.service_id)
            if service is None or (wanted and not _has_class(service, wanted)) or (
                    reach is not None and not _reaches(service, reach)):
                continue
            cards.append(card_of(service, at, area_level=r.area_level))
            if len(cards) == MAX_RESULTS:
                return cards
    return cards


def load_for_cards(session: Session, ids: list[str]) -> dict[str, Service]:
    """The services with everything a card reads (phones, places, hours, languages), one query per
    relationship for all of them instead of several per card (make bench: 30 cards took 243 ms before,
    the HSDS API's search 31 ms)."""
    query = select(Service).where(Service.id.in_(ids)).options(*card_service_options())
    return {service.id: service for service in session.scalars(query)}


def as_json(query: LookupQuery, cards: list[Card]) -> dict[str, Any]:
    return {"query": query.as_params(), "count": len(cards), "results": [asdict(c) for c in cards]}
