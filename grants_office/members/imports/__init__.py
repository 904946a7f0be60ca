"""The CSV import of municipalities into the member registry (`manage.py import_municipalities`).

The import is all or nothing: every row is validated first, and only a file without a single error is
written, inside one transaction. The file format is described in docs/import.md and in the command's
help (`manage.py import_municipalities --help`). Reading the file (`reading`), cleaning each row's values
(`cleaning`) and matching and writing the municipalities (`municipalities`) each have their module.
"""

from grants_office.members.imports.municipalities import import_municipalities
from grants_office.members.imports.reading import Source
from grants_office.members.imports.results import ImportRejected, ImportResult, RowError

__all__ = ["ImportRejected", "ImportResult", "RowError", "Source", "import_municipalities"]
