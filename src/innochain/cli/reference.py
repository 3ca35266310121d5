"""Generate docs/cli.md from the commands' own help (`make docs`; a test keeps them equal)."""

from __future__ import annotations

import re
from typing import Any

import typer

from innochain.cli.main import app

__all__ = ["reference"]


def _commands(group: Any, prefix: str) -> list[tuple[str, Any]]:
    """Leaf commands under a group (Typer ships its own click; duck typing keeps us off it)."""
    out: list[tuple[str, Any]] = []
    ctx = group.context_class(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        path = f"{prefix} {name}"
        if hasattr(command, "list_commands"):
            out.extend(_commands(command, path))
        else:
            out.append((path, command))
    return out


def reference() -> str:
    """The CLI reference as Markdown."""
    root = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from the commands' help by `make docs`; `tests/test_docs.py` fails when it is",
        "out of date. Every command takes the global option `--database-url` before its name.",
        "",
    ]
    for path, command in _commands(root, "innochain"):
        ctx = command.context_class(command, info_name=path)
        usage = re.sub(
            r"\{(\w+)\}", lambda m: m.group(1).upper(), " ".join(command.collect_usage_pieces(ctx))
        )
        lines += [f"## `{path}`", "", f"    {path} {usage}".rstrip(), ""]
        lines += [(command.help or "").strip(), ""]
        params = [p for p in command.params if p.name != "help"]
        if params:
            lines += ["| argument / option | meaning | default |", "| --- | --- | --- |"]
            for param in params:
                names = ", ".join(f"`{o}`" for o in param.opts) if param.opts else param.name
                if param.param_type_name == "argument":
                    names = f"`{(param.name or '').upper()}`"
                help_text = (getattr(param, "help", None) or "").replace("|", "\\|")
                default = param.default
                shown = (
                    "" if default in (None, False, (), []) or callable(default) else f"`{default}`"
                )
                lines.append(f"| {names} | {help_text} | {shown} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(reference(), end="")
