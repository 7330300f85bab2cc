"""A cache of validated catalog files, written atomically and trusted only when intact.

Each catalog file has one cache file, named after the file's resolved path. It holds a JSON header
line with the key (a hash of the catalog's bytes, llmlist's version and the record layout), the
payload's size and a digest of it, then the payload: the validated entries as plain data in
`marshal` form, which loads about twice as fast as JSON. (A large catalog file's cache is an
index instead, with a stamp beside it: see `index/store.py`. It uses the naming, the directory
checks and the atomic writes here.)

What the digest does and does not protect against: it catches a cache damaged by accident (a
truncated or half-written file, a disk error, another program's bytes) and such a cache is ignored
and rebuilt. It is not a signature: anyone who can write the cache directory can write a cache
with a matching digest and so change the answers llmlist gives, and `marshal` data is trusted by
the interpreter that reads it. The cache directory is therefore trusted like the catalog files
themselves: it is used only when it belongs to the user and no one else can write to it (as ssh
treats ~/.ssh), and otherwise ignored with a note on stderr.
"""

from __future__ import annotations

import json
import marshal
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any, BinaryIO

try:  # CPython's built-in BLAKE2 loads in microseconds; hashlib's OpenSSL binding costs ~2.5 ms
    from _blake2 import blake2b as blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b as blake2b

_FORMAT = 7
_HEADER_MAX = 4096  # bytes: a header line longer than this is not ours
_STALE = 3600  # seconds after which a temporary file left by a killed writer is removed
_warned: set[str] = set()


def cache_dir() -> Path:
    """Where cached files go: $LLMLIST_CACHE_DIR, else the platform's user cache directory
    ($XDG_CACHE_HOME/llmlist or ~/.cache/llmlist on Linux and other Unix systems; the platform's
    own place on macOS and Windows, from platformdirs)."""
    override = os.environ.get("LLMLIST_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform in ("darwin", "win32", "cygwin"):
        import platformdirs  # ~6 ms to import: only where the answer differs from the XDG rule below

        return Path(platformdirs.user_cache_dir("llmlist", appauthor=False))
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "llmlist"


def key_of(content: bytes, *versions: object) -> str:
    """Key for a catalog file's bytes under the given program versions and record layout."""
    return finished_key(blake2b(content), *versions)


def finished_key(digest: Any, *versions: object) -> str:
    """The key of the bytes a `blake2b()` digest has been given, as `key_of` makes it."""
    digest.update(repr((*versions, sys.implementation.cache_tag, marshal.version)).encode())
    return str(digest.hexdigest())


def stamp_of(info: os.stat_result, *versions: object) -> str:
    """A cheap first check that a file is unchanged: its size, times and identity, with the program
    versions. A cache whose stamp matches is used without reading the catalog file at all."""
    return repr((info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev, *versions))


def _cache_file(source: Path) -> Path:
    return cache_path(source, ".cache")


def cache_path(source: Path, suffix: str) -> Path:
    """Where the cached file with this suffix for the catalog file `source` goes."""
    name = blake2b(str(source.resolve()).encode(errors="surrogateescape")).hexdigest()[:32]
    return cache_dir() / f"catalog-{name}{suffix}"


def trusted(directory: Path) -> bool:
    """Whether the cache directory may be used: it (if it exists) belongs to this user and neither
    its group nor others may write to it. Says once on stderr why not."""
    if not hasattr(os, "getuid"):
        return True  # Windows: the user's profile directory is private by default
    try:
        info = os.stat(directory)
    except FileNotFoundError:
        return True  # made by llmlist, private, when first written
    except OSError:
        return False
    if info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return True
    reason = "belongs to another user" if info.st_uid != os.getuid() else "is writable by other users"
    if str(directory) not in _warned:
        _warned.add(str(directory))
        note = f"not using the cache directory {directory}: it {reason} (see the README's Reliability)"
        sys.stderr.write(f"llmlist: {note}\n")
    return False


def read(source: Path, key: str | None = None, stamp: str | None = None) -> Any | None:
    """The payload cached for `source` under the content `key` (or, when only `stamp` is given,
    under the file's stamp), or None when missing, stale, damaged or odd (not a regular file,
    larger than its header says, or in an untrusted directory)."""
    target = _cache_file(source)
    if not trusted(target.parent):
        return None
    handle = _open_regular(target)
    if handle is None:
        return None
    try:
        with handle:
            line = handle.readline(_HEADER_MAX)
            header = json.loads(line)
            if (
                not isinstance(header, dict)
                or header.get("format") != _FORMAT
                or (key is not None and header.get("key") != key)
                or (key is None and (stamp is None or header.get("stamp") != stamp))
                or not isinstance(header.get("size"), int)
            ):
                return None
            payload = handle.read(header["size"] + 1)
            if len(payload) != header["size"] or header.get("digest") != blake2b(payload).hexdigest():
                return None
            return marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError, RecursionError):
        return None


def write(source: Path, key: str, payload: Any, stamp: str | None = None) -> None:
    """Store `payload` for `source` under its content `key` and the file's `stamp` (taken before the
    file was read, so a change while reading leaves a stamp that no longer matches), atomically; a
    cache that cannot be written is skipped."""
    body = marshal.dumps(payload)
    header = json.dumps({"format": _FORMAT, "key": key, "stamp": stamp, "size": len(body),
                         "digest": blake2b(body).hexdigest()})  # fmt: skip
    write_file(_cache_file(source), header.encode() + b"\n" + body)


def write_file(target: Path, data: bytes) -> None:
    """Write a cache file whole under a temporary name and then rename it, so that no reader ever
    sees it half written; a cache directory that is untrusted, read-only or full is skipped."""
    if not usable(target.parent):
        return
    import tempfile  # only a cache miss writes; keep it off the start-up path

    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only or full cache directory only costs speed


def usable(directory: Path) -> bool:
    """Whether cache files may be written in `directory`: it is trusted, and made (private) if
    missing; temporary files a killed writer left there long ago are removed."""
    if not trusted(directory):
        return False
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    _remove_stale(directory)
    return True


def read_file(target: Path, limit: int) -> bytes | None:
    """The first `limit` bytes of a cache file, or None when it is missing, not a regular file (a
    FIFO, a device, a symbolic link) or unreadable."""
    handle = _open_regular(target)
    if handle is None:
        return None
    try:
        with handle:
            return handle.read(limit)
    except OSError:
        return None


def _open_regular(target: Path) -> BinaryIO | None:
    """`target` opened for reading if it is a regular file, else None: a FIFO, a device or a
    symbolic link is never read (opening does not block, and does not follow a link)."""
    try:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    handle = os.fdopen(fd, "rb")
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return handle
    except OSError:
        pass
    handle.close()
    return None


def _remove_stale(directory: Path) -> None:
    """Remove temporary files that a writer killed mid-write left more than an hour ago."""
    cutoff = time.time() - _STALE
    for leftover in directory.glob(".tmp-*"):
        try:
            if leftover.lstat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            pass
