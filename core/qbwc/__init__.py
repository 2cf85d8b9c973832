"""The QuickBooks Web Connector channel: SOAP protocol, qbXML, and what was delivered.

See docs/quickbooks-web-connector.md for the protocol facts this package relies on.
"""
