"""Recommend services for a resident's situation and home municipality.

Ranking, best first:
1. how specific the service's class is for the situation (the first class in ``ovi_lang.needs`` counts most);
2. how well its words match the situation's keywords (the search index's score);
3. how close it is: a service of the home municipality before the county's, before nationwide ones.
The list then mixes providers: if NGOs or public services exist among the candidates, at least one of each
is shown, because a resident is helped by knowing both doors. With a crisis in the conversation, the best
24/7 crisis services come first.

The reply is plain data (:class:`Recommendation`); :meth:`Recommendation.text` and
:meth:`Recommendation.payload` render it for the chat (SPEC §3), so any dialogue engine can use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from ovi_lang import codes
from ovi_lang.needs import CRISIS_NEEDS, Need, need_for
from ovi_lang.voikko import baseforms

from .areas import AREA_RANK
from .models import Service
from .search import SearchHit, search_services
from .service_facts import address_of, is_always_open, opening_hours_of, phone_of

DEFAULT_LIMIT = 5
CRISIS_FIRST = 2
PROVIDER_LABELS_FI = {
    "ngo": "järjestö",
    "public": "julkinen palvelu",
    "parish": "seurakunta",
    "private": "yksityinen",
}
# The class says what kind of service it is; the situation's own words say it is about this situation;
# the search score adds the rest of the text; locality breaks near-ties.
_CLASS_WEIGHT = 10.0
_TOPIC_WEIGHT = 4.0
_TEXT_WEIGHT = 0.2
_LOCALITY_BONUS = {"municipality": 3.0, "county": 2.0, "region": 1.0, "nationwide": 0.0}


@dataclass(frozen=True)
class RecommendedService:
    id: str
    name: str
    organization: str
    provider_type: str
    phone: str | None
    url: str | None
    address: str | None
    opening_hours: str | None
    why: str

    def as_payload(self) -> dict[str, str | None]:
        """One item of the chat contract's ``service_list`` (SPEC §3, plus ``opening_hours``)."""
        return asdict(self)


@dataclass(frozen=True)
class Recommendation:
    need: Need
    municipality_code: str
    municipality_name: str
    items: tuple[RecommendedService, ...]

    def payload(self) -> dict[str, object]:
        return {"type": "service_list", "services": [item.as_payload() for item in self.items]}

    def text(self) -> str:
        if not self.items:
            return (
                f"En valitettavasti löytänyt hakemistosta palveluja {self.need.topic_fi} liittyvissä "
                f"asioissa kotikunnassasi ({self.municipality_name}). Hätätilanteessa soita 112."
            )
        lines = [
            f"Tässä palveluja {self.need.topic_fi} liittyvissä asioissa kotikunnassasi "
            f"({self.municipality_name}), parhaiten sopivat ensin:"
        ]
        for number, item in enumerate(self.items, start=1):
            lines.append("")
            lines.append(
                f"{number}. {item.name} – {item.organization} "
                f"({PROVIDER_LABELS_FI.get(item.provider_type, item.provider_type)})"
            )
            lines.append(f"   {item.why}")
            contact = [f"puh. {item.phone}" if item.phone else None, item.opening_hours, item.address]
            if any(contact):
                lines.append("   " + " · ".join(c for c in contact if c))
        return "\n".join(lines)


def _class_score(service: Service, need: Need) -> tuple[float, str | None]:
    """Score for the most specific of the need's classes the service has, and that class's code."""
    classes = set(service.service_classes)
    for rank, code in enumerate(need.service_classes):
        if code in classes:
            return float(len(need.service_classes) - rank), code
    return 0.0, None


def _topic_terms(need: Need) -> frozenset[str]:
    """Base forms of the need's keywords (not their compound parts: "päihdetyö" must not make "työ" count)."""
    return frozenset(form for keyword in need.keywords for form in baseforms(keyword))


def _rank(hits: Sequence[SearchHit], need: Need) -> list[tuple[float, SearchHit, str | None]]:
    topic = _topic_terms(need)
    ranked = []
    for hit in hits:
        class_score, matched_class = _class_score(hit.service, need)
        topic_score = float(len(topic.intersection(hit.matched_terms)))
        score = (
            _CLASS_WEIGHT * class_score
            + _TOPIC_WEIGHT * topic_score
            + _TEXT_WEIGHT * hit.score
            + _LOCALITY_BONUS.get(hit.area_level or "", 0.0)
        )
        ranked.append((score, hit, matched_class))
    ranked.sort(key=lambda r: (-r[0], AREA_RANK.get(r[1].area_level, 9), r[1].service.name))
    return ranked


def _mix_providers(
    ranked: list[tuple[float, SearchHit, str | None]], limit: int
) -> list[tuple[float, SearchHit, str | None]]:
    """The top ``limit``, with the best NGO and the best public service swapped in if either is missing."""
    chosen = ranked[:limit]
    for kind in ("ngo", "public"):
        if any(r[1].service.organization.provider_type == kind for r in chosen):
            continue
        best = next((r for r in ranked[limit:] if r[1].service.organization.provider_type == kind), None)
        if best is None:
            continue
        # Replace the lowest-ranked item whose provider type appears more than once in the list.
        for index in range(len(chosen) - 1, -1, -1):
            kind_here = chosen[index][1].service.organization.provider_type
            if sum(r[1].service.organization.provider_type == kind_here for r in chosen) > 1:
                chosen[index] = best
                break
    return sorted(chosen, key=lambda r: -r[0])


def _why(
    service: Service,
    hit: SearchHit,
    need: Need,
    matched_class: str | None,
    municipality_name: str,
    municipality_code: str,
) -> str:
    class_name = None
    if matched_class:
        term = codes.taxonomy_code("ptvserclass2", matched_class)
        class_name = term.name_fi.lower() if term else None
    topic = f"Auttaa {need.topic_fi} liittyvissä asioissa"
    if class_name:
        topic += f" ({class_name})"
    area = _area_phrase_for(hit.area_level, municipality_name, municipality_code)
    always = " ja päivystää ympäri vuorokauden" if is_always_open(service) else ""
    return f"{topic}, {area}{always}."


def _area_phrase_for(level: str | None, municipality_name: str, municipality_code: str) -> str:
    if level == "municipality":
        return f"toimii kotikunnassasi ({municipality_name})"
    if level in ("county", "region"):
        county = codes.county_of(municipality_code)
        if county and county.name_fi.endswith("hyvinvointialue"):
            return f"palvelee koko {county.name_fi}en asukkaita"
        return "palvelee koko aluetta, jolla asut"
    return "on valtakunnallinen, joten siihen voi ottaa yhteyttä mistä päin Suomea tahansa"


def _candidates(session: Session, need: Need, municipality_code: str) -> list[SearchHit]:
    return search_services(
        session,
        " ".join(need.keywords),
        municipality=municipality_code,
        service_classes=need.service_classes,
        limit=None,
    )


def _item(
    score_hit: tuple[float, SearchHit, str | None], need: Need, municipality_name: str, municipality_code: str
) -> RecommendedService:
    _, hit, matched_class = score_hit
    service = hit.service
    return RecommendedService(
        id=service.id,
        name=service.name,
        organization=service.organization.name,
        provider_type=service.organization.provider_type or "ngo",
        phone=phone_of(service),
        url=service.url or service.organization.website,
        address=address_of(service),
        opening_hours=opening_hours_of(service),
        why=_why(service, hit, need, matched_class, municipality_name, municipality_code),
    )


def _crisis_first(
    session: Session, crisis_kind: str, municipality_code: str, municipality_name: str
) -> list[RecommendedService]:
    """The best round-the-clock services for this kind of crisis (a crisis line, a violence helpline)."""
    need = need_for(CRISIS_NEEDS.get(crisis_kind, "crisis"))
    ranked = _rank(_candidates(session, need, municipality_code), need)
    return [
        _item(r, need, municipality_name, municipality_code) for r in ranked if is_always_open(r[1].service)
    ][:CRISIS_FIRST]


def recommend(
    session: Session,
    situation: str,
    municipality_code: str,
    *,
    crisis_kind: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Recommendation:
    """Best services for a situation (a key of ``ovi_lang.needs.NEEDS``) in a municipality (3-digit code).

    ``crisis_kind`` (see ``ovi_lang.crisis``) puts round-the-clock help for that kind of crisis first.
    """
    need = need_for(situation)
    municipality = codes.municipality(municipality_code)
    if municipality is None:
        raise ValueError(f"tuntematon kuntakoodi {municipality_code}")
    chosen = _mix_providers(_rank(_candidates(session, need, municipality_code), need), limit)
    items = [_item(r, need, municipality.name_fi, municipality_code) for r in chosen]
    if crisis_kind:
        first = _crisis_first(session, crisis_kind, municipality_code, municipality.name_fi)
        seen = {item.id for item in first}
        items = first + [item for item in items if item.id not in seen][: limit - len(first)]
    return Recommendation(need, municipality_code, municipality.name_fi, tuple(items))
