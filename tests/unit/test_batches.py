"""Versioned batches: built with the current rules, outdated when rules change, regenerated with a diff."""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import date
from decimal import Decimal
from functools import lru_cache

import pytest

from core import batches, booking_settings, mappings
from core.datev import accounts as acc
from core.datev.accounts import AccountRule
from core.datev.validate import validate
from core.db import db, init_db
from core.imports import import_bytes
from core.models import Batch, LineRow, Report, Setting
from core.period_export import period_export, zip_bytes
from core.reports.model import Category
from tests.helpers import REPORTS

FIXTURES = REPORTS
WORKED = (FIXTURES / "settlement_v2_de_worked_example.txt").read_bytes()


@pytest.fixture(autouse=True)
def database(tmp_path):
    init_db(tmp_path / "settlebook.sqlite3")
    with db.connection_context():
        yield


def worked_report() -> int:
    return import_bytes(WORKED, "worked.txt").report_id


def rows(data: bytes) -> list[list[str]]:
    return [line.split(";") for line in data.decode("cp1252").split("\r\n")[2:] if line]


def test_first_build_is_valid_and_balanced():
    report_id = worked_report()
    result = batches.build(report_id)
    batch = result.batch
    assert (batch.version, batch.ok, batch.booking_count, result.diff) == (1, True, 9, None)
    [stored] = list(batch.files)
    assert validate(bytes(stored.data)) == []
    clearing = 0
    for r in rows(bytes(stored.data)):
        amount = int(r[0].replace(",", ""))
        sign = 1 if r[1] == '"S"' else -1
        if r[6] == "1210":
            clearing += sign * amount
        if r[7] == "1210":
            clearing -= sign * amount
    assert clearing == 0
    assert Report.get_by_id(report_id).batch_status == "created"


def test_changed_account_outdates_and_regenerate_reports_the_change():
    report_id = worked_report()
    batches.build(report_id)
    problems = booking_settings.save_rule("advertising", "", AccountRule(account="4610", tax_key=None,
                                                              text="Amazon Werbekosten"))
    assert problems == []
    assert Report.get_by_id(report_id).batch_status == "outdated"
    result = batches.build(report_id)
    assert (result.diff["added"], result.diff["removed"], result.diff["changed"]) == (0, 0, 1)
    change = result.diff["changed_list"][0]
    assert (change["old"]["contra_account"], change["new"]["contra_account"]) == ("4600", "4610")
    totals = {t["account"]: t["difference"] for t in result.diff["totals"]}
    assert totals == {"4600": "-10.00", "4610": "10.00"}
    versions = batches.batch_versions(report_id)
    assert [(v.version, v.status) for v in versions] == [(2, "current"), (1, "replaced")]
    assert all(len(list(v.files)) == 1 for v in versions)  # earlier versions stay downloadable
    assert Report.get_by_id(report_id).batch_status == "created"


def test_invalid_rule_is_refused_and_changes_nothing():
    report_id = worked_report()
    batches.build(report_id)
    problems = booking_settings.save_rule("product_sales", "", AccountRule(account="8400", tax_key="3", text="x"))
    assert [p.field for p in problems] == ["tax_key"]  # 8400 is automatic: no tax key
    assert Report.get_by_id(report_id).batch_status == "created"


def test_settings_are_validated_and_outdate_batches():
    report_id = worked_report()
    batches.build(report_id)
    assert "beraternummer" in booking_settings.save_settings({"beraternummer": "99"})
    assert booking_settings.save_settings({"beraternummer": "4711", "mandantennummer": "42", "chart": "skr04"}) == {}
    assert Report.get_by_id(report_id).batch_status == "outdated"
    batch = batches.build(report_id).batch
    header = bytes(batch.files[0].data).decode("cp1252").split("\r\n")[0].split(";")
    assert (header[10], header[11], header[26]) == ("4711", "42", '"04"')


def test_mapping_an_unknown_combination_recounts_the_report():
    data = WORKED.replace(b"other-transaction\t\t\t\t\t\tother-transaction\tCurrent Reserve Amount",
                          b"Mystery\t\t\t\t\t\tMysteryType\tMystery thing")
    assert data != WORKED
    report_id = import_bytes(data, "new.txt").report_id
    assert Report.get_by_id(report_id).unmapped_count == 1
    assert mappings.unmapped_combinations() == [("Mystery", "MysteryType", "Mystery thing", 1, 1)]
    assert booking_settings.map_combination("Mystery", "MysteryType", "Mystery thing", "reserve_held") == 1
    report = Report.get_by_id(report_id)
    assert report.unmapped_count == 0 and report.unmapped_list == []
    assert report.category_totals["reserve_held"] == Decimal("-20.00")
    assert LineRow.select().where(LineRow.category == "unmapped").count() == 0
    assert mappings.unmapped_combinations() == []
    # The next import of the same combination is classified by the mapping right away.
    other = import_bytes(data.replace(b"123\t", b"124\t"), "next.txt").report_id
    assert Report.get_by_id(other).unmapped_count == 0


def test_unmapped_lines_reach_the_suspense_account_with_a_notice():
    data = WORKED.replace(b"other-transaction\t\t\t\t\t\tother-transaction\tCurrent Reserve Amount",
                          b"Mystery\t\t\t\t\t\tMysteryType\tMystery thing")
    assert data != WORKED
    report_id = import_bytes(data, "mystery.txt").report_id
    report = Report.get_by_id(report_id)
    assert report.unmapped_count == 1
    batch = batches.build(report_id).batch
    assert batch.ok and [n["code"] for n in batch.notice_list] == ["suspense", "unmapped"]
    assert "Suspense account 1590: 1 of 9 bookings, 20.00 EUR (report lines: 1)" in \
        batch.notice_list[0]["template"] % batch.notice_list[0]["params"]
    assert any(r[7] == "1590" for r in rows(bytes(batch.files[0].data)))
    booking_settings.map_combination("Mystery", "MysteryType", "Mystery thing", "reserve_held")
    assert Report.get_by_id(report_id).batch_status == "outdated"
    regenerated = batches.build(report_id)
    assert regenerated.batch.notice_list == []
    # Booked by another rule now: the suspense booking goes, the reserve booking comes.
    assert (regenerated.diff["removed"], regenerated.diff["added"]) == (1, 1)
    assert regenerated.diff["removed_list"][0]["contra_account"] == "1590"
    assert regenerated.diff["added_list"][0]["contra_account"] == "1500"


def test_zip_of_a_month_holds_every_valid_file():
    report_id = worked_report()
    batches.build(report_id)
    uk = import_bytes((FIXTURES / "settlement_v2_uk.txt").read_bytes(), "uk.txt").report_id
    batches.build(uk)
    export = period_export(date(2026, 3, 1), date(2026, 3, 31))
    assert export.complete
    names = zipfile.ZipFile(io.BytesIO(zip_bytes(export))).namelist()
    assert len(names) == len(export.files) >= 2 and all(n.startswith("EXTF_") for n in names)
    empty = period_export(date(2020, 1, 1), date(2020, 1, 31))
    assert empty.files == [] and empty.missing == []


def test_zip_of_a_month_names_reports_without_a_valid_batch():
    report_id = worked_report()
    assert [m.reason for m in period_export(date(2026, 3, 1), date(2026, 3, 31)).missing] == ["not_built"]
    batches.build(report_id)
    assert period_export(date(2026, 3, 1), date(2026, 3, 31)).complete
    booking_settings.save_settings({"beraternummer": "2002"})
    export = period_export(date(2026, 3, 1), date(2026, 3, 31))
    assert [(m.report.id, m.reason) for m in export.missing] == [(report_id, "outdated")]
    assert export.files == []
    listing = zipfile.ZipFile(io.BytesIO(zip_bytes(export, lambda e: "missing: 123"))).namelist()
    assert listing == ["FEHLT.txt"]


def test_deleting_the_report_deletes_its_batches():
    from core.imports import delete_report

    report_id = worked_report()
    batches.build(report_id)
    delete_report(report_id)
    assert Batch.select().count() == 0


def test_a_superseded_report_stays_outdated_when_rules_change():
    first = worked_report()
    batches.build(first)
    import_bytes(WORKED.replace(b"WAREHOUSE_DAMAGE", b"WAREHOUSE_LOST"), "v2.txt")
    assert Report.get_by_id(first).batch_status == "outdated"
    booking_settings.save_settings({"beraternummer": "1001"})  # the same rules as before
    assert Report.get_by_id(first).batch_status == "outdated"


def test_racing_builds_of_one_report_store_one_version(tmp_path):
    import threading

    report_id = worked_report()
    errors = []

    def run():
        try:
            with db.connection_context():
                batches.build(report_id)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    def race() -> list[tuple[int, str]]:
        threads = [threading.Thread(target=run) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        return [(v.version, v.status) for v in batches.batch_versions(report_id)]

    assert race() == [(1, "current")]  # the same build, stored once
    booking_settings.save_settings({"beraternummer": "2002"})
    assert race() == [(2, "current"), (1, "replaced")]



def test_saving_one_rule_stores_only_that_rule(monkeypatch):
    assert booking_settings.save_rule("advertising", "", AccountRule("4610", None, "Werbung")) == []
    stored = Setting.get_value("accounts:skr03:4")
    assert list(stored["default"]) == ["advertising"]
    # A default changed in a later release reaches this installation; its own rule stays.
    monkeypatch.setitem(acc._DEFAULTS, "storage_fee", ("4781", "6781", None, "Lager", ""))
    loaded = booking_settings.load_accounts()
    assert loaded.rule("storage_fee").account == "4781"
    assert loaded.rule("advertising").account == "4610"


def test_a_new_default_rule_reaches_stored_lines_without_a_category(monkeypatch):
    data = WORKED.replace(b"other-transaction\t\t\t\t\t\tother-transaction\tCurrent Reserve Amount",
                          b"Mystery\t\t\t\t\t\tMysteryType\tMystery thing")
    report_id = import_bytes(data, "mystery.txt").report_id
    batches.build(report_id)
    assert booking_settings.apply_new_classification_rules() == 0  # nothing new yet
    # A release adds a rule for the combination (and leaves mapped lines alone).
    classify = sys.modules["core.reports.classify"]  # the package exports a function of that name
    monkeypatch.setitem(classify.DEFAULT_RULES, ("mystery", "mysterytype", "mystery thing"),
                        Category.RESERVE_HELD)
    monkeypatch.setattr(classify, "_default_classifier", lru_cache(maxsize=1)(classify.Classifier))
    assert booking_settings.apply_new_classification_rules() == 1
    report = Report.get_by_id(report_id)
    assert (report.unmapped_count, report.batch_status) == (0, "outdated")
    assert report.category_totals["reserve_held"] == Decimal("-20.00")
