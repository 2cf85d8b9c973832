"""diff_batches: what "Regenerate with current settings" changed."""

from __future__ import annotations

from decimal import Decimal

from core.booking.payout import build_payout
from core.datev.accounts import AccountRule, default_account_set
from core.datev.batch import BatchFile, batch_file_fingerprint
from core.datev.diff import diff_batches
from core.datev.settings import DatevSettings
from core.reports.model import Category
from tests.unit.test_booking_helpers import CREATED_AT, line, settlement, worked_example


def _build(settings: DatevSettings | None = None, accounts=None, report=None):  # type: ignore[no-untyped-def]
    settings = settings or DatevSettings()
    accounts = accounts or default_account_set(settings.chart)
    return build_payout(report or worked_example(), settings, accounts)


def test_same_input_gives_an_empty_diff() -> None:
    d = diff_batches(_build(), _build())
    assert d.is_empty and d.unchanged == 9
    assert d.changed_totals == ()


def test_a_new_fee_account_is_a_change_not_a_removal() -> None:
    accounts = default_account_set().with_rule(
        Category.SELLING_FEE, AccountRule("4761", None, "{marketplace} Provisionen"))
    d = diff_batches(_build(), _build(accounts=accounts))
    assert not d.added and not d.removed
    (change,) = d.changed
    assert change.fields == ("contra_account", "text")
    assert (change.old.contra_account, change.new.contra_account) == ("4760", "4761")
    totals = {t.account: (t.before, t.after) for t in d.changed_totals}
    assert totals == {"4760": (Decimal("16.65"), Decimal("0.00")),
                      "4761": (Decimal("0.00"), Decimal("16.65"))}


def test_a_new_regime_date_changes_the_fee_tax_keys() -> None:
    from datetime import date

    d = diff_batches(_build(), _build(DatevSettings(fee_vat_regime_switch=date(2024, 1, 1))))
    assert {(c.old.tax_key, c.new.tax_key) for c in d.changed} == {("94", "9")}
    assert len(d.changed) == 3 and d.changed_totals == ()


def test_granularity_change_is_removed_and_added() -> None:
    d = diff_batches(_build(), _build(DatevSettings(granularity="order")))
    assert {b.document for b in d.added} == {"302-1234567-1234567"}
    assert {b.document for b in d.removed} == {"123"}
    assert d.unchanged == 5  # advertising, reserves, reimbursement, payout keep "123"


def test_a_corrected_report_shows_added_lines() -> None:
    old = _build(report=settlement([line("10.00", Category.PRODUCT_SALES)]))
    new = _build(report=settlement([line("10.00", Category.PRODUCT_SALES),
                                    line("-1.00", Category.SELLING_FEE)]))
    d = diff_batches(old, new)
    assert [b.rule for b in d.added] == [Category.SELLING_FEE]
    assert [c.fields for c in d.changed] == [("amount",)]  # the payout


def test_diff_works_on_files_read_back_from_storage() -> None:
    stored = [BatchFile.from_bytes(f.to_bytes(CREATED_AT), f.filename) for f in _build()]
    d = diff_batches(stored, _build(DatevSettings(chart="skr04")))
    assert not d.added and not d.removed and len(d.changed) == 9
    assert d.files_before == d.files_after


def test_fingerprint_tells_outdated_batches() -> None:
    files = _build()
    assert files[0].settings_fingerprint == batch_file_fingerprint(
        DatevSettings(), default_account_set())
    assert files[0].settings_fingerprint != batch_file_fingerprint(
        DatevSettings(mandantennummer=2), default_account_set())
    stored = BatchFile.from_bytes(files[0].to_bytes(CREATED_AT))
    assert files[0].settings_fingerprint.startswith(stored.settings_fingerprint)
