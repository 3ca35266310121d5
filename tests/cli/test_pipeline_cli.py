"""The consortium lifecycle and the pipeline from the command line, with --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.test_main import run
from tests.factories import write_seed

pytestmark = pytest.mark.integration


def test_consortium_create_answer_agree_and_exit(empty_db: str, tmp_path: Path) -> None:
    run(empty_db, "import", str(write_seed(tmp_path / "seed", capabilities=True)))
    code, out, err = run(
        empty_db,
        "consortium",
        "create",
        "--name",
        "Cell consortium",
        "--lead",
        "tesla",
        "--domain",
        "lithium-ion-cells",
        "--member",
        "catl:core",
        "--member",
        "比亚迪",
        "--json",
    )
    assert code == 0, err
    cid = json.loads(out)["id"]
    assert json.loads(out)["uncovered"] == ["lithium-ion-cells"]
    assert run(empty_db, "consortium", "answer", cid, "catl")[0] == 0
    code, _, err = run(
        empty_db, "consortium", "agreement", cid, "--share", "tesla:50:50", "--share", "catl:40:50"
    )
    assert code == 1 and "error: shares: cost shares sum to 90 %, not 100 %" in err
    code, out, _ = run(empty_db, "consortium", "exit", cid, "catl", "--dry-run", "--json")
    effect = json.loads(out)
    assert effect["lost_domains"] == ["lithium-ion-cells"]
    assert effect["replacements"]["lithium-ion-cells"][0]["organization_id"] == "byd"
    code, out, _ = run(empty_db, "consortium", "show", cid, "--json")
    statuses = {m["organization_id"]: m["status"] for m in json.loads(out)["member_list"]}
    assert statuses == {"tesla": "accepted", "catl": "accepted", "byd": "invited"}


def test_project_walk_and_portfolio(empty_db: str, tmp_path: Path) -> None:
    run(empty_db, "import", str(write_seed(tmp_path / "seed")))
    code, out, err = run(
        empty_db,
        "project",
        "create",
        "--title",
        "钠离子电池",
        "--owner",
        "catl",
        "--started",
        "2024-01-02",
        "--json",
    )
    assert code == 0, err
    pid = json.loads(out)["id"]
    code, _, err = run(
        empty_db,
        "project",
        "gate",
        pid,
        "--decision",
        "go",
        "--trl",
        "6",
        "--met",
        "cells pass",
        "--date",
        "2024-03-01",
        "--to-stage",
        "pilot",
    )
    assert code == 1 and "to_stage: a go decision moves one stage" in err
    for trl, day in (("4", "2024-03-01"), ("6", "2024-09-01")):
        code, _, err = run(
            empty_db,
            "project",
            "gate",
            pid,
            "--decision",
            "go",
            "--trl",
            trl,
            "--met",
            "test plan passed",
            "--date",
            day,
        )
        assert code == 0, err
    code, _, err = run(
        empty_db,
        "project",
        "fund",
        pid,
        "--source",
        "guided_fund",
        "--amount",
        "-3",
        "--date",
        "2024-10-01",
    )
    assert code == 1 and "amount_m" in err
    code, out, _ = run(
        empty_db,
        "project",
        "fund",
        pid,
        "--source",
        "guided_fund",
        "--amount",
        "30",
        "--date",
        "2024-10-01",
        "--json",
    )
    assert json.loads(out)["stage"] == "pilot"
    code, out, _ = run(empty_db, "portfolio", "--json")
    data = json.loads(out)
    assert [r["reached"] for r in data["funnel"]] == [1, 1, 1, 0]
    assert data["funding"]["matrix"]["guided_fund"]["pilot"] == 30.0
    # the list saved as a table; any other suffix is refused before anything is written
    saved = tmp_path / "projects.xlsx"
    code, out, err = run(empty_db, "project", "list", "--output", str(saved))
    assert code == 0, err
    assert "1 projects written" in out
    sheet = load_workbook(saved).active
    assert sheet is not None
    rows = list(sheet.values)
    assert rows[0][:2] == ("id", "title_en") and rows[1][0] == pid
    assert rows[1][rows[0].index("raised_cny_m")] == 30.0
    code, _, err = run(empty_db, "project", "list", "--output", str(tmp_path / "projects.pdf"))
    assert code == 1 and "save as .csv or .xlsx" in err
    assert not (tmp_path / "projects.pdf").exists()
