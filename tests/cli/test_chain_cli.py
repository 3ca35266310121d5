"""`innochain chain ...` on the bundled data, with --json and the HTML report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_main import run

pytestmark = pytest.mark.integration


def test_chokepoints_resilience_and_region(loaded_db: str, tmp_path: Path) -> None:
    code, out, err = run(loaded_db, "chain", "chokepoints", "--top", "5", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 5 and rows[0]["score"] >= rows[-1]["score"]
    code, out, _ = run(loaded_db, "chain", "resilience", "--remove", "catl", "--json")
    assert json.loads(out)["removed"] == ["catl"]
    code, _, err = run(loaded_db, "chain", "resilience")
    assert code == 1 and "error: remove: name at least one organisation" in err
    report = tmp_path / "fj.html"
    code, out, err = run(loaded_db, "chain", "region", "福建", "--html", str(report), "--json")
    assert code == 0, err
    assert json.loads(out)["region"] == "Fujian"
    assert "Fujian" in report.read_text(encoding="utf-8")
    code, _, err = run(loaded_db, "chain", "region", "Atlantis")
    assert code == 1 and "Atlantis" in err
    code, out, _ = run(loaded_db, "chain", "leaders", "--top", "3")
    assert code == 0 and out.count("\n") >= 3
