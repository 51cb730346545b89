"""SQLAlchemy models shaped on Open Referral HSDS 3.0 (tables and columns use the HSDS names).

The classes live in :mod:`directory_db.orm`, one module per area; this module is the import path to use.
"""

from .orm.accounts import ROLES, AdminSession, AdminUser
from .orm.base import Base, as_utc, utcnow
from .orm.details import Contact, Language, Phone, Schedule
from .orm.error_report import REPORT_SOURCES, REPORT_STATES, ErrorReport
from .orm.feedback import ConversationFeedback
from .orm.history import Metadata
from .orm.location import Accessibility, Address, Location, ServiceAtLocation
from .orm.organization import Funding, Organization, OrganizationIdentifier, Program
from .orm.search import SearchDocument, SearchIndexState
from .orm.service import CostOption, RequiredDocument, Service, ServiceArea
from .orm.taxonomy import Attribute, LinkEntity, Taxonomy, TaxonomyTerm

__all__ = [
    "REPORT_SOURCES",
    "REPORT_STATES",
    "ROLES",
    "Accessibility",
    "Address",
    "AdminSession",
    "AdminUser",
    "Attribute",
    "Base",
    "Contact",
    "ConversationFeedback",
    "CostOption",
    "ErrorReport",
    "Funding",
    "Language",
    "LinkEntity",
    "Location",
    "Metadata",
    "Organization",
    "OrganizationIdentifier",
    "Phone",
    "Program",
    "RequiredDocument",
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
