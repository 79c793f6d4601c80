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
    var old = document.getElementById(overlayId);
    if (!errors.length) { if (old) old.remove(); return; }
    var box = old || document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;" +
      "padding:2rem;background:rgba(20,20,24,.94);color:#f3f3f3;font:14px/1.5 ui-monospace,monospace";
    box.textContent = "";
    var title = document.createElement("h2");
    title.style.cssText = "margin:0 0 1rem;color:#ff8080;font:bold 18px/1.3 ui-sans-serif,sans-serif";
    title.textContent = "sitegen: the build failed \\u2014 showing the last good site";
    var text = document.createElement("pre");
    text.style.cssText = "margin:0;white-space:pre-wrap";
    text.textContent = errors.join("\\n\\n");
    box.append(title, text);
    if (!old) document.documentElement.append(box);
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
        data = json.dumps({"version": self.version, "previous": self.previous, "kind": self.kind,
                           "url": self.url, "errors": list(self.errors)})
        return f"data: {data}\n\n".encode()


def script(version: str | None, navigate: bool) -> str:
    """The inline live-reload script for a page served at `version`."""
    return _SCRIPT % {"version": json.dumps(version), "navigate": json.dumps(navigate),
                      "events": json.dumps(EVENTS_PATH)}


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
    listed = "".join(f"<pre>{html.escape(error, quote=False)}</pre>" for error in errors) or "<p>Building…</p>"
    text = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>sitegen: build failed</title>"
            f"</head><body><h1>The site has not built yet</h1>{listed}</body></html>")
    return inject(text.encode(), None, navigate)
