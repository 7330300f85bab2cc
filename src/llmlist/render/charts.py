"""Text charts for `stats` and trees for `tree`: Rich renderables, catalog text kept inert."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from llmlist.render.inert import inert

if TYPE_CHECKING:
    from llmlist.stats import Count, SizeBin

_BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: int, most: int, width: int) -> str:
    """A horizontal bar of `width` cells at most, in eighths of a cell."""
    if most <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / most * width * 8))
    return "█" * (eighths // 8) + (_BLOCKS[eighths % 8] if eighths % 8 else "")


def bar_chart(title: str, rows: Sequence[tuple[str, int]], width: int) -> Table:
    """Label, bar and count for each row; bars scaled so the largest fills the room left."""
    label_width = min(30, max((Text(inert(label)).cell_len for label, _ in rows), default=0))
    count_width = max((len(str(n)) for _, n in rows), default=1)
    room = max(10, width - label_width - count_width - 4)
    most = max((n for _, n in rows), default=0)
    table = Table.grid(padding=(0, 1))
    table.title = title
    table.title_justify = "left"
    table.add_column(no_wrap=True, max_width=label_width, overflow="ellipsis")
    table.add_column(justify="right", width=count_width)
    table.add_column(style="cyan", no_wrap=True)
    for label, n in rows:
        table.add_row(Text(inert(label)), str(n), bar(n, most, room))
    return table


def stats_view(by: str, counts: Sequence[Count], sizes: Sequence[SizeBin], total: int, width: int) -> RenderableType:
    entries = bar_chart(f"Entries by {by} ({total} in all)", [(c.label, c.entries) for c in counts], width)
    checkpoints = bar_chart("Checkpoints by parameter count", [(b.label, b.checkpoints) for b in sizes], width)
    return Group(entries, Text(""), checkpoints)


_MAX_INDENT = 16  # deeper levels are drawn at this indent, with their depth written out


def lineage_tree(nodes: Sequence[dict[str, Any]], title: str) -> RenderableType:
    """Nested {"id", "name", "children", "repeat"} dicts drawn as trees, one line per node, without
    recursion (a lineage may be thousands deep); a subtree drawn before is shown once, then named."""
    lines = [Text(inert(title), style="bold")]
    stack: list[tuple[dict[str, Any], str, bool, int]] = [
        (node, "", i == len(nodes) - 1, 1) for i, node in reversed(list(enumerate(nodes)))
    ]
    while stack:
        node, prefix, last, depth = stack.pop()
        line = Text(prefix + ("└── " if last else "├── "), style="dim", no_wrap=True, overflow="ellipsis")
        if depth > _MAX_INDENT:
            line.append(f"[{depth}] ", style="dim")
        line.append(inert(node["name"]))
        line.append(f" ({inert(node['id'])})", style="dim")
        if node.get("repeat"):
            line.append(" (shown above)", style="dim")
        lines.append(line)
        inner = prefix + ("    " if last else "│   ") if depth < _MAX_INDENT else prefix
        children = node["children"]
        for i in range(len(children) - 1, -1, -1):
            stack.append((children[i], inner, i == len(children) - 1, depth + 1))
    return Group(*lines)
