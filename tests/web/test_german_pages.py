"""Every page in German reads German: no Upload/Import/Export, no English kind names, no ISO dates."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from core.models import Batch, Report
from tests.helpers import page_token, upload

ENGLISH = re.compile(r"\b(Upload\w*|Import\w*|Export\w*|Payout|Settlement|Report|Batch|Download|Overview|"
                     r"Reconcil\w*|Amount|Total|Marketplace\w*|Refund\w*|Fees?)\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
TWO_DIGIT_YEAR = re.compile(r"\b\d{2}\.\d{2}\.\d{2}\b(?!\d)")


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Text(HTMLParser):
    """The visible text of a page (no tags, attributes, scripts or styles)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._stack: list[str] = []  # open elements inside a skipped one

    # Amazon's own words (transaction and amount types in a line's "combination" cell) are data.
    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if tag in ("script", "style", "code", "title") or ("class", "combination") in attrs:
            self._stack.append(tag)
        elif self._stack:
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if not self._stack:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = Text()
    parser.feed(html)
    assert parser._stack == [], parser._stack  # every skipped element closed: the rest was read
    return " ".join(parser.parts)


def test_german_pages_have_no_english_words_and_no_iso_dates(logged_in):
    logged_in.post("/language", data={"csrf_token": page_token(logged_in), "lang": "de",
                                                  "next": "/overview"})
    upload(logged_in, "settlement_v2_de_worked_example.txt", "vat_oss_tab.txt", "date_range_de.csv")
    settlement = Report.get(Report.kind == "settlement")
    batch = Batch.get(Batch.report == settlement.id)
    pages = ["/overview", "/reports/?kind=settlement", "/reports/?kind=vat_transactions",
             "/reports/?kind=date_range", "/batches/", f"/batches/{batch.id}", f"/batches/{batch.id}/bookings/1/1",
             "/settings/", "/settings/accounts", "/settings/mappings", "/marketplaces/", "/jobs/",
             f"/search?q={settlement.key}", f"/reports/{settlement.id}/statement", "/reports/upload",
             "/connections/", "/settings/quickbooks", "/connections/quickbooks/"]
    # Not /quickbooks/preview: it shows the receipt as it goes into QuickBooks, whose item
    # names and texts are the (English) seller's data.
    pages += [f"/reports/{r.id}" for r in Report.select()]
    problems = []
    for path in pages:
        response = logged_in.get(path)
        assert response.status_code == 200, path
        text = visible(response.get_data(as_text=True))
        # File names are data, not wording; so are the DATEV label's kind values.
        text = re.sub(r"\S+\.(csv|txt|zip)\b", "", text).replace("Payout oder Order", "")
        assert "Protokoll" in text and "Abmelden" in text
        for pattern in (ENGLISH, ISO_DATE, TWO_DIGIT_YEAR):
            problems += [(path, m.group(0)) for m in pattern.finditer(text)]
    assert "\n".join(map(str, sorted(set(problems)))) == ""
