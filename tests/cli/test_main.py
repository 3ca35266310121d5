from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from innochain.cli.main import app
from innochain.domain import ENTITY_ORDER
from tests.factories import WIKI_CATL, write_csv, write_seed

pytestmark = pytest.mark.integration

runner = CliRunner()


def run(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--database-url", url, *args])
    return result.exit_code, result.stdout, result.stderr


def test_stats_json_counts_every_entity(empty_db: str, tmp_path: Path) -> None:
    assert run(empty_db, "import", str(write_seed(tmp_path / "seed")))[0] == 0
    code, out, _ = run(empty_db, "stats", "--json")
    assert code == 0
    counts = json.loads(out)
    assert list(counts) == list(ENTITY_ORDER)
    assert (counts["organizations"], counts["chain_nodes"], counts["sources"]) == (3, 3, 4)


def test_import_with_three_bad_rows_prints_three_errors(empty_db: str, tmp_path: Path) -> None:
    run(empty_db, "import", str(write_seed(tmp_path / "seed")))
    good = {
        "organization_id": "catl",
        "domain_id": "lithium-ion-cells",
        "trl": "9",
        "source_url": WIKI_CATL,
    }
    path = write_csv(
        tmp_path / "capabilities.csv",
        "capabilities",
        [
            {**good, "trl": "nine"},
            {**good, "organization_id": "nobody"},
            good,
            {**good, "source_url": "https://example.org/unlisted"},
        ],
    )
    code, _, err = run(empty_db, "import", str(path))
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {path}:2:trl: Input should be a valid integer, unable to parse string as an "
        "integer (got 'nine')",
        f"error: {path}:3:organization_id: unknown organization 'nobody'",
        f"error: {path}:5:source_url: unknown sources id 'https://example.org/unlisted'",
    ]
    assert "nothing was written" in err
    assert "Traceback" not in err
    assert json.loads(run(empty_db, "stats", "--json")[1])["capabilities"] == 0


def test_orgs_list_and_show(empty_db: str, tmp_path: Path) -> None:
    run(empty_db, "import", str(write_seed(tmp_path / "seed")))
    code, out, _ = run(empty_db, "orgs", "list", "--q", "比亚迪", "--json")
    assert code == 0
    assert [o["id"] for o in json.loads(out)["items"]] == ["byd"]
    code, out, _ = run(empty_db, "orgs", "show", "catl", "--json")
    assert json.loads(out)["organization"]["city"] == "Ningde"
    code, out, err = run(empty_db, "orgs", "show", "nobody")
    assert code == 1
    assert err.strip() == "error: no organization with id 'nobody'"


def test_export_then_import_elsewhere(empty_db: str, tmp_path: Path) -> None:
    run(empty_db, "import", str(write_seed(tmp_path / "seed")))
    assert run(empty_db, "export", str(tmp_path / "out.xlsx"))[0] == 0
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    assert run(other, "db", "upgrade")[0] == 0
    code, out, _ = run(other, "import", str(tmp_path / "out.xlsx"), "--json")
    assert code == 0
    assert json.loads(out)["created"]["organizations"] == 3


def test_unmigrated_database_says_what_to_run(tmp_path: Path) -> None:
    code, _, err = run(f"sqlite:///{tmp_path / 'new.sqlite3'}", "stats")
    assert code == 1
    assert err.strip().endswith("run: innochain db upgrade")
    code, out, _ = run(f"sqlite:///{tmp_path / 'new.sqlite3'}", "db", "current", "--json")
    assert json.loads(out)["current"] is None


def test_match_prints_ranked_partners_with_reasons(empty_db: str, tmp_path: Path) -> None:
    run(empty_db, "import", str(write_seed(tmp_path / "seed", capabilities=True)))
    code, out, _ = run(empty_db, "match", "NCM 锂离子电芯 cells", "--json")
    assert code == 0
    body = json.loads(out)
    assert body["candidates"][0]["organization_id"] == "catl"
    code, out, _ = run(empty_db, "match", "NCM 锂离子电芯 cells")
    assert " 1. Contemporary Amperex Technology 宁德时代 [catl]" in out
    code, _, err = run(empty_db, "match", "")
    assert code == 1
    assert err.strip() == "error: a need needs a text or at least one technology domain"
