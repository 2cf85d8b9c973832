"""The booking journal of a batch: every booking with account names, totals, traced lines."""

from __future__ import annotations

import re
from decimal import Decimal

from core.models import Batch, LineRow
from tests.helpers import upload


def test_journal_shows_every_booking_with_names_and_a_zero_clearing_account(logged_in):
    upload(logged_in, "settlement_v2_de_worked_example.txt")
    batch = Batch.get()
    html = logged_in.get(f"/batches/{batch.id}").get_data(as_text=True)
    assert "Booking journal" in html
    rows = re.findall(r"<tr>\s*<td class=\"num\">", html.split("journal-totals")[0])
    assert len(rows) == batch.booking_count
    assert "Verkaufsprovisionen" in html and "Geldtransit" in html
    assert 'data-balance="0.00"' in html
    assert "The clearing account is back at zero." in html
    # The batch list and the report both link to it.
    assert f"/batches/{batch.id}" in logged_in.get("/batches/").get_data(as_text=True)
    assert f"/batches/{batch.id}#journal" in logged_in.get(f"/reports/{batch.report_id}").get_data(as_text=True)


def test_a_booking_links_to_the_lines_it_sums(logged_in):
    upload(logged_in, "settlement_v2_de_worked_example.txt")
    batch = Batch.get()
    html = logged_in.get(f"/batches/{batch.id}").get_data(as_text=True)
    links = re.findall(rf'href="(/batches/{batch.id}/bookings/\d+/\d+)">(\d+) lines?<', html)
    assert links
    for link, count in links:
        page = logged_in.get(link).get_data(as_text=True)
        assert page.count('<td class="num">', 0) >= int(count)
        line_nos = [int(n) for n in re.findall(r'<tr><td class="num">(\d+)</td>', page)]
        assert len(line_nos) == int(count)
        # The lines' sum is the booking's amount (up to the side).
        amounts = [LineRow.get(LineRow.report == batch.report_id, LineRow.line_no == n).amount
                   for n in line_nos]
        booking = re.search(r"<dt>Booking</dt><dd>([\d,.]+) EUR", page).group(1)
        assert abs(sum(amounts, Decimal(0))) == Decimal(booking.replace(",", ""))


def test_journal_pages_and_unknown_batch(logged_in):
    upload(logged_in, "settlement_v2_de_worked_example.txt")
    batch = Batch.get()
    assert logged_in.get(f"/batches/{batch.id}?page=99").status_code == 200
    assert logged_in.get("/batches/999").status_code == 404
    assert logged_in.get(f"/batches/{batch.id}/bookings/9/9").status_code == 200


def test_journal_pages_hold_every_booking_once(logged_in):
    from core import journal

    upload(logged_in, "settlement_v2_de.txt")
    batch = Batch.get()
    pages = [journal.batch_journal(batch, n, per_page=5) for n in (1, 2, 3)]
    assert pages[0].page.pages == 3 and pages[0].page.total == batch.booking_count == 12
    rows = [(r.file_no, r.row_no) for p in pages for r in p.page.items]
    assert len(rows) == len(set(rows)) == 12
    fragment = logged_in.get(f"/batches/{batch.id}?page=1", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="journal"') and "<html" not in fragment


def test_a_booking_whose_lines_changed_since_is_not_traced(logged_in):
    import io

    from core import journal
    from tests.helpers import page_token, report_bytes

    data = report_bytes("settlement_v2_de_worked_example.txt").replace(
        b"other-transaction\t\t\t\t\t\tother-transaction\tCurrent Reserve Amount",
        b"NewThing\t\t\t\t\t\tNewType\tSomething new")
    upload(logged_in, (io.BytesIO(data), "unknown.txt"))
    batch = Batch.get()
    suspense = [r for r in journal.batch_journal(batch).page.items if r.booking.contra_account == "1590"]
    assert len(suspense) == 1
    logged_in.post("/settings/mappings", data={
        "csrf_token": page_token(logged_in, "/settings/mappings"), "transaction_type": "NewThing",
        "amount_type": "NewType", "amount_description": "Something new", "category": "reserve_held"})
    page = logged_in.get(f"/batches/{batch.id}/bookings/{suspense[0].file_no}/{suspense[0].row_no}")
    assert "can no longer be traced" in page.get_data(as_text=True)
