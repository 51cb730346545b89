"""Recommend services for a resident's needs, in the resident's own words, near their home.

Ranking is the directory search's (search.py), the one place that ranks: for each need the query is the
resident's own words plus the need's search words, the need's service classes (``ovi_lang.needs``, most
specific first) boost matching services, the municipality filters and orders by locality, and the person's
age group narrows the PTV target group (youth → KR1.3, 65+ → KR1.1). So two residents in the same situation
who say different things ("kämppä lähtee alta" / "vuokrat rästissä") get different lists.

This module only chooses from that order:

* several needs become one *service path* in the table's urgency order: what helps today (a roof, safety,
  food), then support, then longer-term help (debts, work, papers); fewer services per need when there are
  several, so the reply stays short;
* each need's list mixes providers (if NGOs and public services are both among the candidates, at least one
  of each is shown: a resident is helped by knowing both doors);
* for someone else ("äitini juo liikaa"), a service for the close ones (omaiset) joins the list;
* with a crisis in the conversation the best 24/7 services for that crisis come first;
* "why" is one sentence from the service's own data: what it does (its description), and the facts that
  matter to this person (free, anonymous, open now or around the clock, their language, how local it is);
* when the municipality has nothing, the county's and then nationwide services are what the search gives,
  and the path says so.

The result is plain data (:class:`ServicePath`); :meth:`ServicePath.text` and :meth:`ServicePath.payload`
render it for the chat (SPEC §3) in Finnish, Swedish or English, so any dialogue engine can use it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from urllib.parse import quote_plus

from sqlalchemy.orm import Session

from ovi_lang import codes
from ovi_lang.needs import CRISIS_NEEDS, Need, need_for, service_path
from ovi_lang.phrases import phrase
from ovi_lang.text import lemmas

from .models import Service
from .search import RankedService, SearchHit, load_hits, rank_services, warm
from .service_facts import (
    address_of,
    helsinki_time,
    is_always_open,
    is_anonymous,
    is_free,
    localized_description,
    localized_name,
    needs_referral,
    open_now,
    opening_hours_of,
    phone_of,
    translations,
)

DEFAULT_LIMIT = 5
PER_NEED_LIMIT = {1: 5, 2: 3}
"""Services per need by the number of needs in the path (more needs: ``MIN_PER_NEED`` each)."""
MIN_PER_NEED = 2
MAX_NEEDS = 4
"""A path longer than this is no longer one answer: the rest can be asked for next."""
CANDIDATES = 40
"""How deep each need's search reads: enough to swap in an NGO or a public service and to page."""
CRISIS_FIRST = 2
AGE_GROUPS = {"youth": ("KR1.3", "nuori"), "elderly": ("KR1.1", "ikäihminen")}
"""Age group → PTV target group and a search word, used when the need implies no group of its own."""
SUMMARY_MAX = 160
PROVIDER_TYPES = ("ngo", "public", "parish", "private")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


@dataclass(frozen=True)
class Person:
    """What the conversation knows about the person the help is for (no identifiers)."""

    municipality_code: str
    language: str = "fi"
    for_whom: str = "self"
    """self | close_one | client"""
    age_group: str | None = None
    anonymous_only: bool = False


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
    need: str
    open_now: bool
    free: bool
    anonymous: bool
    always_open: bool
    area_level: str | None
    map_url: str | None
    for_close_ones: bool = False

    def as_payload(self) -> dict[str, object]:
        """One item of the chat contract's ``service_list`` (SPEC §3, plus the card's extra facts)."""
        return asdict(self)


@dataclass(frozen=True)
class NeedGroup:
    need: Need
    items: tuple[RecommendedService, ...]

    @property
    def area(self) -> str:
        """The most local level among the items: municipality | county | nationwide | none."""
        levels = {item.area_level for item in self.items if not item.for_close_ones}
        if not self.items:
            return "none"
        if "municipality" in levels:
            return "municipality"
        if levels & {"county", "region"}:
            return "county"
        return "nationwide"


@dataclass(frozen=True)
class ServicePath:
    groups: tuple[NeedGroup, ...]
    person: Person
    municipality_name: str
    more_needs: tuple[str, ...] = field(default=())
    """Needs beyond ``MAX_NEEDS``, left for the next question."""

    @property
    def items(self) -> tuple[RecommendedService, ...]:
        return tuple(item for group in self.groups for item in group.items)

    @property
    def need(self) -> Need:
        return self.groups[0].need

    def payload(self) -> dict[str, object]:
        return {"type": "service_list", "services": [item.as_payload() for item in self.items]}

    def text(self) -> str:
        """A short reply: what the cards hold, in which order, and where the search had to look."""
        lang = self.person.language
        place = self.municipality_name
        lines: list[str] = []
        if len(self.groups) == 1:
            group = self.groups[0]
            if not group.items:
                return phrase("nothing_found", lang, need=group.need.label_in(lang).lower())
            lines.append(phrase("path_intro_one", lang, municipality=place))
        else:
            labels = ", ".join(g.need.label_in(lang).lower() for g in self.groups)
            lines.append(phrase("path_intro_many", lang, needs=labels, municipality=place))
        for number, group in enumerate(self.groups, start=1):
            if len(self.groups) > 1:
                lines.append("")
                stage = phrase(f"stage_{group.need.stage}", lang)
                lines.append(phrase("group_heading", lang, number=number, need=group.need.label_in(lang),
                                    stage=stage))
                if not group.items:
                    lines.append(phrase("nothing_found", lang, need=group.need.label_in(lang).lower()))
            if group.area == "county":
                lines.append(phrase("area_county_only", lang, municipality=place))
            elif group.area == "nationwide":
                lines.append(phrase("area_nationwide_only", lang, municipality=place))
            for item in group.items:
                lines.append(f"– {item.name} ({item.organization})")
        if any(item.for_close_ones for item in self.items):
            lines.append(phrase("for_close_ones_intro", lang))
        if self.items:
            lines.append(phrase("more_in_cards", lang))
        return "\n".join(lines)


def _target_group(need: Need, person: Person) -> tuple[str | None, tuple[str, ...]]:
    if need.target_group:
        return need.target_group, ()
    group, word = AGE_GROUPS.get(person.age_group or "", (None, None))
    return group, ((word,) if word else ())


def prepare(session: Session, needs: Sequence[str], words: dict[str, str]) -> None:
    """Start embedding the resident's words for the searches a recommendation for these needs will make,
    and return: the bot calls this when it asks where the person lives, so the vectors are ready in the
    query memory by the answer (the person's words are embedded apart from the need's, see search.py)."""
    for need in service_path(needs)[:MAX_NEEDS]:
        if words.get(need.key):
            warm(session, words[need.key], context=_context(need))


def _context(need: Need, extra: Sequence[str] = ()) -> str:
    return " ".join([*need.keywords, *extra])


def _ranked(session: Session, need: Need, person: Person, words: str | None,
            extra: Sequence[str] = ()) -> list[RankedService]:
    """The search's order for this need (no service loaded yet: only the chosen few are, by ``load_hits``)."""
    target_group, age_words = _target_group(need, person)
    return rank_services(
        session, words, context=_context(need, (*age_words, *extra)),
        municipality=person.municipality_code,
        service_classes=need.service_classes, target_group=target_group,
        anonymous=person.anonymous_only, limit=CANDIDATES,
    )


def _mix_providers(ranked: list[RankedService], limit: int) -> list[RankedService]:
    """The top ``limit``, with the best NGO and the best public service swapped in if either is missing."""
    chosen = ranked[:limit]
    for wanted in ("ngo", "public"):
        if any(r.provider_type == wanted for r in chosen):
            continue
        best = next((r for r in ranked[limit:] if r.provider_type == wanted), None)
        if best is None:
            continue
        # Replace the lowest-ranked item whose provider type appears more than once in the list.
        for index in range(len(chosen) - 1, -1, -1):
            if sum(r.provider_type == chosen[index].provider_type for r in chosen) > 1:
                chosen[index] = best
                break
    return sorted(chosen, key=lambda r: -r.score)


def _summary(service: Service, language: str) -> str | None:
    """The first sentence of the service's description in the person's language; None when the directory
    has no description in that language (a Swedish reply then names the service class in Swedish instead
    of quoting Finnish)."""
    if language != "fi" and language not in translations(service):
        return None
    text = " ".join((localized_description(service, language) or "").split())
    if not text:
        return None
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) > SUMMARY_MAX:
        first = first[:SUMMARY_MAX].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return first if first.endswith((".", "!", "?", "…")) else first + "."


def _class_name(hit: SearchHit, language: str) -> str | None:
    if not hit.matched_classes:
        return None
    term = codes.taxonomy_code("ptvserclass2", hit.matched_classes[0])
    if term is None:
        return None
    return {"sv": term.name_sv, "en": term.name_en}.get(language, term.name_fi)


def _serves_in(service: Service, language: str) -> bool:
    return language != "fi" and any(
        (lang.code or "").split("-")[0].lower() == language for lang in service.languages
    )


def _why(hit: SearchHit, person: Person, *, is_open: bool, for_close_ones: bool) -> str:
    service, lang = hit.service, person.language
    what = _summary(service, lang) or (f"{name}." if (name := _class_name(hit, lang)) else "")
    facts: list[str] = []
    if for_close_ones:
        facts.append(phrase("why_close_ones", lang))
    if is_free(service):
        facts.append(phrase("why_free", lang))
    if is_anonymous(service):
        facts.append(phrase("why_anonymous", lang))
    if is_always_open(service):
        facts.append(phrase("why_always_open", lang))
    elif is_open:
        facts.append(phrase("why_open_now", lang))
    if _serves_in(service, lang):
        facts.append(phrase("why_language", lang, language_name=phrase(f"language_name_{lang}", lang)))
    if needs_referral(service):
        facts.append(phrase("why_referral", lang))
    area = {"municipality": "why_local", "county": "why_county", "region": "why_county"}.get(
        hit.area_level or "", "why_nationwide")
    facts.append(phrase(area, lang))
    sentence = ", ".join(facts)
    return f"{what} {sentence[:1].upper()}{sentence[1:]}.".strip()


def _item(hit: SearchHit, need: Need, person: Person, at: datetime, *,
          for_close_ones: bool = False) -> RecommendedService:
    service = hit.service
    lang = person.language
    address = address_of(service)
    is_open = open_now(service, at)
    provider = service.organization.provider_type
    return RecommendedService(
        id=service.id,
        name=localized_name(service, lang),
        organization=localized_name(service.organization, lang),
        provider_type=provider if provider in PROVIDER_TYPES else "ngo",
        phone=phone_of(service),
        url=service.url or service.organization.website,
        address=address,
        opening_hours=opening_hours_of(service, lang),
        why=_why(hit, person, is_open=is_open, for_close_ones=for_close_ones),
        need=need.key,
        open_now=is_open,
        free=is_free(service),
        anonymous=is_anonymous(service),
        always_open=is_always_open(service),
        area_level=hit.area_level,
        map_url=map_url(address) if address else None,
        for_close_ones=for_close_ones,
    )


def map_url(address: str) -> str:
    """A map search for a street address (OpenStreetMap: no account, no tracking of the resident)."""
    return f"https://www.openstreetmap.org/search?query={quote_plus(address)}"


def _for_close_ones(session: Session, need: Need, person: Person, seen: set[str]) -> SearchHit | None:
    """The best service that supports the close ones (omaiset, läheiset) of a person with this need."""
    if not need.close_ones:
        return None
    close = _base_forms(need.close_ones)
    about_need = _base_forms(need.keywords)
    for ranked in _ranked(session, need, person, None, need.close_ones):
        terms = {term.lower() for term in ranked.matched_terms}
        # Both: it supports close ones, and of a person with this need (not the close ones of another).
        if ranked.service_id not in seen and close & terms and about_need & terms:
            return next(iter(load_hits(session, [ranked])), None)
    return None


def _about_need(ranked: RankedService, need: Need) -> bool:
    """A nationwide service is shown for a need only if it is about that need: it has the need's most
    specific class or says one of the need's words. Where the area has nothing, the search's next best are
    nationwide lines for other needs (a violence helpline for an old person's housework), and a short honest
    list is better than a wrong one."""
    return (need.service_classes[0] in ranked.matched_classes
            or bool({term.lower() for term in ranked.matched_terms} & _base_forms(need.keywords)))


def _base_forms(words: Sequence[str]) -> set[str]:
    return {lemma for word in words for part in word.split() for lemma in lemmas(part)} | set(words)


def _crisis_first(
    session: Session, crisis_kind: str, person: Person, at: datetime
) -> list[RecommendedService]:
    """The best round-the-clock services for this kind of crisis (a crisis line, a violence helpline)."""
    need = need_for(CRISIS_NEEDS.get(crisis_kind, "crisis"))
    hits = [hit for hit in load_hits(session, _ranked(session, need, person, None))
            if is_always_open(hit.service)]
    return [_item(hit, need, person, at) for hit in hits[:CRISIS_FIRST]]


def _group(session: Session, need: Need, person: Person, words: str | None, limit: int,
           exclude: set[str], at: datetime) -> NeedGroup:
    ranked = [r for r in _ranked(session, need, person, words)
              if r.service_id not in exclude and (r.area_level != "nationwide" or _about_need(r, need))]
    items = [_item(hit, need, person, at) for hit in load_hits(session, _mix_providers(ranked, limit))]
    if person.for_whom == "close_one":
        seen = exclude | {item.id for item in items}
        extra = _for_close_ones(session, need, person, seen)
        if extra is not None:
            items.append(_item(extra, need, person, at, for_close_ones=True))
    return NeedGroup(need, tuple(items))


def recommend_path(
    session: Session,
    needs: Sequence[str],
    person: Person,
    *,
    words: dict[str, str] | None = None,
    crisis_kind: str | None = None,
    crisis_sure: bool = True,
    exclude: Sequence[str] = (),
    limit: int | None = None,
    at: datetime | None = None,
) -> ServicePath:
    """Best services for each need (keys of ``ovi_lang.needs.NEEDS``), as one path in urgency order.

    ``words`` maps a need to what the resident wrote about it; ``crisis_kind`` (see ``ovi_lang.crisis``)
    puts round-the-clock help for that kind of crisis first, or, when the alarm was not sure
    (``crisis_sure``; ``kinds.certainty``), last: the crisis answer before the list has already given its
    numbers, and an unsure alarm is most often a hard story that is no emergency ("we cannot agree on when
    our son stays with me" read as a child in danger), whose own services the lines would push out of the
    first five. ``exclude`` skips services already shown ("more options"); ``limit`` overrides the number
    of services per need.
    """
    municipality = codes.municipality(person.municipality_code)
    if municipality is None:
        raise ValueError(f"tuntematon kuntakoodi {person.municipality_code}")
    path = service_path(needs)
    if not path:
        raise ValueError(f"ei tunnettuja tarpeita: {list(needs)}")
    shown, more = path[:MAX_NEEDS], tuple(n.key for n in path[MAX_NEEDS:])
    per_need = limit or PER_NEED_LIMIT.get(len(shown), MIN_PER_NEED)
    at = helsinki_time(at or datetime.now())
    seen = set(exclude)
    groups: list[NeedGroup] = []
    first: list[RecommendedService] = []
    if crisis_kind:
        first = [item for item in _crisis_first(session, crisis_kind, person, at) if item.id not in seen]
        seen |= {item.id for item in first}
    for need in shown:
        group = _group(session, need, person, (words or {}).get(need.key), per_need, seen, at)
        seen |= {item.id for item in group.items}
        groups.append(group)
    if first and crisis_sure:
        # The crisis lines lead the first need's list, which keeps its length.
        head = groups[0]
        groups[0] = NeedGroup(head.need, tuple([*first, *head.items][: max(per_need, len(first))]))
    elif first:
        # After everything else, as the list's last items: nothing the person asked about is pushed out.
        tail = groups[-1]
        groups[-1] = NeedGroup(tail.need, (*tail.items, *first))
    return ServicePath(tuple(groups), person, municipality.name_fi, more)


def recommend(
    session: Session,
    situation: str,
    municipality_code: str,
    *,
    words: str | None = None,
    crisis_kind: str | None = None,
    limit: int = DEFAULT_LIMIT,
    language: str = "fi",
) -> ServicePath:
    """Best services for one need in a municipality (3-digit code): a path of one need."""
    return recommend_path(session, [situation], Person(municipality_code, language),
                          words={situation: words or ""}, crisis_kind=crisis_kind, limit=limit)
