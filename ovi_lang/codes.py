"""Official Finnish code lists (koodistot.suomi.fi), loaded once from the copies in ``ovi_lang/data``.

Municipalities (``kunta_1_20230101``), wellbeing services counties (``hyvinvointialue_1_20211013``), regions
(``maakunta_1_20220101``), PTV service classes (``ptvserclass2``) and target groups (``ptvkohderyhmat``), and
the municipality → county mapping. Nothing here reads ``../shared``: the project carries its own copies.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

URI_BASE = "http://uri.suomi.fi/codelist"
SCHEMES: dict[str, str] = {
    "kunta": f"{URI_BASE}/jhs/kunta_1_20230101",
    "hyvinvointialue": f"{URI_BASE}/jhs/hyvinvointialue_1_20211013",
    "maakunta": f"{URI_BASE}/jhs/maakunta_1_20220101",
    "ptvserclass2": f"{URI_BASE}/ptv/ptvserclass2",
    "ptvkohderyhmat": f"{URI_BASE}/ptv/ptvkohderyhmat",
}


@dataclass(frozen=True)
class Code:
    scheme: str
    code: str
    name_fi: str
    name_sv: str
    name_en: str

    @property
    def uri(self) -> str:
        return f"{SCHEMES[self.scheme]}/code/{self.code}"


_FILES = {
    "kunta": "kunta_1_20230101.json",
    "hyvinvointialue": "hyvinvointialue_1_20211013.json",
    "maakunta": "maakunta_1_20220101.json",
    "ptvserclass2": "ptvserclass2.json",
    "ptvkohderyhmat": "ptvkohderyhmat.json",
}


@cache
def codes(scheme: str) -> dict[str, Code]:
    """All codes of one scheme by code value, in the list's own order."""
    raw = json.loads((DATA_DIR / _FILES[scheme]).read_text(encoding="utf-8"))
    items = raw.get("results") or raw.get("codes") or []
    out: dict[str, Code] = {}
    for item in items:
        label = item.get("prefLabel", {})
        fi = label.get("fi") or label.get("sv") or item["codeValue"]
        out[item["codeValue"]] = Code(scheme, item["codeValue"], fi.strip(), (label.get("sv") or fi).strip(),
                                      (label.get("en") or fi).strip())
    return out


@cache
def municipality_to_county() -> dict[str, str]:
    """Municipality code → wellbeing services county code (Helsinki → 90, Åland → 91)."""
    mapping: dict[str, str] = {}
    with (DATA_DIR / "kunta_to_hyvinvointialue_2022.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter=";"):
            if len(row) >= 3 and row[0].startswith("'"):
                mapping[row[0].strip("'")] = row[2].strip("'")
    return mapping


def municipality(code: str) -> Code | None:
    return codes("kunta").get(code)


def county_of(municipality_code: str) -> Code | None:
    county = municipality_to_county().get(municipality_code)
    return codes("hyvinvointialue").get(county) if county else None


def parse_area_uri(uri: str) -> Code | None:
    """Return the code a koodistot.suomi.fi area URI points to, or None if it is not a known area code."""
    for scheme in ("kunta", "hyvinvointialue", "maakunta"):
        prefix = f"{SCHEMES[scheme]}/code/"
        if uri.startswith(prefix):
            return codes(scheme).get(uri[len(prefix):])
    return None


def taxonomy_code(taxonomy: str, code: str) -> Code | None:
    """A PTV service class (``ptvserclass2``) or target group (``ptvkohderyhmat``) code, or None."""
    if taxonomy not in ("ptvserclass2", "ptvkohderyhmat"):
        return None
    return codes(taxonomy).get(code)
