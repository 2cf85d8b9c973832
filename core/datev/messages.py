"""Every user-visible sentence of the DATEV export, in English, marked with `N_`.

The web layer translates a template with its gettext and fills `%(name)s` from the
`params` that travel with it (settings errors, account-set problems, validator
violations, booking errors). Keeping them in one module keeps the German wording in
one place (webapp/translations) and lets tests refer to them by name.
"""

from core.i18n import N_

# -- settings form ---------------------------------------------------------------------
BERATERNUMMER = N_("Beraternummer must be a number between 1001 and 9999999.")
MANDANTENNUMMER = N_("Mandantennummer must be a number between 1 and 99999.")
FISCAL_YEAR_START_MONTH = N_("The fiscal year must start in a month from 1 to 12.")
ACCOUNT_LENGTH = N_("The account length (Sachkontenlänge) must be a number from 4 to 8.")
CHART = N_("The chart of accounts must be SKR03 or SKR04.")
DIKTATKUERZEL = N_("The Diktatkürzel must be two capital letters (A–Z) or empty.")
LABEL_PATTERN_PLACEHOLDER = N_(
    "The batch label may only use the placeholders {marketplace}, {period}, {key} and {kind}."
)
LABEL_PATTERN_LENGTH = N_(
    "The batch label would be longer than 30 characters, which DATEV does not allow; "
    "shorten the pattern."
)
GRANULARITY = N_("Choose a daily summary or one booking per order.")
DATE_FORMAT = N_("Enter the date as DD.MM.YYYY, for example 01.08.2024.")
TAX_KEY = N_("A tax key (BU-Schlüssel) is one to four digits, for example 9, 94 or 240.")
REVENUE_SOURCE = N_(
    "Revenue must come from the settlement (Amazon Payout) or from the VAT "
    "Transactions Report (Amazon Order)."
)
YES_NO = N_("Choose yes or no.")
DEEMED_FROM_HOME = N_(
    "Choose how sales leaving Germany with Amazon as the deemed supplier are booked: as a "
    "tax-free export or as not taxable in Germany."
)
VERBRINGEN_SETTING = N_("Choose whether own goods moved between countries are listed or booked.")
TIMEZONE = N_("This is not a known time zone; use a name such as Europe/Berlin.")
EXCHANGE_RATE_LINE = N_(
    "Write one exchange rate per line as foreign units per 1 EUR, for example GBP=0.85 "
    "or 1 EUR = 0.85 GBP."
)
EXCHANGE_RATE_CURRENCY = N_("Use three-letter currency codes such as GBP or PLN.")
EXCHANGE_RATE_RANGE = N_(
    "Each rate must be the number of foreign units per 1 EUR (for example GBP=0.85: 1 EUR "
    "buys 0.85 GBP), above 0 and up to 9999.999999, with at most six decimals; leave a "
    "currency out to let DATEV convert it."
)
EXCHANGE_RATE_EUR = N_("EUR is the base currency and takes no exchange rate.")

# -- account sets ----------------------------------------------------------------------
ACCOUNT_DIGITS = N_(
    "Account “%(account)s” for %(rule)s must have %(length)s digits (personal accounts "
    "such as debtors one more)."
)
ACCOUNT_TAX_KEY_FORMAT = N_("The tax key “%(tax_key)s” for %(rule)s must be one to four digits.")
ACCOUNT_TAX_KEY_AUTOMATIC = N_(
    "Account %(account)s for %(rule)s is a DATEV automatic account; it computes the tax "
    "itself and cannot take tax key %(tax_key)s (only 40)."
)
ACCOUNT_TEXT_LENGTH = N_(
    "The booking text for %(rule)s would be longer than 60 characters: “%(text)s”."
)
ACCOUNT_TEXT_PLACEHOLDER = N_(
    "The booking text for %(rule)s may only use the placeholders {marketplace}, "
    "{country} and {rate}."
)
ACCOUNT_EU_COUNTRY = N_("The EU country for %(rule)s must be a two-letter code such as FR.")
ACCOUNT_EU_RATE = N_("The EU tax rate for %(rule)s must be a percentage such as 20.00.")
ACCOUNT_OSS_FIELDS = N_(
    "Tax key %(tax_key)s (OSS) for %(rule)s needs the destination country and its tax rate."
)
ACCOUNT_UNKNOWN_RULE = N_("“%(rule)s” is not a known booking rule.")
ACCOUNT_MISSING_RULE = N_("The account set has no rule for %(rule)s.")
ACCOUNT_SET_FORMAT = N_("The stored account set cannot be read: %(detail)s.")

# -- building batches ------------------------------------------------------------------
REPORT_NOT_RECONCILED = N_(
    "Settlement %(key)s does not add up: its lines sum to %(lines_sum)s %(currency)s but "
    "the payout is %(total)s %(currency)s, so it is not booked."
)
REPORT_WRONG_KIND = N_("Report %(key)s is a %(kind)s report; this batch needs a %(expected)s report.")
AMOUNT_PRECISION = N_(
    "Line %(line)s of report %(key)s has the amount %(amount)s with more than two decimals."
)
MISSING_DATE = N_("Line %(line)s of report %(key)s has no date and the report has no period.")
MISSING_DEPOSIT_DATE = N_("Settlement %(key)s has neither a deposit date nor a period end.")
CLEARING_NOT_BALANCED = N_(
    "Internal error: the clearing account %(account)s of settlement %(key)s does not net "
    "to zero (difference %(difference)s %(currency)s). Nothing was written; please report "
    "this bug."
)
UNMAPPED_LINE = N_(
    "Line %(line)s (%(combination)s, %(amount)s %(currency)s) has no category yet and was "
    "booked to the suspense account %(account)s. Map it and regenerate the batch."
)
LISTED_STOCK_MOVEMENT = N_(
    "Line %(line)s (%(transaction_type)s, %(ship_from)s → %(ship_to)s) moves own stock and "
    "is listed, not booked."
)
NO_TAX_TREATMENT = N_(
    "Line %(line)s (%(transaction_type)s) has no tax treatment that maps to a revenue "
    "account and was booked to the suspense account %(account)s."
)

# Tax treatment notices (docs/tax-rules.md §3), one per row and reason.
TAX_NOTICES = {
    "b2b_but_vat_charged": N_(
        "Line %(line)s has a buyer VAT id but %(country)s VAT was charged: booked as a taxed "
        "sale (%(case)s), not as a tax-free intra-EU supply. Check the buyer's VAT id."
    ),
    "german_vat_id": N_(
        "Line %(line)s leaves Germany with a German buyer VAT id, which never makes a "
        "tax-free intra-EU supply: booked by the VAT charged (%(case)s)."
    ),
    "vat_id_of_departure": N_(
        "Line %(line)s has a buyer VAT id of the country the goods left from, which makes "
        "no intra-EU supply: booked by the VAT charged (%(case)s)."
    ),
    "vat_id_shape": N_(
        "Line %(line)s: the buyer VAT id “%(buyer_vat_id)s” does not have the shape of a VAT "
        "id of its country: booked by the VAT charged (%(case)s)."
    ),
    "rate_not_for_date": N_(
        "Line %(line)s: %(rate)s %% German VAT does not fit the date %(date)s (16 %% / 5 %% "
        "applied from 1 Jul to 31 Dec 2020). Booked on the account for the rate charged."
    ),
    "no_rate": N_(
        "Line %(line)s (%(ship_from)s → %(ship_to)s) has no VAT rate, so its treatment "
        "cannot be decided: booked to the suspense account %(account)s."
    ),
    "unknown_rate": N_(
        "Line %(line)s has %(rate)s %% VAT, which is no German rate: booked to the suspense "
        "account %(account)s."
    ),
    "missing_country": N_(
        "Line %(line)s has no departure or arrival country: booked to the suspense account "
        "%(account)s."
    ),
    "no_jurisdiction": N_(
        "Line %(line)s (before 1 Jul 2021) names no taxable jurisdiction: assumed taxed "
        "where the goods left from (%(ship_from)s). Check the delivery thresholds."
    ),
    "export_proof": N_(
        "Line %(line)s: Amazon collected the VAT abroad; the delivery from Germany is booked "
        "as a tax-free export, which needs proof of export (§ 6 Abs. 4 UStG)."
    ),
    "own_vat_id_missing": N_(
        "Line %(line)s moves goods to %(ship_to)s, but the report has no VAT id of yours "
        "there, which the ZM needs."
    ),
}
VERBRINGEN_LISTED = N_(
    "Line %(line)s: own goods moved %(ship_from)s → %(ship_to)s (Verbringen), value "
    "%(value)s %(currency)s, your VAT id %(vat_id)s, for %(returns)s. Listed only (setting "
    "“Verbringen”), not booked."
)
VERBRINGEN_BOOKED = N_(
    "Line %(line)s: own goods moved %(ship_from)s → %(ship_to)s (Verbringen), value "
    "%(value)s %(currency)s, your VAT id %(vat_id)s, for %(returns)s. Booked on %(account)s "
    "against %(clearing)s."
)
PROFILE_DEFAULTS = {
    "home": N_(
        "%(marketplace)s was booked with the default tax profile “home marketplace "
        "(Germany)”: revenue on %(revenue_account)s (key %(revenue_key)s), Amazon fees on "
        "%(fee_account)s (key %(fee_key)s). These are defaults — please confirm them on the "
        "marketplace page."
    ),
    "eu": N_(
        "%(marketplace)s was booked with the default tax profile “other EU marketplace”: "
        "revenue on %(revenue_account)s (key %(revenue_key)s) as sales shipped from Germany, "
        "Amazon fees on %(fee_account)s (key %(fee_key)s). These are defaults — please "
        "confirm them on the marketplace page."
    ),
    "third_country": N_(
        "%(marketplace)s was booked with the default tax profile “third-country "
        "marketplace”: revenue on %(revenue_account)s (not taxable in Germany), Amazon fees "
        "on %(fee_account)s (reverse charge § 13b, no German input VAT). These are defaults "
        "— please confirm them on the marketplace page."
    ),
}
SUSPENSE = N_(
    "Suspense account %(account)s: %(count)s of %(total)s bookings, %(amounts)s (report "
    "lines: %(lines)s), because they have no category or no tax treatment yet. The notes "
    "say why; map them or check the rows, then regenerate."
)
SKIPPED_OVERLAP = N_(
    "%(month)s is booked by the overlapping report %(other)s, not by this one (report "
    "lines left out: %(count)s). Choose on the report page which report books a month."
)

# -- validator -------------------------------------------------------------------------
V_ENCODING = N_("The file is not valid Windows-1252 text (byte %(position)s).")
V_LINE_ENDING = N_("Line %(line)s does not end with CR LF.")
V_TOO_FEW_LINES = N_("The file needs a header line and a line of column headings.")
V_FIELD_QUOTES = N_("A quoted field in line %(line)s is not closed or is followed by text.")
V_HEADER_FIELD_COUNT = N_("The header has %(count)s fields; DATEV expects 31.")
V_HEADER_FIELD = N_("Header field %(number)s (%(name)s) is “%(value)s”; expected %(expected)s.")
V_HEADER_PERIOD_ORDER = N_("Datum vom %(date_from)s is after Datum bis %(date_to)s.")
V_HEADER_PERIOD_YEAR = N_(
    "Datum vom %(date_from)s and Datum bis %(date_to)s are in different calendar years."
)
V_HEADER_PERIOD_FISCAL_YEAR = N_(
    "The period %(date_from)s–%(date_to)s is not inside the fiscal year starting %(fy_start)s."
)
V_HEADINGS = N_("Column %(number)s is headed “%(value)s”; DATEV names it “%(expected)s”.")
V_HEADING_COUNT = N_("The heading line has %(count)s columns; DATEV expects 125.")
V_NO_BOOKINGS = N_("The batch contains no bookings.")
V_TOO_MANY_ROWS = N_("The batch has %(count)s bookings; DATEV takes at most 99999 per batch.")
V_COLUMN_COUNT = N_("Booking %(row)s has %(count)s fields; DATEV expects 125.")
V_AMOUNT = N_(
    "Booking %(row)s: the amount “%(value)s” must be positive, with up to ten digits, a "
    "decimal comma and two decimals."
)
V_SIDE = N_("Booking %(row)s: Soll/Haben must be S or H, not “%(value)s”.")
V_CURRENCY = N_("Booking %(row)s: “%(value)s” in %(field)s is not a three-letter currency code.")
V_RATE = N_(
    "Booking %(row)s: the exchange rate “%(value)s” must be above 0 and below 10000 with "
    "two to six decimals."
)
V_BASE_AMOUNT_PAIR = N_(
    "Booking %(row)s: Kurs, Basis-Umsatz and WKZ Basis-Umsatz must be filled together."
)
V_BASE_AMOUNT = N_("Booking %(row)s: Basis-Umsatz “%(value)s” is not a valid amount.")
V_ACCOUNT = N_("Booking %(row)s: %(field)s “%(value)s” must be digits only.")
V_ACCOUNT_LENGTH = N_(
    "Booking %(row)s: %(field)s %(value)s must have %(length)s digits (personal accounts "
    "one more)."
)
V_TAX_KEY = N_("Booking %(row)s: the tax key “%(value)s” must be one to four digits.")
V_TAX_KEY_AUTOMATIC = N_(
    "Booking %(row)s: account %(account)s is an automatic account and cannot take tax key "
    "%(value)s (only 40)."
)
V_DATE = N_("Booking %(row)s: Belegdatum “%(value)s” is not a date in the form TTMM.")
V_DATE_OUTSIDE = N_(
    "Booking %(row)s: Belegdatum %(value)s is outside the batch period %(date_from)s–%(date_to)s."
)
V_DOCUMENT_FIELD = N_(
    "Booking %(row)s: Belegfeld 1 “%(value)s” must be at most 36 characters from "
    "A–Z, a–z, 0–9 and $ & %% * + - /."
)
V_DOCUMENT_FIELD_2 = N_("Booking %(row)s: Belegfeld 2 “%(value)s” is longer than 12 characters.")
V_TEXT_LENGTH = N_("Booking %(row)s: %(field)s is longer than %(limit)s characters.")
V_FORMULA = N_(
    "Line %(line)s, %(field)s: “%(value)s” starts like a spreadsheet formula (= + - @ or a tab); "
    "a spreadsheet opening the file would run it."
)
V_FORMULA_HEADER = N_(
    "Header field %(number)s: “%(value)s” starts like a spreadsheet formula (= + - @ or a tab); "
    "a spreadsheet opening the file would run it."
)
V_EU_FIELD = N_(
    "Booking %(row)s: %(field)s “%(value)s” must be a country code or a VAT id (up to 15 "
    "characters)."
)
V_EU_RATE = N_("Booking %(row)s: %(field)s “%(value)s” must look like 20,00.")
V_OSS_FIELDS = N_(
    "Booking %(row)s: tax key %(value)s (OSS) needs the destination country and the tax rate."
)
V_FESTSCHREIBUNG = N_("Booking %(row)s: Festschreibung must be 0, not “%(value)s”.")
