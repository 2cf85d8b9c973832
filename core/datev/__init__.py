"""DATEV EXTF export: settings, account sets, the Buchungsstapel writer and its validator.

Public entry points for the web layer:
- `settings.validate_settings(form) -> (DatevSettings | None, {field: template})`
- `accounts.default_account_set(chart)`, `AccountSet.from_dict/to_dict/fingerprint`,
  `accounts.check_account_set(accounts, account_length)`
- `validate.validate(data) -> list[Violation]`
- `diff.diff_batches(old, new) -> BatchDiff`
- `batch.BatchFile` (`to_bytes(created_at)`, `from_bytes(data)`), `batch.settings_fingerprint`
"""
