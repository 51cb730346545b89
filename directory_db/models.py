"""SQLAlchemy models shaped on Open Referral HSDS 3.0 (tables and columns use the HSDS names).

The classes live in :mod:`directory_db.orm`, one module per area; this module is the import path to use.
"""

from .orm.base import Base, as_utc, utcnow
from .orm.details import Language, Phone, Schedule
from .orm.location import Address, Location, ServiceAtLocation
from .orm.organization import Organization
from .orm.search import SearchDocument, SearchIndexState
from .orm.service import Service, ServiceArea
from .orm.taxonomy import Attribute, LinkEntity, Taxonomy, TaxonomyTerm

__all__ = [
    "Address",
    "Attribute",
    "Base",
    "Language",
    "LinkEntity",
    "Location",
    "Organization",
    "Phone",
    "Schedule",
    "SearchDocument",
    "SearchIndexState",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "Taxonomy",
    "TaxonomyTerm",
    "as_utc",
    "utcnow",
]
