"""llmlist: a command-line catalog of open large language models and LLM tools."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported here: this module runs before Ctrl-C is handled

__version__ = "0.2.0"

__all__ = ["Catalog", "Entry", "Filters", "Hit", "__version__", "find", "load_catalog", "search"]

if TYPE_CHECKING:
    from typing import Any

    from llmlist.catalog import Catalog, load_catalog
    from llmlist.query import Filters, Hit, find, search
    from llmlist.schema import Entry

_LAZY = {
    "Catalog": "llmlist.catalog",
    "load_catalog": "llmlist.catalog",
    "Filters": "llmlist.query",
    "Hit": "llmlist.query",
    "find": "llmlist.query",
    "search": "llmlist.query",
    "Entry": "llmlist.schema",
}


def __getattr__(name: str) -> Any:
    # Imported on first use, so that `llmlist --help` does not pay for pydantic.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'llmlist' has no attribute {name!r}")
