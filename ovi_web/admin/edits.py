"""Maintainers' edits go through the importers: one rule set for a file and for a form.

An edit starts from the record's HSDS JSON as the exporter writes it (``directory_db.hsds.service`` with the
confidential fields), applies the form's values to it, and imports that one record with the maintainer's
user name (``directory_db.importers.import_records``). So a form is checked by exactly the schema and
profile rules a file is, the change history gets one row per changed field (who, when, old → new), the
search index and the service's vector are updated in the same transaction, and nothing is half-written.
The importer's problems name HSDS field paths; :data:`SERVICE_FORM` and :data:`ORGANIZATION_FORM` map them
back to the form fields so each message shows next to its field.

Archiving sets a service's status to ``inactive`` (the directory keeps it and its history; search and the
bot leave it out); archiving an organisation archives its services. Verifying sets ``assured_date`` to
today: the history row says who verified it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory_db import hsds
from directory_db.importers import ImportResult, ImportValidationError, import_records, records_from_data
from directory_db.importers.terms import ovi_uuid
from directory_db.models import Organization, Service, TaxonomyTerm
from directory_db.profile import (
    NATIONWIDE_EXTENT,
    NATIONWIDE_NAME,
    ORGANIZATION_TYPE_NAMES_FI,
    ORGANIZATION_TYPE_TAXONOMY,
    SERVICE_CLASS_TAXONOMY,
)
from ovi_lang import codes
from ovi_lang.embeddings import default_encoder

JSON = dict[str, Any]
STATUSES = {"active": "käytössä", "temporarily closed": "tilapäisesti suljettu", "inactive": "arkistoitu",
            "defunct": "lakkautettu"}


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str = "text"
    """text, textarea, select, url, email, tel or number (the HTML input type)."""
    required: bool = False
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    """(value, label) of a select."""
    paths: tuple[str, ...] = ()
    """HSDS field paths (prefixes) whose import problems belong to this field; default: the name."""

    def owns(self, path: str) -> bool:
        return any(path == p or path.startswith((f"{p}.", f"{p}[")) for p in (self.paths or (self.name,)))


SERVICE_FORM: tuple[FormField, ...] = (
    FormField("name", "Nimi", required=True),
    FormField("alternate_name", "Muu nimi tai lyhenne"),
    FormField("description", "Kuvaus", "textarea", help="Mitä palvelu tekee ja kenelle, selkokielellä."),
    FormField("status", "Tila", "select", required=True, choices=tuple(STATUSES.items())),
    FormField("phone", "Puhelinnumero", "tel", help="Ensisijainen numero, esim. 05 234 5678.",
              paths=("phones[0]",)),
    FormField("url", "Verkkosivu", "url", help="Koko osoite, esim. https://esimerkki.fi/palvelu"),
    FormField("email", "Sähköposti", "email"),
    FormField("fees_description", "Maksut", "textarea"),
    FormField("application_process", "Miten palveluun hakeudutaan", "textarea"),
    FormField("eligibility_description", "Kenelle palvelu on tarkoitettu", "textarea"),
    FormField("minimum_age", "Vähimmäisikä", "number"),
    FormField("maximum_age", "Enimmäisikä", "number"),
    FormField("classes", "Palveluluokat", paths=("attributes",),
              help="PTV-palveluluokkien koodit pilkuin eroteltuina, esim. P5.7, P11.2"),
    FormField("areas", "Palvelualue", required=True,
              help="Kuntakoodit pilkuin eroteltuina (esim. 285, 286), hyvinvointialue HVA-tunnuksella "
              "(esim. HVA10 = Kymenlaakso) tai FI = koko Suomi",
              paths=("service_areas",)),
)
ORGANIZATION_FORM: tuple[FormField, ...] = (
    FormField("name", "Nimi", required=True, paths=("organization.name",)),
    # HSDS requires an organisation's description (the importers refuse one without it).
    FormField("description", "Kuvaus", "textarea", required=True, paths=("organization.description",)),
    FormField("organization_type", "Organisaation tyyppi", "select", required=True,
              choices=tuple(ORGANIZATION_TYPE_NAMES_FI.items()), paths=("organization.attributes",)),
    FormField("website", "Verkkosivu", "url", paths=("organization.website",)),
    FormField("email", "Sähköposti", "email", paths=("organization.email",)),
)
_TEXT_FIELDS = ("name", "alternate_name", "description", "url", "email", "fees_description",
                "application_process", "eligibility_description")


class FormErrors(Exception):
    """Problems of a form: field name → Finnish message ("" = the form as a whole)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


def _errors_from_import(error: ImportValidationError, form: Sequence[FormField]) -> FormErrors:
    out: dict[str, str] = {}
    for issue in error.issues:
        path = issue.field or ""
        owner = next((f.name for f in form if f.owns(path)), "")
        message = issue.message if owner else f"{path}: {issue.message}" if path else issue.message
        out[owner] = f"{out[owner]}; {message}" if owner in out else message
    return FormErrors(out)


# --- reading a record --------------------------------------------------------------------------------------


def service_document(session: Session, service_id: str) -> JSON | None:
    service = session.get(Service, service_id)
    return None if service is None else hsds.service(service, public=False)


def service_form_values(doc: JSON) -> dict[str, str]:
    """The form's fields as the record has them (what an edit form starts from)."""
    values = {name: str(doc.get(name) or "") for name in _TEXT_FIELDS}
    values["status"] = str(doc.get("status") or "active")
    phones = doc.get("phones") or []
    values["phone"] = str(phones[0].get("number") or "") if phones else ""
    for name in ("minimum_age", "maximum_age"):
        age = doc.get(name)
        values[name] = "" if age is None else f"{age:g}"
    values["classes"] = ", ".join(
        a["taxonomy_term"]["code"] for a in doc.get("attributes") or []
        if (a.get("taxonomy_term") or {}).get("taxonomy") == SERVICE_CLASS_TAXONOMY
    )
    values["areas"] = ", ".join(_area_code(area) for area in doc.get("service_areas") or [])
    return values


# How an area is written in the form: a municipality by its code ("285"), a wellbeing services county or a
# region with a prefix ("HVA10", "MK08": their codes would otherwise read as municipalities), all of Finland
# as "FI".
_AREA_PREFIXES = {"hyvinvointialue": "HVA", "maakunta": "MK"}


def _area_code(area: JSON) -> str:
    if area.get("extent") == NATIONWIDE_EXTENT:
        return NATIONWIDE_EXTENT
    known = codes.parse_area_uri(str(area.get("uri") or ""))
    if known is None:
        return str(area.get("name") or "?")
    return f"{_AREA_PREFIXES.get(known.scheme, '')}{known.code}"


def _area_of_token(token: str) -> codes.Code | None:
    upper = token.upper()
    for scheme, prefix in _AREA_PREFIXES.items():
        if upper.startswith(prefix) and upper[len(prefix):].isdigit():
            return codes.codes(scheme).get(upper[len(prefix):].zfill(2))
    return codes.codes("kunta").get(token.zfill(3)) if token.isdigit() else None


# --- applying a form ---------------------------------------------------------------------------------------


def _codes_of(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text.strip()) if part]


def _class_attributes(session: Session, doc: JSON, text: str, errors: dict[str, str]) -> list[JSON]:
    # A class the service keeps keeps its attribute as it is (an unchanged class is no change in history).
    kept = {a["taxonomy_term"]["code"]: a for a in doc.get("attributes") or []
            if (a.get("taxonomy_term") or {}).get("taxonomy") == SERVICE_CLASS_TAXONOMY}
    out = []
    for code in dict.fromkeys(c.upper() for c in _codes_of(text)):
        known = codes.taxonomy_code(SERVICE_CLASS_TAXONOMY, code)
        if known is None:
            errors["classes"] = f"tuntematon palveluluokka {code} (PTV-palveluluokka, esim. P5.7)"
            continue
        if known.code in kept:
            out.append(kept[known.code])
            continue
        stored = session.scalar(select(TaxonomyTerm).where(
            TaxonomyTerm.taxonomy == SERVICE_CLASS_TAXONOMY, TaxonomyTerm.code == known.code))
        term = hsds.taxonomy_term(stored, with_taxonomy_detail=False) if stored is not None else {
            "id": ovi_uuid(f"taxonomy_term:{SERVICE_CLASS_TAXONOMY}/{known.code}"),
            "taxonomy": SERVICE_CLASS_TAXONOMY, "code": known.code, "name": known.name_fi,
            "description": f"PTV-palveluluokka {known.code}: {known.name_fi}", "language": "fi",
            "term_uri": known.uri,
        }
        out.append({"id": ovi_uuid(f"attribute:{doc['id']}:{SERVICE_CLASS_TAXONOMY}/{known.code}"),
                    "taxonomy_term_id": term["id"], "taxonomy_term": term})
    return out


def _service_areas(doc: JSON, text: str, errors: dict[str, str]) -> list[JSON]:
    kept = {_area_code(area): area for area in doc.get("service_areas") or []}
    out = []
    for code in dict.fromkeys(_codes_of(text)):
        if code in kept:
            out.append(kept[code])
        elif code.upper() == NATIONWIDE_EXTENT:
            out.append({"id": str(uuid.uuid4()), "name": NATIONWIDE_NAME, "extent_type": "text",
                        "extent": NATIONWIDE_EXTENT})
        elif (known := _area_of_token(code)) is not None:
            out.append({"id": str(uuid.uuid4()), "name": known.name_fi, "uri": known.uri})
        else:
            errors["areas"] = f"tuntematon alue {code} (kunta esim. 285, hyvinvointialue esim. HVA10, FI)"
    if not out and "areas" not in errors:
        errors["areas"] = "anna vähintään yksi kunta tai FI (koko Suomi)"
    return out


def apply_service_form(session: Session, doc: JSON, form: Mapping[str, str]) -> JSON:
    """A new record: ``doc`` with the form's values (raises FormErrors for what the importer cannot see)."""
    errors: dict[str, str] = {}
    new = dict(doc)
    for name in _TEXT_FIELDS:
        value = form.get(name, "").strip()
        if value:
            new[name] = value
        else:
            new.pop(name, None)
    if not form.get("name", "").strip():
        errors["name"] = "anna palvelun nimi"
    status = form.get("status", "")
    if status not in STATUSES:
        errors["status"] = f"valitse tila ({', '.join(STATUSES.values())})"
    new["status"] = status
    for name in ("minimum_age", "maximum_age"):
        text = form.get(name, "").strip().replace(",", ".")
        if not text:
            new.pop(name, None)
            continue
        try:
            age = float(text)
        except ValueError:
            errors[name] = "anna ikä numerona (vuosina)"
            continue
        if not 0 <= age <= 120:
            errors[name] = "iän pitää olla 0–120 vuotta"
        new[name] = int(age) if age.is_integer() else age
    phones = [dict(p) for p in doc.get("phones") or []]
    number = form.get("phone", "").strip()
    if number and phones:
        phones[0]["number"] = number
    elif number:
        phones = [{"id": str(uuid.uuid4()), "number": number, "type": "voice"}]
    else:
        phones = phones[1:]
    new["phones"] = phones
    others = [a for a in doc.get("attributes") or []
              if (a.get("taxonomy_term") or {}).get("taxonomy") != SERVICE_CLASS_TAXONOMY]
    new["attributes"] = _class_attributes(session, doc, form.get("classes", ""), errors) + others
    new["service_areas"] = _service_areas(doc, form.get("areas", ""), errors)
    if errors:
        raise FormErrors(errors)
    return new


def organization_type(organization: JSON) -> str:
    return next((a["taxonomy_term"]["code"] for a in organization.get("attributes") or []
                 if (a.get("taxonomy_term") or {}).get("taxonomy") == ORGANIZATION_TYPE_TAXONOMY), "")


def organization_form_values(doc: JSON) -> dict[str, str]:
    organization = doc["organization"]
    values = {name: str(organization.get(name) or "") for name in ("name", "description", "website", "email")}
    values["organization_type"] = organization_type(organization)
    return values


def apply_organization_form(doc: JSON, form: Mapping[str, str]) -> JSON:
    organization = dict(doc["organization"])
    for name in ("name", "description", "website", "email"):
        value = form.get(name, "").strip()
        if value:
            organization[name] = value
        else:
            organization.pop(name, None)
    errors = {}
    if not form.get("name", "").strip():
        errors["name"] = "anna organisaation nimi"
    code = form.get("organization_type", "")
    if code not in ORGANIZATION_TYPE_NAMES_FI:
        errors["organization_type"] = "valitse organisaation tyyppi"
    if errors:
        raise FormErrors(errors)
    if code != organization_type(organization):
        # One type per organisation (the profile's rule): the new one replaces the old.
        others = [a for a in organization.get("attributes") or []
                  if (a.get("taxonomy_term") or {}).get("taxonomy") != ORGANIZATION_TYPE_TAXONOMY]
        name = ORGANIZATION_TYPE_NAMES_FI[code]
        term = {"id": ovi_uuid(f"taxonomy_term:{ORGANIZATION_TYPE_TAXONOMY}/{code}"),
                "taxonomy": ORGANIZATION_TYPE_TAXONOMY, "code": code, "name": name,
                "description": f"PTV-organisaatiotyyppi: {name}", "language": "fi"}
        organization["attributes"] = [*others, {
            "id": ovi_uuid(f"attribute:{organization['id']}:{ORGANIZATION_TYPE_TAXONOMY}"),
            "taxonomy_term_id": term["id"], "taxonomy_term": term}]
    return {**doc, "organization": organization}


# --- saving ------------------------------------------------------------------------------------------------


def save(session: Session, docs: Sequence[JSON], user: str, form: Sequence[FormField] = SERVICE_FORM,
         *, dry_run: bool = False) -> ImportResult:
    """Import the records in one transaction as ``user`` (committed unless ``dry_run``); FormErrors if the
    importer's rules refuse them."""
    records = records_from_data([dict(doc) for doc in docs])
    try:
        return import_records(session, records, user=user, encoder=default_encoder(), dry_run=dry_run)
    except ImportValidationError as error:
        raise _errors_from_import(error, form) from error


def new_service_document(session: Session, organization_id: str) -> JSON:
    """The skeleton of a new service of a stored organisation (a fresh id, the organisation as stored)."""
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise FormErrors({"organization_id": "valitse organisaatio"})
    return {"id": str(uuid.uuid4()), "organization_id": organization.id,
            "organization": hsds.organization_in_service(organization), "status": "active"}


def new_organization_document(form: Mapping[str, str]) -> JSON:
    """A new organisation with its first service (a directory record is a service with its organisation)."""
    org_id = str(uuid.uuid4())
    skeleton = {"id": str(uuid.uuid4()), "organization_id": org_id, "status": "active",
                "organization": {"id": org_id, "name": ""}}
    return apply_organization_form(skeleton, form)


def archive_services(session: Session, service_ids: Sequence[str], user: str) -> ImportResult:
    docs = []
    for service_id in service_ids:
        doc = service_document(session, service_id)
        if doc is not None and doc.get("status") != "inactive":
            docs.append({**doc, "status": "inactive"})
    if not docs:
        raise FormErrors({"": "ei arkistoitavaa: palvelu on jo arkistoitu"})
    return save(session, docs, user)


def verify_services(session: Session, service_ids: Sequence[str], user: str, today: date | None = None
                    ) -> ImportResult:
    day = (today or date.today()).isoformat()
    docs = [doc | {"assured_date": day} for sid in service_ids if (doc := service_document(session, sid))]
    if not docs:
        raise FormErrors({"": "palvelua ei löydy"})
    return save(session, docs, user)
