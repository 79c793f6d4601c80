"""`sitegen serve`: build the site in memory, serve it, rebuild on every save, reload the browser.

    serve(ServeOptions(build=BuildOptions(source=Path("site")), port=0))

The pieces: `state` (the served snapshot and the build status), `server` (HTTP from
memory), `paths` (request path to file, content types), `livereload` (the injected
script and its event stream), `watch` (watchfiles and change kinds), `rebuild` (build,
publish, report). Nothing is written anywhere unless `render_to_disk` is set.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import webbrowser
from dataclasses import dataclass, field, replace
from typing import TextIO
from urllib.parse import urlsplit

from sitegen.build.builder import BuildOptions
from sitegen.errors import Diagnostics, SiteError
from sitegen.load.config import load_config
from sitegen.serve.rebuild import Rebuilder
from sitegen.serve.server import PreviewServer, is_loopback, open_server
from sitegen.serve.state import SiteState
from sitegen.serve.watch import Watcher

__all__ = ["ServeOptions", "serve", "local_base_url"]

WATCH_READY_TIMEOUT_S = 30.0


@dataclass
class ServeOptions:
    build: BuildOptions = field(default_factory=BuildOptions)
    bind: str = "127.0.0.1"
    port: int = 1313  # 0: any free port
    live_reload: bool = True
    render_to_disk: bool = False
    navigate_to_changed: bool = False
    open_browser: bool = False
    step_ms: int = 50  # a burst of saves is one change once the folder is quiet this long
    poll_ms: int | None = (
        None  # --poll: look for changes this often instead of waiting for file events
    )


def local_base_url(bind: str, port: int, configured: str | None, given: str | None = None) -> str:
    """The base URL to build with: this server's address, keeping the site's base path.

    As in Hugo, an explicit --baseURL keeps its host and path and gets the server's port.
    """
    if given:
        parts = urlsplit(given if "//" in given else "http://" + given)
        scheme, host, path = parts.scheme or "http", parts.hostname or "localhost", parts.path
    else:
        host = "localhost" if bind in ("0.0.0.0", "::", "") else bind
        scheme, path = "http", urlsplit(configured or "/").path
    if ":" in host:
        host = f"[{host}]"
    path = "/" + path.strip("/") + "/" if path.strip("/") else "/"
    return f"{scheme}://{host}:{port}{path}"


def serve(options: ServeOptions, out: TextIO = sys.stdout) -> int:
    """Build, serve and watch until Ctrl-C (or SIGTERM); returns the exit status."""
    state = SiteState()
    server = open_server(
        options.bind, options.port, state, options.live_reload, options.navigate_to_changed
    )
    http = threading.Thread(target=server.serve_forever, name="sitegen-http", daemon=True)
    watcher = None
    stopped_cleanly = True
    previous_handler = _stop_on_sigterm()
    try:
        base_url = local_base_url(
            options.bind, server.port, _configured_base_url(options.build), options.build.base_url
        )
        server.extra_hosts.add(urlsplit(base_url).hostname or "")
        rebuilder = Rebuilder(
            replace(options.build, base_url=base_url), state, out, options.render_to_disk
        )
        rebuilder.initial_build()
        http.start()
        watcher = Watcher(
            rebuilder.layout, rebuilder.on_change, step_ms=options.step_ms, poll_ms=options.poll_ms
        )
        watcher.start()
        watcher.ready.wait(WATCH_READY_TIMEOUT_S)
        _announce(options, server, base_url, out)
        if options.open_browser:
            webbrowser.open(base_url)
        threading.Event().wait()  # until Ctrl-C or SIGTERM raise KeyboardInterrupt here
    except KeyboardInterrupt:
        pass
    finally:
        state.close()  # ends every open live-reload stream
        if watcher is not None:
            stopped_cleanly = watcher.stop()
        if http.is_alive():
            server.shutdown()
        server.server_close()
        if previous_handler is not None:
            signal.signal(signal.SIGTERM, previous_handler)
    print("stopped", file=out, flush=True)
    if not stopped_cleanly:
        _end_stuck_rebuild(out)
    return 0


def _end_stuck_rebuild(out: TextIO) -> None:
    """A rebuild still runs after the stop: its render workers were ended under it (a
    process manager signals the whole group), and a pool that lost a worker never returns,
    nor would the interpreter's exit that waits for it. Nothing is half-written (outputs
    are swapped in whole), so the process ends here."""
    print("a rebuild was still running; ended it", file=out, flush=True)
    sys.stderr.flush()
    os._exit(0)


def _stop_on_sigterm():
    """Make SIGTERM (a process manager, a benchmark) stop the server as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)


def _configured_base_url(options: BuildOptions) -> str | None:
    try:
        return load_config(options.source.resolve(), Diagnostics()).base_url
    except SiteError:
        return None  # the first build reports it


def _announce(options: ServeOptions, server: PreviewServer, base_url: str, out: TextIO) -> None:
    if not is_loopback(options.bind):
        print(
            f"warning: serving on {options.bind}, which other machines on your network can reach "
            "(drafts included); use --bind 127.0.0.1 to keep the preview to this machine",
            file=out,
        )
    if options.render_to_disk:
        print(f"rendering to {options.build.output_dir}", file=out)
    else:
        print("serving from memory; nothing is written to disk", file=out)
    print(
        f"Web server available at {base_url} (bind address {options.bind}, port {server.port})",
        file=out,
    )
    print("Press Ctrl+C to stop", file=out, flush=True)
