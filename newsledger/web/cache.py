"""A response cache that is always right: snapshots never change (docs/web.md).

The server reads immutable snapshots of the ledger (``store/snapshot.py``),
so a GET answered from one snapshot has the same answer for as long as that
snapshot is current. ``ResponseCache`` is a pure ASGI middleware keyed by
(snapshot version, path, query string): a writer publishing a new snapshot
changes the version, and every older entry simply stops being asked for (and
ages out of the LRU). A response is stored only when the snapshot did not
change while it was built, so no entry mixes two snapshots.

``NEWSLEDGER_WEB_CACHE=0`` turns it off (the benchmark measures both).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import Callable, Optional

# Bounds: a laptop server answering one analyst and a few scripts. 64 MB holds
# thousands of API pages; an article page over 2 MB (a 5 MB hostile text) is
# served fresh each time rather than evicting hundreds of small entries.
MAX_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 2 * 1024 * 1024
CACHED_PREFIXES = ("/api/", "/article/", "/speaker/", "/events", "/search")
CACHED_EXACT = ("/",)


def enabled_by_env() -> bool:
    return os.environ.get("NEWSLEDGER_WEB_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


class ResponseCache:
    """ASGI middleware: GET responses with status 200, per snapshot version."""

    def __init__(self, app, version: Callable[[], Optional[int]], enabled: bool = True):
        self.app = app
        self.version = version
        self.enabled = enabled
        self._entries: OrderedDict[tuple, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def _cacheable(self, scope) -> bool:
        if not self.enabled or scope["type"] != "http" or scope["method"] != "GET":
            return False
        path = scope["path"]
        return path in CACHED_EXACT or path.startswith(CACHED_PREFIXES)

    async def __call__(self, scope, receive, send):
        if not self._cacheable(scope):
            return await self.app(scope, receive, send)
        version = self.version()
        key = (version, scope["path"], scope.get("query_string", b""))
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
        if entry is not None:
            start, body = entry
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        captured: dict = {"start": None, "body": [], "size": 0}

        async def capture(message):
            if message["type"] == "http.response.start":
                captured["start"] = message
            elif message["type"] == "http.response.body":
                captured["body"].append(message.get("body", b""))
                captured["size"] += len(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        start = captured["start"]
        if (start and start.get("status") == 200 and captured["size"] <= MAX_ENTRY_BYTES
                and version is not None and self.version() == version):
            self._store(key, start, b"".join(captured["body"]))

    def _store(self, key: tuple, start: dict, body: bytes) -> None:
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (start, body)
            self._bytes += len(body)
            while self._bytes > MAX_BYTES and self._entries:
                _, (_, old) = self._entries.popitem(last=False)
                self._bytes -= len(old)
