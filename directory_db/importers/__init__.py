"""Importers into the directory: ``hsds_json``, ``hsds_csv`` and ``ptv_json``."""

from .errors import ImportIssue, ImportValidationError
from .hsds_csv import import_hsds_csv
from .hsds_json import ImportResult, import_hsds_json, import_records, records_from_data, validate_records
from .ptv_json import import_ptv_json

__all__ = [
    "ImportIssue",
    "ImportResult",
    "ImportValidationError",
    "import_hsds_csv",
    "import_hsds_json",
    "import_ptv_json",
    "import_records",
    "records_from_data",
    "validate_records",
]
