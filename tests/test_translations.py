"""Both languages are complete: every string in the code has a German translation that is not fuzzy."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).parent.parent
PO = ROOT / "webapp/translations/de/LC_MESSAGES/messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}


def _source_messages() -> set[str]:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalog():
    with PO.open("rb") as f:
        return read_po(f)


def test_every_string_in_the_code_is_in_the_german_catalog():
    catalog = _catalog()
    missing = sorted(m for m in _source_messages() if m not in catalog)
    assert not missing, "run scripts/i18n extract and translate:\n" + "\n".join(missing)


def test_no_german_entry_is_empty_or_fuzzy():
    bad = [m.id for m in _catalog() if m.id and (not m.string or m.fuzzy
           or (isinstance(m.string, tuple) and not all(m.string)))]
    assert not bad, "untranslated or fuzzy:\n" + "\n".join(map(str, bad))


def test_placeholders_survive_translation():
    import re

    pattern = re.compile(r"%\((\w+)\)s")
    for m in _catalog():
        if not m.id:
            continue
        if isinstance(m.id, str):
            assert set(pattern.findall(m.id)) == set(pattern.findall(m.string)), m.id
        else:  # plural: German has the same two forms as English
            assert len(m.string) == 2, m.id
            for english, german in zip(m.id, m.string, strict=True):
                assert set(pattern.findall(english)) == set(pattern.findall(german)), m.id
