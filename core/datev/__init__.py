"""DATEV EXTF export: settings, account sets, the Buchungsstapel writer and its validator.

Entry points for the web layer and tasks (bookings themselves come from core.booking):
- `settings.validate_settings(form) -> (DatevSettings | None, {field: template})`,
  `settings.to_form(settings)`, `DatevSettings.to_dict()/from_dict()`
- `accounts.default_account_set(chart, account_length)`, `AccountSet.with_rule/to_dict/
  from_dict/fingerprint`, `accounts.check_account_set(accounts, account_length)`
- `batch.BatchFile` (`bookings`, `date_from`, `date_to`, `filename`, `notices`,
  `to_bytes(created_at)`, `from_bytes(data)`), `batch.batch_file_fingerprint`,
  `batch.check_balanced`
- `validate.validate(data) -> list[Violation]`
- `diff.diff_batches(old, new) -> BatchDiff`
All user-visible sentences are `N_` templates in `messages.py`.
"""
