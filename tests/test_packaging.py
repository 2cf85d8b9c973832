"""A built wheel carries the compiled German catalog (it would silently run in English)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.helpers import ROOT


@pytest.mark.slow
def test_built_wheel_contains_the_compiled_german_catalog(tmp_path):
    source = tmp_path / "src"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file() and not name.endswith(".mo"):
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path / "dist"
    out.mkdir()
    # The build backend in-process with the installed setuptools: no build isolation, no network.
    subprocess.run([sys.executable, "-c",
                    f"from setuptools import build_meta; build_meta.build_wheel({str(out)!r})"],
                   cwd=source, check=True, capture_output=True)
    wheel = next(out.glob("settlebook-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "webapp/translations/de/LC_MESSAGES/messages.mo" in names
    assert "webapp/templates/base.html" in names and "webapp/static/app.css" in names
    with zipfile.ZipFile(wheel).open("webapp/translations/de/LC_MESSAGES/messages.mo") as mo:
        assert b"Buchungsjournal" in mo.read()
