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


PASSWORD = "correct horse battery staple"


def make_user(session: Any, email: str, *, role: str = "member", org: str | None = None) -> Any:
    """A real user (argon2-hashed password `PASSWORD`), created as the command line would."""
    from innochain import accounts
    from innochain.domain import SYSTEM

    return accounts.create_user(
        session, email=email, role=role, password=PASSWORD, organization_id=org, actor=SYSTEM
    )


def token_for(session: Any, user: Any, scopes: tuple[str, ...] = ("read", "write")) -> str:
    """A real API token of the user, as `Authorization` header value."""
    from innochain import accounts

    viewer = accounts.viewer_for(session, user)
    issued = accounts.create_token(session, actor=viewer, name="test", scopes=list(scopes))
    return f"Bearer {issued.secret}"


def form_token(html: str) -> str:
    """The CSRF token a rendered page's forms carry."""
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: Any, email: str, password: str = PASSWORD) -> Any:
    """Sign in through the real form; returns the response of the form post."""
    token = form_token(client.get("/login").text)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
