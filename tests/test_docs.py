"""Docs that tests enforce: CLI reference, settings, engines, the README's promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from innochain.cli.reference import reference
from innochain.settings import Settings

pytestmark = pytest.mark.unit

ROOT = Path(__file__).parents[1]


def test_cli_reference_is_current() -> None:
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == reference(), (
        "docs/cli.md is out of date: run `make docs`"
    )


def test_every_command_has_an_example() -> None:
    for block in reference().split("\n## ")[1:]:
        assert "Example: innochain " in block, block.splitlines()[0]


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`INNOCHAIN_{name.upper()}`" in text, name


def test_every_engine_is_in_the_architecture_doc() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    engines = [
        p.name
        for p in (ROOT / "src" / "innochain").iterdir()
        if p.is_dir() and p.name not in ("__pycache__",)
    ]
    for engine in engines:
        assert f"innochain.{engine}" in text or f"{engine}/" in text, engine


def test_readme_keeps_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make serve" in text and "make test" in text
