"""Constants of Ovi's Finnish profile of HSDS 3.0 (SPEC §5), shared by models, importer and search."""

from __future__ import annotations

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
