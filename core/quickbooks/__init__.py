"""QuickBooks Desktop: one summary per Amazon settlement (docs/quickbooks.md).

`summary` builds the channel-independent transactions, `iif` writes them as an IIF file,
`preview` selects settlements by date range, `settings` holds the names they use, and
`service` ties them to the stored reports. A Web Connector (qbXML) channel builds on the
same `summary` dataclasses.
"""
