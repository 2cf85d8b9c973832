"""The synthetic German V2 generator (used by benchmarks and kill tests) reconciles."""

from __future__ import annotations

import pytest

from core.reports import Category, parse, stream
from tests.synthetic import german_amount, german_v2_settlement


@pytest.mark.parametrize("lines", [0, 1, 2, 7, 500, 3000])
def test_exact_line_count_and_reconciles(lines):
    report = parse(german_v2_settlement(lines, settlement_id="42", seed=lines), "s.txt")
    assert len(report.lines) == lines and report.key == "42"
    assert report.reconciles and report.currency == "EUR"
    assert report.unmapped() == {}


def test_deterministic_and_german():
    data = german_v2_settlement(300, seed=7)
    assert data == german_v2_settlement(300, seed=7) != german_v2_settlement(300, seed=8)
    text = data.decode("utf-8")
    assert " UTC\t" in text and ",\t" not in text.split("\n")[1][:60]
    report = parse(data, "s.txt")
    assert {Category.PRODUCT_SALES, Category.SELLING_FEE, Category.RESERVE_HELD,
            Category.RESERVE_RELEASED, Category.SUBSCRIPTION} <= set(report.category_totals())


def test_streaming_matches_parse():
    data = german_v2_settlement(2000, seed=3)
    s = stream(data, "s.txt")
    count = sum(1 for _ in s)
    report = parse(data, "s.txt")
    assert count == s.count == len(report.lines)
    assert s.lines_sum == report.lines_sum == s.total
    assert s.category_totals() == report.category_totals()
    assert s.marketplaces == report.marketplaces == ["Amazon.de"]


def test_german_amount():
    assert german_amount(-123456789, grouped=True) == "-1.234.567,89"
    assert german_amount(5) == "0,05"
