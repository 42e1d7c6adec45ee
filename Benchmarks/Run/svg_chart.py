"""A horizontal bar chart of the ratios as hand-written SVG: log scale, a line at 1.0×."""
import math
import os
from xml.sax.saxutils import escape

PLOT_WIDTH, BAR, GAP, TOP = 420, 14, 4, 34
CHARACTER_WIDTH = 6.0  # px of an average character at font-size 11, to size the label column
LOWEST, HIGHEST = 1 / 8, 8  # the axis; ratios beyond it are drawn to its end and labeled


def x_of(ratio, left):
    """The horizontal position of a ratio on the log axis that starts at left."""
    clamped = min(max(ratio, LOWEST), HIGHEST)
    return left + PLOT_WIDTH * (math.log2(clamped) - math.log2(LOWEST)) / (math.log2(HIGHEST) - math.log2(LOWEST))


def chart(results, title):
    """The SVG text for the results that have a ratio."""
    rows = [r for r in results if r["status"] == "ok"]
    labels = [f"{r['corpus']}, {r['task']}, {r['threads']} thr vs {r['peer']['name']}" for r in rows]
    left = 12 + CHARACTER_WIDTH * max((len(label) for label in labels), default=10)
    height = TOP + len(rows) * (BAR + GAP) + 30
    width = left + PLOT_WIDTH + 60
    one = x_of(1, left)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="11">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="13">{escape(title)}</text>']
    for i, (r, label) in enumerate(zip(rows, labels)):
        y = TOP + i * (BAR + GAP)
        end = x_of(r["ratio"], left)
        colour = "#2e7d32" if r["ratio"] >= 1 else "#c62828"
        parts.append(f'<text x="{left - 6:.1f}" y="{y + BAR - 3}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{min(one, end):.1f}" y="{y}" width="{abs(end - one):.1f}" height="{BAR}" fill="{colour}"/>')
        parts.append(f'<text x="{max(one, end) + 4:.1f}" y="{y + BAR - 3}">{r["ratio"]:.2f}×</text>')
    bottom = TOP + len(rows) * (BAR + GAP)
    for tick in (0.125, 0.25, 0.5, 1, 2, 4, 8):
        x = x_of(tick, left)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{bottom}" '
                     f'stroke="{"black" if tick == 1 else "#ccc"}" stroke-width="{1.5 if tick == 1 else 0.5}"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle">{tick:g}×</text>')
    parts.append(f'<text x="{one:.1f}" y="{bottom + 27}" text-anchor="middle">'
                 f'textclf ÷ peer throughput (log scale; right of 1× = textclf faster)</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def write_chart(path, results, title):
    """Writes the chart to path through a temporary file."""
    with open(path + ".part", "w", encoding="utf-8") as out:
        out.write(chart(results, title))
    os.replace(path + ".part", path)
