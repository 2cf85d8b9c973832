"""Marking user-visible strings in core without depending on flask-babel.

`N_` marks a string for extraction (babel.cfg lists `core/`); it returns the string
unchanged. Whoever shows the text translates it with their own gettext, so the German
wording lives once, in webapp/translations.
"""


def N_(message: str) -> str:
    return message
