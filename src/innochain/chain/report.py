"""A region's cluster as one self-contained HTML file: styles inline, no script, no link to
anything but the sources, so it can be mailed, printed or archived as it is."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

__all__ = ["region_report"]

STYLE = """
body { font: 14px/1.5 system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
       margin: 2rem auto; max-width: 60rem; color: #1f2328; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0; } h2 { margin-top: 2rem; font-size: 1.2rem; }
small, .muted { color: #59636e; } table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #d1d9e0;
         vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { background: #d1d9e0; height: .8rem; width: 20rem; display: inline-block; }
.bar span { background: #0b6e4f; height: 100%; display: block; }
ul { margin: 0; padding-left: 1.1rem; }
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def region_report(profile: dict[str, Any], *, generated: date | None = None) -> str:
    """The HTML report of `innochain.chain.regions.region_profile`'s result."""
    done = profile["completeness"]
    width = round(100 * done["share"], 1)
    present = [n for n in profile["nodes"] if n["present"]]
    present.sort(key=lambda n: (-n["lq"], n["node"]))
    rows = "".join(
        f"<tr><td>{_e(n['name_zh'])} <small>{_e(n['name_en'])}</small></td><td>{_e(n['stage'])}"
        f"</td><td class=num>{n['local']}</td><td class=num>{n['lq']:.2f}</td>"
        f"<td class=num>{n['density']:.2f}</td></tr>"
        for n in present
    )
    missing = "".join(
        f"<tr><td>{_e(m['name_zh'])} <small>{_e(m['name_en'])}</small></td>"
        f"<td class=num>{m['density']:.2f}</td><td><ul>"
        + "".join(
            f"<li><b>{_e(s['name_zh'] or s['name_en'])}</b> <small>{_e(s['name_en'])} · "
            f"score {s['score']:.3f}</small><br><small>{_e('; '.join(s['why']))}</small></li>"
            for s in m["suggestions"]
        )
        + ("" if m["suggestions"] else "<li class=muted>no candidate in the registry</li>")
        + "</ul></td></tr>"
        for m in profile["missing"]
    )
    title = f"{profile['region']} {profile.get('region_zh') or ''}".strip()
    return f"""<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<title>{_e(title)} · chain cluster report 产业链集群报告</title>
<style>{STYLE}</style></head><body>
<h1>{_e(title)} <small>chain cluster report 产业链集群报告</small></h1>
<p class=muted>{_e(profile["level"])} · generated {(generated or date.today()).isoformat()}
by innochain from the registry's sourced facts; counts are of the firms the registry records,
not of every firm in the region.</p>
<p><b>{profile["firms"]["count"]}</b> firms 企业 · <b>{profile["research"]["count"]}</b>
universities and institutes 高校院所 · chain completeness 产业链完整度
<b>{done["covered"]}/{done["total"]}</b> nodes ({width:g} %)
<span class=bar><span style="width:{width:g}%"></span></span></p>
<h2>What the region makes <small>已有环节 · location quotient and relatedness density</small></h2>
<table><thead><tr><th>Node 环节</th><th>Stage</th><th class=num>Local firms</th>
<th class=num>LQ</th><th class=num>Density</th></tr></thead><tbody>{rows}</tbody></table>
<h2>Missing nodes and whom to attract <small>缺失环节与招商建议</small></h2>
<p class=muted>Most related to the region's existing base first (relatedness density); each
suggestion with its score: 0.4 capability + 0.3 relatedness + 0.3 ties with local firms.</p>
<table><thead><tr><th>Node 环节</th><th class=num>Density</th><th>Suggested organisations
建议引进</th></tr></thead><tbody>{missing}</tbody></table>
</body></html>
"""
