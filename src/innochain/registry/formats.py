"""Reading and writing record files: CSV (UTF-8 or GB18030/GBK), JSON, XLSX, and folders of CSV.

Reading yields raw rows tagged with file and row number, grouped by entity; validation is the
importer's job. Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innochain.domain import ENTITY_ORDER, RECORDS, Record
from innochain.errors import InvalidInput, Problem

__all__ = [
    "FORMATS",
    "XLSX_MEDIA_TYPE",
    "RawRow",
    "Table",
    "read_path",
    "table_bytes",
    "write_path",
]

FORMATS = ("csv", "json", "xlsx")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class RawRow:
    file: str
    row: int
    data: dict[str, Any]


@dataclass
class Table:
    """The raw rows of one entity read from one or more files."""

    entity: str
    rows: list[RawRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)


def _entity_for(path: Path, kind: str | None) -> str:
    if kind:
        if kind not in RECORDS:
            raise InvalidInput(f"unknown kind {kind!r}; expected one of: {', '.join(ENTITY_ORDER)}")
        return kind
    for name in (path.stem, path.parent.name):
        if name in RECORDS:
            return name
    raise InvalidInput(
        f"{path}: cannot tell which kind of records this file holds; "
        f"name it after the kind (e.g. organizations.csv) or pass --kind "
        f"({', '.join(ENTITY_ORDER)})"
    )


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then GB18030, the superset of GBK and GB2312."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"{path}: not valid UTF-8 or GB18030/GBK text")


def _check_header(table: Table, label: str, header: list[str], record: type[Record]) -> list[str]:
    """Report unknown and missing columns once per file; return the columns to keep."""
    known = record.columns()
    required = [n for n, f in record.model_fields.items() if f.is_required()]
    unknown = [h for h in header if h not in known]
    for name in unknown:
        table.problems.append(
            Problem(
                f"unknown column {name!r} for {record.entity} "
                f"(expected some of: {', '.join(known)})",
                file=label,
                row=1,
                column=name,
            )
        )
    for name in required:
        if name not in header:
            table.problems.append(
                Problem(f"required column {name!r} is missing", file=label, row=1, column=name)
            )
    duplicated = sorted({h for h in header if header.count(h) > 1})
    for name in duplicated:
        table.problems.append(Problem("column appears twice", file=label, row=1, column=name))
    return [h for h in header if h in known]


def _read_csv(path: Path, table: Table, record: type[Record]) -> None:
    label = str(path)
    text, encoding = _decode(path, path.read_bytes())
    table.encodings[label] = encoding
    if not text.strip():
        table.problems.append(Problem("the file is empty (no header row)", file=label))
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
        keep = _check_header(table, label, header, record)
        count = 0
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue  # blank line
            count += 1
            if len(cells) != len(header):
                table.problems.append(
                    Problem(
                        f"row has {len(cells)} cells but the header has {len(header)}",
                        file=label,
                        row=number,
                    )
                )
                continue
            data = {h: c for h, c in zip(header, cells, strict=True) if h in keep}
            table.rows.append(RawRow(label, number, data))
    except csv.Error as error:
        table.problems.append(
            Problem(f"malformed CSV: {error}", file=label, row=reader.line_num or None)
        )
        return
    if count == 0:
        table.problems.append(Problem("the file has a header but no rows", file=label))


def _add_dict_rows(
    table: Table, label: str, items: Iterable[Any], record: type[Record], first_row: int
) -> None:
    items = list(items)
    if not items:
        table.problems.append(Problem(f"no {record.entity} rows", file=label))
        return
    header: list[str] = []
    for item in items:
        if isinstance(item, Mapping):
            header.extend(k for k in item if k not in header)
    keep = _check_header(table, label, header, record)
    for number, item in enumerate(items, start=first_row):
        if not isinstance(item, Mapping):
            table.problems.append(Problem("each row must be an object", file=label, row=number))
            continue
        table.rows.append(RawRow(label, number, {k: v for k, v in item.items() if k in keep}))


def _read_json(path: Path, kind: str | None) -> dict[str, Table]:
    label = str(path)
    text, _ = _decode(path, path.read_bytes())
    if not text.strip():
        raise InvalidInput(f"{label}: the file is empty")
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"{label}:{error.lineno}: malformed JSON: {error.msg} (column {error.colno})"
        ) from None
    if isinstance(payload, list):
        payload = {_entity_for(path, kind): payload}
    if not isinstance(payload, dict):
        raise InvalidInput(f"{label}: expected an object of kinds or a list of rows")
    tables: dict[str, Table] = {}
    for entity, items in payload.items():
        if entity not in RECORDS:
            raise InvalidInput(f"{label}: unknown kind {entity!r}")
        if not isinstance(items, list):
            raise InvalidInput(f"{label}: {entity} must be a list of rows")
        table = tables.setdefault(entity, Table(entity))
        # row numbers in JSON are 1-based positions in the list
        _add_dict_rows(table, f"{label}#{entity}", items, RECORDS[entity], first_row=1)
    return tables


def _read_xlsx(path: Path, kind: str | None) -> dict[str, Table]:
    from openpyxl import load_workbook

    label = str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise InvalidInput(f"{label}: not a readable XLSX workbook ({error})") from None
    tables: dict[str, Table] = {}
    try:
        sheets = workbook.worksheets
        for sheet in sheets:
            entity = sheet.title if sheet.title in RECORDS else None
            if entity is None:
                if kind and len(sheets) == 1:
                    entity = kind
                else:
                    raise InvalidInput(
                        f"{label}: sheet {sheet.title!r} is not a kind of record; name each "
                        f"sheet after its kind ({', '.join(ENTITY_ORDER)})"
                    )
            rows = list(sheet.iter_rows(values_only=True))
            table = tables.setdefault(entity, Table(entity))
            sheet_label = f"{label}#{sheet.title}"
            if not rows:
                table.problems.append(Problem("the sheet is empty", file=sheet_label))
                continue
            header = ["" if h is None else str(h).strip() for h in rows[0]]
            items = [
                {h: ("" if v is None else v) for h, v in zip(header, r, strict=False) if h}
                for r in rows[1:]
                if any(v not in (None, "") for v in r)
            ]
            _add_dict_rows(table, sheet_label, items, RECORDS[entity], first_row=2)
    finally:
        workbook.close()
    return tables


def read_path(
    path: Path, *, kind: str | None = None, max_mb: float | None = None
) -> dict[str, Table]:
    """Read a file or a folder into raw tables by entity.

    A folder holds `<entity>.csv` files and/or `<entity>/*.csv` folders (the bundled layout).
    """
    if not path.exists():
        raise InvalidInput(f"{path}: no such file or folder")
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    if max_mb is not None:
        size = sum(p.stat().st_size for p in files)
        if size > max_mb * 1024 * 1024:
            raise InvalidInput(
                f"{path}: {size / 1024 / 1024:.1f} MB is over the import limit of {max_mb:g} MB "
                f"(raise INNOCHAIN_IMPORT_MAX_MB, or split the file); nothing was imported"
            )
    if path.is_dir():
        tables: dict[str, Table] = {}
        for file in files:
            if file.suffix.lower() != ".csv":
                continue
            entity = _entity_for(file, None)
            table = tables.setdefault(entity, Table(entity))
            _read_csv(file, table, RECORDS[entity])
        if not tables:
            raise InvalidInput(f"{path}: the folder holds no <kind>.csv files")
        return tables
    suffix = path.suffix.lower()
    if suffix == ".csv":
        entity = _entity_for(path, kind)
        table = Table(entity)
        if path.stat().st_size == 0:
            table.problems.append(Problem("the file is empty (no header row)", file=str(path)))
        else:
            _read_csv(path, table, RECORDS[entity])
        return {entity: table}
    if suffix == ".json":
        return _read_json(path, kind)
    if suffix == ".xlsx":
        return _read_xlsx(path, kind)
    raise InvalidInput(f"{path}: unsupported file type {suffix!r}; use .csv, .json or .xlsx")


def write_path(records: Mapping[str, list[Record]], path: Path, *, fmt: str) -> list[Path]:
    """Write records by entity as one JSON or XLSX file, or as a folder of `<entity>.csv`."""
    if fmt == "json":
        payload = {e: [r.model_dump(mode="json") for r in rs] for e, rs in records.items()}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return [path]
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        for entity, rows in records.items():
            sheet = workbook.create_sheet(entity)
            columns = RECORDS[entity].columns()
            sheet.append(columns)
            for record in rows:
                flat = record.row()
                sheet.append([flat[c] for c in columns])
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(path)
        return [path]
    if fmt == "csv":
        if len(records) == 1 and path.suffix.lower() == ".csv":
            targets = {next(iter(records)): path}
        else:
            path.mkdir(parents=True, exist_ok=True)
            targets = {entity: path / f"{entity}.csv" for entity in records}
        for entity, target in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=RECORDS[entity].columns())
                writer.writeheader()
                for record in records[entity]:
                    writer.writerow(record.row())
        return list(targets.values())
    raise InvalidInput(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def table_bytes(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, fmt: str) -> bytes:
    """One table as the bytes of a CSV (UTF-8) or XLSX file, a header row first.

    >>> table_bytes(["id", "名称"], [["catl", "宁德时代"]], fmt="csv").decode().splitlines()
    ['id,名称', 'catl,宁德时代']
    """
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(columns)
        writer.writerows(rows)
        return text.getvalue().encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("data")
        sheet.append(list(columns))
        for row in rows:
            sheet.append(list(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise InvalidInput(f"unknown table format {fmt!r}; use csv or xlsx")
