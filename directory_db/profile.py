"""Constants of Ovi's Finnish profile of HSDS 3.0 (SPEC §5), shared by models, importer and search.

Besides the PTV code lists (service classes, target groups, organization types), the profile has its own
small taxonomies for what HSDS has no field for — eligibility flags, the kind of cost, a confidential
address, where a record came from. They travel as ordinary HSDS ``attributes`` whose ``taxonomy_term`` names
one of these taxonomies, so a file that uses them is still plain valid HSDS (README.md, "Finnish profile
extensions").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SERVICE_CLASS_TAXONOMY = "ptvserclass2"
TARGET_GROUP_TAXONOMY = "ptvkohderyhmat"
ORGANIZATION_TYPE_TAXONOMY = "ptv_organization_type"

ProviderType = Literal["ngo", "public", "parish", "private"]

# PTV organization type code → the provider type of the chat contract (SPEC §3).
PROVIDER_TYPES: dict[str, ProviderType] = {
    "Organization": "ngo",
    "Municipality": "public",
    "Region": "public",
    "State": "public",
    "SotePublic": "public",
    "Company": "private",
    "SotePrivate": "private",
    "parish": "parish",
}

# Finnish labels for organization type terms, used when an import omits a term's description.
ORGANIZATION_TYPE_NAMES_FI: dict[str, str] = {
    "Organization": "Järjestö tai säätiö",
    "Municipality": "Kunta",
    "Region": "Hyvinvointialue",
    "State": "Valtio",
    "SotePublic": "Julkinen sote-toimija",
    "Company": "Yritys",
    "SotePrivate": "Yksityinen sote-toimija",
    "parish": "Seurakunta",
}

NATIONWIDE_EXTENT = "FI"
NATIONWIDE_NAME = "Koko Suomi"


# --- Ovi's own taxonomies (attributes) -------------------------------------------------------------------

ELIGIBILITY_TAXONOMY = "ovi_eligibility"
COST_TAXONOMY = "ovi_cost"
LOCATION_TAXONOMY = "ovi_location"
SCHEDULE_TAXONOMY = "ovi_schedule"
SOURCE_ID_TAXONOMY = "ovi_source_id"
SOURCE_TAXONOMY = "ovi_source"
TRANSLATION_TAXONOMY = "ovi_translation"

REFERRAL_REQUIRED = "referral_required"
ANONYMOUS = "anonymous"
FREE = "free"
FEE = "fee"
SERVICE_VOUCHER = "service_voucher"
CONFIDENTIAL_ADDRESS = "confidential_address"
OPEN_ON_HOLIDAYS = "open_on_holidays"
SOURCE_ID_CODE = "source_id"
SOURCE_CODE = "source"

CostKind = Literal["free", "fee", "service_voucher"]

# Translations (``ovi_translation``): HSDS's text fields are Finnish (SPEC §5) and HSDS has one of each, so
# the Swedish and English texts — PTV's other language versions — travel as attributes whose code names the
# language and the field (``sv:name``, ``en:description``) and whose ``value`` is the text.
TRANSLATION_LANGUAGES: dict[str, str] = {"sv": "ruotsiksi", "en": "englanniksi"}
"""Language (ISO 639-1) → the Finnish adverb of the term names ("Nimi ruotsiksi")."""
TRANSLATED_FIELDS: dict[str, dict[str, str]] = {
    "service": {
        "name": "Nimi", "alternate_name": "Vaihtoehtoinen nimi", "description": "Kuvaus",
        "application_process": "Asiointiohje", "wait_time": "Käsittelyaika",
        "fees_description": "Maksutiedot", "eligibility_description": "Edellytykset",
    },
    "organization": {"name": "Nimi", "alternate_name": "Vaihtoehtoinen nimi", "description": "Kuvaus"},
    "location": {"name": "Nimi", "alternate_name": "Vaihtoehtoinen nimi", "description": "Kuvaus"},
}  # fmt: skip
"""Object → the HSDS text fields a translation may give, with their Finnish names. A location's
``transportation`` is left out on purpose: a confidential address hides it from the public, and a translated
copy in an attribute would not be hidden."""


def translation_code(language: str, field_name: str) -> str:
    """``sv`` + ``name`` → ``sv:name``, the code of an ``ovi_translation`` term."""
    return f"{language}:{field_name}"


def parse_translation_code(code: object) -> tuple[str, str] | None:
    """``sv:name`` → (``sv``, ``name``); None when the code does not have the shape language:field."""
    if not isinstance(code, str) or code.count(":") != 1:
        return None
    language, field_name = code.split(":")
    return (language, field_name) if language and field_name else None


def _translation_codes() -> dict[str, str]:
    names: dict[str, str] = {}
    for fields in TRANSLATED_FIELDS.values():
        names.update(fields)
    return {
        translation_code(language, field_name): f"{name} {adverb}"
        for language, adverb in TRANSLATION_LANGUAGES.items()
        for field_name, name in names.items()
    }


# Values a flag attribute may carry: none (the flag holds), "true", or "false" (a feed saying explicitly that
# it does not hold, e.g. "no referral needed"). Anything else is an import error.
FLAG_VALUES = (None, "", "true", "false")


@dataclass(frozen=True)
class ProfileTaxonomy:
    """One of Ovi's own taxonomies: its Finnish description, its codes with Finnish names, where its
    attributes may be attached, and whether an attribute must carry a ``value``."""

    name: str
    description_fi: str
    codes: dict[str, str]
    """code → Finnish term name"""
    owners: frozenset[str]
    """the HSDS objects (``service``, ``location``, …) whose ``attributes`` may use it"""
    value: Literal["flag", "required"]
    """``flag``: the value is empty, "true" or "false"; ``required``: the value is the data (an id, a name, a
    translated text)"""
    one_per_owner: bool = False


OVI_TAXONOMIES: dict[str, ProfileTaxonomy] = {
    t.name: t
    for t in (
        ProfileTaxonomy(
            ELIGIBILITY_TAXONOMY,
            "Ovin kelpoisuusehdot: tarvitaanko lähete, voiko asioida nimettömänä",
            {REFERRAL_REQUIRED: "Vaatii lähetteen", ANONYMOUS: "Voi asioida nimettömänä"},
            frozenset({"service"}),
            "flag",
        ),
        ProfileTaxonomy(
            COST_TAXONOMY,
            "Ovin maksullisuusluokitus: maksuton, maksullinen, palveluseteli",
            {FREE: "Maksuton", FEE: "Maksullinen", SERVICE_VOUCHER: "Palveluseteli käy"},
            frozenset({"service"}),
            "flag",
        ),
        ProfileTaxonomy(
            LOCATION_TAXONOMY,
            "Ovin sijaintimerkinnät: salainen osoite (esim. turvakoti)",
            {CONFIDENTIAL_ADDRESS: "Salainen osoite"},
            frozenset({"location"}),
            "flag",
        ),
        ProfileTaxonomy(
            SCHEDULE_TAXONOMY,
            "Ovin aukiolomerkinnät: viikkoaukiolo on voimassa myös arkipyhinä",
            {OPEN_ON_HOLIDAYS: "Avoinna myös arkipyhinä"},
            frozenset({"schedule"}),
            "flag",
        ),
        ProfileTaxonomy(
            SOURCE_ID_TAXONOMY,
            "Lähdejärjestelmän alkuperäinen tunniste (arvona), kun se ei ollut UUID",
            {SOURCE_ID_CODE: "Alkuperäinen tunniste"},
            frozenset({"service", "organization", "location"}),
            "required",
            one_per_owner=True,
        ),
        ProfileTaxonomy(
            SOURCE_TAXONOMY,
            "Tietolähde (arvona), josta palvelu tuotiin; --prune arkistoi vain saman lähteen palveluja",
            {SOURCE_CODE: "Tietolähde"},
            frozenset({"service"}),
            "required",
            one_per_owner=True,
        ),
        ProfileTaxonomy(
            TRANSLATION_TAXONOMY,
            "Käännökset (arvona teksti): koodi kieli:kenttä, esim. sv:name on nimi ruotsiksi",
            _translation_codes(),
            frozenset(TRANSLATED_FIELDS),
            "required",
        ),
    )
}

COST_NAMES_FI: dict[str, str] = OVI_TAXONOMIES[COST_TAXONOMY].codes
