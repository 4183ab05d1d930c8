"""Adding articles from the browser or the API (docs/web.md, "Add articles").

Enabled only when the server was started with ``--write-token``; every
write must carry that token (form field ``token``, or the ``X-Write-Token``
header for the API). The text or file is written to a private temporary
folder and run through the same ``newsledger.ingest.ingest`` as the CLI, one
add at a time. The ingest opens the ledger file itself and, when it closes,
publishes a snapshot (store/snapshot.py), so the very next request shows the
new article. While another process writes the ledger the add fails with 503.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import tempfile
import threading
from pathlib import Path
from typing import Optional

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from newsledger.errors import DatabaseBusy
from newsledger.sources.files import EXTENSION_KINDS
from newsledger.web.pages import page

log = logging.getLogger(__name__)

router = APIRouter()

# Largest text or file accepted, in bytes: a long article is ~100 KB; a small
# feed or CSV of a day's news fits in 5 MB. Larger batches belong to the CLI.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_ONE_AT_A_TIME = threading.Lock()


def _check_token(request: Request, given: Optional[str]) -> Optional[str]:
    """None when the write is allowed, else the reason it is not."""
    expected = request.app.state.write_token
    if not expected:
        return "adding articles is off: start the server with --write-token TOKEN"
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        return "wrong or missing write token"
    return None


def _too_large(request: Request) -> bool:
    length = request.headers.get("content-length")
    return length is not None and length.isdigit() and int(length) > MAX_UPLOAD_BYTES + 64 * 1024


def _extractor(request: Request):
    """The spaCy pipeline, loaded on the first add and kept (it takes seconds)."""
    state = request.app.state
    if getattr(state, "extractor", None) is None:
        from newsledger.nlp.pipeline import Extractor
        from newsledger.settings import Settings

        state.extractor = Extractor(Settings.from_env())
    return state.extractor


def add_documents(request: Request, files: list[tuple[str, bytes]]) -> dict:
    """Ingest ``files`` ((name, bytes) pairs) into the ledger; the run summary
    and the ids of the articles this run stored or saw."""
    from newsledger.ingest import ingest
    from newsledger.settings import Settings

    with tempfile.TemporaryDirectory(prefix="newsledger_add_") as tmp, _ONE_AT_A_TIME:
        paths = []
        for name, data in files:
            path = Path(tmp) / name
            path.write_bytes(data)
            paths.append(str(path))
        summary = ingest(paths, request.app.state.db_path, Settings.from_env(), extractor=_extractor(request))
    ids = _run_articles(request, summary.run_id)
    return {"run_id": summary.run_id, "counts": summary.counts(), "article_ids": ids}


def _run_articles(request: Request, run_id: Optional[int]) -> list[str]:
    cur, _ = request.app.state.snapshots.cursor()
    try:
        return [r[0] for r in cur.execute("SELECT DISTINCT article_id FROM sources WHERE first_seen_run = ?"
                                          " ORDER BY article_id", [run_id]).fetchall()]
    finally:
        cur.close()


def pasted_file(text: str, title: str = "", url: str = "", date: str = "") -> tuple[str, bytes]:
    """Pasted text (and optional fields) as a one-row JSONL file."""
    row = {"text": text, "title": title or None, "url": url or None, "date": date or None}
    return "pasted.jsonl", (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")


def upload_name(filename: str) -> Optional[str]:
    """A safe file name keeping a known extension (and .gz), or None."""
    name = SAFE_NAME.sub("_", Path(filename or "upload").name)[-100:] or "upload"
    stem = name[:-3] if name.lower().endswith(".gz") else name
    return name if Path(stem).suffix.lower() in EXTENSION_KINDS else None


# -- routes -------------------------------------------------------------------------------


@router.get("/add", response_class=HTMLResponse, include_in_schema=False)
def add_form(request: Request):
    enabled = bool(request.app.state.write_token)
    return page("add.html", status_code=200 if enabled else 403, enabled=enabled, error=None,
                max_mb=MAX_UPLOAD_BYTES // (1024 * 1024), extensions=sorted(EXTENSION_KINDS))


@router.post("/add", response_class=HTMLResponse, include_in_schema=False)
async def add_submit(request: Request):
    if _too_large(request):
        return _form_error(request, f"too large: at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", 413)
    form = await request.form(max_files=1, max_fields=8, max_part_size=MAX_UPLOAD_BYTES)
    refused = _check_token(request, form.get("token"))
    if refused:
        return _form_error(request, refused, 403)
    files = []
    upload = form.get("file")
    if upload is not None and getattr(upload, "filename", None):
        name = upload_name(upload.filename)
        if name is None:
            return _form_error(request, f"unknown file type {upload.filename!r}", 400)
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            return _form_error(request, "file too large", 413)
        files.append((name, data))
    text = (form.get("text") or "").strip()
    if text:
        files.append(pasted_file(text, form.get("title") or "", form.get("url") or "", form.get("date") or ""))
    if not files:
        return _form_error(request, "paste a text or choose a file", 400)
    try:
        result = await run_in_threadpool(add_documents, request, files)
    except DatabaseBusy:
        return _form_error(request, "the ledger is busy (an ingest is writing); try again shortly", 503)
    if len(result["article_ids"]) == 1:
        return RedirectResponse(f"/article/{result['article_ids'][0]}", status_code=303)
    return page("add.html", enabled=True, error=None, result=result,
                max_mb=MAX_UPLOAD_BYTES // (1024 * 1024), extensions=sorted(EXTENSION_KINDS))


def _form_error(request: Request, message: str, status: int) -> HTMLResponse:
    return page("add.html", status_code=status, enabled=bool(request.app.state.write_token), error=message,
                max_mb=MAX_UPLOAD_BYTES // (1024 * 1024), extensions=sorted(EXTENSION_KINDS))


@router.post("/api/articles", tags=["api"])
async def add_api(request: Request):
    """Add one article: JSON ``{"text", "title"?, "url"?, "date"?}`` with the
    ``X-Write-Token`` header. Answers the run's counts and the article ids."""
    refused = _check_token(request, request.headers.get("x-write-token"))
    if refused:
        return JSONResponse({"error": refused}, status_code=403)
    if _too_large(request):
        return JSONResponse({"error": "too large"}, status_code=413)
    body = await request.body()
    try:
        item = json.loads(body[:MAX_UPLOAD_BYTES + 1])
        text = item["text"]
        assert isinstance(text, str) and text.strip()
    except (ValueError, KeyError, TypeError, AssertionError):
        return JSONResponse({"error": 'send JSON like {"text": "...", "title": "..."}'}, status_code=400)
    fields = {k: str(item.get(k) or "") for k in ("title", "url", "date")}
    try:
        result = await run_in_threadpool(add_documents, request, [pasted_file(text, **fields)])
    except DatabaseBusy:
        return JSONResponse({"error": "the ledger is busy (an ingest is writing); retry shortly"},
                            status_code=503, headers={"Retry-After": "1"})
    return JSONResponse(result, status_code=201)
