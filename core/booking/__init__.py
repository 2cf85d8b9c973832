"""Turning parsed Amazon reports into DATEV bookings.

`build_payout` (settlement → Amazon Payout batch) and `build_orders` (VAT Transactions
Report → Amazon Order batch) return `core.datev.batch.BatchFile`s, already split by
period and size; the web layer stores and offers them for download.
"""
