"""Helpers for the browser tests: launching Debian's chromium, opening a report with the
network blocked, and turning what the page did into readable assertion messages."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

#: Playwright's own browser download does not work here: drive Debian's chromium.
CHROMIUM = Path(os.environ.get("WORKBOOK_CHROMIUM") or "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 360, "height": 740}
NBCONVERT_PLACEHOLDER_ALT = "No description has been provided for this image"


def require_chromium() -> Path:
    """The chromium binary, or fail naming ``make browser`` (skip only when asked to)."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = (
        f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
        "Install it with `make browser` (scripts/install-browser.sh), "
        "or set WORKBOOK_SKIP_BROWSER=1 to skip these tests on purpose."
    )
    if os.environ.get("WORKBOOK_SKIP_BROWSER") == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def expected_region_slugs(regions_csv: Path) -> list[str]:
    """Slugs of the regions in a regions.csv, in file order, read without polars."""
    from pipelines.geography import region_slug

    with regions_csv.open(encoding="utf-8-sig", newline="") as handle:
        names = [row["region"] for row in csv.DictReader(handle)]
    return list(dict.fromkeys(region_slug(name) for name in names if name.strip()))


@dataclass
class PageLog:
    """Everything a page tried to do while it was open."""

    blocked: list[str] = field(default_factory=list)  # requests aborted by the route
    requests: list[str] = field(default_factory=list)  # every request the page made
    failed: list[str] = field(default_factory=list)  # requests that failed (not ours)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)

    @property
    def outside(self) -> list[str]:
        """Requests that would have left the file (anything not file: or data:)."""
        seen = self.blocked + self.requests + self.websockets
        return sorted({u for u in seen if not is_local(u)})


def is_local(url: str) -> bool:
    return url.startswith(("file://", "data:", "about:blank"))


def attach_log(page, log: PageLog | None = None) -> PageLog:
    """Block every non-file request of ``page`` and record what it attempted in ``log``."""
    log = log if log is not None else PageLog()

    def route(route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort("blockedbyclient")

    def on_console(message) -> None:
        if message.type == "error":
            where = message.location or {}
            log.console_errors.append(
                f"{message.text} ({where.get('url', '')}:{where.get('lineNumber', '')})"
            )

    def on_failed(request) -> None:
        if request.url not in log.blocked:
            log.failed.append(f"{request.url[:200]}: {request.failure}")

    page.route("**/*", route)
    page.on("request", lambda request: log.requests.append(request.url))
    page.on("requestfailed", on_failed)
    page.on("console", on_console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.on("websocket", lambda ws: log.websockets.append(ws.url))
    return log


def local_target(page_path: Path, href: str) -> Path | None:
    """The file a relative link of ``page_path`` points to (None for fragments/others)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (page_path.parent / unquote(parts.path)).resolve()


def run_axe(page, axe, options: dict, nodes_per_rule: int = 3) -> list[dict]:
    """axe-core's violations on ``page``, each node annotated with where it is on the page."""
    violations = axe.run(page, options={**options, "resultTypes": ["violations"]}).response[
        "violations"
    ]
    for violation in violations:
        for node in violation["nodes"][:nodes_per_rule]:
            target = node.get("target") or []
            if len(target) == 1 and isinstance(target[0], str):
                node["where"] = page.evaluate(NODE_CONTEXT_JS, target[0])
    return violations


def format_axe(violations: list[dict], nodes_per_rule: int = 3) -> str:
    """Each axe violation as id, impact, help, and its first few targets with their HTML."""
    lines = []
    for v in violations:
        lines.append(
            f"- {v['id']} ({v.get('impact')}): {v.get('help')} — {len(v['nodes'])} node(s); "
            f"{v.get('helpUrl', '')}"
        )
        for node in v["nodes"][:nodes_per_rule]:
            target = " ".join(str(t) for t in node.get("target", []))
            html = " ".join(node.get("html", "").split())[:300]
            summary = " ".join(node.get("failureSummary", "").split())[:300]
            lines.append(f"    target: {target}\n      html: {html}\n      why: {summary}")
            if node.get("where"):
                lines.append(f"      where: {node['where']}")
    return "\n".join(lines)


# --- JavaScript run in the page --------------------------------------------------------

CHARTS_JS = """() => [...document.querySelectorAll('figure.chart')].map((figure, i) => {
  const imgs = [...figure.querySelectorAll('img')].map(img => ({
    src: (img.getAttribute('src') || '').slice(0, 40),
    alt: img.getAttribute('alt'),
    complete: img.complete,
    naturalWidth: img.naturalWidth,
    naturalHeight: img.naturalHeight,
    renderedWidth: img.getBoundingClientRect().width,
  }));
  const csv = [...figure.querySelectorAll('a[href]')]
    .map(a => a.getAttribute('href')).filter(h => /\\.csv$/i.test(h.split(/[?#]/)[0]));
  const caption = figure.querySelector('figcaption');
  return {index: i, imgs, csv, caption: caption ? caption.textContent.trim().slice(0, 120) : null};
})"""

ALL_IMAGES_JS = """() => [...document.images].map(img => ({
  src: (img.getAttribute('src') || '').slice(0, 60),
  inChart: !!img.closest('figure.chart'),
}))"""

HEADINGS_JS = """() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => ({
  level: Number(h.tagName.slice(1)), text: h.textContent.trim().slice(0, 80),
}))"""

LINKS_JS = """() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"""

IDS_JS = """() => [...document.querySelectorAll('[id]')].map(e => e.id)"""

UNSAFE_JS = """() => {
  const out = {scripts: [], handlers: [], javascriptUrls: [], remoteUrls: [], cssRemote: []};
  for (const s of document.querySelectorAll('script')) out.scripts.push(s.outerHTML.slice(0, 200));
  const urlAttrs = ['src', 'href', 'srcset', 'action', 'formaction', 'poster', 'data',
                    'background', 'xlink:href', 'ping', 'manifest'];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().replace(/[\\s\\u0000-\\u001f]+/g, '').toLowerCase();
      const tag = el.tagName.toLowerCase();
      if (name.startsWith('on')) out.handlers.push(`<${tag} ${name}="${attr.value.slice(0, 80)}">`);
      if (value.startsWith('javascript:') || value.startsWith('vbscript:'))
        out.javascriptUrls.push(`<${tag} ${name}="${attr.value.slice(0, 80)}">`);
      if (urlAttrs.includes(name) && /(^|[\\s,])(https?:)?\\/\\//.test(value))
        out.remoteUrls.push(`<${tag} ${name}="${attr.value.slice(0, 120)}">`);
    }
  }
  for (const style of document.querySelectorAll('style')) {
    const css = style.textContent;
    if (/@import|url\\(\\s*['"]?\\s*(https?:)?\\/\\//i.test(css)) out.cssRemote.push(css.slice(0, 200));
  }
  return out;
}"""

HEAD_JS = """() => {
  const csp = [...document.querySelectorAll('meta[http-equiv]')]
    .filter(m => m.getAttribute('http-equiv').toLowerCase() === 'content-security-policy')
    .map(m => m.getAttribute('content'));
  const styles = [...document.querySelectorAll('style')].map(s => s.textContent);
  return {
    csp, lang: document.documentElement.getAttribute('lang'), title: document.title,
    printStyle: styles.some(css => /@media\\s+print\\b/i.test(css)),
    linkedStylesheets: document.querySelectorAll('link[rel~="stylesheet"]').length,
  };
}"""

#: Elements sticking out to the right of the viewport, outermost first, ignoring what
#: scrolls inside its own overflow container (such as .table-wrap).
OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const scrolls = el => { const o = getComputedStyle(el).overflowX; return o === 'auto' || o === 'scroll' || o === 'hidden'; };
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    let contained = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (scrolls(p)) { contained = true; break; }
      if (culprits.includes(p)) { contained = true; break; }
    }
    if (!contained) culprits.push(el);
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: width,
    culprits: culprits.slice(0, 8).map(el => ({
      tag: el.tagName.toLowerCase(), id: el.id, cls: el.className && String(el.className),
      right: Math.round(el.getBoundingClientRect().right),
      width: Math.round(el.getBoundingClientRect().width),
      html: el.outerHTML.replace(/src="data:[^"]*"/g, 'src="data:…"').slice(0, 240),
    })),
  };
}"""

#: Where an element is: the heading above it and its own caption, for axe messages.
NODE_CONTEXT_JS = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  let heading = null;
  for (const h of document.querySelectorAll('h1,h2,h3,h4,h5,h6'))
    if (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) heading = h;
  const caption = el.matches('caption, figcaption') ? el : el.querySelector('caption, figcaption');
  const parts = [];
  if (heading) parts.push(`under ${heading.tagName.toLowerCase()} "${heading.textContent.trim().slice(0, 80)}"`);
  if (caption) parts.push(`caption "${caption.textContent.trim().slice(0, 80)}"`);
  return parts.join(', ');
}"""

PRINT_JS = """() => {
  const skip = document.querySelector('.skip-link');
  return {skipLinkDisplay: skip ? getComputedStyle(skip).display : null};
}"""
