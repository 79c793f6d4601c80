"""Live reload: the script injected into every served HTML page, and the events it reads.

The browser holds one Server-Sent Events stream (`EVENTS_PATH`) open. Each message is the
server's whole status: the version of the site it serves, how it changed last, and the
errors of the last failed build. The page compares that version with the one it was
served at, so a page never misses a rebuild that finished while it was loading, and a
server restarted under an open tab reloads it. Errors are laid over the page as an
overlay; they are set with `textContent`, never as HTML, so error text cannot run script.
Nothing is fetched from elsewhere: the script is inline and the stream is same-origin.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

EVENTS_PATH = "/__sitegen/events"
RETRY_MS = 1000  # how soon EventSource reconnects, e.g. after the server was restarted

_SCRIPT = """<script data-sitegen-livereload>(function () {
  var served = %(version)s, navigate = %(navigate)s, overlayId = "sitegen-error-overlay";
  function showErrors(errors) {
    var host = document.getElementById(overlayId);
    if (!errors.length) { if (host) host.remove(); return; }
    if (!host) {
      // A shadow root keeps the site's own CSS away from the overlay, and the overlay's from the site.
      host = document.createElement("sitegen-error-overlay");
      host.id = overlayId;
      host.style.cssText = "all:initial;position:fixed;inset:0;z-index:2147483647";
      host.attachShadow({mode: "open"}).innerHTML = "<style>" +
        "div{box-sizing:border-box;height:100%%;overflow:auto;padding:2rem;background:rgba(24,24,28,.96);" +
        "color:#f0f0f0;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace}" +
        "h2{margin:0 0 1rem;color:#ff8a8a;font:bold 18px/1.3 system-ui,sans-serif}" +
        "pre{margin:0;white-space:pre-wrap;font:inherit;color:inherit;background:none}</style>" +
        "<div role='alert'><h2></h2><pre></pre></div>";
      document.documentElement.append(host);
    }
    host.shadowRoot.querySelector("h2").textContent = "sitegen: the build failed \\u2014 showing the last good site";
    host.shadowRoot.querySelector("pre").textContent = errors.join("\\n\\n");
  }
  function refreshStylesheets() {
    document.querySelectorAll('link[rel~="stylesheet"][href]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("sitegen-reload", Date.now());
      link.href = url.href;
    });
  }
  var events = new EventSource(%(events)s);
  events.onmessage = function (message) {
    var status = JSON.parse(message.data);
    showErrors(status.errors);
    if (status.version === null || status.version === served) return;
    if (status.kind === "css" && status.previous === served) {
      served = status.version;
      refreshStylesheets();
    } else if (navigate && status.url && status.url !== location.pathname) {
      location.href = status.url;
    } else {
      location.reload();
    }
  };
})();</script>"""


@dataclass(frozen=True)
class Status:
    """What the server tells every open page: sent on connect and after every build."""

    version: str | None  # None until the first good build
    previous: str | None  # the version before the last change (a css-only refresh needs it)
    kind: str  # "full" or "css": how the last change reaches an open page
    url: str | None  # the page that changed, for --navigateToChanged
    errors: tuple[str, ...]  # the last build's errors; empty after a good build

    def event(self) -> bytes:
        data = json.dumps(
            {
                "version": self.version,
                "previous": self.previous,
                "kind": self.kind,
                "url": self.url,
                "errors": list(self.errors),
            }
        )
        return f"data: {data}\n\n".encode()


def script(version: str | None, navigate: bool) -> str:
    """The inline live-reload script for a page served at `version`."""
    return _SCRIPT % {
        "version": json.dumps(version),
        "navigate": json.dumps(navigate),
        "events": json.dumps(EVENTS_PATH),
    }


_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
_HTML_END = re.compile(rb"</html\s*>", re.IGNORECASE)


def inject(page: bytes, version: str | None, navigate: bool = False) -> bytes:
    """`page` with the script before its last `</body>` (or `</html>`, or at the very end)."""
    tag = script(version, navigate).encode()
    for pattern in (_BODY_END, _HTML_END):
        matches = list(pattern.finditer(page))
        if matches:
            at = matches[-1].start()
            return page[:at] + tag + page[at:]
    return page + tag


def error_page(errors: tuple[str, ...], navigate: bool = False) -> bytes:
    """Served for every page while there has never been a good build: the overlay says why."""
    listed = (
        "".join(f"<pre>{html.escape(error, quote=False)}</pre>" for error in errors)
        or "<p>Building…</p>"
    )
    text = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>sitegen: build failed</title>'
        f"</head><body><h1>The site has not built yet</h1>{listed}</body></html>"
    )
    return inject(text.encode(), None, navigate)
