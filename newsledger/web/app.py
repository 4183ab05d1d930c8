"""`create_app`: the FastAPI application `newsledger serve` runs (docs/web.md).

Server-rendered pages (``pages.router``) and a JSON API that mirrors them
(``api.router``, under /api; OpenAPI at /docs), over one DuckDB ledger opened
read-only per request (``deps.ledger``). Every asset is served from
``web/static``; the Content-Security-Policy forbids inline scripts and any
third-party origin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from newsledger.web import api, pages

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


def create_app(db_path: str | Path, write_token: Optional[str] = None) -> FastAPI:
    app = FastAPI(title="newsledger", description="The ledger: quotes, events, places, with their evidence.")
    app.state.db_path = str(db_path)
    app.state.write_token = write_token

    @app.middleware("http")
    async def security_headers(request, call_next):
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router, prefix="/api")
    app.include_router(pages.router)
    return app
