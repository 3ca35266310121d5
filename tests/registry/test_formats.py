from __future__ import annotations

from pathlib import Path

import pytest

from innochain.domain import OrganizationRecord
from innochain.errors import InvalidInput
from innochain.registry import read_path, write_path

pytestmark = pytest.mark.unit

HEADER = "id,name_en,name_zh,kind,ownership,country,source_url\n"
BYD = "byd,BYD,比亚迪,automaker,private,CN,https://en.wikipedia.org/wiki/BYD_Company\n"


def test_gbk_csv_is_detected_and_read(tmp_path: Path) -> None:
    path = tmp_path / "organizations.csv"
    path.write_bytes((HEADER + BYD).encode("gbk"))
    table = read_path(path)["organizations"]
    assert table.encodings == {str(path): "gb18030"}
    assert table.rows[0].data["name_zh"] == "比亚迪"
    assert table.problems == []


def test_utf8_bom_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "organizations.csv"
    path.write_bytes((HEADER + BYD).encode("utf-8-sig"))
    table = read_path(path)["organizations"]
    assert table.encodings == {str(path): "utf-8"}
    assert table.rows[0].data["id"] == "byd"


def test_empty_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "organizations.csv"
    path.write_bytes(b"")
    problems = read_path(path)["organizations"].problems
    assert [str(p) for p in problems] == [f"{path}: the file is empty (no header row)"]


def test_malformed_csv_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "organizations.csv"
    path.write_text(HEADER + 'byd,"BYD,比亚迪,automaker\n', encoding="utf-8")
    problems = read_path(path)["organizations"].problems
    assert len(problems) == 1
    assert "malformed CSV" in problems[0].reason


def test_row_with_wrong_cell_count(tmp_path: Path) -> None:
    path = tmp_path / "organizations.csv"
    path.write_text(HEADER + "byd,BYD,比亚迪\n", encoding="utf-8")
    problems = read_path(path)["organizations"].problems
    assert [str(p) for p in problems] == [f"{path}:2: row has 3 cells but the header has 7"]


def test_unknown_and_missing_columns_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "organizations.csv"
    path.write_text("id,name_en,colour\nbyd,BYD,red\nnio,NIO,blue\n", encoding="utf-8")
    problems = read_path(path)["organizations"].problems
    columns = sorted(p.column for p in problems)
    assert columns == ["colour", "country", "kind", "name_zh", "ownership", "source_url"]
    assert all(p.row == 1 for p in problems)


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "organizations.csv"
    with path.open("wb") as handle:  # a sparse 50 MB file
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(InvalidInput, match=r"50\.0 MB is over the import limit of 25 MB"):
        read_path(path, max_mb=25)


def test_kind_cannot_be_guessed(tmp_path: Path) -> None:
    path = tmp_path / "firms.csv"
    path.write_text(HEADER + BYD, encoding="utf-8")
    with pytest.raises(InvalidInput, match="pass --kind"):
        read_path(path)
    assert read_path(path, kind="organizations")["organizations"].rows[0].data["id"] == "byd"


def test_unsupported_and_broken_files(tmp_path: Path) -> None:
    (tmp_path / "organizations.txt").write_text("x")
    with pytest.raises(InvalidInput, match=r"unsupported file type '\.txt'"):
        read_path(tmp_path / "organizations.txt")
    (tmp_path / "organizations.xlsx").write_bytes(b"not a zip")
    with pytest.raises(InvalidInput, match="not a readable XLSX workbook"):
        read_path(tmp_path / "organizations.xlsx")
    (tmp_path / "organizations.json").write_text('{"organizations": [}')
    with pytest.raises(InvalidInput, match="malformed JSON"):
        read_path(tmp_path / "organizations.json")


@pytest.mark.parametrize("fmt,name", [("csv", "out"), ("json", "out.json"), ("xlsx", "out.xlsx")])
def test_written_files_read_back_the_same_rows(tmp_path: Path, fmt: str, name: str) -> None:
    record = OrganizationRecord.model_validate(
        {
            "id": "byd",
            "name_en": "BYD",
            "name_zh": "比亚迪",
            "aliases": ["比亚迪股份"],
            "kind": "automaker",
            "ownership": "private",
            "country": "CN",
            "founded": 1995,
            "source_url": "https://en.wikipedia.org/wiki/BYD_Company",
        }
    )
    write_path({"organizations": [record]}, tmp_path / name, fmt=fmt)
    table = read_path(tmp_path / name)["organizations"]
    assert table.problems == []
    again = OrganizationRecord.model_validate(table.rows[0].data)
    assert again == record
