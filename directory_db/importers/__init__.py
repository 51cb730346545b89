"""Importers into the directory. ``hsds_json`` is implemented; HSDS CSV and PTV JSON are planned."""

from .errors import ImportIssue, ImportValidationError
from .hsds_json import ImportResult, import_hsds_json, import_records, records_from_data, validate_records

__all__ = [
    "ImportIssue",
    "ImportResult",
    "ImportValidationError",
    "import_hsds_json",
    "import_records",
    "records_from_data",
    "validate_records",
]
