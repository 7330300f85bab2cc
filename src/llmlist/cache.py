"""A cache of validated catalog files, written atomically and trusted only when intact.

Each catalog file has one cache file, named after the file's resolved path. It holds a JSON header
line with the key (a hash of the catalog's contents, llmlist's version, the schema version and the
Python version) and a digest of the payload, then the payload: the validated entries as plain
dicts in `marshal` form, which loads about twice as fast as JSON and, unlike pickle, cannot run code
when read. Anything that does not match is ignored and rebuilt.
"""

from __future__ import annotations

import json
import marshal
import os
import sys
from pathlib import Path
from typing import Any

try:  # CPython's built-in BLAKE2 loads in microseconds; hashlib's OpenSSL binding costs ~2.5 ms
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b

_FORMAT = 5


def cache_dir() -> Path:
    """Where cached files go: $LLMLIST_CACHE_DIR, else $XDG_CACHE_HOME/llmlist, else ~/.cache/llmlist."""
    override = os.environ.get("LLMLIST_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "llmlist"


def cache_key(source: Path, *versions: object) -> str:
    """Key for a catalog file's contents under the given program and schema versions.

    The file is hashed in blocks, so a large catalog is never held in memory just to be keyed.
    """
    digest = blake2b()
    with source.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    digest.update(repr((*versions, sys.implementation.cache_tag, marshal.version)).encode())
    return digest.hexdigest()


def _cache_file(source: Path) -> Path:
    name = blake2b(str(source.resolve()).encode()).hexdigest()[:32]
    return cache_dir() / f"catalog-{name}.cache"


def read(source: Path, key: str) -> Any | None:
    """The payload cached for `source` under `key`, or None when missing, stale or damaged."""
    try:
        raw = _cache_file(source).read_bytes()
        end = raw.index(b"\n")
        header, payload = json.loads(raw[:end]), memoryview(raw)[end + 1 :]  # no copy of the payload
        if (
            not isinstance(header, dict)
            or header.get("format") != _FORMAT
            or header.get("key") != key
            or header.get("digest") != blake2b(payload).hexdigest()
        ):
            return None
        return marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write(source: Path, key: str, payload: Any) -> None:
    """Store `payload` for `source`, atomically; a cache that cannot be written is skipped."""
    body = marshal.dumps(payload)
    header = json.dumps({"format": _FORMAT, "key": key, "digest": blake2b(body).hexdigest()})
    import tempfile  # only a cache miss writes; keep it off the start-up path

    target = _cache_file(source)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".cache")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(header.encode() + b"\n" + body)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only or full cache directory only costs speed
