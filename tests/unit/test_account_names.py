"""Every account the default rules and the tax profiles use has its chart's name."""

from __future__ import annotations

import pytest

from core.booking.profiles import NOT_TAXABLE_THIRD, OSS_ACCOUNT, REVERSE_CHARGE_ABROAD
from core.datev.account_names import account_name
from core.datev.accounts import default_rules


@pytest.mark.parametrize("chart", ["skr03", "skr04"])
def test_default_and_profile_accounts_have_names(chart):
    column = 0 if chart == "skr03" else 1
    accounts = {rule.account for rule in default_rules(chart).values()}
    accounts |= {pair[column] for pair in (REVERSE_CHARGE_ABROAD, NOT_TAXABLE_THIRD, OSS_ACCOUNT)}
    assert [a for a in sorted(accounts) if not account_name(a, chart)] == []


def test_longer_accounts_take_the_name_of_their_four_digits():
    assert account_name("840000", "skr03", 6) == "Erlöse 19 % USt"
    assert account_name("8401", "skr03") == ""
