"""Build step for wheels and `pip install .`: compile the translation catalogs into the build.

The compiled .mo files are not committed (they are build output), so without this step a
built package would ship only the .po sources and silently run in English. Editable
installs compile in place instead (scripts/install, scripts/i18n compile).
"""

from __future__ import annotations

from pathlib import Path

from setuptools.command.build_py import build_py


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path(self.build_lib, "webapp", "translations").glob("*/LC_MESSAGES/messages.po"):
            with po.open("rb") as source:
                catalog = read_po(source)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog)
