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

# Seller Central hosts for the website authorization's consent page, and their API region
# (developer guide 2021 list; newer accounts also use sellercentral.amazon.de).
SELLER_CENTRAL = {
    "sellercentral-europe.amazon.com": "eu", "sellercentral.amazon.de": "eu",
    "sellercentral.amazon.co.uk": "eu", "sellercentral.amazon.fr": "eu", "sellercentral.amazon.it": "eu",
    "sellercentral.amazon.es": "eu", "sellercentral.amazon.nl": "eu", "sellercentral.amazon.se": "eu",
    "sellercentral.amazon.pl": "eu", "sellercentral.amazon.com.be": "eu", "sellercentral.amazon.com.tr": "eu",
    "sellercentral.amazon.ae": "eu", "sellercentral.amazon.in": "eu",
    "sellercentral.amazon.com": "na", "sellercentral.amazon.ca": "na", "sellercentral.amazon.com.mx": "na",
    "sellercentral.amazon.com.br": "na",
    "sellercentral.amazon.co.jp": "fe", "sellercentral.amazon.com.au": "fe", "sellercentral.amazon.sg": "fe",
}
