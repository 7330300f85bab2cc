"""The catalog file's canonical form: one way to write every entry, so that a change reads as a
small diff. Entries are sorted by id; keys follow the schema's order; long text is a multi-line
string folded at about 100 columns; parameter counts are grouped by thousands.

    python -m llmlist.canonical data/models.toml           # rewrite the file in place
    python -m llmlist.canonical --check data/models.toml   # exit 1 if it is not canonical
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from llmlist.catalog import RECORD_LAYOUT

WIDTH = 100  # columns a folded string aims for
_LONG = 80  # characters from which a string is written as a multi-line string
_GROUPED = frozenset({"params", "active_params", "training_tokens", "vocab_size"})  # 7_615_616_512
_TABLES = {  # keys written as sub-tables, in this order, after the entry's own keys
    "summary": "entries.summary",
    "variants": "entries.variants",
    "license": "entries.license",
    "links": "entries.links",
    "requirements": "entries.requirements",
    "sources": "entries.sources",
}
HEADER = '# The llmlist catalog. Format: see "Catalog format" in README.md; check with `llmlist validate --strict`.\n'
HEADER += "# Written in canonical form by `python -m llmlist.canonical data/models.toml`: entries sorted by id.\n"


def dumps(document: Mapping[str, Any]) -> str:
    """The catalog `document` (as tomli parses it) in canonical TOML."""
    out = [HEADER]
    for key in ("schema_version", "updated"):
        if key in document:
            out.append(f"{key} = {_value(key, document[key], 0)}\n")
    for entry in sorted(document.get("entries", ()), key=lambda e: str(e.get("id", ""))):
        out.append(f"\n# ---- {entry.get('id', '')}\n\n[[entries]]\n")
        out += _keys(entry, RECORD_LAYOUT["Entry"], skip=_TABLES)
        for key, header in _TABLES.items():
            value = entry.get(key)
            if key in ("variants", "requirements", "sources"):
                for item in value or ():
                    out.append(f"\n[[{header}]]\n")
                    model = {"variants": "Variant", "requirements": "Requirement", "sources": "Source"}[key]
                    out += _keys(item, RECORD_LAYOUT[model], skip={"license": None})
                    if key == "variants" and item.get("license"):
                        out.append("\n[entries.variants.license]\n")
                        out += _keys(item["license"], RECORD_LAYOUT["License"])
            elif value:
                out.append(f"\n[{header}]\n")
                out += _keys(value, RECORD_LAYOUT[key.capitalize()])
    return "".join(out)


def _keys(table: Mapping[str, Any], order: Sequence[str], skip: Mapping[str, Any] | None = None) -> Iterator[str]:
    """`key = value` lines for the keys of `table`, in the schema's order (unknown keys last)."""
    known = [k for k in order if k in table] + sorted(k for k in table if k not in order)
    for key in known:
        if skip is not None and key in skip:
            continue
        yield f"{_bare(key)} = {_value(key, table[key], len(key) + 3)}\n"


def _bare(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() and key.isascii() else _string(key, 0)


def _value(key: str, value: Any, indent: int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if key in _GROUPED else str(value)
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e16 else str(int(value))
    if isinstance(value, str):
        return _string(value, indent)
    if isinstance(value, list):
        items = [_value(key, item, 4) for item in value]
        one_line = "[" + ", ".join(items) + "]"
        if len(one_line) + indent <= WIDTH and "\n" not in one_line:
            return one_line
        return "[\n" + "".join(f"  {item},\n" for item in items) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_bare(k)} = {_value(k, v, 0)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} in a catalog")


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        return f"\\u{ord(char):04x}"
    return char


def _string(text: str, indent: int) -> str:
    """A basic string; from _LONG characters, a multi-line basic string folded at spaces (and
    between CJK characters) with line-ending backslashes, which TOML joins back exactly."""
    if len(text) < _LONG:
        return '"' + "".join(map(_escaped, text)) + '"'
    lines, line, width = [], "", 0
    for position, char in enumerate(text):
        token = _escaped(char)
        line += token
        width += 2 if _wide(char) else len(token)
        following = text[position + 1 : position + 2]
        breakable = following and not following.isspace() and (char == " " or (_wide(char) and _wide(following)))
        if breakable and width >= WIDTH - 8:
            lines.append(line)
            line, width = "", 0
    lines.append(line)
    return '"""\n' + "\\\n".join(lines) + '"""'


def _wide(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef"


def _sorted(document: dict[str, Any]) -> dict[str, Any]:
    return {**document, "entries": sorted(document.get("entries", ()), key=lambda e: str(e.get("id", "")))}


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    import tomli

    parser = argparse.ArgumentParser(prog="python -m llmlist.canonical", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if the file is not canonical")
    args = parser.parse_args(argv)
    current = args.file.read_text(encoding="utf-8")
    canonical = dumps(tomli.loads(current))
    if _sorted(tomli.loads(canonical)) != _sorted(tomli.loads(current)):  # never write a file that means else
        print(f"{args.file}: the canonical form would change the data; not written", file=sys.stderr)
        return 2
    if args.check:
        if canonical != current:
            print(
                f"{args.file} is not in canonical form (run: python -m llmlist.canonical {args.file})", file=sys.stderr
            )
            return 1
        return 0
    if canonical != current:
        import os
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=args.file.parent, prefix=".tmp-", suffix=".toml")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(canonical)
        os.replace(tmp, args.file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
