"""`create_app`: the FastAPI application `newsledger serve` runs (docs/web.md).

Server-rendered pages (``pages.router``) and a JSON API that mirrors them
(``api.router``, under /api; OpenAPI at /docs), over the newest snapshot of
one DuckDB ledger (``deps.Snapshots``), so ingest and the CLI keep the ledger
file itself. Every asset is served from
``web/static``; the Content-Security-Policy forbids inline scripts and any
third-party origin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from newsledger.store import snapshot
from newsledger.web import add, api, api_explore, explore, pages
from newsledger.web.cache import ResponseCache, enabled_by_env
from newsledger.web.deps import Snapshots

HERE = Path(__file__).resolve().parent
# Only this origin, no inline script, no plugins, no framing, no base-tag tricks.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def create_app(db_path: str | Path, write_token: Optional[str] = None, cache: Optional[bool] = None) -> FastAPI:
    """The app over the ledger at ``db_path``; ``cache`` None reads NEWSLEDGER_WEB_CACHE (on by default)."""
    snapshots = Snapshots(db_path)
    snapshots.start()

    @asynccontextmanager
    async def lifespan(app):
        yield
        snapshots.stop()

    app = FastAPI(title="newsledger", description="The ledger: quotes, events, places, with their evidence.",
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.db_path = str(db_path)
    app.state.snapshots = snapshots
    app.state.write_token = write_token

    @app.middleware("http")
    async def security_headers(request, call_next):
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    _mount_docs(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api_explore.router, prefix="/api")  # /api/events/map before /api/events/...
    app.include_router(api.router, prefix="/api")
    app.include_router(add.router)  # /add and POST /api/articles, with the write token only
    app.include_router(pages.router)
    app.include_router(explore.router)
    # Outermost, so a cached response keeps the security headers set above.
    app.add_middleware(ResponseCache, version=lambda: snapshot.current_version(db_path), enabled=enabled_by_env() if cache is None else cache)
    return app


def _mount_docs(app: FastAPI) -> None:
    """/docs: Swagger UI from the swagger-ui-bundle package (FastAPI's own
    page loads it from a CDN with an inline script, which the CSP forbids)."""
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return pages.page("docs.html")
