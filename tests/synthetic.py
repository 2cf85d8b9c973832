"""Synthetic German V2 settlement files of any size, for benchmarks and kill tests.

`german_v2_settlement(200_000)` gives a UTF-8 file with decimal commas, German dates
(`05.03.2026 14:37:12 UTC`) and a realistic mix: orders (principal, tax, shipping,
promotions, commission, FBA or shipping-holdback fees, digital services fee,
marketplace-withheld VAT), refunds, ads, subscription, storage fees, reserves and
reimbursements. Money is generated in integer cents, so the summary total is exactly the
sum of the lines and the file reconciles. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from core.reports.settlement import V2_COLUMNS

HEADER = V2_COLUMNS  # the documented V2 order, promotion-id last
_START = datetime(2026, 3, 1, 14, 37, 12, tzinfo=UTC)
_PERIOD = timedelta(days=14)


def german_amount(cents: int, grouped: bool = False) -> str:
    """Integer cents as `-1234,56` (or `-1.234,56` with `grouped`)."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    text = f"{whole:,}".replace(",", ".") if grouped else str(whole)
    return f"{sign}{text},{rest:02d}"


def _stamp(moment: datetime) -> tuple[str, str]:
    return moment.strftime("%d.%m.%Y"), moment.strftime("%d.%m.%Y %H:%M:%S UTC")


def german_v2_settlement(lines: int, settlement_id: str = "12345678901", seed: int = 1) -> bytes:
    """A reconciling German V2 settlement with exactly `lines` detail rows."""
    rng = random.Random(seed)
    skus = [f"{word}-{n:03d}" for n in range(250)
            for word in ("KAFFEEMÜHLE", "TEEKANNE")]
    rows: list[str] = []
    total = 0
    blank = [""] * len(HEADER)
    at = {name: position for position, name in enumerate(HEADER)}

    def emit(values: dict[str, str], cents: int) -> None:
        nonlocal total
        cells = list(blank)
        cells[0] = settlement_id
        for name, value in values.items():
            cells[at[name]] = value
        cells[at["amount"]] = german_amount(cents)
        rows.append("\t".join(cells))
        total += cents

    def other(moment: datetime, amount_type: str, description: str, cents: int,
              tt: str = "other-transaction", **more: str) -> None:
        day, stamp = _stamp(moment)
        emit({"transaction-type": tt, "amount-type": amount_type,
              "amount-description": description, "posted-date": day,
              "posted-date-time": stamp, **more}, cents)

    other(_START + timedelta(hours=1), "other-transaction", "Previous Reserve Amount Balance",
          rng.randint(1000, 50000))
    other(_START + timedelta(hours=2), "other-transaction", "Subscription Fee", -3900)
    order_no = 0
    while len(rows) < lines:
        order_no += 1
        moment = _START + timedelta(seconds=rng.randint(0, int(_PERIOD.total_seconds())))
        roll = rng.random()
        if roll < 0.004:
            other(moment, "Cost of Advertising", "TransactionTotalAmount",
                  -rng.randint(500, 50000), tt="ServiceFee")
            continue
        if roll < 0.006:
            other(moment, "other-transaction", "Storage Fee", -rng.randint(100, 9000))
            continue
        if roll < 0.007:
            other(moment, "FBA Inventory Reimbursement",
                  rng.choice(("WAREHOUSE_DAMAGE", "WAREHOUSE_LOST", "REVERSAL_REIMBURSEMENT")),
                  rng.randint(500, 4000), sku=rng.choice(skus), **{"quantity-purchased": "1"})
            continue
        day, stamp = _stamp(moment)
        order_id = f"{rng.randint(302, 306):03d}-{rng.randint(0, 9999999):07d}-" \
                   f"{rng.randint(0, 9999999):07d}"
        afn = rng.random() < 0.7
        quantity = rng.choice((1, 1, 1, 2, 3))
        net = rng.randint(499, 8999) * quantity
        tax = net * 19 // 100
        base = {
            "order-id": order_id, "merchant-order-id": order_id,
            "marketplace-name": "Amazon.de", "fulfillment-id": "AFN" if afn else "MFN",
            "posted-date": day, "posted-date-time": stamp,
            "order-item-code": str(rng.randint(10**13, 10**14 - 1)),
            "sku": rng.choice(skus), "quantity-purchased": str(quantity),
        }
        if roll < 0.09:  # refund
            refund = {**base, "transaction-type": "Refund",
                      "adjustment-id": f"amzn1:crow:{rng.getrandbits(64):016x}",
                      "merchant-adjustment-item-id": str(rng.randint(10**18, 10**19 - 1))}
            commission = net * 15 // 100
            for amount_type, description, cents in (
                ("ItemPrice", "Principal", -net), ("ItemPrice", "Tax", -tax),
                ("ItemFees", "Commission", commission),
                ("ItemFees", "RefundCommission", -min(500, commission // 5)),
            ):
                emit({**refund, "amount-type": amount_type, "amount-description": description},
                     cents)
            continue
        order = {**base, "transaction-type": "Order",
                 "shipment-id": f"D{rng.getrandbits(40):010x}"}
        parts = [("ItemPrice", "Principal", net), ("ItemPrice", "Tax", tax)]
        if rng.random() < 0.3:
            shipping = rng.choice((299, 399, 499))
            parts += [("ItemPrice", "Shipping", shipping),
                      ("ItemPrice", "ShippingTax", shipping * 19 // 100)]
        if rng.random() < 0.1:
            parts.append(("Promotion", "Principal", -rng.randint(100, 1000)))
        if rng.random() < 0.02:
            parts.append(("ItemWithheldTax", "MarketplaceFacilitatorVAT-Principal", -tax))
        parts.append(("ItemFees", "Commission", -((net + tax) * 15 // 100)))
        if afn:
            parts.append(("ItemFees", "FBAPerUnitFulfillmentFee", -rng.randint(250, 700)))
        else:
            parts.append(("ItemFees", "ShippingHB", -rng.randint(20, 90)))
        if rng.random() < 0.05:
            parts.append(("ItemFees", "DigitalServicesFee", -rng.randint(5, 60)))
        for amount_type, description, cents in parts:
            emit({**order, "amount-type": amount_type, "amount-description": description},
                 cents)
    while len(rows) > lines:
        removed = rows.pop()
        total -= _cents(removed.split("\t")[at["amount"]])
    if lines >= 2:  # keep the reserve rows realistic: hold back a little at the end
        removed = rows.pop()
        total -= _cents(removed.split("\t")[at["amount"]])
        other(_START + _PERIOD - timedelta(hours=1), "other-transaction",
              "Current Reserve Amount", -rng.randint(1000, 50000))
    summary = list(blank)
    summary[:6] = [settlement_id, _stamp(_START)[1], _stamp(_START + _PERIOD)[1],
                   _stamp(_START + _PERIOD + timedelta(days=2))[1],
                   german_amount(total, grouped=True), "EUR"]
    text = "\t".join(HEADER) + "\n" + "\t".join(summary) + "\n" + "\n".join(rows) + "\n"
    return text.encode("utf-8")


def _cents(text: str) -> int:
    return int(text.replace(",", "").replace(".", ""))
