"""Service areas of the Finnish profile: what a ``service_areas[]`` entry covers, and who it serves.

An area is a municipality, a wellbeing services county, a region or the whole country. Each stored service
area carries its classification (``level`` and ``code``) so that "serves municipality X" is one indexed
query, not a parse of every URI.

Regions: the code lists carry no municipality → region mapping, but the wellbeing services counties follow
the regions' borders (Uusimaa is split into four counties plus Helsinki), so the region of a municipality is
the region of its county (:data:`COUNTY_TO_REGION`; a test checks the table against the code lists' names).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ovi_lang import codes

from .profile import NATIONWIDE_EXTENT

AreaLevel = Literal["municipality", "county", "region", "nationwide"]

# Most local first: ties in search are broken in this order.
AREA_LEVELS: tuple[AreaLevel, ...] = ("municipality", "county", "region", "nationwide")
AREA_RANK: dict[str | None, int] = {level: rank for rank, level in enumerate(AREA_LEVELS)}

SCHEME_LEVELS: dict[str, AreaLevel] = {
    "kunta": "municipality",
    "hyvinvointialue": "county",
    "maakunta": "region",
}
LEVEL_NAMES_FI: dict[AreaLevel, str] = {
    "municipality": "kunta",
    "county": "hyvinvointialue",
    "region": "maakunta",
    "nationwide": "koko Suomi",
}

# Wellbeing services county (hyvinvointialue_1_20211013) → region (maakunta_1_20220101).
COUNTY_TO_REGION: dict[str, str] = {
    "01": "01", "02": "01", "03": "01", "04": "01", "90": "01",
    "05": "02", "06": "04", "07": "05", "08": "06", "09": "07", "10": "08", "11": "09", "12": "10",
    "13": "11", "14": "12", "15": "13", "16": "14", "17": "15", "18": "16", "19": "17", "20": "18",
    "21": "19", "91": "21",
}  # fmt: skip


@dataclass(frozen=True)
class AreaRef:
    """One covered area: its level and its code in that level's code list (``"FI"`` for nationwide)."""

    level: AreaLevel
    code: str


NATIONWIDE = AreaRef("nationwide", NATIONWIDE_EXTENT)


class AreaError(ValueError):
    """A service area that does not name a known area; the message is Finnish and user-facing."""


def _scheme_of_uri(uri: str) -> tuple[str, str] | None:
    for scheme in SCHEME_LEVELS:
        prefix = f"{codes.SCHEMES[scheme]}/code/"
        if uri.startswith(prefix):
            return scheme, uri[len(prefix) :]
    return None


_UNKNOWN_CODE_FI = {
    "kunta": "tuntematon kuntakoodi",
    "hyvinvointialue": "tuntematon hyvinvointialuekoodi",
    "maakunta": "tuntematon maakuntakoodi",
}


def classify_area_uri(uri: str) -> AreaRef:
    """The area a koodistot.suomi.fi code URI names; :class:`AreaError` if the URI or the code is unknown."""
    found = _scheme_of_uri(uri)
    if found is None:
        raise AreaError(
            f"tuntematon alueen URI {uri!r} (odotettiin kunta-, hyvinvointialue- tai maakuntakoodin URIa, "
            f"esim. {codes.SCHEMES['kunta']}/code/285)"
        )
    scheme, code = found
    if code not in codes.codes(scheme):
        raise AreaError(f"{_UNKNOWN_CODE_FI[scheme]} {code}")
    return AreaRef(SCHEME_LEVELS[scheme], code)


def classify_service_area(uri: str | None, extent: str | None, extent_type: str | None) -> AreaRef:
    """Classify one HSDS ``service_area``: a code URI, or the nationwide ``extent`` ``"FI"``."""
    if uri:
        return classify_area_uri(uri)
    if extent_type == "text" and extent == NATIONWIDE_EXTENT:
        return NATIONWIDE
    raise AreaError(
        'palvelualueelta puuttuu uri (valtakunnallinen palvelu: extent_type "text" ja extent "FI")'
    )


def area_uri(ref: AreaRef) -> str | None:
    """The code URI of an area (None for nationwide, which has no URI)."""
    for scheme, level in SCHEME_LEVELS.items():
        if level == ref.level:
            return f"{codes.SCHEMES[scheme]}/code/{ref.code}"
    return None


def areas_serving(municipality_code: str) -> tuple[AreaRef, ...]:
    """Every area whose services reach residents of the municipality, most local first.

    Raises :class:`AreaError` for an unknown municipality code, so callers can tell the user.
    """
    if codes.municipality(municipality_code) is None:
        raise AreaError(f"tuntematon kuntakoodi {municipality_code}")
    refs = [AreaRef("municipality", municipality_code)]
    county = codes.county_of(municipality_code)
    if county is not None:
        refs.append(AreaRef("county", county.code))
        region = COUNTY_TO_REGION.get(county.code)
        if region is not None:
            refs.append(AreaRef("region", region))
    refs.append(NATIONWIDE)
    return tuple(refs)


def areas_serving_county(county_code: str) -> frozenset[AreaRef]:
    """Every area whose services reach some resident of the wellbeing services county: its municipalities,
    the county, its region and the whole country. Raises :class:`AreaError` for an unknown county code."""
    if county_code not in codes.codes("hyvinvointialue"):
        raise AreaError(f"tuntematon hyvinvointialueen koodi {county_code}")
    members = [m for m, county in codes.municipality_to_county().items() if county == county_code]
    return frozenset(ref for m in members if codes.municipality(m) is not None for ref in areas_serving(m))


def area_name_fi(ref: AreaRef) -> str:
    """Finnish display name of an area ("Kotka", "Kymenlaakson hyvinvointialue", "Koko Suomi")."""
    if ref.level == "nationwide":
        return "Koko Suomi"
    scheme = {level: scheme for scheme, level in SCHEME_LEVELS.items()}[ref.level]
    code = codes.codes(scheme).get(ref.code)
    return code.name_fi if code else ref.code
