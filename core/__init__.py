"""settlebook's domain logic: parsing, booking rules, exports, storage.

Nothing in here imports Flask or reads the environment; callers pass plain values.
"""
