"""The CLI commands as a user runs them: real processes on a temporary data folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "reports"
WORKED = FIXTURES / "settlement_v2_de_worked_example.txt"


def run(*args: str, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "webapp.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={"SETTLEBOOK_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"})


def test_inspect_json_in_either_order():
    for args in (["inspect", "--json", str(WORKED)], ["inspect", str(WORKED), "--json"]):
        result = run(*args, data=Path("/nonexistent-unused"))
        assert result.returncode == 0, result.stderr
        facts = json.loads(result.stdout)
        assert (facts["kind"], facts["key"], facts["total"], facts["lines_sum"], facts["reconciles"]) == (
            "settlement", "123", "83.89", "83.89", True)
        assert facts["deposit_date"] == "2026-03-18" and facts["categories"]["selling_fee"] == "-16.65"


def test_inspect_unreadable_file_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n")
    result = run("inspect", str(bad), data=tmp_path)
    assert result.returncode == 2 and "not an Amazon report" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_then_reports_json(tmp_path):
    result = run("import", str(WORKED), str(WORKED), str(tmp_path / "missing.txt"), data=tmp_path)
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[0].endswith("imported (report 1)")
    # As after an upload, the imported settlement gets its booking batch.
    assert lines[1].endswith("booking batch version 1: 9 bookings, valid"), lines[1]
    assert lines[2].endswith("already imported (report 1)")
    assert "error: cannot read the file" in lines[3]
    ok = run("import", str(WORKED), data=tmp_path)
    assert ok.returncode == 0 and "already imported" in ok.stdout
    listed = json.loads(run("reports", "--json", data=tmp_path).stdout)
    assert [(r["id"], r["kind"], r["key"], r["currency"], r["total"], r["lines"], r["reconciles"],
             r["period_start"], r["period_end"], r["source"], r["batch_status"]) for r in listed] == [
        (1, "settlement", "123", "EUR", "83.89", 12, True, "2026-03-01", "2026-03-15", "upload", "created")]
    assert "reconciles" in run("reports", data=tmp_path).stdout


def test_export_datev_writes_valid_files_for_both_charts(tmp_path):
    from core.datev.validate import validate

    for chart, revenue in (("skr03", ";1210;8400;"), ("skr04", ";1810;4400;")):
        out = tmp_path / chart
        result = run("export-datev", str(WORKED), "--out", str(out), "--chart", chart, data=tmp_path / "data")
        assert result.returncode == 0, result.stderr
        [written] = list(out.glob("EXTF_*.csv"))
        data = written.read_bytes()
        assert validate(data) == []
        header = data.decode("cp1252").split("\r\n")[0].split(";")
        assert (header[10], header[11], header[13], header[26]) == ("1001", "1", "4", f'"{chart[3:]}"')
        assert revenue in data.decode("cp1252")


def test_export_datev_refuses_a_report_that_does_not_add_up(tmp_path):
    broken = tmp_path / "off.txt"
    broken.write_bytes(WORKED.read_bytes().replace(b"83,89", b"83,90"))
    result = run("export-datev", str(broken), "--out", str(tmp_path / "out"), data=tmp_path / "data")
    assert result.returncode == 2
    assert "does not add up" in result.stderr and "Traceback" not in result.stderr
    assert not list((tmp_path / "out").glob("*.csv"))


def test_import_of_a_cut_off_redownload_keeps_the_complete_version(tmp_path):
    cut = tmp_path / "cut.txt"
    cut.write_bytes(b"".join(WORKED.read_bytes().splitlines(keepends=True)[:6]))
    result = run("import", str(WORKED), str(cut), data=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "incomplete download: lines differ from the total by" in result.stdout
    assert "the complete version stays current (report 2)" in result.stdout
    listed = {r["id"]: r for r in json.loads(run("reports", "--json", data=tmp_path).stdout)}
    assert (listed[1]["status"], listed[1]["batch_status"]) == ("current", "created")
    assert listed[2]["status"] == "candidate"


def test_export_datev_is_loud_about_suspense_profiles_overlaps_and_currencies(tmp_path):
    from tests.unit.vat_fixtures import row, tsv

    quarter = [row(f"05-{m:02d}-2024", "SALE", f"302-{m}", "DE", "DE", "100.00", "0.19", "19.00")
               for m in (1, 2, 3)]
    quarter.append(row("06-03-2024", "SALE", "302-9", "DE", "DE", "10.00", "", "0"))  # no rate
    quarter.append(row("07-03-2024", "SALE", "202-9", "GB", "GB", "50.00", "0.2", "10.00",
                       currency="GBP"))
    (tmp_path / "q1.txt").write_bytes(tsv(quarter))
    (tmp_path / "jan.txt").write_bytes(tsv(quarter[:1]))
    ca = FIXTURES / "settlement_v1_ca_33col.txt"
    result = run("export-datev", "--out", str(tmp_path / "out"), str(tmp_path / "q1.txt"),
                 str(tmp_path / "jan.txt"), str(ca), data=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "note: Suspense account 1590: 1 of" in out and "10.00 EUR" in out
    assert "why: Line 5 (SALE) has no tax treatment" in out
    assert "2024-01 is booked by the overlapping report A1SELLER0DE42:2024-01" in out
    assert "Amazon.ca was booked with the default tax profile “third-country marketplace”" in out
    listed = " ".join(run("reports", data=tmp_path / "data").stdout.split())
    assert "A1SELLER0DE42:2024-01..2024-03 2024-03-31 367.00 EUR; 60.00 GBP" in listed
