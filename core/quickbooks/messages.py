"""Every user-visible sentence of the QuickBooks summary, in English, marked with `N_`.

The web layer and the CLI render a template with their gettext and fill `%(name)s` from
the `params` that travel with it.
"""

from core.i18n import N_

# -- settings form ---------------------------------------------------------------------
NAME_EMPTY = N_("Enter a name; QuickBooks needs one here.")
NAME_TOO_LONG = N_("QuickBooks allows at most %(limit)s characters per name (between colons).")
NAME_CHARACTERS = N_("A name must not contain tabs, line breaks or double quotes.")
NAME_FORMULA = N_("A name must not start with =, +, - or @ (spreadsheets would run it as a formula).")
TAX_CODE = N_("A sales tax code has one to three characters, for example Tax, Non, S or Z.")
ITEM_MODE = N_("Choose one item per SKU or one item for all products.")
YES_NO = N_("Choose yes or no.")

# -- building a summary ----------------------------------------------------------------
NOT_A_SETTLEMENT = N_(
    "%(filename)s is not a settlement report; QuickBooks summaries are built from "
    "settlement reports only."
)
NOT_RECONCILED = N_(
    "Settlement %(key)s does not add up: its lines sum to %(lines_sum)s but its total is "
    "%(total)s. A summary would not match the payout, so none was built."
)
UNMAPPED_LINES = N_(
    "Settlement %(key)s has %(count)s lines without a category (for example "
    "%(example)s). Give them a category in Settings › Unknown lines first."
)
SKU_TOO_LONG = N_(
    "The SKU %(sku)s has more than 31 characters, which QuickBooks does not allow as an "
    "item name. Choose “one item for all products” in Settings › QuickBooks."
)

# -- notices on a summary --------------------------------------------------------------
FEES_EXCEED_SALES = N_(
    "Amazon's fees (%(fees)s) are larger than the sales on the %(transaction)s; QuickBooks "
    "takes no negative total, so the fees are in the journal entry instead."
)
TRANSACTION_NEGATIVE = N_(
    "The %(transaction)s would have a negative total (%(total)s); its lines are in the "
    "journal entry instead."
)
