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
    """``flag``: the value is empty, "true" or "false"; ``required``: the value is the data (an id, a name)"""
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
    )
}

COST_NAMES_FI: dict[str, str] = OVI_TAXONOMIES[COST_TAXONOMY].codes
