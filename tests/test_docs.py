"""The README tells the truth: every setting is documented with its default, CI runs its test command."""

from __future__ import annotations

from pathlib import Path

from webapp.cli import build_parser
from webapp.config import SETTINGS

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()


def test_every_setting_is_in_the_readme_table_with_its_default():
    for option in SETTINGS:
        row = next((line for line in README.splitlines() if line.startswith(f"| `{option.name}` ")), None)
        assert row, f"{option.name} missing from README"
        assert f"`{option.default}`" in row or (option.default == "" and "(generated)" in row), row
        assert option.help in row


def test_ci_runs_the_readme_test_command():
    assert "scripts/test" in README
    assert (ROOT / ".ci/run").read_text().strip().endswith("scripts/test")


def test_every_cli_command_is_in_the_readme():
    commands = build_parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert f"`settlebook {name}" in README, name


def test_containerfile_runs_serve_as_non_root_with_healthcheck():
    text = (ROOT / "Containerfile").read_text()
    assert 'CMD ["settlebook", "serve", "--host", "0.0.0.0"]' in text
    assert "USER settlebook" in text and "HEALTHCHECK" in text and "/healthz" in text
    assert 'VOLUME ["/data"]' in text
