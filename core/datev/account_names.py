"""Names of the SKR03/SKR04 accounts settlebook's default rules use, for the booking journal.

The names are the standard charts' (DATEV Kontenrahmen SKR03/SKR04; docs/datev.md#accounts
lists the accounts and their sources); where the chart only gives a range (a bank account,
a debtor) the name says what settlebook uses the account for. An account the user chose
that is not listed here has no name; the journal then shows the number alone.
"""

from __future__ import annotations

_NAMES: dict[str, dict[str, str]] = {
    "skr03": {
        "1210": "Bank (Amazon-Verrechnungskonto)",
        "1360": "Geldtransit",
        "1500": "Sonstige Vermögensgegenstände",
        "1590": "Durchlaufende Posten",
        "1599": "Verrechnung Verbringen (kein Standardkonto, mit der Steuerberatung abstimmen)",
        "3420": "Innergemeinschaftlicher Erwerb 7 % VSt und 7 % USt",
        "3425": "Innergemeinschaftlicher Erwerb 19 % VSt und 19 % USt",
        "3123": "Sonstige Leistungen eines im anderen EU-Land ansässigen Unternehmers 19 % VSt und 19 % USt",
        "3125": "Leistungen eines im Ausland ansässigen Unternehmers 19 % VSt und 19 % USt",
        "2742": "Versicherungsentschädigungen und Schadenersatzleistungen",
        "4600": "Werbekosten",
        "4730": "Ausgangsfrachten",
        "4760": "Verkaufsprovisionen",
        "4780": "Fremdarbeiten (Vertrieb)",
        "8120": "Steuerfreie Umsätze § 4 Nr. 1a UStG",
        "8125": "Steuerfreie innergemeinschaftliche Lieferungen § 4 Nr. 1b UStG",
        "8300": "Erlöse 7 % USt",
        "8310": "Erlöse aus im Inland steuerpflichtigen EG-Lieferungen 7 % USt",
        "8315": "Erlöse aus im Inland steuerpflichtigen EG-Lieferungen 19 % USt",
        "8320": "Erlöse aus im anderen EU-Land steuerpflichtigen Lieferungen",
        "8338": "Erlöse aus im Drittland steuerbaren Leistungen, im Inland nicht steuerbare Umsätze",
        "8339": "Erlöse aus im anderen EU-Land steuerbaren Lieferungen, im Inland nicht steuerbar",
        "8400": "Erlöse 19 % USt",
        "8720": "Erlösschmälerungen 19 % USt",
        "10000": "Sammeldebitor Amazon",
    },
    "skr04": {
        "1300": "Sonstige Vermögensgegenstände",
        "1499": "Verrechnung Verbringen (kein Standardkonto, mit der Steuerberatung abstimmen)",
        "1370": "Durchlaufende Posten",
        "1460": "Geldtransit",
        "1810": "Bank (Amazon-Verrechnungskonto)",
        "4120": "Steuerfreie Umsätze § 4 Nr. 1a UStG",
        "4125": "Steuerfreie innergemeinschaftliche Lieferungen § 4 Nr. 1b UStG",
        "4300": "Erlöse 7 % USt",
        "4310": "Erlöse aus im Inland steuerpflichtigen EG-Lieferungen 7 % USt",
        "4315": "Erlöse aus im Inland steuerpflichtigen EG-Lieferungen 19 % USt",
        "4320": "Erlöse aus im anderen EU-Land steuerpflichtigen Lieferungen",
        "4338": "Erlöse aus im Drittland steuerbaren Leistungen, im Inland nicht steuerbare Umsätze",
        "4339": "Erlöse aus im anderen EU-Land steuerbaren Lieferungen, im Inland nicht steuerbar",
        "4400": "Erlöse 19 % USt",
        "4720": "Erlösschmälerungen 19 % USt",
        "4970": "Versicherungsentschädigungen und Schadenersatzleistungen",
        "5420": "Innergemeinschaftlicher Erwerb 7 % VSt und 7 % USt",
        "5425": "Innergemeinschaftlicher Erwerb 19 % VSt und 19 % USt",
        "5923": "Sonstige Leistungen eines im anderen EU-Land ansässigen Unternehmers 19 % VSt und 19 % USt",
        "5925": "Leistungen eines im Ausland ansässigen Unternehmers 19 % VSt und 19 % USt",
        "6600": "Werbekosten",
        "6740": "Ausgangsfrachten",
        "6770": "Verkaufsprovisionen",
        "6780": "Fremdarbeiten (Vertrieb)",
        "10000": "Sammeldebitor Amazon",
    },
}


def account_name(account: str, chart: str, account_length: int = 4) -> str:
    """The chart's name of `account`, or "" when settlebook does not know it.

    Longer account lengths pad G/L accounts with trailing zeros (8400 → 840000); the
    name of the 4-digit account is the name of the padded one.
    """
    names = _NAMES.get(chart, {})
    if account in names:
        return names[account]
    if len(account) == account_length and account_length > 4 and account[4:].strip("0") == "":
        return names.get(account[:4], "")
    return ""
