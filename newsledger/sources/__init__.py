"""Source readers: find the items in each input and yield RawDocument or Reject.

    for path in expand_inputs(["news/", "-"]):
        for item in iter_documents(path, settings):
            ...
"""

from newsledger.sources.base import RawDocument, Reject
from newsledger.sources.files import expand_inputs, iter_documents, sniff_kind

__all__ = ["RawDocument", "Reject", "expand_inputs", "iter_documents", "sniff_kind"]
