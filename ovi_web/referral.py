"""The referral sheet (``/haku/kooste``): the services a professional picked, for the client to keep.

A printable page (A4, print CSS) and the same content as plain text to copy into a message, in Finnish,
Swedish or English: each service's name, provider, what it offers (the directory's own description, in
that language where the directory has it), phone, web address, street address (never a confidential one),
opening hours, and whether it is free or anonymous; the emergency number and the date at the end. The
services keep the order the professional saw them in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from directory_db.service_facts import helsinki_time
from ovi_web.errors import BadParameter
from ovi_web.hsds_api import Query
from ovi_web.lookup import Card, card_of, load_for_cards

MAX_SERVICES = 20
LANGUAGES = ("fi", "sv", "en")

TEXTS: dict[str, dict[str, str]] = {
    "fi": {"title": "Palveluja, joista voi olla apua", "intro": "Näihin palveluihin voit olla yhteydessä.",
           "phone": "Puhelin", "web": "Verkossa", "address": "Osoite", "hours": "Aukiolo",
           "free": "Maksuton.", "anonymous": "Voit asioida nimettömästi.", "provider": "Järjestäjä",
           "emergency": "Hätätilanteessa soita 112.", "made": "Koottu Ovi-palveluhaussa {date}.",
           "print": "Tulosta", "copy": "Teksti kopioitavaksi", "back": "Takaisin hakuun"},
    "sv": {"title": "Tjänster som kan hjälpa", "intro": "Du kan kontakta de här tjänsterna.",
           "phone": "Telefon", "web": "På webben", "address": "Adress", "hours": "Öppettider",
           "free": "Avgiftsfri.", "anonymous": "Du kan vara anonym.", "provider": "Anordnare",
           "emergency": "I nödsituationer, ring 112.", "made": "Sammanställt i Ovi-tjänstesökningen {date}.",
           "print": "Skriv ut", "copy": "Text att kopiera", "back": "Tillbaka till sökningen"},
    "en": {"title": "Services that may help", "intro": "You can contact these services.",
           "phone": "Phone", "web": "Online", "address": "Address", "hours": "Opening hours",
           "free": "Free of charge.", "anonymous": "You can stay anonymous.", "provider": "Provided by",
           "emergency": "In an emergency, call 112.",
           "made": "Compiled with the Ovi service search on {date}.",
           "print": "Print", "copy": "Text to copy", "back": "Back to the search"},
}


@dataclass(frozen=True)
class Sheet:
    language: str
    services: list[Card]
    date: str
    texts: dict[str, str]

    def plain_text(self) -> str:
        t = self.texts
        lines = [t["title"], "", t["intro"], ""]
        for number, card in enumerate(self.services, start=1):
            lines.append(f"{number}. {card.name}")
            lines.append(f"   {t['provider']}: {card.organization}")
            if card.summary:
                lines.append(f"   {card.summary}")
            for key, value in (("phone", card.phone), ("web", card.url), ("address", card.address),
                               ("hours", card.opening_hours)):
                if value:
                    lines.append(f"   {t[key]}: {value}")
            notes = " ".join(t[key] for key, on in (("free", card.free), ("anonymous", card.anonymous)) if on)
            if notes:
                lines.append(f"   {notes}")
            lines.append("")
        lines += [t["emergency"], t["made"].format(date=self.date)]
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        return {"language": self.language, "date": self.date, "title": self.texts["title"],
                "services": [asdict(c) for c in self.services], "text": self.plain_text()}


def read_request(query: Query) -> tuple[list[str], str]:
    """The picked service ids (in order, no repeats) and the sheet's language; a 400 names the problem."""
    ids = list(dict.fromkeys(v.strip() for v in query.getall("id", []) if v.strip()))
    if not ids:
        raise BadParameter("id", "pick at least one service", "valitse vähintään yksi palvelu")
    if len(ids) > MAX_SERVICES:
        raise BadParameter("id", f"at most {MAX_SERVICES} services", f"enintään {MAX_SERVICES} palvelua")
    language = query.get("lang", "fi").strip() or "fi"
    if language not in LANGUAGES:
        raise BadParameter("lang", "must be fi, sv or en", f"pitää olla fi, sv tai en; nyt {language[:10]!r}")
    return ids, language


def build(session: Session, ids: list[str], language: str, at: datetime | None = None) -> Sheet:
    at = helsinki_time(at or datetime.now())
    services = load_for_cards(session, ids)
    missing = [sid for sid in ids if sid not in services]
    if missing:
        raise BadParameter("id", f"no such service: {missing[0][:40]}",
                           f"palvelua ei löydy: {missing[0][:40]}")
    cards = [card_of(services[sid], at, language) for sid in ids]
    return Sheet(language, cards, at.strftime("%-d.%-m.%Y"), TEXTS[language])
