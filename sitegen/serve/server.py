"""The preview HTTP server: the standard library's ThreadingHTTPServer, serving a snapshot.

GET and HEAD only. Every answer says `Cache-Control: no-store`, so a browser never shows
a page older than the last build. On a loopback address, requests whose Host header names
another machine are refused: that stops a web page from reading the preview through a
DNS-rebinding trick.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from sitegen import __version__
from sitegen.errors import SiteError
from sitegen.serve import livereload
from sitegen.serve.paths import BadRequest, Found, Redirect, content_type, not_found_page, resolve
from sitegen.serve.state import SiteState

KEEPALIVE_S = 15.0  # a comment line on the event stream this often notices closed tabs
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # a tab's open event stream must not keep the process alive

    def __init__(
        self,
        address: tuple[str, int],
        state: SiteState,
        live_reload: bool = True,
        navigate_to_changed: bool = False,
    ):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.state = state
        self.live_reload = live_reload
        self.navigate_to_changed = navigate_to_changed
        self.extra_hosts: set[str] = set()  # e.g. the host of a --baseURL
        super().__init__(address, PreviewHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def host_allowed(self, header: str | None) -> bool:
        if not is_loopback(self.server_address[0]):
            return True  # the user chose to serve the network; any name may lead here
        if not header:
            return False
        host = urlsplit("//" + header).hostname or ""
        return host in LOCAL_HOSTS or host in self.extra_hosts


def open_server(
    bind: str,
    port: int,
    state: SiteState,
    live_reload: bool = True,
    navigate_to_changed: bool = False,
) -> PreviewServer:
    """Bind the server (port 0: any free port), or a SiteError saying what to do instead."""
    try:
        return PreviewServer((bind, port), state, live_reload, navigate_to_changed)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise SiteError(
                f"port {port} on {bind} is already in use",
                hint="stop the other server, choose another port with --port, "
                "or use --port 0 for any free port",
            ) from None
        if error.errno == errno.EACCES:
            raise SiteError(
                f"no permission to listen on port {port}",
                hint="ports below 1024 need privileges; use the default 1313",
            ) from None
        raise SiteError(
            f"cannot listen on {bind}:{port}: {error.strerror or error}",
            hint="check the --bind address; 127.0.0.1 serves this machine only",
        ) from None


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = f"sitegen/{__version__}"

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def _method_not_allowed(self) -> None:
        self._send(
            HTTPStatus.METHOD_NOT_ALLOWED,
            b"only GET and HEAD are served\n",
            "text/plain; charset=utf-8",
            extra={"Allow": "GET, HEAD"},
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = (
        _method_not_allowed
    )

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # a preview does not log every request; errors reach the terminal from the build

    def _answer(self) -> None:
        if not self.server.host_allowed(self.headers.get("Host")):
            return self._send(
                HTTPStatus.FORBIDDEN, b"unknown Host header\n", "text/plain; charset=utf-8"
            )
        if self.path.split("?", 1)[0] == livereload.EVENTS_PATH and self.server.live_reload:
            return self._events()
        snapshot = self.server.state.snapshot
        if snapshot is None:  # no good build yet: every page explains why
            errors = self.server.state.status.errors
            return self._send(
                HTTPStatus.SERVICE_UNAVAILABLE,
                livereload.error_page(errors, self.server.navigate_to_changed),
                "text/html; charset=utf-8",
            )
        try:
            found = resolve(snapshot, self.path)
        except BadRequest as error:
            return self._send(
                HTTPStatus.BAD_REQUEST, f"{error}\n".encode(), "text/plain; charset=utf-8"
            )
        if isinstance(found, Redirect):
            return self._send(
                HTTPStatus.FOUND,
                b"",
                "text/plain; charset=utf-8",
                extra={"Location": found.location},
            )
        status = HTTPStatus.OK
        if found is None:
            status, found = HTTPStatus.NOT_FOUND, not_found_page(snapshot, self.path)
            if found is None:
                return self._send(status, b"404 page not found\n", "text/plain; charset=utf-8")
        self._send_file(status, found, snapshot.version)

    def _send_file(self, status: HTTPStatus, found: Found, version: str) -> None:
        data = found.data
        if data is None:
            try:
                data = found.path.read_bytes()
            except OSError:  # removed between the build and this request
                return self._send(
                    HTTPStatus.NOT_FOUND, b"404 page not found\n", "text/plain; charset=utf-8"
                )
        kind = content_type(found.rel, data[:512])
        if kind.startswith("text/html") and self.server.live_reload:
            data = livereload.inject(data, version, self.server.navigate_to_changed)
        self._send(status, data, kind)

    def _send(
        self, status: HTTPStatus, body: bytes, kind: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _events(self) -> None:
        """The live-reload stream: the status now, then after every change, until the tab closes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        if self.command == "HEAD":
            return
        state = self.server.state
        generation, status = state.wait(None, 0)
        try:
            self.wfile.write(f"retry: {livereload.RETRY_MS}\n".encode())
            while status is not None:
                self.wfile.write(status.event())
                self.wfile.flush()
                seen = generation
                while status is not None and generation == seen:
                    generation, status = state.wait(seen, KEEPALIVE_S)
                    if generation == seen and status is not None:
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded
