"""Licence names: SPDX ids for the common spellings, and matching a user's words against a licence."""

from __future__ import annotations

import functools
import re

# SPDX ids of the licences catalogs meet most, by a canonical form of the ways people write them.
SPDX_IDS = (
    "Apache-2.0", "MIT", "BSD-2-Clause", "BSD-3-Clause", "GPL-2.0-only", "GPL-3.0-only", "GPL-3.0-or-later",
    "AGPL-3.0-only", "LGPL-3.0-only", "MPL-2.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0",
    "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0", "CC0-1.0", "PDDL-1.0", "Unlicense", "OpenRAIL", "BSL-1.0",
)  # fmt: skip
_NOISE = r"licen[cs]e|version|the|[\s_\-.,()/]+|v(?=\d)"  # compiled on first use


def canonical(text: str) -> str:
    """A form in which spellings of one licence agree: 'Apache 2.0', 'apache-2.0' and
    'Apache License, Version 2.0' all become 'apache20'."""
    return re.sub(_NOISE, "", text.casefold())


_SHORT_NAMES = {"gpl3": "GPL-3.0-only", "gpl30": "GPL-3.0-only", "agpl30": "AGPL-3.0-only",
                "gpl20": "GPL-2.0-only", "apache": "Apache-2.0", "apache2": "Apache-2.0",
                "mit": "MIT", "bsd2clause": "BSD-2-Clause", "bsd3clause": "BSD-3-Clause"}  # fmt: skip


def spdx_id(text: str) -> str | None:
    """The SPDX id `text` names exactly ('Apache 2.0' -> 'Apache-2.0'), or None."""
    return _by_canonical().get(canonical(text))


@functools.cache
def _by_canonical() -> dict[str, str]:
    """SPDX ids by their canonical form, made once when first asked (not at start-up)."""
    return {**{canonical(spdx): spdx for spdx in SPDX_IDS}, **_SHORT_NAMES}


def matches(wanted: str, license_name: str | None) -> bool:
    """Whether a licence name contains what a user asked for, in any spelling ('apache 2.0')."""
    if not license_name:
        return False
    key = canonical(wanted)
    return bool(key) and key in canonical(license_name)


def label(code: str | None, weights: str | None, model: bool = False) -> str:
    """The licence's short name, as tables show it: the weights' licence, else the code's (for a
    model, said to be the code's: 'code Apache-2.0', since its weights' licence is not known)."""
    if model and code and not weights:
        return f"code {code}"
    return weights or code or ""


def text(code: str | None, weights: str | None, model: bool = False) -> str:
    """The licence in full: 'Apache-2.0', or 'code Apache-2.0; weights X' when the two differ (for
    a model whose weights' licence is not known, 'code Apache-2.0')."""
    if model and code and not weights:
        return f"code {code}"
    if code and weights and code != weights:
        return f"code {code}; weights {weights}"
    return code or weights or ""
