from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration


def test_chinese_need_ranks_sic_makers_with_reasons(loaded_client: TestClient) -> None:
    body = loaded_client.post(
        "/api/v1/match",
        json={"text": "面向800V平台的车规级碳化硅功率模块", "required_trl": 9, "limit": 5},
    ).json()
    assert body["domain_ids"] == ["sic-power-devices"]
    assert body["inferred_domains"] is True
    assert len(body["candidates"]) == 5
    for candidate in body["candidates"]:
        assert set(candidate["components"]) == {
            "lexical",
            "taxonomy",
            "maturity",
            "network",
            "semantic",
        }
        assert candidate["reasons"]
        assert candidate["capabilities"][0]["source_url"].startswith("http")
    scores = [c["score"] for c in body["candidates"]]
    assert scores == sorted(scores, reverse=True)
    assert body["candidates"][0]["capabilities"][0]["domain_id"] == "sic-power-devices"


def test_seeker_is_excluded_and_filters_apply(loaded_client: TestClient) -> None:
    body = loaded_client.post(
        "/api/v1/match",
        json={
            "text": "LFP battery cells 磷酸铁锂电芯",
            "seeker_id": "byd",
            "kinds": ["supplier"],
            "exclude": ["catl"],
            "limit": 20,
        },
    ).json()
    ids = [c["organization_id"] for c in body["candidates"]]
    assert ids and "byd" not in ids and "catl" not in ids
    assert {c["kind"] for c in body["candidates"]} == {"supplier"}


def test_stored_need_can_be_matched_by_id(loaded_client: TestClient) -> None:
    need_id = loaded_client.get("/api/v1/needs").json()["items"][0]["id"]
    body = loaded_client.post("/api/v1/match", json={"need_id": need_id}).json()
    assert body["need"]["text"]
    missing = loaded_client.post("/api/v1/match", json={"need_id": "no-such-need"})
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "payload,status,fragment",
    [
        ({}, 400, "a need needs a text or at least one technology domain"),
        ({"text": "x" * 10_000}, 422, "at most 4000 characters"),
        (
            {"text": "cells", "domain_ids": ["warp-drive"]},
            400,
            "unknown technology domain(s): warp-drive",
        ),
        ({"text": "cells", "required_trl": 0}, 422, "greater than or equal to 1"),
        ({"text": "cells", "limit": 1000}, 422, "less than or equal to 200"),
        # found by schemathesis: a huge weight overflowed the float32 scores (a 500)
        ({"text": "cells", "weights": {"lexical": 1e308}}, 422, "less than or equal to 100"),
    ],
)
def test_bad_needs_get_clear_4xx(
    loaded_client: TestClient, payload: dict, status: int, fragment: str
) -> None:  # type: ignore[type-arg]
    response = loaded_client.post("/api/v1/match", json=payload)
    assert response.status_code == status
    assert fragment in response.text


def test_need_without_known_words_says_why(loaded_client: TestClient) -> None:
    body = loaded_client.post("/api/v1/match", json={"text": "ℵℶℷ ⊕⊗"}).json()
    assert body["candidates"] == []
    assert body["message"].startswith("the need has no word the index knows")
