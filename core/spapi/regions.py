"""Regional hosts and the marketplaces Amazon serves from each (developer guide, endpoints)."""

from __future__ import annotations

REGIONS = ("eu", "na", "fe")
HOSTS = {
    "eu": "https://sellingpartnerapi-eu.amazon.com",
    "na": "https://sellingpartnerapi-na.amazon.com",
    "fe": "https://sellingpartnerapi-fe.amazon.com",
}
LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"

# The marketplaces whose VAT Transactions Report Amazon offers ("Can be requested": DE ES IT FR UK).
VAT_REPORT_MARKETPLACES = {
    "A1PA6795UKMFR9", "A1RKKUPIHCS9HS", "APJ6JRA9NG5V4", "A13V1IB3VIYZZH", "A1F83G8C2ARO7P",
}
