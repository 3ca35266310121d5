"""The import rule of docs/architecture.md, checked by parsing every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

SRC = Path(__file__).parents[1] / "src" / "innochain"
SHELLS = {"api", "web", "cli", "app"}
WEB_LIBRARIES = {"fastapi", "starlette", "typer", "uvicorn", "jinja2", "rich"}

#: layer -> innochain packages it may import (besides itself and the leaf modules)
ALLOWED = {
    "domain": set(),
    "store": {"domain"},
    "registry": {"domain", "store"},
    "accounts": {"domain", "store"},
    "consortium": {"domain", "store", "registry", "match"},
    "pipeline": {"domain", "store", "registry"},
    "chain": {"domain", "store", "registry"},
    "assess": {"domain", "store", "registry"},
    "credits": {"domain", "store", "registry"},
    "overseas": {"domain", "store", "registry"},
    "data": {"domain", "store", "registry"},
    "match": {"domain", "store", "registry"},
    "api": {
        "domain",
        "store",
        "registry",
        "data",
        "match",
        "accounts",
        "consortium",
        "pipeline",
        "chain",
        "assess",
        "credits",
        "overseas",
    },
    "web": {
        "domain",
        "store",
        "registry",
        "data",
        "match",
        "accounts",
        "api",
        "consortium",
        "pipeline",
        "chain",
        "assess",
        "credits",
        "overseas",
    },
    "cli": {
        "domain",
        "store",
        "registry",
        "data",
        "match",
        "accounts",
        "app",
        "consortium",
        "pipeline",
        "chain",
        "assess",
        "credits",
        "overseas",
    },
    "app": {
        "domain",
        "store",
        "registry",
        "data",
        "match",
        "accounts",
        "api",
        "web",
        "consortium",
        "pipeline",
        "chain",
        "assess",
        "credits",
        "overseas",
    },
}
LEAVES = {"errors", "settings", "__init__"}


def _layer(path: Path) -> str:
    part = path.relative_to(SRC).parts[0]
    return part.removesuffix(".py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_every_module_respects_the_layer_order() -> None:
    wrong = []
    for path in SRC.rglob("*.py"):
        layer = _layer(path)
        if layer in LEAVES or "migrations" in path.parts:
            continue
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] in WEB_LIBRARIES and layer not in SHELLS:
                wrong.append(f"{path.relative_to(SRC)} imports {name}")
            if parts[0] == "innochain" and len(parts) > 1:
                target = parts[1]
                if target not in LEAVES and target != layer and target not in ALLOWED[layer]:
                    wrong.append(f"{path.relative_to(SRC)} imports {name}")
    assert wrong == []


def test_every_layer_is_known() -> None:
    layers = {_layer(p) for p in SRC.rglob("*.py")} - LEAVES
    assert layers == set(ALLOWED)
