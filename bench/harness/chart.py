"""A picture of the comparison: one bar panel per metric. PNG with matplotlib, else a plain SVG."""
import report

COLORS = {"taskqueue": "#2b6cb0", "bullmq": "#dd6b20", "rq": "#c53030", "hangfire": "#6b46c1",
          "ceiling": "#718096"}


def _panels(results):
    for key, label, higher in report.METRICS:
        bars = [(s, results[s][key]) for s in report.SYSTEM_KEYS if results.get(s, {}).get(key) is not None]
        yield key, label + (" (higher is better)" if higher else " (lower is better)"), bars


def draw(results, stem, meta):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return _svg(results, stem + ".svg", meta)
    fig, axes = plt.subplots(2, 3, figsize=(14, 7.5))
    for ax, (key, label, bars) in zip(axes.flat, _panels(results)):
        ax.set_title(label, fontsize=10)
        if not bars:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
            ax.set_xticks([])
            continue
        names = [b[0] for b in bars]
        values = [b[1] for b in bars]
        ax.bar(names, values, color=[COLORS[n] for n in names])
        if key.endswith("jobs_per_s") or key == "redis_bytes_per_job":
            if min(values) > 0:
                ax.set_yscale("log")
        if any(v < 0 for v in values):
            ax.axhline(0, color="black", linewidth=0.6)
        for i, v in enumerate(values):
            ax.annotate(report._fmt(v), (i, v), ha="center", va="bottom", fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
    m = meta["machine"]
    fig.suptitle(f"TaskQueue vs peers on one Redis {m['redis']} ({meta['mode']} run, N={meta['n']:,}, "
                 f"median of {meta['runs']}; {m['cores']} cores, {m['date']})", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    path = stem + ".png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _svg(results, path, meta):
    """Fallback when matplotlib is missing: the same panels as horizontal bars, linear scale."""
    w, row_h, panel_gap = 760, 18, 30
    parts, y = [], 30
    parts.append(f'<text x="10" y="20" font-size="14">TaskQueue vs peers ({meta["mode"]} run, N={meta["n"]:,})</text>')
    for key, label, bars in _panels(results):
        parts.append(f'<text x="10" y="{y + 14}" font-size="12" font-weight="bold">{label}</text>')
        y += 20
        top = max((abs(v) for _, v in bars), default=1) or 1
        for name, v in bars:
            width = 480 * abs(v) / top
            parts.append(f'<text x="10" y="{y + 13}" font-size="11">{name}</text>')
            parts.append(f'<rect x="110" y="{y + 2}" width="{width:.1f}" height="{row_h - 4}" fill="{COLORS[name]}"/>')
            parts.append(f'<text x="{115 + width:.1f}" y="{y + 13}" font-size="11">{report._fmt(v)}</text>')
            y += row_h
        y += panel_gap
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{y}" font-family="sans-serif">'
           f'<rect width="100%" height="100%" fill="white"/>{"".join(parts)}</svg>\n')
    with open(path, "w") as f:
        f.write(svg)
    return path
