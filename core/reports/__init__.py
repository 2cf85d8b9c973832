"""Reading Amazon seller reports: settlements (V2, legacy V1), Date Range transaction
reports and the VAT Transactions Report, into the shapes of `core.reports.model`.

`parse(data, filename)` returns a ParsedReport or raises ReportError; `stream(...)` yields
the lines one by one for large files. See `stream.py` for the contract.
"""

from core.reports.classify import DEFAULT_RULES, classify
from core.reports.model import (
    Category,
    Kind,
    Line,
    ParsedReport,
    ReportError,
    TaxTreatment,
    VatDetail,
)
from core.reports.stream import ReportStream, parse, stream

__all__ = [
    "DEFAULT_RULES",
    "Category",
    "Kind",
    "Line",
    "ParsedReport",
    "ReportError",
    "ReportStream",
    "TaxTreatment",
    "VatDetail",
    "classify",
    "parse",
    "stream",
]
