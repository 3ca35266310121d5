"""The app `benchmarks/load.py` serves: the real app plus a bare JSON endpoint, the ceiling."""

from __future__ import annotations

from fastapi import FastAPI

from innochain.app import create_app
from innochain.settings import Settings


def make_app() -> FastAPI:
    app = create_app(Settings())

    @app.get("/bare", include_in_schema=False)
    async def bare() -> dict[str, bool]:
        return {"ok": True}

    # first in the routing table: the ceiling should not pay for matching 50 other routes
    app.router.routes.insert(0, app.router.routes.pop())
    return app
