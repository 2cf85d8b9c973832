"""The summary transactions of a settlement, as the QuickBooks summary builds them.

The Web Connector sends exactly what the IIF file and the previewer show: one source,
core.quickbooks, so the channels cannot disagree.
"""

from __future__ import annotations

import json

from core.i18n import N_
from core.models import Report
from core.quickbooks.service import summary_for_report
from core.quickbooks.summary import SummaryError, Transaction


class SummaryUnavailable(Exception):
    """No summary can be sent; `text` is JSON of the reason's template and parameters."""

    def __init__(self, template: str, **params: object):
        self.text = json.dumps({"template": template, "params": params}, default=str)
        super().__init__(template % params)


def transactions_for(report: Report) -> list[Transaction]:
    try:
        summary = summary_for_report(report.id)
    except SummaryError as exc:
        raise SummaryUnavailable(exc.template, **exc.params) from exc
    if not summary.adds_up:  # never send what does not add up to the payout
        raise SummaryUnavailable(
            N_("The summary does not add up to the settlement's total (difference %(difference)s)."),
            difference=summary.difference)
    return summary.transactions
