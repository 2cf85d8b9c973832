"""No exported cell starts a spreadsheet formula, DATEV's validator refuses one that does."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import batches
from core.datev.reader import read_lines, split_fields
from core.datev.text import document_field, fit_text
from core.datev.validate import validate
from core.db import db, init_db
from core.formula_cells import neutralise, starts_formula
from core.imports import import_bytes

WORKED = (Path(__file__).parents[1] / "fixtures" / "reports" / "settlement_v2_de_worked_example.txt").read_bytes()


@pytest.mark.parametrize("raw, safe", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("+49 30 1234", "'+49 30 1234"),
    ("-5 % Rabatt", "'-5 % Rabatt"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("Amazon.de Umsatz", "Amazon.de Umsatz"),
    ("Preis = 5", "Preis = 5"),
    ("", ""),
])
def test_neutralise(raw, safe):
    assert neutralise(raw) == safe
    assert not starts_formula(neutralise(raw))


@pytest.mark.parametrize("raw", ["=1+1", "＝1+1", "\t=1", "\n=1", "@x", "-x", "+x"])
def test_datev_text_cells_never_start_a_formula(raw):
    # ＝ (full width) becomes = in the cp1252 step, and a tab or line break a space.
    cell = fit_text(raw, 60)
    assert cell.startswith(("'", " ")) and not starts_formula(cell), cell


@pytest.mark.parametrize("raw, cell", [("-123", "123"), ("+-+1", "1"), ("=HYPERLINK(1)", "HYPERLINK-1-")])
def test_belegfeld_has_no_apostrophe_so_the_sign_goes(raw, cell):
    assert document_field(raw) == cell


@pytest.fixture
def hostile_batch(tmp_path) -> bytes:
    """A real import of a settlement whose marketplace and description are formulas."""
    data = WORKED.replace(b"Amazon.de", b"=HYPERLINK(1)").replace(b"\tPrincipal\t", b"\t@SUM(A1)\t")
    init_db(tmp_path / "settlebook.sqlite3")
    with db.connection_context():
        report_id = import_bytes(data, "evil.txt").report_id
        batch = batches.build(report_id).batch
        assert batch.ok
        [stored] = list(batch.files)
        return bytes(stored.data)


def test_formulas_from_a_report_reach_no_datev_cell(hostile_batch):
    cells = [field.value for line in read_lines(hostile_batch.decode("cp1252")) if line
             for field in split_fields(line)]
    assert not [cell for cell in cells if starts_formula(cell)]
    # An unknown marketplace name books by the third-country profile (docs/tax-rules.md §4).
    assert "'=HYPERLINK(1) Umsatz nicht steuerbar" in cells and "'=HYPERLINK(1)" in cells
    assert validate(hostile_batch) == []


def test_validator_refuses_a_cell_that_starts_a_formula(hostile_batch):
    broken = (hostile_batch.replace(b"\"'=HYPERLINK(1) Umsatz nicht steuerbar\"",
                                    b"\"=HYPERLINK(1) Umsatz nicht steuerbar\"")
              .replace(b'"AM";', b'"@M";', 1))
    found = [v for v in validate(broken) if v.rule_code == "formula"]
    assert {v.row for v in found} >= {None, 1}
    header = next(v for v in found if v.row is None)
    assert header.message() == ("Header field 18: “@M” starts like a spreadsheet formula (= + - @ or a "
                                "tab); a spreadsheet opening the file would run it.")
    booking = next(v for v in found if v.row == 1)
    assert "Line 3, Buchungstext: “=HYPERLINK(1) Umsatz nicht steuerbar”" in booking.message()
