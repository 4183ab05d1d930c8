"""Cross-article speaker identity: one speaker, one stable id, across articles.

``update(con)`` recomputes the speaker tables from the ledger's entities and
quotes (call it after an ingest run has written its articles);
``list_speakers`` and ``speaker_statements`` read them for the CLI. The rules
are in resolve.py and docs/speakers.md.
"""

from newsledger.identity.queries import (
    AmbiguousSpeaker,
    SpeakerNotFound,
    find_speakers,
    list_speakers,
    speaker_statements,
)
from newsledger.identity.store import update

__all__ = ["update", "list_speakers", "speaker_statements", "find_speakers", "SpeakerNotFound", "AmbiguousSpeaker"]
