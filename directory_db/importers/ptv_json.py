"""PTV JSON import (``--format ptv-json``): Palvelutietovaranto open API v11 objects → Ovi's HSDS records.

The PTV objects are converted into the HSDS service dicts the HSDS-JSON importer reads, which then go through
its validate-and-write pipeline (:func:`.hsds_json.import_records`): one transaction, all or nothing.

Input: files or folders (every ``*.json`` directly in a folder, in name order). A file holds a list of
objects, a PTV page (``{"pageNumber": …, "itemList": […]}``), objects keyed by id (``{"<id>": {…}}``, as
PTV dumps often are) or one object. An object is recognised by its keys: a Service (``serviceNames``…), a
ServiceChannel (``serviceChannelType``…) or an Organization (``organizationType``…; optional, it only tells
the type and details of an organization that services name).

What maps to what (one Ovi service per PTV service; ids are PTV's, child objects get stable uuid5 ids):

- ``id`` → ``id``; ``serviceNames`` Name / AlternativeName → ``name`` / ``alternate_name``;
  ``serviceDescriptions`` Description (Summary when there is no Description) → ``description``,
  UserInstruction → ``application_process``, ProcessingTime → ``wait_time``; ``serviceChargeType`` and
  ChargeTypeAdditionalInfo → ``fees_description``; ``requirements`` → ``eligibility_description``;
  ``modified`` (UTC) → ``last_modified``; ``publishingStatus`` Published → ``active``, else ``inactive``.
  ``serviceChargeType`` FreeOfCharge / Chargeable and ``serviceVouchersInUse`` → ``ovi_cost`` attributes
  ``free`` / ``fee`` / ``service_voucher``; ``fundingType`` → ``funding`` (publicly / market funded).
  Texts are Finnish; without a Finnish name or description the Swedish, then the English one is used (warned).
  The Swedish and English versions of these texts (and of the charge's additional information) →
  ``ovi_translation`` attributes (``sv:name``, ``en:description``, …; README "Finnish profile extensions"),
  except where the field itself already holds that language's text.
- ``organizations``: the Responsible one (else the first) → ``organization`` (id = PTV id) with its
  ``ptv_organization_type``: from a PTV Organization object in the input (whose Swedish and English names
  and descriptions become ``ovi_translation`` attributes), else from the organization already
  in the directory (whose stored details are kept; the name comes from PTV), else ``Organization`` with a
  warning, because a service names only the id and name of its organization.
- ``serviceClasses`` / ``targetGroups`` → ``attributes`` with ``ptvserclass2`` / ``ptvkohderyhmat`` terms;
  the code must be in the code lists, whose Finnish name and URI the term gets (PTV's own URIs are old).
- ``areaType`` Nationwide / NationwideExceptAlandIslands → the nationwide area; ``areas``: Municipality →
  kunta URIs, Region (Province) → maakunta, WellbeingServiceCounties → hyvinvointialue; other area types
  (business regions, hospital districts) → the municipalities PTV lists for them, with a warning.
- ``languages`` → ``languages[]`` (ISO 639-1; other codes are warned and skipped).
- Channels, linked by the service (``serviceChannels``) or by the channel (``services``):
  ServiceLocation → ``service_at_locations[]`` with an inline ``location`` (id = channel id): name,
  description, visiting/postal ``addresses``, coordinates converted from ETRS-TM35FIN to WGS84, phones,
  languages, hours, first web page as ``url``; the connection's own hours and description go on the
  service-at-location; the channel's Swedish and English names and descriptions → the location's
  ``ovi_translation`` attributes. Phone → service ``phones`` and its hours → service ``schedules``.
  EChannel / WebPage → service ``url`` (the first). The emails of all channels → service ``email`` (the
  first); e-channels' support phones → service phones.
- ``serviceHours``: DaysOfTheWeek → weekly schedules (``byday``, ``opens_at``, ``closes_at``, one per time
  pair); OverMidnight → the same with ``closes_at`` before ``opens_at``; isAlwaysOpen → every day
  00:00–23:59; Exceptional → ``valid_from``/``valid_to`` with the times and a dated description, or, when
  closed, no times and the description "Suljettu <dates>". ``validFrom``/``validTo`` → ``valid_from``/
  ``valid_to``; PTV's additional information and isReservation ("Ajanvarauksella") → ``notes``.

Not stored yet (each counted in a warning, never dropped silently): texts in languages other than Finnish,
Swedish and English (the profile's translations are sv and en), the names and descriptions of phone and web
channels (in any language), Summary next to a Description,
DeadLine and ValidityTime texts, organizations other than the responsible one, ontology terms, life events,
legislation, general description ids, the vouchers' own descriptions and links, channel areas, entrances
beyond their accessibility sentences, web pages beyond HSDS's one, printable forms, e-channel signature and
authentication details, and any other PTV field not named above.

What makes a record unusable (malformed JSON, an object that is neither a service nor a channel, a service
without name, organization or area, an unknown code) is collected and raised together as
:class:`ImportValidationError`, naming the file, the object and the PTV field.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from ovi_lang import codes
from ovi_lang.embeddings import SentenceEncoder

from .. import hsds
from ..areas import COUNTY_TO_REGION
from ..models import Organization
from ..profile import (
    COST_TAXONOMY,
    FEE,
    FREE,
    NATIONWIDE_EXTENT,
    NATIONWIDE_NAME,
    ORGANIZATION_TYPE_NAMES_FI,
    ORGANIZATION_TYPE_TAXONOMY,
    PROVIDER_TYPES,
    SERVICE_CLASS_TAXONOMY,
    SERVICE_VOUCHER,
    TARGET_GROUP_TAXONOMY,
    TRANSLATION_LANGUAGES,
    TRANSLATION_TAXONOMY,
    translation_code,
)
from .errors import ImportValidationError, IssueCollector
from .hsds_json import ImportResult, import_records
from .structure import Record
from .terms import ovi_attribute

FORMAT = "ptv-json"
JSON = dict[str, Any]
OrganizationLookup = Callable[[str], JSON | None]

# Stable child ids: the same PTV data gives the same ids, so a re-import changes nothing.
PTV_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ovi:import:ptv")

FALLBACK_LANGUAGES = ("fi", "sv", "en")
LANGUAGE_NAMES_FI = {
    "fi": "suomi", "sv": "ruotsi", "en": "englanti", "se": "pohjoissaame", "ru": "venäjä", "et": "viro",
    "so": "somali", "ar": "arabia", "fa": "persia", "ku": "kurdi", "uk": "ukraina", "de": "saksa",
    "fr": "ranska", "es": "espanja", "zh": "kiina", "tr": "turkki", "vi": "vietnam", "th": "thai",
}  # fmt: skip

_KIND_FI = {"service": "palvelu", "channel": "asiointikanava", "organization": "organisaatio"}
_UNIT_FI = {"service": "palvelussa", "channel": "asiointikanavassa", "organization": "organisaatiossa"}
# Keys that tell an object's kind, checked in this order (a channel lists its "services" too).
_MARKERS = (
    ("channel", ("serviceChannelType", "serviceChannelNames")),
    ("organization", ("organizationType", "organizationNames")),
    ("service", ("serviceNames", "serviceDescriptions", "serviceClasses", "serviceChannels")),
)
# Bookkeeping fields with nothing to store: their absence from Ovi is not worth a warning.
_META = frozenset(
    {"id", "sourceId", "oid", "type", "subType", "displayNameType", "modified", "publishingStatus"}
)
_SERVICE_FIELDS = _META | {
    "serviceNames", "serviceDescriptions", "serviceChargeType", "areaType", "areas", "languages",
    "serviceClasses", "targetGroups", "requirements", "serviceChannels", "organizations", "fundingType",
    "serviceVouchersInUse",
}  # fmt: skip
_CHANNEL_FIELDS = _META | {
    "serviceChannelType", "serviceChannelNames", "serviceChannelDescriptions", "organizationId", "languages",
    "phoneNumbers", "supportPhones", "emails", "supportEmails", "webPages", "services",
}  # fmt: skip
_LOCATION_FIELDS = _CHANNEL_FIELDS | {"addresses", "serviceHours"}
_PHONE_CHANNEL_FIELDS = _CHANNEL_FIELDS | {"serviceHours"}
_ORGANIZATION_FIELDS = _META | {
    "organizationType", "organizationNames", "organizationDescriptions", "emails", "webPages", "services",
}  # fmt: skip
_CONNECTION_FIELDS = frozenset({"serviceChannel", "service", "description", "serviceHours", "modified"})

_NATIONWIDE = ("Nationwide", "NationwideExceptAlandIslands", "WholeCountry", "WholeCountryExceptAlandIslands")
_AREA_SCHEMES = {
    "Municipality": "kunta", "Region": "maakunta", "Province": "maakunta",
    "WellbeingServiceCounties": "hyvinvointialue", "WellbeingServiceCounty": "hyvinvointialue",
}  # fmt: skip
_ORGANIZATION_TYPES = {
    **{code: code for code in PROVIDER_TYPES},
    "RegionalOrganization": "Municipality",  # joint municipal authorities: public, owned by municipalities
}
_CHARGE_FI = {"FreeOfCharge": "Maksuton", "Chargeable": "Maksullinen"}
_CHARGE_TRANSLATED = {
    "sv": {"FreeOfCharge": "Avgiftsfri", "Chargeable": "Avgiftsbelagd"},
    "en": {"FreeOfCharge": "Free of charge", "Chargeable": "Chargeable"},
}
_CHARGE_KINDS = {"FreeOfCharge": FREE, "Chargeable": FEE}
_FUNDING_FI = {"PubliclyFunded": "Julkisesti rahoitettu", "MarketFunded": "Markkinaehtoisesti rahoitettu"}
_PHONE_TYPES = {"Phone": "voice", "Sms": "text", "Fax": "fax"}
_ADDRESS_TYPES = {"Location": "physical", "Visiting": "physical", "Postal": "postal"}
_DAYS = {"Monday": "MO", "Tuesday": "TU", "Wednesday": "WE", "Thursday": "TH", "Friday": "FR",
         "Saturday": "SA", "Sunday": "SU"}  # fmt: skip
_WEEK = tuple(_DAYS.values())
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})")


# --- small helpers ------------------------------------------------------------------------------------------


def _stable_id(*parts: str) -> str:
    return str(uuid.uuid5(PTV_NAMESPACE, "/".join(parts)))


def _with_ids(items: Iterable[JSON], *owner: str) -> list[JSON]:
    return [{"id": _stable_id(*owner, str(i)), **item} for i, item in enumerate(items)]


def _compact(data: JSON) -> JSON:
    """HSDS types its fields as plain strings and numbers: leave out what PTV does not give."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _has_value(value: Any) -> bool:
    if isinstance(value, list):
        return any(_has_value(v.get("value") if isinstance(v, dict) and "value" in v else v) for v in value)
    return value not in (None, "", {}, False)


def _dicts(value: Any) -> list[JSON]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(items: Any, type_: str | None = None, language: str | None = None) -> tuple[str | None, str | None]:
    """(text, its language) from a PTV language-item list: Finnish, else Swedish, else English."""
    for lang in (language,) if language else FALLBACK_LANGUAGES:
        for item in _dicts(items):
            value = item.get("value")
            wanted = item.get("language") == lang and (type_ is None or item.get("type") == type_)
            if wanted and isinstance(value, str) and value.strip():
                return value.strip(), lang
    return None, None


def _fi(items: Any, type_: str | None = None) -> str | None:
    return _text(items, type_, "fi")[0]


def _other_languages(items: Any, type_: str | None = None) -> dict[str, str]:
    """Texts in languages other than Finnish, by language."""
    out: dict[str, str] = {}
    for item in _dicts(items):
        lang, value = item.get("language"), item.get("value")
        wanted = (type_ is None or item.get("type") == type_) and isinstance(lang, str) and lang != "fi"
        if wanted and isinstance(value, str) and value.strip():
            out.setdefault(str(lang), value.strip())
    return out


def _named_translations(names: Any, texts: Any) -> dict[str, dict[str, str]]:
    """The other-language name, alternate name and description of an organization or a channel (a
    Description wins over a Summary in the same language)."""
    return {
        "name": _other_languages(names, "Name"),
        "alternate_name": _other_languages(names, "AlternativeName"),
        "description": _other_languages(texts, "Summary") | _other_languages(texts, "Description"),
    }


def _fees_text(charge: str | None, info: str | None) -> str | None:
    """``fees_description``: the charge type's label and PTV's additional information, as sentences."""
    fees = ". ".join(p.rstrip(".") for p in (charge, info) if p)
    return f"{fees}." if fees else None


def _by_language(items: Iterable[JSON]) -> list[JSON]:
    """Finnish entries first, then the rest in their order (PTV repeats contacts per language version)."""
    items = list(items)
    return [i for i in items if i.get("language") == "fi"] + [i for i in items if i.get("language") != "fi"]


def _url(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    url = value.strip()
    if "://" not in url:
        url = f"https://{url}"  # PTV lets editors write "www.example.fi"; HSDS wants an absolute URI
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc and not re.search(r"\s", url) else None


def _timestamp(value: Any) -> str | None:
    """PTV's ``modified`` is UTC without an offset; HSDS wants RFC 3339 with one."""
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).isoformat()


def _date(value: Any) -> str | None:
    try:
        return date.fromisoformat(str(value)[:10]).isoformat() if value else None
    except ValueError:
        return None


def _clock(value: Any) -> str | None:
    """``"08:00:00"`` → ``"08:00"``; None if it is no time of day."""
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if match is None or int(match.group(1)) > 24 or int(match.group(2)) > 59:
        return None
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _period_fi(start: str, end: str) -> str:
    def fi(value: str) -> str:
        day = date.fromisoformat(value)
        return f"{day.day}.{day.month}.{day.year}"

    return fi(start) if start == end else f"{fi(start)}–{fi(end)}"


# --- coordinates --------------------------------------------------------------------------------------------

# ETRS-TM35FIN (EPSG:3067, what PTV gives) → geographic ETRS89 (= WGS84 to well under a metre), by the Krüger
# series of the public-sector recommendation JHS 154.
_A, _F, _K0, _E0, _LON0 = 6378137.0, 1 / 298.257222101, 0.9996, 500000.0, math.radians(27)
_N = _F / (2 - _F)
_A1 = _A / (1 + _N) * (1 + _N**2 / 4 + _N**4 / 64)
_ECC = math.sqrt(2 * _F - _F * _F)
_H = (
    _N / 2 - 2 * _N**2 / 3 + 37 * _N**3 / 96 - _N**4 / 360,
    _N**2 / 48 + _N**3 / 15 - 437 * _N**4 / 1440,
    17 * _N**3 / 480 - 37 * _N**4 / 840,
    4397 * _N**4 / 161280,
)


def tm35fin_to_wgs84(northing: float, easting: float) -> tuple[float, float]:
    """(latitude, longitude) in degrees of an ETRS-TM35FIN point."""
    xi, eta = northing / (_A1 * _K0), (easting - _E0) / (_A1 * _K0)
    xi1 = xi - sum(h * math.sin(2 * j * xi) * math.cosh(2 * j * eta) for j, h in enumerate(_H, 1))
    eta1 = eta - sum(h * math.cos(2 * j * xi) * math.sinh(2 * j * eta) for j, h in enumerate(_H, 1))
    beta = math.asin(math.sin(xi1) / math.cosh(eta1))
    lon = _LON0 + math.asin(math.tanh(eta1) / math.cos(beta))
    q = q1 = math.asinh(math.tan(beta))
    for _ in range(6):  # the fixed point converges to far below a millimetre in a few rounds
        q1 = q + _ECC * math.atanh(_ECC * math.tanh(q1))
    return math.degrees(math.atan(math.sinh(q1))), math.degrees(lon)


def _coordinates(latitude: Any, longitude: Any) -> tuple[float, float] | None:
    """WGS84 degrees from PTV's coordinates (TM35FIN metres, or degrees already); None if not in Finland."""
    try:
        north, east = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    if 6_500_000 <= north <= 7_900_000 and 0 <= east <= 1_000_000:
        north, east = tm35fin_to_wgs84(north, east)
    elif not (59 <= north <= 71 and 19 <= east <= 33):
        return None
    return round(north, 6), round(east, 6)


# --- reading ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PtvObject:
    kind: str
    """``service``, ``channel`` or ``organization``."""
    label: str
    """``services_v11.json: palvelu #3 (id=…, nimi="…")``: what errors and warnings name."""
    data: JSON


def _file_error(path: Path, message: str) -> ImportValidationError:
    issues = IssueCollector()
    issues.add(f"tiedosto {path.name}", None, message)
    return ImportValidationError(issues.issues)


def json_files(paths: Sequence[Path]) -> list[Path]:
    """The files to read: each file as given, each folder's ``*.json`` files in name order."""
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(p for p in path.glob("*.json") if p.is_file())
        if not found:
            raise _file_error(path, "kansiossa ei ole yhtään JSON-tiedostoa (*.json)")
        files += found
    return files


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise _file_error(path, f"tiedostoa ei voi lukea: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise _file_error(path, f"tiedosto ei ole UTF-8-tekstiä ({error.reason})") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"rivi {error.lineno}, sarake {error.colno}"
        raise _file_error(path, f"ei ole kelvollista JSONia ({where}): {error.msg}") from error


def object_kind(item: Any) -> str | None:
    """``service``, ``channel`` or ``organization`` by the object's keys; None if it is none of them."""
    if isinstance(item, dict):
        for kind, markers in _MARKERS:
            if any(key in item for key in markers):
                return kind
    return None


def _items(data: Any) -> list[Any]:
    """The objects of one file, whichever accepted shape it has."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if "itemList" in data:
            return list(data["itemList"] or [])
        if object_kind(data) is None and data and all(isinstance(v, dict) for v in data.values()):
            return list(data.values())  # {"<id>": {...}, ...}
    return [data]


def _name_of(kind: str | None, data: Any) -> str | None:
    field_name = {"service": "serviceNames", "channel": "serviceChannelNames"}.get(
        kind or "", "organizationNames"
    )
    return _text(data.get(field_name), "Name")[0] if isinstance(data, dict) else None


def _label(source: str, index: int, kind: str | None, data: Any) -> str:
    parts = [f"id={data['id']}"] if isinstance(data, dict) and isinstance(data.get("id"), str) else []
    name = _name_of(kind, data)
    if name:
        parts.append(f'nimi="{name}"')
    word = _KIND_FI.get(kind or "", "kohde")
    return f"{source}: {word} #{index}" + (f" ({', '.join(parts)})" if parts else "")


def load_ptv_objects(paths: Sequence[Path]) -> list[PtvObject]:
    """Every PTV object of the files; :class:`ImportValidationError` for unreadable files, unknown objects."""
    issues = IssueCollector()
    objects: list[PtvObject] = []
    for path in json_files(paths):
        for index, item in enumerate(_items(_read_json(path)), start=1):
            kind = object_kind(item)
            label = _label(path.name, index, kind, item)
            if kind is None:
                issues.add(
                    label,
                    None,
                    "ei ole PTV:n palvelu (serviceNames), asiointikanava (serviceChannelType) eikä "
                    "organisaatio (organizationType)",
                )
            else:
                objects.append(PtvObject(kind, label, item))
    issues.raise_if_any()
    return objects


# --- what could not be stored -------------------------------------------------------------------------------


@dataclass
class _Report:
    """Warnings for one object each, and counts of the kinds of data Ovi does not store yet."""

    warnings: list[str] = field(default_factory=list)
    not_stored: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    """(what, unit) → labels of the objects that had it."""

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def note(self, what: str, kind: str, label: str) -> None:
        self.not_stored.setdefault((what, _UNIT_FI[kind]), set()).add(label)

    def note_unused(self, data: JSON, used: frozenset[str], kind: str, label: str, prefix: str = "") -> None:
        for name, value in data.items():
            if name not in used and _has_value(value):
                self.note(f"PTV-kenttä {prefix}{name}", kind, label)

    def all_warnings(self) -> list[str]:
        return self.warnings + [
            f"ei tallennu vielä (Ovi ei tue sitä): {what}: {len(labels)} {unit}"
            for (what, unit), labels in sorted(self.not_stored.items())
        ]


# --- opening hours ------------------------------------------------------------------------------------------


def _weekly(where: str, hour: JSON, base: JSON, report: _Report, *, over_midnight: bool) -> list[JSON]:
    """One weekly schedule per distinct (opens, closes) pair, listing its days."""
    if hour.get("isClosed"):
        return [_compact({**base, "description": "Suljettu"})]
    groups: dict[tuple[str, str], list[str]] = {}
    for j, opening in enumerate(_dicts(hour.get("openingHour"))):
        day, day_to = _DAYS.get(opening.get("dayFrom") or ""), _DAYS.get(opening.get("dayTo") or "")
        opens, closes = _clock(opening.get("from")), _clock(opening.get("to"))
        if day is None or opens is None or closes is None:
            report.warn(f"{where}.openingHour[{j}]: viikonpäivä tai kellonaika puuttuu; ohitettiin")
        elif over_midnight and day_to not in (None, day, _WEEK[(_WEEK.index(day) + 1) % 7]):
            # HSDS can say "closes the next day" (closes_at before opens_at), not "two days later".
            report.warn(
                f"{where}.openingHour[{j}]: aukiolo {day}–{day_to} kestää yli vuorokauden; ohitettiin"
            )
        else:
            groups.setdefault((opens, closes), []).append(day)
    schedules = [
        _compact({"freq": "WEEKLY", "byday": ",".join(sorted(set(days), key=_WEEK.index)),
                  "opens_at": opens, "closes_at": closes, **base})
        for (opens, closes), days in groups.items()
    ]  # fmt: skip
    if not schedules and base.get("notes"):
        schedules.append(_compact({**base, "description": base["notes"], "notes": None}))
    return schedules


def _exceptional(where: str, hour: JSON, notes: str | None, report: _Report) -> list[JSON]:
    start = _date(hour.get("validFrom"))
    if start is None:
        report.warn(f"{where}: poikkeusaukiololta puuttuu päivämäärä (validFrom); ohitettiin")
        return []
    end = _date(hour.get("validTo")) or start  # PTV leaves validTo empty for a single day
    base, period = {"valid_from": start, "valid_to": end, "notes": notes}, _period_fi(start, end)
    if hour.get("isClosed"):
        return [_compact({**base, "description": f"Suljettu {period}"})]
    times = [(_clock(o.get("from")), _clock(o.get("to"))) for o in _dicts(hour.get("openingHour"))]
    pairs = [(a, b) for a, b in times if a and b]
    if not pairs:
        return [_compact({**base, "description": f"Poikkeuksellinen aukiolo {period}"})]
    # The dates go into the description too: readers that show only descriptions would lose them otherwise.
    return [
        _compact({**base, "opens_at": a, "closes_at": b,
                  "description": f"Poikkeuksellisesti avoinna {period} klo {a}–{b}".replace(":", ".")})
        for a, b in pairs
    ]  # fmt: skip


def schedules_of(label: str, hours: Any, report: _Report) -> list[JSON]:
    """HSDS schedules (without ids) of a PTV ``serviceHours`` list."""
    out: list[JSON] = []
    for i, hour in enumerate(_dicts(hours)):
        kind, where = hour.get("serviceHourType"), f"{label}: serviceHours[{i}]"
        notes = "; ".join(n for n in ("Ajanvarauksella" if hour.get("isReservation") else None,
                                      _fi(hour.get("additionalInformation"))) if n) or None  # fmt: skip
        base = {
            "valid_from": _date(hour.get("validFrom")),
            "valid_to": _date(hour.get("validTo")),
            "notes": notes,
        }
        if kind in ("Exceptional", "Exception"):
            out += _exceptional(where, hour, notes, report)
        elif hour.get("isAlwaysOpen"):
            always = {"freq": "WEEKLY", "byday": ",".join(_WEEK), "opens_at": "00:00", "closes_at": "23:59"}
            out.append(_compact({**always, **base, "description": "Avoinna ympäri vuorokauden"}))
        elif kind in ("DaysOfTheWeek", "Standard", "OverMidnight", "Special"):
            out += _weekly(where, hour, base, report, over_midnight=kind in ("OverMidnight", "Special"))
        else:
            report.warn(f"{where}: tuntematon aukioloaikatyyppi {kind!r}; ohitettiin")
    return out


# --- contact details ----------------------------------------------------------------------------------------


def _phone(item: JSON) -> JSON | None:
    number, prefix = item.get("number"), item.get("prefixNumber")
    if not isinstance(number, str) or not number.strip():
        return None
    prefix = prefix.strip() if isinstance(prefix, str) else ""
    # Joined the way PTV's own API joins them ("+358 447943552").
    full = f"{prefix} {number.strip()}" if prefix else number.strip()
    lang = item.get("language")
    other_language = isinstance(lang, str) and lang != "fi"
    notes = [
        item.get("additionalInformation"),
        _CHARGE_FI.get(item.get("serviceChargeType") or "", "").lower(),
        item.get("chargeDescription"),
        f"palvelukieli {LANGUAGE_NAMES_FI.get(str(lang), lang)}" if other_language else None,
    ]
    description = "; ".join(n.strip() for n in notes if isinstance(n, str) and n.strip())
    kind = _PHONE_TYPES.get(item.get("type") or "Phone")
    return _compact({"number": full, "type": kind, "description": description})


def phones_of(*lists: Any) -> list[JSON]:
    """One HSDS phone per number (PTV repeats a number in each language version; the Finnish one wins)."""
    seen: dict[str, JSON] = {}
    for items in lists:
        for phone in filter(None, map(_phone, _by_language(_dicts(items)))):
            seen.setdefault(phone["number"], phone)
    return list(seen.values())


def emails_of(data: JSON) -> list[str]:
    items = _by_language([*_dicts(data.get("emails")), *_dicts(data.get("supportEmails"))])
    values = (e.get("value") for e in items)
    return list(dict.fromkeys(v.strip() for v in values if isinstance(v, str) and v.strip()))


def urls_of(label: str, data: JSON, report: _Report) -> list[str]:
    """Web page URLs, Finnish first (``urls`` is the e-channel field of older API versions)."""
    urls: list[str] = []
    for item in _by_language(_dicts(data.get("webPages")) + _dicts(data.get("urls"))):
        raw = item.get("url") if "url" in item else item.get("value")
        url = _url(raw)
        if url is None and raw:
            report.warn(f"{label}: verkko-osoite {raw!r} ei ole kelvollinen URL; ohitettiin")
        elif url is not None and url not in urls:
            urls.append(url)
    return urls


# --- locations ----------------------------------------------------------------------------------------------


def _region_name(municipality_code: Any) -> str | None:
    """The region (maakunta) of a municipality: HSDS requires a ``state_province``."""
    county = codes.county_of(str(municipality_code).zfill(3)) if municipality_code else None
    region = codes.codes("maakunta").get(COUNTY_TO_REGION.get(county.code, "")) if county else None
    return region.name_fi if region else None


def address_of(
    label: str, item: JSON, i: int, report: _Report
) -> tuple[JSON | None, tuple[float, float] | None]:
    """One HSDS address and, for a visiting address, its WGS84 coordinates."""
    where = f"{label}: addresses[{i}]"
    street, box = item.get("streetAddress"), item.get("postOfficeBoxAddress")
    source: JSON = street if isinstance(street, dict) else box if isinstance(box, dict) else {}
    if source is street:
        line = " ".join(p for p in (_text(source.get("street"))[0], source.get("streetNumber")) if p)
    else:
        line = _text(source.get("postOfficeBox"))[0] or ""
    address_type = _ADDRESS_TYPES.get(item.get("type") or "")
    if address_type is None or not line:
        kind = f"{item.get('type')}/{item.get('subType')}"
        report.warn(f"{where}: osoite ({kind}) ei ole katu- eikä postilokero-osoite; ohitettiin")
        return None, None
    found = source.get("municipality")
    municipality: JSON = found if isinstance(found, dict) else {}
    city = _text(source.get("postOffice"))[0] or _text(municipality.get("name"))[0] or ""
    # HSDS requires city, postal code and region (state_province) even when PTV leaves one empty.
    address = {
        "address_1": line, "address_2": _fi(source.get("additionalInformation")), "city": city,
        "postal_code": source.get("postalCode") or "",
        "state_province": _region_name(municipality.get("code")) or city,
        "country": item.get("country") or "FI", "address_type": address_type,
    }  # fmt: skip
    coordinates = None
    if address_type == "physical" and (source.get("latitude") or source.get("longitude")):
        coordinates = _coordinates(source.get("latitude"), source.get("longitude"))
        if coordinates is None:
            given = f"{source.get('latitude')!r}, {source.get('longitude')!r}"
            report.warn(
                f"{where}: koordinaatit {given} eivät ole Suomessa (TM35FIN tai WGS84); jätettiin pois"
            )
    return {k: v for k, v in address.items() if v is not None}, coordinates


def accessibility_of(label: str, item: JSON, report: _Report) -> list[JSON]:
    """HSDS accessibility entries (without ids) of one PTV address: one per sentence group of each entrance
    (``description`` the group's title, ``details`` its sentences), Finnish first."""
    out: list[JSON] = []
    for entrance in _dicts(item.get("entrances")):
        contact = entrance.get("contactInfo")
        url = _url(contact.get("url")) if isinstance(contact, dict) else None
        groups = _dicts(entrance.get("accessibilitySentences"))
        for group in groups:
            title = _text(group.get("sentenceGroup"))[0]
            sentences = [_text(s.get("sentence"))[0] for s in _dicts(group.get("sentences"))]
            details = " ".join(s for s in sentences if s)
            if title or details:
                out.append(_compact({"description": title, "details": details, "url": url}))
        if not groups:
            report.note("sisäänkäynnit ilman esteettömyystietoja (addresses[].entrances)", "channel", label)
    return out


# --- the conversion -----------------------------------------------------------------------------------------


@dataclass
class PtvConversion:
    records: list[Record]
    warnings: list[str]


@dataclass
class _ChannelParts:
    """What a channel gives each service that uses it (service-level items get their ids per service)."""

    location: JSON | None = None
    phones: list[JSON] = field(default_factory=list)
    schedules: list[JSON] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Link:
    channel_id: str
    name: str | None
    connection: JSON
    """The service–channel connection object (its own hours, description, …)."""


def stored_organization_lookup(session: Session) -> OrganizationLookup:
    """Organizations already in the directory, as HSDS dicts that an import writes back unchanged."""

    def lookup(org_id: str) -> JSON | None:
        org = session.get(Organization, org_id)
        return hsds.organization_in_service(org) if org is not None else None

    return lookup


def _type_attribute(org_id: str, code: str) -> JSON:
    name = ORGANIZATION_TYPE_NAMES_FI[code]
    term_id = _stable_id("taxonomy_term", ORGANIZATION_TYPE_TAXONOMY, code)
    term = {"id": term_id, "taxonomy": ORGANIZATION_TYPE_TAXONOMY, "code": code, "name": name,
            "description": f"PTV-organisaatiotyyppi: {name}", "language": "fi"}  # fmt: skip
    return {"id": _stable_id(org_id, "attribute", ORGANIZATION_TYPE_TAXONOMY), "taxonomy_term_id": term_id,
            "taxonomy_term": term}  # fmt: skip


def _responsible(data: JSON) -> JSON | None:
    """The reference ``{id, name}`` of the service's responsible organization (else the first one)."""
    entries = [e for e in _dicts(data.get("organizations")) if isinstance(e.get("organization"), dict)]
    chosen = [e for e in entries if e.get("roleType") == "Responsible"] or entries
    return chosen[0]["organization"] if chosen else None


class _Converter:
    def __init__(self, objects: Sequence[PtvObject], stored_organization: OrganizationLookup) -> None:
        self.stored_organization = stored_organization
        self.issues = IssueCollector()
        self.report = _Report()
        self.services = [obj for obj in objects if obj.kind == "service"]
        self.channels = self._by_id(objects, "channel")
        self.organization_objects = self._by_id(objects, "organization")
        self.organizations: dict[str, JSON] = {}
        self.channel_parts: dict[str, _ChannelParts] = {}
        self.unpublished_channels: set[str] = set()
        # Locations may name only organizations the import writes or the directory has.
        # service id → (channel id, connection) for the channels that list their services themselves.
        self.listed_by_channels: dict[str, list[tuple[str, JSON]]] = {}
        for channel_id, channel in self.channels.items():
            for entry in _dicts(channel.data.get("services")):
                ref = entry.get("service")
                if isinstance(ref, dict) and isinstance(ref.get("id"), str):
                    self.listed_by_channels.setdefault(ref["id"], []).append((channel_id, entry))
        self.record_organizations = {
            ref["id"]
            for obj in self.services
            if (ref := _responsible(obj.data)) and isinstance(ref.get("id"), str)
        }

    def _by_id(self, objects: Sequence[PtvObject], kind: str) -> dict[str, PtvObject]:
        found: dict[str, PtvObject] = {}
        for obj in objects:
            obj_id = obj.data.get("id")
            if obj.kind != kind:
                continue
            if not isinstance(obj_id, str) or not _UUID.match(obj_id):
                self.issues.add(obj.label, "id", f"id puuttuu tai ei ole UUID ({obj_id!r})")
            elif obj_id in found:
                self.report.warn(
                    f"{obj.label}: sama id kuin kohteella {found[obj_id].label}; käytettiin ensimmäistä"
                )
            else:
                found[obj_id] = obj
        return found

    # -- organization -------------------------------------------------------------------------------------

    def _from_organization_object(self, obj: PtvObject, name: str) -> JSON:
        data, org_id = obj.data, str(obj.data["id"])
        code = _ORGANIZATION_TYPES.get(str(data.get("organizationType")))
        if code is None:
            code = "Organization"
            self.report.warn(
                f"{obj.label}: organizationType {data.get('organizationType')!r} ei ole Ovin "
                "organisaatiotyyppi; tallennettiin tyypiksi Organization (järjestö)"
            )
        names, texts = data.get("organizationNames"), data.get("organizationDescriptions")
        emails = emails_of(data)
        sites = urls_of(obj.label, data, self.report)
        self.report.note_unused(data, _ORGANIZATION_FIELDS, "organization", obj.label)
        own_name, name_lang = _text(names, "Name")
        org = {"id": org_id, "name": own_name or name,
               "email": emails[0] if emails else None, "website": sites[0] if sites else None}  # fmt: skip
        description, text_lang = _text(texts, "Description")
        if description is None:
            description, text_lang = _text(texts, "Summary")
        translated = _named_translations(names, texts)
        main = {"name": name_lang, "description": text_lang}
        translations = self._translations(org_id, "organization", obj.label, translated, main)
        return _compact(org) | {
            "description": description or "",
            "attributes": [_type_attribute(org_id, code), *translations],
        }

    def _organization(self, org_id: str, name: str) -> JSON:
        """One dict per organization, shared by all its services (the importer requires them identical)."""
        if org_id in self.organizations:
            return self.organizations[org_id]
        obj = self.organization_objects.get(org_id)
        stored = self.stored_organization(org_id) if obj is None else None
        if obj is not None:
            org = self._from_organization_object(obj, name)
        elif stored is not None:
            org = {**stored, "name": name}
        else:
            org = {"id": org_id, "name": name, "description": "",
                   "attributes": [_type_attribute(org_id, "Organization")]}  # fmt: skip
            self.report.warn(
                f'organisaatio {org_id} ("{name}"): PTV:n palvelu kertoo vain nimen ja id:n, joten tyypiksi '
                "tallennettiin Organization (järjestö); tuo PTV:n organisaatio samassa ajossa tai korjaa "
                "tyyppi"
            )
        self.organizations[org_id] = org
        return org

    def _service_organization(self, obj: PtvObject) -> JSON | None:
        ref = _responsible(obj.data) or {}
        org_id, name = ref.get("id"), ref.get("name")
        if not isinstance(org_id, str) or not _UUID.match(org_id):
            self.issues.add(obj.label, "organizations", "vastuuorganisaatio tai sen id (UUID) puuttuu")
            return None
        if not (isinstance(name, str) and name.strip()) and org_id in self.organization_objects:
            name = _name_of("organization", self.organization_objects[org_id].data)
        if not (isinstance(name, str) and name.strip()):
            self.issues.add(obj.label, "organizations", f"organisaation {org_id} nimi puuttuu")
            return None
        refs = [
            e["organization"]
            for e in _dicts(obj.data.get("organizations"))
            if isinstance(e.get("organization"), dict)
        ]
        if any(ref.get("id") != org_id for ref in refs):
            self.report.note(
                "muut organisaatiot kuin vastuuorganisaatio (esim. tuottajat)", "service", obj.label
            )
        return self._organization(org_id, name.strip())

    # -- areas, classes, languages -----------------------------------------------------------------------

    def _municipality(self, obj: PtvObject, raw: Any, names: Any, path: str) -> JSON | None:
        """A municipality area; an unknown code is looked up by the Finnish name PTV gives with it."""
        known = codes.municipality(str(raw).zfill(3)) if raw else None
        if known is None:
            name = _fi(names)
            same_name = [c for c in codes.codes("kunta").values() if name and c.name_fi == name]
            if len(same_name) != 1:
                self.report.warn(f"{obj.label}: {path}: tuntematon kuntakoodi {raw!r} ({name}); ohitettiin")
                return None
            known = same_name[0]
            self.report.warn(
                f"{obj.label}: {path}: tuntematon kuntakoodi {raw!r}; käytettiin nimen {name} mukaista "
                f"koodia {known.code}"
            )
        return {"name": known.name_fi, "uri": known.uri}

    def _municipalities(self, obj: PtvObject, area: JSON, path: str) -> list[JSON]:
        listed = enumerate(_dicts(area.get("municipalities")))
        found = [
            self._municipality(obj, m.get("code"), m.get("name"), f"{path}.municipalities[{i}].code")
            for i, m in listed
        ]
        return [area for area in found if area is not None]

    def _one_area(self, obj: PtvObject, area: JSON, path: str) -> list[JSON]:
        area_type, raw = area.get("type"), area.get("code")
        scheme = _AREA_SCHEMES.get(str(area_type))
        if scheme == "kunta":
            if not raw:
                return self._municipalities(obj, area, path)
            found = self._municipality(obj, raw, area.get("name"), f"{path}.code")
            return [found] if found else []
        known = codes.codes(scheme).get(str(raw).zfill(2)) if scheme and raw else None
        if known is not None:
            return [{"name": known.name_fi, "uri": known.uri}]
        listed = self._municipalities(obj, area, path)
        what = f"{obj.label}: {path}: Ovi ei tunne aluetta {area_type}" + (f" {raw}" if raw else "")
        self.report.warn(
            f"{what}; käytettiin sen {len(listed)} kuntaa"
            if listed
            else f"{what}, eikä PTV luettele sen kuntia; ohitettiin"
        )
        return listed

    def _service_areas(self, obj: PtvObject, service_id: str) -> list[JSON]:
        area_type = obj.data.get("areaType")
        if area_type in _NATIONWIDE:
            except_aland = "Koko Suomi paitsi Ahvenanmaa" if "Except" in str(area_type) else None
            found = [_compact({"name": NATIONWIDE_NAME, "extent_type": "text", "extent": NATIONWIDE_EXTENT,
                               "description": except_aland})]  # fmt: skip
        else:
            areas = enumerate(_dicts(obj.data.get("areas")))
            found = [a for i, area in areas for a in self._one_area(obj, area, f"areas[{i}]")]
        unique = list({(a.get("uri"), a.get("extent")): a for a in found}.values())
        if not unique:
            self.issues.add(
                obj.label, "areas", f"palvelualue puuttuu (areaType {area_type!r}, ei tunnettuja alueita)"
            )
        return _with_ids(unique, service_id, "service_area")

    def _terms(
        self, obj: PtvObject, service_id: str, ptv_field: str, taxonomy: str, label_fi: str
    ) -> list[JSON]:
        out = []
        for i, item in enumerate(_dicts(obj.data.get(ptv_field))):
            code = item.get("code")
            known = codes.taxonomy_code(taxonomy, code) if isinstance(code, str) else None
            if known is None:
                self.issues.add(obj.label, f"{ptv_field}[{i}].code", f"tuntematon {label_fi} {code!r}")
                continue
            term_id = _stable_id("taxonomy_term", taxonomy, known.code)
            term = {"id": term_id, "taxonomy": taxonomy, "code": known.code, "name": known.name_fi,
                    "description": f"PTV-{label_fi} {known.code}: {known.name_fi}", "language": "fi",
                    "term_uri": known.uri}  # fmt: skip
            attribute_id = _stable_id(service_id, "attribute", taxonomy, known.code)
            out.append({"id": attribute_id, "taxonomy_term_id": term_id, "taxonomy_term": term})
        return out

    def _languages(self, label: str, values: Any, *owner: str) -> list[JSON]:
        out = []
        for code in (
            dict.fromkeys(v for v in values if isinstance(v, str)) if isinstance(values, list) else ()
        ):
            if re.fullmatch(r"[a-z]{2}", code):
                out.append(_compact({"code": code, "name": LANGUAGE_NAMES_FI.get(code)}))
            else:
                self.report.warn(f"{label}: kielikoodi {code!r} ei ole ISO 639-1 -koodi; ohitettiin")
        return _with_ids(out, *owner, "language")

    # -- channels -----------------------------------------------------------------------------------------

    def _location(self, obj: PtvObject) -> JSON:
        data, channel_id = obj.data, str(obj.data["id"])
        addresses, coordinates, accessibility = [], None, []
        for i, item in enumerate(_dicts(data.get("addresses"))):
            address, found = address_of(obj.label, item, i, self.report)
            addresses += [address] if address else []
            coordinates = coordinates or found
            accessibility += accessibility_of(obj.label, item, self.report)
        urls = urls_of(obj.label, data, self.report)
        if len(urls) > 1:
            self.report.note(
                "asiointipisteen muut verkko-osoitteet (sijainnilla on yksi url)", "channel", obj.label
            )
        org_id = data.get("organizationId")
        if not isinstance(org_id, str):
            org_id = None
        elif org_id not in self.record_organizations and self.stored_organization(org_id) is None:
            what = "asiointipisteen organisaatiolinkki (organisaatio ei ole tuonnissa eikä hakemistossa)"
            self.report.note(what, "channel", obj.label)
            org_id = None
        names, texts = data.get("serviceChannelNames"), data.get("serviceChannelDescriptions")
        name, name_lang = _text(names, "Name")
        translated = _named_translations(names, texts)
        translations = self._translations(channel_id, "channel", obj.label, translated, {"name": name_lang})
        return _compact({
            "id": channel_id, "location_type": "physical", "url": urls[0] if urls else None,
            "organization_id": org_id, "name": name,
            "alternate_name": _fi(names, "AlternativeName"),
            "description": _fi(texts, "Description") or _fi(texts, "Summary"),
            "latitude": coordinates[0] if coordinates else None,
            "longitude": coordinates[1] if coordinates else None,
            "languages": self._languages(obj.label, data.get("languages"), channel_id),
            "addresses": _with_ids(addresses, channel_id, "address"),
            "accessibility": _with_ids(accessibility, channel_id, "accessibility"),
            "phones": _with_ids(phones_of(data.get("phoneNumbers")), channel_id, "phone"),
            "schedules": _with_ids(schedules_of(obj.label, data.get("serviceHours"), self.report), channel_id,
                                   "schedule"),
            "attributes": translations,
        })  # fmt: skip

    def _channel_parts(self, obj: PtvObject) -> _ChannelParts:
        """A channel converted once, however many services use it (so its warnings come once)."""
        channel_id, data = str(obj.data["id"]), obj.data
        if channel_id in self.channel_parts:
            return self.channel_parts[channel_id]
        kind = data.get("serviceChannelType")
        parts, used = _ChannelParts(emails=emails_of(data)), _CHANNEL_FIELDS
        if kind == "ServiceLocation":
            parts.location, used = self._location(obj), _LOCATION_FIELDS
        elif kind == "Phone":
            parts.phones = phones_of(data.get("phoneNumbers"), data.get("supportPhones"))
            parts.schedules, used = (
                schedules_of(obj.label, data.get("serviceHours"), self.report),
                _PHONE_CHANNEL_FIELDS,
            )
            parts.urls = urls_of(obj.label, data, self.report)
        elif kind in ("EChannel", "WebPage"):
            parts.urls = urls_of(obj.label, data, self.report)
            parts.phones = phones_of(data.get("supportPhones"))
        else:
            self.report.warn(
                f"{obj.label}: kanavatyyppiä {kind} ei tallenneta (vain sen sähköpostit); ohitettiin"
            )
        if kind != "ServiceLocation" and (
            _other_languages(data.get("serviceChannelNames"))
            or _other_languages(data.get("serviceChannelDescriptions"))
        ):
            # A location keeps them as translations; other channels keep no names in any language.
            self.report.note("asiointikanavan muunkieliset nimet ja kuvaukset", "channel", obj.label)
        self.report.note_unused(data, used, "channel", obj.label)
        self.channel_parts[channel_id] = parts
        return parts

    def _links(self, obj: PtvObject, service_id: str) -> list[_Link]:
        """The service's channels: those it lists, then those that list it."""
        links: dict[str, _Link] = {}
        for entry in _dicts(obj.data.get("serviceChannels")):
            ref = entry.get("serviceChannel")
            if isinstance(ref, dict) and isinstance(ref.get("id"), str):
                links.setdefault(ref["id"], _Link(ref["id"], ref.get("name"), entry))
        for channel_id, entry in self.listed_by_channels.get(service_id, []):
            links.setdefault(channel_id, _Link(channel_id, None, entry))
        return list(links.values())

    def _usable_channel(self, obj: PtvObject, link: _Link) -> PtvObject | None:
        channel = self.channels.get(link.channel_id)
        if channel is None:
            name = f' ("{link.name}")' if link.name else ""
            self.report.warn(
                f"{obj.label}: asiointikanavaa {link.channel_id}{name} ei ole tuotavissa tiedostoissa; "
                "ohitettiin"
            )
            return None
        status = channel.data.get("publishingStatus")
        if status not in (None, "Published"):
            self.unpublished_channels.add(link.channel_id)
            self.report.warn(f"{obj.label}: asiointikanava {link.channel_id} on tilassa {status}; ohitettiin")
            return None
        return channel

    def _channels(self, obj: PtvObject, service_id: str) -> JSON:
        """The service's locations, phones, hours, url and email from its channels."""
        locations: list[JSON] = []
        combined = _ChannelParts()
        for link in self._links(obj, service_id):
            channel = self._usable_channel(obj, link)
            if channel is None:
                continue
            parts = self._channel_parts(channel)
            own_hours = schedules_of(obj.label, link.connection.get("serviceHours"), self.report)
            self.report.note_unused(
                link.connection, _CONNECTION_FIELDS, "service", obj.label, "serviceChannels[]."
            )
            if parts.location is not None:
                sal_id = _stable_id(service_id, "service_at_location", link.channel_id)
                description = _fi(link.connection.get("description"))
                schedules = _with_ids(own_hours, sal_id, "schedule")
                locations.append(
                    _compact({"id": sal_id, "description": description, "schedules": schedules,
                              "location": parts.location})
                )  # fmt: skip
            combined.schedules += (own_hours if parts.location is None else []) + parts.schedules
            combined.phones += parts.phones
            combined.urls += parts.urls
            combined.emails += parts.emails
        urls, emails = list(dict.fromkeys(combined.urls)), list(dict.fromkeys(combined.emails))
        if len(urls) > 1:
            self.report.note(
                "palvelun muut verkko-osoitteet (HSDS-palvelulla on yksi url)", "service", obj.label
            )
        # HSDS gives a service one email; the rest are contacts of their own (a contact has one email).
        contacts = [{"email": email} for email in emails[1:]]
        phones: dict[str, JSON] = {}
        for phone in combined.phones:
            phones.setdefault(phone["number"], phone)  # the first channel giving a number describes it
        return {
            "url": urls[0] if urls else None, "email": emails[0] if emails else None,
            "phones": _with_ids(phones.values(), service_id, "phone"),
            "schedules": _with_ids(combined.schedules, service_id, "schedule"),
            "service_at_locations": locations,
            "contacts": _with_ids(contacts, service_id, "contact"),
        }  # fmt: skip

    # -- service ------------------------------------------------------------------------------------------

    def _texts(self, obj: PtvObject, service_id: str) -> tuple[JSON, list[JSON]]:
        """The service's Finnish text fields, and ``ovi_translation`` attributes of the other languages."""
        data = obj.data
        names, texts = data.get("serviceNames"), data.get("serviceDescriptions")
        name, name_lang = _text(names, "Name")
        description, text_lang = _text(texts, "Description")
        if description is None:
            description, text_lang = _text(texts, "Summary")
        if name is None:
            self.issues.add(
                obj.label, "serviceNames", "palvelun nimi puuttuu (tyyppi Name, kieli fi, sv tai en)"
            )
        elif name_lang != "fi":
            self.report.warn(f"{obj.label}: ei suomenkielistä nimeä; käytettiin kieltä {name_lang}")
        if description is not None and text_lang != "fi":
            self.report.warn(f"{obj.label}: ei suomenkielistä kuvausta; käytettiin kieltä {text_lang}")
        languages = {item.get("language") for item in _dicts(texts)}
        if any(
            _text(texts, "Description", lang)[0] and _text(texts, "Summary", lang)[0]
            for lang in languages
            if isinstance(lang, str)
        ):
            self.report.note("tiivistelmä (Summary) kuvauksen (Description) rinnalla", "service", obj.label)
        for kind in ("DeadLine", "ValidityTime"):
            if _text(texts, kind)[0]:
                self.report.note(f"kuvaustyyppi {kind}", "service", obj.label)
        charge_type = str(data.get("serviceChargeType") or "")
        fees = _fees_text(_CHARGE_FI.get(charge_type), _fi(texts, "ChargeTypeAdditionalInfo"))
        translated = {
            "name": _other_languages(names, "Name"),
            "alternate_name": _other_languages(names, "AlternativeName"),
            "description": _other_languages(texts, "Summary") | _other_languages(texts, "Description"),
            "application_process": _other_languages(texts, "UserInstruction"),
            "wait_time": _other_languages(texts, "ProcessingTime"),
            "fees_description": {
                lang: _fees_text(_CHARGE_TRANSLATED.get(lang, {}).get(charge_type), info) or info
                for lang, info in _other_languages(texts, "ChargeTypeAdditionalInfo").items()
            },
            "eligibility_description": _other_languages(data.get("requirements")),
        }
        main = {"name": name_lang, "description": text_lang}
        fields = {
            "name": name, "alternate_name": _fi(names, "AlternativeName"), "description": description,
            "application_process": _fi(texts, "UserInstruction"), "wait_time": _fi(texts, "ProcessingTime"),
            "fees_description": fees, "eligibility_description": _fi(data.get("requirements")),
        }  # fmt: skip
        return fields, self._translations(service_id, "service", obj.label, translated, main)

    def _translations(
        self,
        owner_id: str,
        kind: str,
        label: str,
        texts: dict[str, dict[str, str]],
        main: dict[str, str | None],
    ) -> list[JSON]:
        """``ovi_translation`` attributes of one object from field → language → text, in the profile's
        language order. A language that a field itself holds (``main``: the Swedish name of a service
        without a Finnish one; default Finnish) is not repeated; languages the profile has no translations
        for are noted."""
        found: list[tuple[int, int, JSON]] = []
        other = False
        for f, (field_name, by_language) in enumerate(texts.items()):
            for language, text in by_language.items():
                if language == main.get(field_name, "fi"):
                    continue
                if language not in TRANSLATION_LANGUAGES:
                    other = True
                    continue
                code = translation_code(language, field_name)
                attribute = ovi_attribute(owner_id, TRANSLATION_TAXONOMY, code, text)
                found.append((list(TRANSLATION_LANGUAGES).index(language), f, attribute))
        if other:
            what = "nimet ja kuvaukset muilla kielillä kuin suomi, ruotsi ja englanti"
            self.report.note(what, kind, label)
        return [attribute for _, _, attribute in sorted(found, key=lambda x: x[:2])]

    def _cost_and_funding(self, obj: PtvObject, service_id: str) -> JSON:
        """``ovi_cost`` attributes from the charge type and vouchers, ``funding`` from the funding type."""
        data = obj.data
        kinds = [_CHARGE_KINDS[c] for c in (data.get("serviceChargeType"),) if c in _CHARGE_KINDS]
        if data.get("serviceVouchersInUse") is True:
            kinds.append(SERVICE_VOUCHER)
        funding = _FUNDING_FI.get(str(data.get("fundingType")))
        if data.get("fundingType") and funding is None:
            self.report.note(f"rahoitustapa {data.get('fundingType')}", "service", obj.label)
        return {
            "attributes": [ovi_attribute(service_id, COST_TAXONOMY, kind) for kind in kinds],
            "funding": _with_ids([{"source": funding}] if funding else [], service_id, "funding"),
        }

    def _service(self, obj: PtvObject) -> Record | None:
        data, service_id = obj.data, obj.data.get("id")
        if not isinstance(service_id, str) or not _UUID.match(service_id):
            self.issues.add(obj.label, "id", f"palvelun id puuttuu tai ei ole UUID ({service_id!r})")
            return None
        organization = self._service_organization(obj)
        cost = self._cost_and_funding(obj, service_id)
        texts, translations = self._texts(obj, service_id)
        service: JSON = {
            "id": service_id,
            "organization_id": organization["id"] if organization else None,
            **texts,
            "status": "active" if data.get("publishingStatus") == "Published" else "inactive",
            "last_modified": _timestamp(data.get("modified")),
            "organization": organization,
            "service_areas": self._service_areas(obj, service_id),
            **self._channels(obj, service_id),
            "languages": self._languages(obj.label, data.get("languages"), service_id),
            "funding": cost["funding"],
            "attributes": [
                *self._terms(obj, service_id, "serviceClasses", SERVICE_CLASS_TAXONOMY, "palveluluokka"),
                *self._terms(obj, service_id, "targetGroups", TARGET_GROUP_TAXONOMY, "kohderyhmä"),
                *cost["attributes"],
                *translations,
            ],
        }
        self.report.note_unused(data, _SERVICE_FIELDS, "service", obj.label)
        return Record(obj.label, _compact(service))

    def convert(self) -> PtvConversion:
        records = [record for obj in self.services if (record := self._service(obj)) is not None]
        self.issues.raise_if_any()
        if not self.services:
            self.report.warn("tuonnissa ei ole yhtään PTV-palvelua; palveluita ei tallennettu")
        for channel_id, channel in self.channels.items():
            if channel_id not in self.channel_parts and channel_id not in self.unpublished_channels:
                self.report.warn(f"{channel.label}: ei liity yhteenkään tuotavaan palveluun; ohitettiin")
        return PtvConversion(records, self.report.all_warnings())


def convert_ptv(
    objects: Sequence[PtvObject], stored_organization: OrganizationLookup | None = None
) -> PtvConversion:
    """PTV objects → HSDS service records, still to be validated (:func:`import_records` does that).

    ``stored_organization`` says what the directory already holds for an organization id (see
    :func:`stored_organization_lookup`). Raises :class:`ImportValidationError` listing every problem found.
    """
    return _Converter(objects, stored_organization or (lambda _org_id: None)).convert()


def import_ptv_json(
    session: Session,
    paths: Path | str | Sequence[Path | str],
    *,
    dry_run: bool = False,
    encoder: SentenceEncoder | None = None,
    source: str | None = None,
    user: str | None = None,
    prune: bool = False,
) -> ImportResult:
    """Import PTV v11 JSON files or folders atomically; the conversion's warnings come first.

    The options as in :func:`.hsds_json.import_records` (the default source is ``ptv-json``)."""
    path_list = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    conversion = convert_ptv(load_ptv_objects(path_list), stored_organization_lookup(session))
    result = import_records(
        session, conversion.records, dry_run=dry_run, encoder=encoder, source=source, default_source=FORMAT,
        user=user or f"import:{FORMAT}", prune=prune,
    )  # fmt: skip
    return replace(result, warnings=(*conversion.warnings, *result.warnings))
