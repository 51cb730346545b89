"""The HSDS API's interface, declared once: its query parameters and its operations.

``routes_hsds`` reads every query parameter through a :class:`Param` declared here (the parser and the 400
error with English and Finnish text), and :func:`openapi` builds the OpenAPI 3.1 document served at
``/api/hsds/openapi.json`` from the same declarations, so the document cannot drift from what the code
accepts. Responses refer to the HSDS 3.0 schemas by relative URL (``schema/service.json``), which the API
serves from ``directory_db/schemas/hsds-3.0`` (see :func:`schema_files`). A test checks that every route
under ``/api/hsds`` is documented here and every documented path is a route.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from multidict import MultiMapping

from directory_db.profile import SERVICE_CLASS_TAXONOMY, TARGET_GROUP_TAXONOMY
from ovi_lang import codes
from ovi_web.errors import BadParameter

JSON = dict[str, Any]
T = TypeVar("T")
Query = MultiMapping[str]

API = "/api/hsds"
HSDS_VERSION = "3.0"
API_VERSION = "1.1"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
MAX_PAGE = 2**31 - 1
MAX_TEXT = 200  # a search text or an id; longer ones are a mistake (or an attack on the analyser)
ProviderType = Literal["ngo", "public", "parish", "private"]
PROVIDER_TYPES: tuple[ProviderType, ...] = ("ngo", "public", "parish", "private")


# --- parsing ----------------------------------------------------------------------------------------------


class Invalid(ValueError):
    """A parameter value the API cannot use, explained in English and in Finnish."""

    def __init__(self, en: str, fi: str) -> None:
        super().__init__(en)
        self.en = en
        self.fi = fi


# C0 control characters other than tab, line feed and carriage return (PostgreSQL refuses NUL in text).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"


def usable_text(value: str, limit: int = MAX_TEXT) -> bool:
    """Whether ``value`` can be a search text or an id: not too long, no control characters, valid UTF-8."""
    if len(value) > limit or _CONTROL.search(value):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a broken percent-encoding
        return False
    return True


def _text(raw: str) -> str:
    if len(raw) > MAX_TEXT:
        raise Invalid(f"must be at most {MAX_TEXT} characters", f"enintään {MAX_TEXT} merkkiä")
    if not usable_text(raw):
        raise Invalid("must not contain control characters", "ei saa sisältää ohjausmerkkejä")
    return raw


def _integer(minimum: int, maximum: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if not re.fullmatch(r"[0-9]{1,10}", raw):
            raise Invalid(
                f"must be a whole number from {minimum} to {maximum}, got {raw[:20]!r}",
                f"pitää olla kokonaisluku {minimum}–{maximum}, nyt {raw[:20]!r}",
            )
        value = int(raw)
        if value < minimum:
            raise Invalid(f"must be at least {minimum}", f"pitää olla vähintään {minimum}")
        if value > maximum:
            raise Invalid(f"must be at most {maximum}", f"saa olla enintään {maximum}")
        return value

    return parse


_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


def _boolean(raw: str) -> bool:
    value = raw.lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise Invalid(f"must be true or false, got {raw[:20]!r}", f"pitää olla true tai false, nyt {raw[:20]!r}")


def _choice(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in choices:
            listed = ", ".join(choices)
            raise Invalid(
                f"must be one of {listed}, got {raw[:20]!r}",
                f"pitää olla jokin näistä: {listed}; nyt {raw[:20]!r}",
            )
        return raw

    return parse


def _municipality(raw: str) -> str:
    if not re.fullmatch(r"[0-9]{3}", raw):
        raise Invalid(
            f"must be a 3-digit municipality code such as 285, got {raw[:20]!r}",
            f"pitää olla kolminumeroinen kuntakoodi, esim. 285; nyt {raw[:20]!r}",
        )
    if codes.municipality(raw) is None:
        raise Invalid(f"unknown municipality code {raw}", f"tuntematon kuntakoodi {raw}")
    return raw


def _target_group(raw: str) -> str:
    if codes.taxonomy_code(TARGET_GROUP_TAXONOMY, raw) is None:
        raise Invalid(
            f"unknown {TARGET_GROUP_TAXONOMY} code {raw[:20]!r}, e.g. KR1.3",
            f"tuntematon kohderyhmäkoodi {raw[:20]!r} ({TARGET_GROUP_TAXONOMY}), esim. KR1.3",
        )
    return raw


def _language(raw: str) -> str:
    if not re.fullmatch(r"[a-z]{2}", raw):
        raise Invalid(
            f"must be an ISO 639-1 language code in lower case such as sv, got {raw[:20]!r}",
            f"pitää olla ISO 639-1 -kielikoodi pienillä kirjaimilla, esim. sv; nyt {raw[:20]!r}",
        )
    return raw


def _timestamp(raw: str) -> datetime:
    """An RFC 3339 date-time (UTC without an offset) or a date (midnight UTC), in UTC."""
    value = raw.upper()  # RFC 3339 allows "t" and "z"
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            parsed = datetime.combine(date.fromisoformat(value), time(0), tzinfo=timezone.utc)
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", value):
            parsed = datetime.fromisoformat(value)
        else:
            raise ValueError(value)
    except ValueError:
        raise Invalid(
            f"must be an RFC 3339 date-time such as 2025-01-31T12:00:00Z or a date such as 2025-01-31, "
            f"got {raw[:40]!r}",
            f"pitää olla RFC 3339 -aikaleima, esim. 2025-01-31T12:00:00Z, tai päivämäärä, esim. 2025-01-31; "
            f"nyt {raw[:40]!r}",
        ) from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before year 1 in UTC; 9999-12-31T23:00-02:00 after 9999
        return (
            datetime.min.replace(tzinfo=timezone.utc)
            if parsed.year == 1
            else datetime.max.replace(tzinfo=timezone.utc)
        )


@dataclass(frozen=True)
class Param(Generic[T]):
    """One query parameter: how it is read, checked and documented (in English and in Finnish)."""

    key: str
    """Name in the document's ``components.parameters`` (one name may mean different things per path)."""
    name: str
    schema: JSON
    en: str
    fi: str
    parse: Callable[[str], T]

    def read(self, query: Query) -> T | None:
        """The parsed value, or None when the parameter is absent or blank; a bad value is a 400."""
        raw = query.get(self.name, "").strip()
        if not raw:
            return None
        try:
            return self.parse(raw)
        except Invalid as exc:
            raise BadParameter(self.name, exc.en, exc.fi) from None

    def openapi(self) -> JSON:
        doc: JSON = {
            "name": self.name,
            "in": "query",
            "required": False,
            "description": bilingual(self.en, self.fi),
            "schema": self.schema,
        }
        return doc


def bilingual(en: str, fi: str) -> str:
    return f"{en}\n\nSuomeksi: {fi}"


def _string(**extra: Any) -> JSON:
    return {"type": "string", "minLength": 1, "maxLength": MAX_TEXT, "pattern": _TEXT_PATTERN, **extra}


def _natural(code: str) -> tuple[Any, ...]:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def _flag(key: str, en: str, fi: str) -> Param[bool]:
    return Param(
        key,
        key,
        {"type": "boolean", "default": False},
        f"Ovi extension: true lists only services {en}; false (the default) does not filter.",
        f"Ovin laajennus: true näyttää vain palvelut, {fi}; false (oletus) ei rajaa.",
        _boolean,
    )


# --- the parameters ---------------------------------------------------------------------------------------

SEARCH = Param(
    "search",
    "search",
    _string(maxLength=MAX_TEXT, examples=["ruoka-apu", "päihdepalvelut kotkassa"]),
    "Free text search, best match first (Ovi's search: Finnish base forms, synonyms, spelling repairs and "
    "semantic similarity; then the most local service, then name). A text that names exactly one "
    "municipality is filtered by it, as if municipality were given.",
    "Vapaa tekstihaku, paras osuma ensin (Ovin haku: perusmuodot, synonyymit, kirjoitusvirheiden korjaus ja "
    "merkityksen samankaltaisuus; sitten paikallisin palvelu, sitten nimi). Jos teksti mainitsee täsmälleen "
    "yhden kunnan, tulokset rajataan siihen kuten municipality-parametrilla.",
    _text,
)
TEXT_SEARCH = Param(
    "text_search",
    "search",
    _string(),
    "Case-insensitive text contained in the name, alternate name, code or description.",
    "Teksti, jota nimi, vaihtoehtoinen nimi, koodi tai kuvaus sisältää (kirjainkoolla ei väliä).",
    _text,
)
PAGE = Param(
    "page",
    "page",
    {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    "Page number, from 1. A page beyond the last is empty.",
    "Sivun numero ykkösestä alkaen. Viimeisen jälkeinen sivu on tyhjä.",
    _integer(1, MAX_PAGE),
)
PER_PAGE = Param(
    "per_page",
    "per_page",
    {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
    f"Items per page (1–{MAX_PER_PAGE}, default {DEFAULT_PER_PAGE}).",
    f"Kohteita sivulla (1–{MAX_PER_PAGE}, oletus {DEFAULT_PER_PAGE}).",
    _integer(1, MAX_PER_PAGE),
)
FORMAT = Param(
    "format",
    "format",
    {"type": "string", "enum": ["json"], "default": "json"},
    "Response format; only json.",
    "Vastauksen muoto; vain json.",
    lambda raw: _choice(("json",))(raw.lower()),
)
TAXONOMY_TERM_ID = Param(
    "taxonomy_term_id",
    "taxonomy_term_id",
    _string(),
    "Services with an attribute of this taxonomy term (its id).",
    "Palvelut, joilla on tämän luokitustermin (tunniste) attribuutti.",
    _text,
)
TAXONOMY_ID = Param(
    "taxonomy_id",
    "taxonomy_id",
    _string(),
    "Services with an attribute of any term of this taxonomy (its id).",
    "Palvelut, joilla on minkä tahansa tämän luokituksen (tunniste) termin attribuutti.",
    _text,
)
ORGANIZATION_ID = Param(
    "organization_id",
    "organization_id",
    _string(),
    "Services of this organization (its id).",
    "Tämän organisaation (tunniste) palvelut.",
    _text,
)
MODIFIED_AFTER = Param(
    "modified_after",
    "modified_after",
    {"type": "string", "anyOf": [{"format": "date-time"}, {"format": "date"}]},
    "Services modified at or after this time: an RFC 3339 date-time (without an offset: UTC) or a date "
    "(midnight UTC).",
    "Palvelut, joita on muutettu tämän ajan jälkeen tai sillä hetkellä: RFC 3339 -aikaleima (ilman "
    "aikavyöhykettä UTC) tai päivämäärä (keskiyö UTC).",
    _timestamp,
)
MUNICIPALITY = Param(
    "municipality",
    "municipality",
    {"type": "string", "enum": sorted(codes.codes("kunta")), "examples": ["285", "286"]},
    "Ovi extension: services that serve this municipality (a 3-digit code of kunta_1_20230101, e.g. 285 "
    "for Kotka), including county-wide, region-wide and nationwide services; the most local first.",
    "Ovin laajennus: palvelut, jotka palvelevat tätä kuntaa (kunta_1_20230101-koodi, esim. 285 Kotka), myös "
    "hyvinvointialueen, maakunnan ja koko Suomen palvelut; paikallisimmat ensin.",
    _municipality,
)
TARGET_GROUP = Param(
    "target_group",
    "target_group",
    {"type": "string", "enum": sorted(codes.codes(TARGET_GROUP_TAXONOMY), key=_natural)},
    f"Ovi extension: a {TARGET_GROUP_TAXONOMY} code (e.g. KR1.3): services for that group or a group that "
    "contains it, and services that name no group.",
    f"Ovin laajennus: {TARGET_GROUP_TAXONOMY}-koodi (esim. KR1.3): palvelut tälle ryhmälle tai sen "
    "yläryhmälle sekä palvelut, joilla ei ole kohderyhmää.",
    _target_group,
)
LANGUAGE = Param(
    "language",
    "language",
    {"type": "string", "pattern": "^[a-z]{2}$", "examples": ["fi", "sv", "en"]},
    "Ovi extension: services offered in this language (an ISO 639-1 code such as sv).",
    "Ovin laajennus: palvelut, joita saa tällä kielellä (ISO 639-1 -koodi, esim. sv).",
    _language,
)
PROVIDER_TYPE = Param(
    "provider_type",
    "provider_type",
    {"type": "string", "enum": list(PROVIDER_TYPES)},
    "Ovi extension: the kind of provider: ngo (association or foundation), public (municipality, wellbeing "
    "services county, state), parish, private (company).",
    "Ovin laajennus: palveluntuottajan laji: ngo (järjestö tai säätiö), public (kunta, hyvinvointialue, "
    "valtio), parish (seurakunta), private (yritys).",
    _choice(PROVIDER_TYPES),
)
FREE_OF_CHARGE = _flag(
    "free_of_charge",
    "marked free of charge (an ovi_cost attribute free, and none fee; see the profile)",
    "jotka on merkitty maksuttomiksi (ovi_cost-attribuutti free eikä fee; ks. profiili)",
)
ANONYMOUS = _flag(
    "anonymous",
    "marked as usable anonymously (an ovi_eligibility attribute anonymous)",
    "joita on merkitty voivan käyttää nimettömänä (ovi_eligibility-attribuutti anonymous)",
)
OPEN_NOW = _flag(
    "open_now",
    "that are open at the time of the request (Finnish time)",
    "jotka ovat nyt auki (Suomen aikaa)",
)
TERM_TAXONOMY_ID = Param(
    "term_taxonomy_id",
    "taxonomy_id",
    _string(),
    "Terms of this taxonomy (its id).",
    "Tämän luokituksen (tunniste) termit.",
    _text,
)
TAXONOMY = Param(
    "taxonomy",
    "taxonomy",
    _string(examples=[SERVICE_CLASS_TAXONOMY, TARGET_GROUP_TAXONOMY]),
    f"Ovi extension: terms of the taxonomy with this name, e.g. {SERVICE_CLASS_TAXONOMY}.",
    f"Ovin laajennus: tämän nimisen luokituksen termit, esim. {SERVICE_CLASS_TAXONOMY}.",
    _text,
)
PARENT_ID = Param(
    "parent_id",
    "parent_id",
    _string(),
    "Terms whose parent is this term (its id).",
    "Termit, joiden yläkäsite on tämä termi (tunniste).",
    _text,
)
TOP_ONLY = Param(
    "top_only",
    "top_only",
    {"type": "boolean", "default": False},
    "true: only terms without a parent.",
    "true: vain termit, joilla ei ole yläkäsitettä.",
    _boolean,
)

PAGING: tuple[Param[Any], ...] = (PAGE, PER_PAGE, FORMAT)
SERVICE_FILTERS: tuple[Param[Any], ...] = (
    SEARCH,
    TAXONOMY_TERM_ID,
    TAXONOMY_ID,
    ORGANIZATION_ID,
    MODIFIED_AFTER,
    MUNICIPALITY,
    TARGET_GROUP,
    LANGUAGE,
    PROVIDER_TYPE,
    FREE_OF_CHARGE,
    ANONYMOUS,
    OPEN_NOW,
)
EXTENSIONS: tuple[Param[Any], ...] = (
    MUNICIPALITY,
    TARGET_GROUP,
    LANGUAGE,
    PROVIDER_TYPE,
    FREE_OF_CHARGE,
    ANONYMOUS,
    OPEN_NOW,
    TAXONOMY,
)
FLAGS: tuple[Param[bool], ...] = (FREE_OF_CHARGE, ANONYMOUS, OPEN_NOW)
_SERVICE_ERRORS = (400,)


# --- the HSDS schema files --------------------------------------------------------------------------------


def schema_dir() -> Path:
    return Path(str(files("directory_db").joinpath("schemas", "hsds-3.0")))


@cache
def schema_files() -> dict[str, Path]:
    """The HSDS 3.0 JSON schemas the API serves under ``schema/``, by file name: the compiled ones, and the
    uncompiled ones they (and the taxonomy responses) need. The upstream openapi.json is not served."""
    root = schema_dir()
    found = {p.name: p for p in root.glob("*.json") if p.name != "openapi.json"}
    found.update({p.name: p for p in (root / "compiled").glob("*.json")})
    return dict(sorted(found.items()))


SCHEMA_NAMES = list(schema_files())


def _schema_ref(name: str) -> JSON:
    # Relative to the document's own URL (…/api/hsds/openapi.json): …/api/hsds/schema/<name>.
    return {"$ref": f"schema/{name}"}


# --- operations -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    path: str
    """The path under /api/hsds in OpenAPI form (``/services/{id}``)."""
    operation_id: str
    tag: str
    en: str
    fi: str
    response: JSON
    response_en: str
    params: tuple[Param[Any], ...] = ()
    errors: tuple[int, ...] = ()
    path_param: tuple[str, str, JSON] | None = None
    """``(en, fi, schema)`` of the ``{…}`` path parameter, if any."""
    links: tuple[tuple[str, str, str], ...] = ()
    """OpenAPI links of the 200 response: ``(name, operationId, runtime expression of the id)``."""
    media_type: str = "application/json"


_ID = {"type": "string", "minLength": 1}


def _page_of(item: JSON) -> JSON:
    return {"allOf": [{"$ref": "#/components/schemas/Page"}], "properties": {"contents": {"items": item}}}


def _list(
    path: str,
    operation_id: str,
    tag: str,
    what: tuple[str, str],
    item: str,
    params: tuple[Param[Any], ...],
    item_operation: str,
    order: tuple[str, str],
    errors: tuple[int, ...] = (400,),
    links: tuple[tuple[str, str, str], ...] = (),
) -> Operation:
    return Operation(
        path,
        operation_id,
        tag,
        f"A page of {what[0]}. Order: {order[0]}",
        f"Sivu {what[1]}. Järjestys: {order[1]}",
        _page_of(_schema_ref(item)),
        f"A page of {what[0]} ({item} each).",
        params=(*params, *PAGING),
        errors=errors,
        links=(("first_item", item_operation, "$response.body#/contents/0/id"), *links),
    )


def _one(
    path: str,
    operation_id: str,
    tag: str,
    what: tuple[str, str],
    schema: str,
    links: tuple[tuple[str, str, str], ...] = (),
) -> Operation:
    return Operation(
        path,
        operation_id,
        tag,
        f"One {what[0]} by id.",
        f"Yksi {what[1]} tunnisteella.",
        _schema_ref(schema),
        f"The {what[0]} ({schema}).",
        errors=(404,),
        path_param=(f"Id of the {what[0]}.", f"Tunniste ({what[1]}).", _ID),
        links=links,
    )


_RANKED_EN = (
    "with search, municipality, target_group, language or provider_type, best match first (Ovi's search "
)
_RANKED_FI = (
    "haulla tai municipality-, target_group-, language- tai provider_type-rajauksella paras osuma ensin "
)
SERVICE_ORDER = (
    _RANKED_EN + "ranking), then the most local, then by name; otherwise Finnish alphabetical order of name.",
    _RANKED_FI
    + "(Ovin haku), sitten paikallisin, sitten nimen mukaan; muuten nimen mukaan aakkosjärjestyksessä.",
)
SAL_ORDER = (
    "that of the services (" + SERVICE_ORDER[0].removesuffix(".") + "), then the location's position.",
    "palvelujen järjestys (" + SERVICE_ORDER[1].removesuffix(".") + "), sitten toimipisteen järjestysnumero.",
)
NAME_ORDER = ("Finnish alphabetical order of name.", "nimen mukaan aakkosjärjestyksessä.")
TERM_ORDER = (
    "by taxonomy, then code in natural order (P5.9 before P5.10), then name.",
    "luokituksen, sitten koodin luonnollisen järjestyksen (P5.9 ennen P5.10:tä), sitten nimen mukaan.",
)

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "/",
        "getApiInfo",
        "api",
        "What this API is: the HSDS version, the profile, links to the document and the collections.",
        "Mikä tämä rajapinta on: HSDS-versio, profiili, linkit kuvaukseen ja kokoelmiin.",
        {"$ref": "#/components/schemas/ApiInfo"},
        "The API's description.",
    ),
    Operation(
        "/profile",
        "getProfile",
        "api",
        "Ovi's Finnish profile of HSDS 3.0 as data: taxonomies, service areas, query extensions.",
        "Ovin suomalainen HSDS 3.0 -profiili datana: luokitukset, palvelualueet, kyselyn laajennukset.",
        {"$ref": "#/components/schemas/Profile"},
        "The profile.",
    ),
    Operation(
        "/openapi.json",
        "getOpenApi",
        "api",
        "This OpenAPI 3.1 document.",
        "Tämä OpenAPI 3.1 -kuvaus.",
        {"type": "object", "required": ["openapi", "paths"]},
        "The OpenAPI document.",
    ),
    Operation(
        "/schema/{name}",
        "getSchema",
        "api",
        "One HSDS 3.0 JSON schema that the responses refer to.",
        "Yksi HSDS 3.0 -JSON-skeema, johon vastaukset viittaavat.",
        {"type": "object"},
        "The JSON schema.",
        errors=(404,),
        path_param=(
            "File name of the schema.",
            "Skeeman tiedostonimi.",
            {"type": "string", "enum": SCHEMA_NAMES},
        ),
    ),
    _list(
        "/services",
        "getServices",
        "services",
        ("services", "palveluja"),
        "service_list.json",
        SERVICE_FILTERS,
        "getService",
        SERVICE_ORDER,
        errors=_SERVICE_ERRORS,
    ),
    _one(
        "/services/{id}",
        "getService",
        "services",
        ("service", "palvelu"),
        "service.json",
        links=(("organization", "getOrganization", "$response.body#/organization/id"),),
    ),
    _list(
        "/organizations",
        "getOrganizations",
        "organizations",
        ("organizations", "organisaatioita"),
        "organization_list.json",
        (TEXT_SEARCH,),
        "getOrganization",
        NAME_ORDER,
    ),
    _one(
        "/organizations/{id}",
        "getOrganization",
        "organizations",
        ("organization", "organisaatio"),
        "organization.json",
        links=(("first_service", "getService", "$response.body#/services/0/id"),),
    ),
    _list(
        "/taxonomies",
        "getTaxonomies",
        "taxonomies",
        ("taxonomies", "luokituksia"),
        "taxonomy.json",
        (TEXT_SEARCH,),
        "getTaxonomy",
        NAME_ORDER,
    ),
    _one("/taxonomies/{id}", "getTaxonomy", "taxonomies", ("taxonomy", "luokitus"), "taxonomy.json"),
    _list(
        "/taxonomy_terms",
        "getTaxonomyTerms",
        "taxonomies",
        ("taxonomy terms", "luokitustermejä"),
        "taxonomy_term.json",
        (TEXT_SEARCH, TERM_TAXONOMY_ID, TAXONOMY, PARENT_ID, TOP_ONLY),
        "getTaxonomyTerm",
        TERM_ORDER,
    ),
    _one(
        "/taxonomy_terms/{id}",
        "getTaxonomyTerm",
        "taxonomies",
        ("taxonomy term", "luokitustermi"),
        "taxonomy_term.json",
    ),
    _list(
        "/service_at_locations",
        "getServiceAtLocations",
        "services",
        ("services at locations", "palveluja toimipisteissä"),
        "service_at_location_list.json",
        SERVICE_FILTERS,
        "getServiceAtLocation",
        SAL_ORDER,
        errors=_SERVICE_ERRORS,
        links=(("first_service", "getService", "$response.body#/contents/0/service/id"),),
    ),
    _one(
        "/service_at_locations/{id}",
        "getServiceAtLocation",
        "services",
        ("service at a location", "palvelu toimipisteessä"),
        "service_at_location.json",
    ),
)


# --- the document -----------------------------------------------------------------------------------------

_ERRORS = {
    400: ("BadRequest", "A parameter has a value the API cannot use; error.parameter names it."),
    404: ("NotFound", "No such item."),
}

_COMPONENT_SCHEMAS: JSON = {
    "Page": {
        "type": "object",
        "description": "The HSDS paging envelope.",
        "required": [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
        "properties": {
            "total_items": {"type": "integer", "minimum": 0, "description": "Matching items in all pages."},
            "total_pages": {"type": "integer", "minimum": 0, "description": "Count of pages."},
            "page_number": {"type": "integer", "minimum": 1, "description": "This page's number, from 1."},
            "size": {"type": "integer", "minimum": 0, "description": "Items on this page."},
            "first_page": {"type": "boolean", "description": "Whether this is the first page."},
            "last_page": {"type": "boolean", "description": "Whether this is the last page (or beyond it)."},
            "empty": {"type": "boolean", "description": "Whether this page has no items."},
            "contents": {"type": "array", "description": "The items, in the API's order."},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {
                    "status": {"type": "integer", "description": "The HTTP status."},
                    "message": {"type": "string", "description": "What went wrong, in English."},
                    "message_fi": {
                        "type": "string",
                        "description": "What went wrong, in Finnish (the API's own 400 and 404).",
                    },
                    "parameter": {"type": "string", "description": "The query parameter at fault."},
                },
            }
        },
    },
    "ApiInfo": {
        "type": "object",
        "required": ["version", "profile", "openapi_url", "links"],
        "properties": {
            "version": {"type": "string", "const": HSDS_VERSION, "description": "HSDS version."},
            "profile": {"type": "string", "format": "uri", "description": "URL of the profile."},
            "openapi_url": {"type": "string", "format": "uri", "description": "URL of this document."},
            "links": {
                "type": "object",
                "description": "URL of each collection.",
                "additionalProperties": {"type": "string", "format": "uri"},
            },
        },
    },
    "Profile": {
        "type": "object",
        "required": ["name", "hsds_version", "language", "taxonomies", "service_areas", "query_extensions"],
        "properties": {
            "name": {"type": "string"},
            "hsds_version": {"type": "string", "const": HSDS_VERSION},
            "language": {"type": "string"},
            "taxonomies": {"type": "object"},
            "service_areas": {"type": "object"},
            "query_extensions": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
}


def _operation_doc(op: Operation) -> JSON:
    responses: JSON = {
        "200": {"description": op.response_en, "content": {op.media_type: {"schema": op.response}}}
    }
    if op.links:
        responses["200"]["links"] = {
            name: {"operationId": target, "parameters": {"id": expression}}
            for name, target, expression in op.links
        }
    for status in op.errors:
        responses[str(status)] = {"$ref": f"#/components/responses/{_ERRORS[status][0]}"}
    doc: JSON = {
        "operationId": op.operation_id,
        "tags": [op.tag],
        "summary": op.en.partition(" Order: ")[0],
        "description": bilingual(op.en, op.fi),
        "responses": responses,
    }
    parameters: list[JSON] = [{"$ref": f"#/components/parameters/{p.key}"} for p in op.params]
    if op.path_param is not None:
        en, fi, schema = op.path_param
        name = re.findall(r"\{(\w+)\}", op.path)[0]
        parameters.insert(
            0,
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": bilingual(en, fi),
                "schema": schema,
            },
        )
    if parameters:
        doc["parameters"] = parameters
    return doc


@cache
def openapi() -> JSON:
    """The OpenAPI 3.1 document of the HSDS API (built once; the server URL is relative)."""
    params = {p.key: p for op in OPERATIONS for p in op.params}
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "Ovi service directory – HSDS 3.0 API",
            "version": API_VERSION,
            "summary": "Open Referral HSDS 3.0 API of Ovi's service directory, Finnish profile.",
            "description": bilingual(
                "Read-only Open Referral HSDS 3.0 API of Ovi's directory of NGO and public services "
                "(Finnish profile: PTV service classes and target groups, municipality, county and region "
                "service areas). Responses validate against the HSDS 3.0 compiled schemas, served under "
                "schema/. Errors are JSON with an English and a Finnish message. Any site may read the API "
                "from the browser (CORS *).",
                "Ovin palveluhakemiston HSDS 3.0 -lukurajapinta (suomalainen profiili: PTV:n palveluluokat "
                "ja kohderyhmät, kunta-, hyvinvointialue- ja maakuntatason palvelualueet). Vastaukset ovat "
                "HSDS 3.0 -skeemojen mukaisia; skeemat ovat polussa schema/. Virheet ovat JSONia, viesti "
                "englanniksi ja suomeksi.",
            ),
            "license": {"name": "Demo data; see the project README"},
        },
        "servers": [{"url": API, "description": "This server"}],
        "tags": [
            {"name": "api", "description": "About the API"},
            {"name": "services", "description": "Services and services at locations"},
            {"name": "organizations", "description": "Organizations"},
            {"name": "taxonomies", "description": "Taxonomies and their terms"},
        ],
        "paths": {op.path: {"get": _operation_doc(op)} for op in OPERATIONS},
        "components": {
            "parameters": {key: p.openapi() for key, p in sorted(params.items())},
            "schemas": _COMPONENT_SCHEMAS,
            "responses": {
                name: {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
                for name, description in _ERRORS.values()
            },
        },
    }
