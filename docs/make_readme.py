"""Regenerate the catalog table in README.md from the bundled catalog.

    python docs/make_readme.py

The table sits between the `<!-- catalog:start -->` and `<!-- catalog:end -->` markers; a test
fails when it is out of date.
"""

from __future__ import annotations

from pathlib import Path

from llmlist import export
from llmlist.catalog import load_catalog

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- catalog:start -->\n", "<!-- catalog:end -->"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    table = export.markdown(load_catalog(use_cache=False), "en").strip()
    README.write_text(f"{before}{START}{table}\n{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
