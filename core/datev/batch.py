"""A batch file: the bookings of one report for one period, ready to be written.

Builders (core.booking) return `BatchFile`s; the web layer stores `to_bytes(now)` and
shows `notices`. `from_bytes` reads a stored file back for `diff_batches`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from core.datev import extf
from core.datev.accounts import AccountSet, sha256_json
from core.datev.booking import Booking
from core.datev.reader import read
from core.datev.settings import DatevSettings
from core.datev.text import parse_decimal
from core.message import Message


@dataclass(frozen=True)
class Notice(Message):
    """Something the bookkeeper must see next to a batch.

    code: "unmapped" (booked to the suspense account — map it and regenerate),
    "no_tax_treatment" (same, order report), "listed" (shown, not booked: stock moved),
    "verbringen" (own goods moved across a border: for the UStVA and ZM), "tax_<reason>"
    (a row's facts needed a decision, docs/tax-rules.md §3).
    """

    code: str
    line: int
    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {**super().to_json(), "line": self.line}


@dataclass(frozen=True)
class BatchFile:
    kind: str  # "payout" (settlement) or "orders" (VAT Transactions Report)
    key: str  # the report's natural key
    header: extf.Header
    bookings: tuple[Booking, ...]
    filename: str
    settings_fingerprint: str
    notices: tuple[Notice, ...] = ()

    @property
    def date_from(self) -> date:
        return self.header.date_from

    @property
    def date_to(self) -> date:
        return self.header.date_to

    @property
    def unmapped(self) -> tuple[Notice, ...]:
        return tuple(n for n in self.notices if n.code in ("unmapped", "no_tax_treatment"))

    @property
    def listed(self) -> tuple[Notice, ...]:
        return tuple(n for n in self.notices if n.code in ("listed", "verbringen"))

    def to_bytes(self, created_at: datetime) -> bytes:
        return extf.render(self.header, self.bookings, created_at)

    @classmethod
    def from_bytes(cls, data: bytes, filename: str = "", kind: str = "", key: str = "") -> BatchFile:
        """Read a file this module wrote (for diffs of stored versions)."""
        parsed = read(data)
        h = [f.value for f in parsed.header]
        date_from = _ymd(h[14])
        header = extf.Header(
            beraternummer=int(h[10]),
            mandantennummer=int(h[11]),
            fiscal_year_start=_ymd(h[12]),
            account_length=int(h[13]),
            date_from=date_from,
            date_to=_ymd(h[15]),
            label=h[16],
            diktatkuerzel=h[17],
            chart="skr" + h[26],
            currency=h[21],
            application_info=h[30],
        )
        bookings = tuple(_booking(row, date_from.year) for row in parsed.rows)
        return cls(kind, key, header, bookings, filename, h[30])


def _ymd(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def _booking(row: Sequence[object], year: int) -> Booking:
    v = [f.value for f in row]  # type: ignore[attr-defined]
    infos = {v[i]: v[i + 1] for i in range(extf.COL_INFO, extf.COL_INFO + 16, 2) if v[i]}

    def dec(text: str) -> Decimal | None:
        return parse_decimal(text) if text else None

    return Booking(
        amount=parse_decimal(v[extf.COL_AMOUNT]),
        side="S" if v[extf.COL_SIDE] == "S" else "H",
        account=v[extf.COL_ACCOUNT],
        contra_account=v[extf.COL_CONTRA],
        date=date(year, int(v[extf.COL_DATE][2:]), int(v[extf.COL_DATE][:2])),
        document=v[extf.COL_DOCUMENT],
        text=v[extf.COL_TEXT],
        tax_key=v[extf.COL_TAX_KEY],
        currency=v[extf.COL_CURRENCY],
        rate=dec(v[extf.COL_RATE]),
        base_amount=dec(v[extf.COL_BASE_AMOUNT]),
        eu_country=v[extf.COL_EU_COUNTRY],
        eu_rate=dec(v[extf.COL_EU_RATE]),
        origin_vat_id=v[extf.COL_ORIGIN_VAT_ID],
        origin_rate=dec(v[extf.COL_ORIGIN_RATE]),
        rule=infos.get(extf.INFO_RULE, ""),
        marketplace=infos.get(extf.INFO_MARKETPLACE, ""),
        source=infos.get(extf.INFO_SOURCE, ""),
        lines=int(infos.get(extf.INFO_LINES, "0") or 0),
    )


def batch_file_fingerprint(settings: DatevSettings, accounts: AccountSet) -> str:
    """What a batch file was built with (settings and accounts), written into the file itself."""
    return sha256_json({"settings": settings.to_dict(), "accounts": accounts.to_dict()})


def check_balanced(files: Iterable[BatchFile] | Iterable[Booking], account: str,
                   base: bool = False) -> Decimal:
    """Net movement of `account` over all bookings (in booking currency, or with `base` in
    EUR: Basis-Umsatz where a rate is set); 0 = balanced."""
    total = Decimal("0.00")
    for item in files:
        bookings = item.bookings if isinstance(item, BatchFile) else (item,)
        for booking in bookings:
            signed = booking.signed(account)
            if base and booking.base_amount is not None and signed:
                signed = booking.base_amount if signed > 0 else -booking.base_amount
            total += signed
    return total
