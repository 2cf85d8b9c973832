"""One DATEV booking row, as values (before it is formatted into 125 columns)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Side = Literal["S", "H"]


@dataclass(frozen=True)
class Booking:
    """`side` refers to `account` (DATEV's Konto): S debits it, H credits it.

    `tax_key` belongs to `contra_account` (the Gegenkonto). `amount` is positive and in
    `currency`; `base_amount` is the EUR amount when a rate is known. `rule` and
    `marketplace` say where the booking came from; they travel in the file as Beleginfo
    so a stored batch can be diffed after regeneration.
    """

    amount: Decimal
    side: Side
    account: str
    contra_account: str
    date: date
    document: str  # Belegfeld 1
    text: str
    tax_key: str = ""
    currency: str = "EUR"
    rate: Decimal | None = None  # Kurs: foreign units per 1 EUR
    base_amount: Decimal | None = None  # Basis-Umsatz in EUR
    eu_country: str = ""  # EU-Land u. UStID (Bestimmung): country or buyer VAT id
    eu_rate: Decimal | None = None  # EU-Steuersatz (Bestimmung), percent
    origin_vat_id: str = ""  # EU-Land u. UStID (Ursprung), for OSS key 241
    origin_rate: Decimal | None = None  # EU-Steuersatz (Ursprung)
    rule: str = ""  # the account-set rule (or rule/refund) that produced it
    marketplace: str = ""
    source: str = ""  # settlement id or report key
    lines: int = 0  # how many report lines were summed into it
    # Their line numbers, known while building (not written to the file, not compared):
    # the journal traces a booking back to the report lines it sums.
    line_nos: tuple[int, ...] = field(default=(), compare=False, repr=False)

    def signed(self, account: str) -> Decimal:
        """This booking's effect on `account`: debit positive, credit negative."""
        debit = self.amount if self.side == "S" else -self.amount
        if account == self.account:
            return debit
        if account == self.contra_account:
            return -debit
        return Decimal(0)
