"""`create_app(settings)`: builds the engine, checks the schema, mounts the API and the pages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, MutableMapping
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import event
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from innochain import __version__
from innochain.accounts import RateLimiter
from innochain.api.accounts import router as accounts_router
from innochain.api.assess import router as assess_router
from innochain.api.chain import router as chain_router
from innochain.api.consortium import router as consortium_router
from innochain.api.credits import router as credits_router
from innochain.api.match import router as match_router
from innochain.api.middleware import BodyLimit, Compress, SecurityHeaders
from innochain.api.overseas import alerts_router
from innochain.api.overseas import router as overseas_router
from innochain.api.pipeline import router as pipeline_router
from innochain.api.routes import router as api_router
from innochain.errors import (
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TooManyRequests,
    pydantic_problem,
)
from innochain.overseas import alerts
from innochain.settings import Settings
from innochain.store import ensure_migrated, make_engine
from innochain.store.db import make_sessionmaker, session_scope
from innochain.web.account_pages import router as account_page_router
from innochain.web.assess_pages import router as assess_page_router
from innochain.web.cache import PageCache, ResponseCache
from innochain.web.chain_pages import router as chain_page_router
from innochain.web.consortium_pages import router as consortium_page_router
from innochain.web.credits_pages import router as credits_page_router
from innochain.web.overseas_pages import router as overseas_page_router
from innochain.web.pages import router as page_router
from innochain.web.pages import static_files
from innochain.web.pages import templates as page_templates
from innochain.web.pipeline_pages import router as pipeline_page_router
from innochain.web.stats_pages import router as stats_page_router

__all__ = ["create_app"]

log = logging.getLogger("innochain")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.query_params.get("format") == "json"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The whole web application on the database the settings name.

    Raises `NotMigrated` (with the command to run) if the schema is not current.
    """

    settings = settings or Settings()
    settings.check_safe()
    engine = make_engine(settings.database_url)
    ensure_migrated(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # fewer worker threads than the default 40: under load they queue fairly on the event
        # loop instead of fighting over the GIL, which keeps the slowest answers bounded
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        # risk alerts: what changed in the overseas knowledge base since the last start
        # (`innochain alerts sync` does the same from cron, e.g. daily for approaching dates)
        with session_scope(app.state.sessionmaker) as session:
            alerts.sync(session)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="innochain",
        version=__version__,
        description="Registry of the automotive innovation ecosystem: organisations, chain "
        "taxonomy, technologies, capabilities, relations, needs and statistics.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.api_limiter = RateLimiter(limit=settings.api_rate_per_minute)
    app.state.login_limiter = RateLimiter(limit=settings.login_rate_per_minute)

    def page_error(request: Request, status: int, message: str) -> object:
        return page_templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status
        )

    @app.exception_handler(InvalidInput)
    async def invalid_input(request: Request, error: InvalidInput) -> object:
        body = {"error": "invalid_input", "problems": [p.as_dict() for p in error.problems]}
        if _wants_json(request):
            return JSONResponse(body, status_code=400)
        return page_error(request, 400, str(error))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> object:
        if _wants_json(request):
            return JSONResponse({"error": "not_found", "detail": str(error)}, status_code=404)
        return page_error(request, 404, str(error))

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, error: NotAuthenticated) -> object:
        if _wants_json(request):
            return JSONResponse(
                {"error": "not_authenticated", "detail": str(error)},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        if request.method == "GET":
            return RedirectResponse(f"/login?{urlencode({'next': request.url.path})}", 303)
        return page_error(request, 401, str(error))

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, error: Forbidden) -> object:
        if _wants_json(request):
            return JSONResponse({"error": "forbidden", "detail": str(error)}, status_code=403)
        return page_error(request, 403, str(error))

    @app.exception_handler(TooManyRequests)
    async def too_many(request: Request, error: TooManyRequests) -> object:
        headers = {"Retry-After": str(error.retry_after)}
        if _wants_json(request):
            return JSONResponse(
                {"error": "too_many_requests", "detail": str(error)}, 429, headers=headers
            )
        response = page_error(request, 429, str(error))
        response.headers.update(headers)  # type: ignore[attr-defined]
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> object:
        problems = [
            {"column": p.column, "reason": p.reason}
            for p in (pydantic_problem(e, skip=1) for e in error.errors())
        ]
        if _wants_json(request):
            return JSONResponse({"error": "invalid_input", "problems": problems}, status_code=422)
        message = "; ".join(f"{p['column']}: {p['reason']}" for p in problems)
        return page_error(request, 422, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> object:
        if _wants_json(request):
            return JSONResponse(
                {"error": "http_error", "detail": str(error.detail)}, status_code=error.status_code
            )
        return page_error(request, error.status_code, str(error.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse(
            {"error": "internal_error", "detail": "unexpected server error; see the server log"},
            status_code=500,
        )

    app.include_router(api_router, prefix="/api/v1")
    app.include_router(match_router, prefix="/api/v1")
    app.include_router(accounts_router, prefix="/api/v1")
    app.include_router(consortium_router, prefix="/api/v1")
    app.include_router(pipeline_router, prefix="/api/v1")
    app.include_router(chain_router, prefix="/api/v1")
    app.include_router(assess_router, prefix="/api/v1")
    app.include_router(credits_router, prefix="/api/v1")
    app.include_router(overseas_router, prefix="/api/v1")
    app.include_router(alerts_router, prefix="/api/v1")
    app.include_router(chain_page_router)
    app.include_router(assess_page_router)
    app.include_router(credits_page_router)
    app.include_router(overseas_page_router)
    app.include_router(stats_page_router)
    app.include_router(page_router)
    app.include_router(account_page_router)
    app.include_router(consortium_page_router)
    app.include_router(pipeline_page_router)
    app.mount("/static", static_files, name="static")
    # interactive statistics charts: ECharts from the npm package `make setup` installs;
    # without it the pages keep their server-drawn SVG charts
    echarts = settings.assets_dir / "echarts" / "dist" / "echarts.common.min.js"
    app.state.echarts = echarts.is_file()

    @app.get("/assets/echarts.min.js", include_in_schema=False)
    def echarts_js() -> Response:
        if not app.state.echarts:
            raise NotFound(f"ECharts is not installed at {echarts}; `make setup` installs it")
        headers = {"cache-control": "max-age=86400"}
        return FileResponse(echarts, media_type="text/javascript", headers=headers)

    cache = PageCache(ttl=settings.page_cache_seconds)
    app.state.page_cache = cache

    def wrote(session: Session, _context: object) -> None:
        session.info["wrote"] = True

    def committed(session: Session) -> None:
        if session.info.pop("wrote", False):
            cache.invalidate()

    event.listen(app.state.sessionmaker, "after_flush", wrote)
    event.listen(app.state.sessionmaker, "after_commit", committed)

    def limit_cached_api(scope: MutableMapping[str, Any]) -> MutableMapping[str, Any] | None:
        client = scope.get("client") or ("", 0)
        wait = app.state.api_limiter.hit(f"ip:{client[0]}")
        if not wait:
            return None
        body = b'{"error":"too_many_requests","detail":"too many requests; try again later"}'
        headers = [(b"content-type", b"application/json"), (b"retry-after", str(wait).encode())]
        return {
            "start": {"type": "http.response.start", "status": 429, "headers": headers},
            "body": {"type": "http.response.body", "body": body},
        }

    app.add_middleware(BodyLimit, max_bytes=settings.max_body_kb * 1024)
    # gzip inside the response cache, so that a cached page is compressed once rather than on
    # every hit (the cache keeps each encoding apart)
    app.add_middleware(Compress)
    app.add_middleware(ResponseCache, cache=cache, on_api_hit=limit_cached_api)
    app.add_middleware(SecurityHeaders)
    return app
