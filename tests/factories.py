"""Small real fixtures: a few true facts, each with its public source, written as files."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from innochain.domain import RECORDS

WIKI_CATL = "https://en.wikipedia.org/wiki/Contemporary_Amperex_Technology"
WIKI_BYD = "https://en.wikipedia.org/wiki/BYD_Company"
WIKI_TESLA = "https://en.wikipedia.org/wiki/Tesla,_Inc."
WIKI_BATTERY = "https://en.wikipedia.org/wiki/Electric_vehicle_battery"

SOURCES = [
    {"url": WIKI_CATL, "title": "Contemporary Amperex Technology", "publisher": "Wikipedia"},
    {"url": WIKI_BYD, "title": "BYD Company", "publisher": "Wikipedia"},
    {"url": WIKI_TESLA, "title": "Tesla, Inc.", "publisher": "Wikipedia"},
    {"url": WIKI_BATTERY, "title": "Electric vehicle battery", "publisher": "Wikipedia"},
]
CHAIN_NODES = [
    {
        "id": "power-battery",
        "stage": "midstream",
        "name_en": "Power batteries",
        "name_zh": "动力电池",
        "source_url": WIKI_BATTERY,
    },
    {
        "id": "battery-cells",
        "parent_id": "power-battery",
        "stage": "midstream",
        "name_en": "Lithium-ion battery cells",
        "name_zh": "锂离子电芯",
        "source_url": WIKI_BATTERY,
    },
    {
        "id": "bev",
        "stage": "downstream",
        "name_en": "Battery electric passenger cars",
        "name_zh": "纯电动乘用车",
        "source_url": WIKI_BATTERY,
    },
]
DOMAINS = [
    {
        "id": "lithium-ion-cells",
        "name_en": "Lithium-ion cells",
        "name_zh": "锂离子电芯",
        "chain_node_ids": "battery-cells",
        "source_url": WIKI_BATTERY,
    },
]
ORGANIZATIONS = [
    {
        "id": "catl",
        "name_en": "Contemporary Amperex Technology",
        "name_zh": "宁德时代",
        "aliases": "CATL|宁德时代新能源科技股份有限公司",
        "kind": "supplier",
        "ownership": "private",
        "country": "CN",
        "province": "Fujian",
        "city": "Ningde",
        "founded": "2011",
        "chain_node_ids": "battery-cells",
        "source_url": WIKI_CATL,
    },
    {
        "id": "byd",
        "name_en": "BYD",
        "name_zh": "比亚迪",
        "aliases": "BYD Company|比亚迪股份有限公司",
        "kind": "automaker",
        "ownership": "private",
        "country": "CN",
        "province": "Guangdong",
        "city": "Shenzhen",
        "founded": "1995",
        "chain_node_ids": "bev|battery-cells",
        "source_url": WIKI_BYD,
    },
    {
        "id": "tesla",
        "name_en": "Tesla",
        "name_zh": "特斯拉",
        "aliases": "Tesla, Inc.",
        "kind": "automaker",
        "ownership": "foreign",
        "country": "US",
        "city": "Austin",
        "founded": "2003",
        "chain_node_ids": "bev",
        "source_url": WIKI_TESLA,
    },
]


CAPABILITIES = [
    {
        "organization_id": "catl",
        "domain_id": "lithium-ion-cells",
        "trl": "9",
        "description_en": "LFP and NCM cells for EVs",
        "source_url": WIKI_CATL,
    },
    {
        "organization_id": "byd",
        "domain_id": "lithium-ion-cells",
        "trl": "9",
        "description_en": "Blade LFP cells",
        "source_url": WIKI_BYD,
    },
]


def write_csv(
    path: Path, entity: str, rows: Iterable[Mapping[str, Any]], encoding: str = "utf-8"
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = RECORDS[entity].columns()
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_seed(folder: Path, *, capabilities: bool = False) -> Path:
    """The small seed as a folder in the bundled layout (`<entity>/<name>.csv`)."""
    write_csv(folder / "sources" / "seed.csv", "sources", SOURCES)
    write_csv(folder / "chain_nodes" / "seed.csv", "chain_nodes", CHAIN_NODES)
    write_csv(folder / "technology_domains" / "seed.csv", "technology_domains", DOMAINS)
    write_csv(folder / "organizations" / "seed.csv", "organizations", ORGANIZATIONS)
    if capabilities:
        write_csv(folder / "capabilities" / "seed.csv", "capabilities", CAPABILITIES)
    return folder
