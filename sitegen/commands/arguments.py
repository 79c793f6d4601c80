"""The command line's arguments: the argparse table of every command, and Hugo's habits
(`--debug` anywhere, bare `sitegen` builds, Hugo flags sitegen lacks refused with advice)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sitegen import __version__
from sitegen.errors import SiteError


def make_parser() -> argparse.ArgumentParser:
    """The whole command line: global flags, then one sub-parser per command."""
    parser = argparse.ArgumentParser(prog="sitegen", description="Build Hugo-style release blogs.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show Python tracebacks (anywhere on the line)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _build_arguments(commands.add_parser("build", help="build the site into public/"))
    _serve_arguments(
        commands.add_parser(
            "serve",
            aliases=["server"],
            help="build in memory, serve, rebuild and reload on every save",
        )
    )
    _new_arguments(commands.add_parser("new", help="create content from an archetype"))
    commands.add_parser("version", help="print the version")
    releases = commands.add_parser(
        "releases", help="list every release of the site; --check reports doubtful ones"
    )
    _site_options(releases)
    releases.add_argument(
        "--check",
        action="store_true",
        help="report passing mentions, undated releases and translations that disagree; exit 1 if any",
    )
    _check_arguments(
        commands.add_parser(
            "check", help="report broken links, fragments, images, titles, lang and duplicate ids"
        )
    )
    _fix_encoding_arguments(
        commands.add_parser(
            "fix-encoding", help="show (or with --write, fix) mojibake in source files"
        )
    )
    return parser


def _build_arguments(build: argparse.ArgumentParser) -> None:
    _site_options(build)
    build.add_argument(
        "-d", "--destination", type=Path, help="output folder (default: SOURCE/public)"
    )
    build.add_argument("--minify", action="store_true", help="minify HTML, CSS, JS, XML and JSON")
    build.add_argument(
        "--ignoreCache", action="store_true", dest="ignore_cache", help="do not use the build cache"
    )
    build.add_argument(
        "--gc",
        action="store_true",
        help="after the build, remove the cache entries it did not use",
    )
    build.add_argument(
        "--cacheDir",
        type=Path,
        dest="cache_dir",
        help="build cache folder (default: SOURCE/.sitegen-cache)",
    )
    build.add_argument(
        "--workers",
        type=int,
        help="processes for rendering (default: from the site's size; 1: serial)",
    )
    build.add_argument(
        "--cleanDestinationDir",
        action="store_true",
        dest="clean_destination",
        help="remove files in the destination that this build did not write",
    )
    build.add_argument(
        "-w", "--watch", action="store_true", help="not supported: use sitegen serve --renderToDisk"
    )


def _serve_arguments(serve: argparse.ArgumentParser) -> None:
    _site_options(serve)
    serve.add_argument(
        "--bind",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    serve.add_argument(
        "-p", "--port", type=int, default=1313, help="port (default: 1313; 0: any free port)"
    )
    serve.add_argument(
        "-d",
        "--destination",
        type=Path,
        help="with --renderToDisk: output folder (default: SOURCE/public)",
    )
    serve.add_argument(
        "--disableLiveReload",
        action="store_true",
        dest="disable_live_reload",
        help="do not inject the reload script",
    )
    serve.add_argument(
        "--renderToDisk",
        action="store_true",
        dest="render_to_disk",
        help="also write the site to the destination",
    )
    serve.add_argument(
        "--navigateToChanged",
        action="store_true",
        dest="navigate_to_changed",
        help="open the page whose source changed",
    )
    serve.add_argument(
        "--open", action="store_true", dest="open_browser", help="open the site in the web browser"
    )
    serve.add_argument(
        "--renderToMemory",
        action="store_true",
        dest="render_to_memory",
        help="the default: build into memory",
    )
    serve.add_argument(
        "--poll",
        metavar="INTERVAL",
        help="poll for changes every INTERVAL (700ms, 1s) instead of file events",
    )


def _new_arguments(new: argparse.ArgumentParser) -> None:
    new.add_argument(
        "path",
        help="e.g. posts/2024/release-2024-02/index.md (`new content PATH` and `new PATH` are the same)",
    )
    new.add_argument("-s", "--source", type=Path, default=Path("."))
    new.add_argument(
        "-k", "--kind", help="the archetype to use (archetypes/KIND.md), instead of the section's"
    )


def _check_arguments(check: argparse.ArgumentParser) -> None:
    check.add_argument(
        "folder",
        nargs="?",
        type=Path,
        help="a built site (default: build --source into a temporary folder)",
    )
    check.add_argument(
        "-s", "--source", type=Path, default=Path("."), help="the site's folder (default: .)"
    )
    check.add_argument(
        "-b",
        "--baseURL",
        dest="base_url",
        default="",
        help="the site's base URL (default: from the config or the home page's canonical link)",
    )
    check.add_argument("--external", action="store_true", help="also fetch links to other hosts")
    check.add_argument(
        "--timeout", type=float, default=10.0, help="seconds per external request (default: 10)"
    )
    check.add_argument(
        "--max-parallel", type=int, default=8, help="external requests at a time (default: 8)"
    )
    check.add_argument("--quiet", action="store_true", help="do not list external links")


def _fix_encoding_arguments(fix: argparse.ArgumentParser) -> None:
    fix.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: content/, data/, i18n/)"
    )
    fix.add_argument(
        "--write", action="store_true", help="rewrite the files as UTF-8, keeping a backup"
    )
    fix.add_argument("--backup-dir", type=Path, help="where backups go (default: beside each file)")
    fix.add_argument("-s", "--source", type=Path, default=Path("."))


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-s", "--source", type=Path, default=Path("."), help="the site's folder (default: .)"
    )
    parser.add_argument("-t", "--theme", help="theme to use instead of the config's")
    parser.add_argument(
        "-D", "--buildDrafts", action="store_true", dest="build_drafts", help="include drafts"
    )
    parser.add_argument(
        "-F",
        "--buildFuture",
        action="store_true",
        dest="build_future",
        help="include pages dated in the future",
    )
    parser.add_argument(
        "-E",
        "--buildExpired",
        action="store_true",
        dest="build_expired",
        help="include expired pages",
    )
    parser.add_argument(
        "-b", "--baseURL", dest="base_url", help="base URL, e.g. https://example.org/"
    )
    parser.add_argument(
        "--strict-encoding", action="store_true", help="fail on files whose encoding needed repair"
    )
    parser.add_argument("--quiet", action="store_true", help="print errors only")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="list every warning (repeated ones are folded) and say what the build redid and why",
    )
    parser.add_argument(
        "--config",
        type=Path,
        dest="config_file",
        help="the config file (default: SOURCE/hugo.toml, config.toml, …)",
    )
    parser.add_argument(
        "-e", "--environment", help="Hugo's environment: only its default is supported"
    )


# Hugo's flags that sitegen does not have, with what to do instead (an unknown flag of any
# other name gets argparse's own message).
UNSUPPORTED_FLAGS = {
    "--noChmod": "",
    "--noTimes": "",
    "--forceSyncStatic": "",
    "--templateMetrics": "",
    "--templateMetricsHints": "",
    "--printPathWarnings": "",
    "--printUnusedTemplates": "",
    "--printI18nWarnings": "",
    "--printMemoryUsage": "",
    "--panicOnWarning": "",
    "--renderSegments": "",
    "--ignoreVendorPaths": "",
    "--contentDir": "set contentDir in the config",
    "--layoutDir": "set layoutDir in the config",
    "--themesDir": "set themesDir in the config",
    "--logLevel": "use --quiet or --verbose",
    "--disableKinds": "set disableKinds in the config",
    "--noBuildLock": "sitegen takes no build lock",
    "--trace": "use --debug",
}
DEFAULT_ENVIRONMENTS = {
    "build": "production",
    "releases": "production",
    "serve": "development",
    "server": "development",
}


def hugo_argv(argv: list[str], commands: set[str]) -> tuple[list[str], bool]:
    """Hugo's command-line habits: `--debug` anywhere, and no command means build."""
    debug = "--debug" in argv
    argv = [arg for arg in argv if arg != "--debug"]
    if not any(arg in commands for arg in argv) and not {"-h", "--help", "--version"} & set(argv):
        argv = ["build", *argv]  # bare `hugo` builds the site
    if "new" in argv and argv[argv.index("new") + 1 : argv.index("new") + 2] == ["content"]:
        del argv[argv.index("new") + 1]  # `new content PATH` is `new PATH`, as in Hugo
    return argv, debug


def refuse_unsupported(argv: list[str]) -> None:
    for arg in argv:
        flag = arg.split("=", 1)[0]
        if flag in UNSUPPORTED_FLAGS:
            advice = UNSUPPORTED_FLAGS[flag]
            raise SiteError(
                f"{flag} is a Hugo flag not supported by sitegen"
                + (f"; {advice}" if advice else "")
            )


def check_hugo_options(args: argparse.Namespace) -> None:
    """Hugo flags sitegen accepts only where they mean what they mean in Hugo."""
    environment = getattr(args, "environment", None)
    if environment and environment != DEFAULT_ENVIRONMENTS.get(args.command):
        raise SiteError(
            f"-e/--environment {environment!r} is not supported by sitegen: it reads one config file "
            "and has no config/ENVIRONMENT/ folders",
            hint=f"leave -e out (sitegen {args.command} is Hugo's {DEFAULT_ENVIRONMENTS.get(args.command)!r})",
        )
    if getattr(args, "watch", False):
        raise SiteError(
            "build -w/--watch is not supported by sitegen",
            hint="sitegen serve --renderToDisk builds into public/ on every save (and serves it)",
        )


def resolve_config_file(args: argparse.Namespace) -> None:
    """--config FILE: as given, or relative to the site's folder (as Hugo reads it); one file."""
    given = getattr(args, "config_file", None)
    if given is None:
        return
    if "," in str(given):
        raise SiteError(
            "--config with several files is not supported by sitegen",
            given,
            hint="merge them into one config file",
        )
    if not given.exists() and not given.is_absolute() and (args.source / given).exists():
        args.config_file = args.source / given


def interval_ms(text: str) -> int:
    """Hugo's --poll interval: a Go duration such as 700ms, 1s or 1.5s (a bare number is ms)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*", text)
    if not match:
        raise SiteError(
            f"--poll {text!r} is not an interval", hint="e.g. --poll 700ms or --poll 1s"
        )
    value = float(match[1]) * (1000 if match[2] == "s" else 1)
    return max(1, int(value))
