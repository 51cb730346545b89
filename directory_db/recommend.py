"""Recommend services for a resident's situation, in the resident's own words, and home municipality.

Ranking is the directory search's (search.py), the one place that ranks: the query is the resident's own
words plus the situation's keywords, the situation's service classes (``ovi_lang.needs``, most specific
first) boost matching services, and the municipality filters and orders by locality. So two residents in the
same situation who say different things ("kämppä lähtee alta" / "vuokrat rästissä") get different lists.
This module only chooses from that order: the list mixes providers (if NGOs or public services exist among
the candidates, at least one of each is shown, because a resident is helped by knowing both doors), and
with a crisis in the conversation the best 24/7 services for that crisis come first.

The reply is plain data (:class:`Recommendation`); :meth:`Recommendation.text` and
:meth:`Recommendation.payload` render it for the chat (SPEC §3), so any dialogue engine can use it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from ovi_lang import codes
from ovi_lang.needs import CRISIS_NEEDS, Need, need_for

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


def _ranked(
    session: Session, need: Need, municipality_code: str, words: str | None
) -> list[tuple[float, SearchHit, str | None]]:
    query = " ".join([words or "", *need.keywords]).strip()
    hits = search_services(
        session, query, municipality=municipality_code, service_classes=need.service_classes, limit=None
    )
    return [(hit.score, hit, hit.matched_classes[0] if hit.matched_classes else None) for hit in hits]


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
    ranked = _ranked(session, need, municipality_code, None)
    return [
        _item(r, need, municipality_name, municipality_code) for r in ranked if is_always_open(r[1].service)
    ][:CRISIS_FIRST]


def recommend(
    session: Session,
    situation: str,
    municipality_code: str,
    *,
    words: str | None = None,
    crisis_kind: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Recommendation:
    """Best services for a situation (a key of ``ovi_lang.needs.NEEDS``) in a municipality (3-digit code).

    ``words`` is what the resident wrote about the situation; ``crisis_kind`` (see ``ovi_lang.crisis``)
    puts round-the-clock help for that kind of crisis first.
    """
    need = need_for(situation)
    municipality = codes.municipality(municipality_code)
    if municipality is None:
        raise ValueError(f"tuntematon kuntakoodi {municipality_code}")
    chosen = _mix_providers(_ranked(session, need, municipality_code, words), limit)
    items = [_item(r, need, municipality.name_fi, municipality_code) for r in chosen]
    if crisis_kind:
        first = _crisis_first(session, crisis_kind, municipality_code, municipality.name_fi)
        seen = {item.id for item in first}
        items = first + [item for item in items if item.id not in seen][: limit - len(first)]
    return Recommendation(need, municipality_code, municipality.name_fi, tuple(items))
