"""Rules that fail loudly: every category and every rule has a booking path, words in both
languages and a way to be produced. A category added without them fails here instead of
booking to the suspense account with a wrong notice."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from core.booking import rules
from core.datev.accounts import RULE_KEYS
from core.reports.classify import DEFAULT_RULES, VAT_TYPES
from core.reports.model import BOOKABLE_KINDS, Category, Kind
from webapp import messages

CATALOG = Path(__file__).resolve().parents[2] / "webapp" / "translations" / "de" / "LC_MESSAGES" / "messages.po"


def german() -> dict[str, str]:
    with CATALOG.open("rb") as f:
        catalog = read_po(f)
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and not m.fuzzy}


def test_every_category_has_exactly_one_booking_path():
    paths = [set(rules.REVENUE_CATEGORIES), set(rules.CATEGORY_RULES), set(rules.NO_MONEY_CATEGORIES)]
    assert set().union(*paths) == set(Category)
    assert sum(len(p) for p in paths) == len(Category), "a category is in two booking paths"


def test_every_rule_a_category_books_on_exists():
    targets = set(rules.CATEGORY_RULES.values()) | {c.value for c in rules.TAX_FOLDS.values()}
    targets |= {c.value for c in rules.REVENUE_CATEGORIES - set(rules.TAX_FOLDS)
                if c != Category.MARKETPLACE_WITHHELD_TAX}
    assert targets <= set(RULE_KEYS)
    assert rules.FEE_RULES <= set(RULE_KEYS) and rules.SETTLEMENT_REVENUE_RULES <= set(RULE_KEYS)


def test_every_category_rule_and_kind_has_words_in_english_and_german():
    translated = german()
    for table, codes in ((messages.CATEGORIES, list(Category)), (messages.RULES, list(RULE_KEYS)),
                         (messages.KINDS, list(Kind)), (messages.KIND_DESCRIPTIONS, list(Kind))):
        for code in codes:
            assert code in table, f"no label for {code}"
            assert translated.get(table[code]), f"no German for {table[code]!r}"


def test_every_category_can_be_produced():
    produced = set(DEFAULT_RULES.values()) | set(VAT_TYPES.values())
    # Set by the parsers themselves: V1 quantity-only rows, and what no rule covers.
    produced |= {Category.INFORMATIONAL, Category.UNMAPPED}
    assert produced == set(Category)


def test_bookable_kinds_are_kinds():
    assert BOOKABLE_KINDS < set(Kind)
