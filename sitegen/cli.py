"""The `sitegen` command line: build, serve, new, fix-encoding, releases, check."""

from __future__ import annotations

import argparse
import re
import sys
import traceback
from pathlib import Path

from sitegen import __version__
from sitegen.errors import BuildFailed, SiteError


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-s", "--source", type=Path, default=Path("."), help="the site's folder (default: .)")
    parser.add_argument("-t", "--theme", help="theme to use instead of the config's")
    parser.add_argument("-D", "--buildDrafts", action="store_true", dest="build_drafts", help="include drafts")
    parser.add_argument("-F", "--buildFuture", action="store_true", dest="build_future", help="include pages dated in the future")
    parser.add_argument("-E", "--buildExpired", action="store_true", dest="build_expired", help="include expired pages")
    parser.add_argument("-b", "--baseURL", dest="base_url", help="base URL, e.g. https://example.org/")
    parser.add_argument("--strict-encoding", action="store_true", help="fail on files whose encoding needed repair")
    parser.add_argument("--quiet", action="store_true", help="print errors only")
    parser.add_argument("--verbose", action="store_true",
                        help="list every warning (repeated ones are folded) and say what the build redid and why")
    parser.add_argument("--config", type=Path, dest="config_file", help="the config file (default: SOURCE/hugo.toml, config.toml, …)")
    parser.add_argument("-e", "--environment", help="Hugo's environment: only its default is supported")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description="Build Hugo-style release blogs.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks (anywhere on the line)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into public/")
    _site_options(build)
    build.add_argument("-d", "--destination", type=Path, help="output folder (default: SOURCE/public)")
    build.add_argument("--minify", action="store_true", help="minify HTML, CSS, JS, XML and JSON")
    build.add_argument("--ignoreCache", action="store_true", dest="ignore_cache", help="do not use the build cache")
    build.add_argument("--cacheDir", type=Path, dest="cache_dir", help="build cache folder (default: SOURCE/.sitegen-cache)")
    build.add_argument("--workers", type=int, help="processes for rendering (default: from the site's size; 1: serial)")
    build.add_argument("--cleanDestinationDir", action="store_true", dest="clean_destination",
                       help="remove files in the destination that this build did not write")
    build.add_argument("-w", "--watch", action="store_true", help="not supported: use sitegen serve --renderToDisk")

    serve = commands.add_parser("serve", aliases=["server"], help="build in memory, serve, rebuild and reload on every save")
    _site_options(serve)
    serve.add_argument("--bind", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("-p", "--port", type=int, default=1313, help="port (default: 1313; 0: any free port)")
    serve.add_argument("-d", "--destination", type=Path, help="with --renderToDisk: output folder (default: SOURCE/public)")
    serve.add_argument("--disableLiveReload", action="store_true", dest="disable_live_reload", help="do not inject the reload script")
    serve.add_argument("--renderToDisk", action="store_true", dest="render_to_disk", help="also write the site to the destination")
    serve.add_argument("--navigateToChanged", action="store_true", dest="navigate_to_changed", help="open the page whose source changed")
    serve.add_argument("--open", action="store_true", dest="open_browser", help="open the site in the web browser")
    serve.add_argument("--renderToMemory", action="store_true", dest="render_to_memory", help="the default: build into memory")
    serve.add_argument("--poll", metavar="INTERVAL", help="poll for changes every INTERVAL (700ms, 1s) instead of file events")

    new = commands.add_parser("new", help="create content from an archetype")
    new.add_argument("path", help="e.g. posts/2024/release-2024-02/index.md (`new content PATH` and `new PATH` are the same)")
    new.add_argument("-s", "--source", type=Path, default=Path("."))
    new.add_argument("-k", "--kind", help="the archetype to use (archetypes/KIND.md), instead of the section's")

    commands.add_parser("version", help="print the version")

    releases = commands.add_parser("releases", help="list every release of the site; --check reports doubtful ones")
    _site_options(releases)
    releases.add_argument("--check", action="store_true",
                          help="report passing mentions, undated releases and translations that disagree; exit 1 if any")

    check = commands.add_parser("check", help="report broken links, fragments, images, titles, lang and duplicate ids")
    check.add_argument("folder", nargs="?", type=Path, help="a built site (default: build --source into a temporary folder)")
    check.add_argument("-s", "--source", type=Path, default=Path("."), help="the site's folder (default: .)")
    check.add_argument("-b", "--baseURL", dest="base_url", default="", help="the site's base URL (default: from the config or the home page's canonical link)")
    check.add_argument("--external", action="store_true", help="also fetch links to other hosts")
    check.add_argument("--timeout", type=float, default=10.0, help="seconds per external request (default: 10)")
    check.add_argument("--max-parallel", type=int, default=8, help="external requests at a time (default: 8)")
    check.add_argument("--quiet", action="store_true", help="do not list external links")

    fix = commands.add_parser("fix-encoding", help="show (or with --write, fix) mojibake in source files")
    fix.add_argument("paths", nargs="*", type=Path, help="files or folders (default: content/, data/, i18n/)")
    fix.add_argument("--write", action="store_true", help="rewrite the files as UTF-8, keeping a backup")
    fix.add_argument("--backup-dir", type=Path, help="where backups go (default: beside each file)")
    fix.add_argument("-s", "--source", type=Path, default=Path("."))
    return parser


# Hugo's flags that sitegen does not have, with what to do instead (an unknown flag of any
# other name gets argparse's own message).
UNSUPPORTED_FLAGS = {
    "--gc": "sitegen keeps no resources/_gen to clean", "--noChmod": "", "--noTimes": "",
    "--forceSyncStatic": "", "--templateMetrics": "", "--templateMetricsHints": "",
    "--printPathWarnings": "", "--printUnusedTemplates": "", "--printI18nWarnings": "",
    "--printMemoryUsage": "", "--panicOnWarning": "", "--renderSegments": "", "--ignoreVendorPaths": "",
    "--contentDir": "set contentDir in the config", "--layoutDir": "set layoutDir in the config",
    "--themesDir": "set themesDir in the config", "--logLevel": "use --quiet or --verbose",
    "--disableKinds": "set disableKinds in the config", "--noBuildLock": "sitegen takes no build lock",
    "--trace": "use --debug",
}
DEFAULT_ENVIRONMENTS = {"build": "production", "releases": "production", "serve": "development", "server": "development"}


def _hugo_argv(argv: list[str], commands: set[str]) -> tuple[list[str], bool]:
    """Hugo's command-line habits: `--debug` anywhere, and no command means build."""
    debug = "--debug" in argv
    argv = [arg for arg in argv if arg != "--debug"]
    if not any(arg in commands for arg in argv) and not {"-h", "--help", "--version"} & set(argv):
        argv = ["build", *argv]  # bare `hugo` builds the site
    if "new" in argv and argv[argv.index("new") + 1:argv.index("new") + 2] == ["content"]:
        del argv[argv.index("new") + 1]  # `new content PATH` is `new PATH`, as in Hugo
    return argv, debug


def _refuse_unsupported(argv: list[str]) -> None:
    for arg in argv:
        flag = arg.split("=", 1)[0]
        if flag in UNSUPPORTED_FLAGS:
            advice = UNSUPPORTED_FLAGS[flag]
            raise SiteError(f"{flag} is a Hugo flag not supported by sitegen" + (f"; {advice}" if advice else ""))


def _check_hugo_options(args: argparse.Namespace) -> None:
    """Hugo flags sitegen accepts only where they mean what they mean in Hugo."""
    environment = getattr(args, "environment", None)
    if environment and environment != DEFAULT_ENVIRONMENTS.get(args.command):
        raise SiteError(f"-e/--environment {environment!r} is not supported by sitegen: it reads one config file "
                        "and has no config/ENVIRONMENT/ folders",
                        hint=f"leave -e out (sitegen {args.command} is Hugo's {DEFAULT_ENVIRONMENTS.get(args.command)!r})")
    if getattr(args, "watch", False):
        raise SiteError("build -w/--watch is not supported by sitegen",
                        hint="sitegen serve --renderToDisk builds into public/ on every save (and serves it)")


def _resolve_config_file(args: argparse.Namespace) -> None:
    """--config FILE: as given, or relative to the site's folder (as Hugo reads it); one file."""
    given = getattr(args, "config_file", None)
    if given is None:
        return
    if "," in str(given):
        raise SiteError("--config with several files is not supported by sitegen", given,
                        hint="merge them into one config file")
    if not given.exists() and not given.is_absolute() and (args.source / given).exists():
        args.config_file = args.source / given


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    argv, debug = _hugo_argv(list(sys.argv[1:] if argv is None else argv), set(COMMANDS) | {"version"})
    try:
        _refuse_unsupported(argv)
    except SiteError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    args.debug = debug
    if args.command == "version":
        print(f"sitegen {__version__}")
        return 0
    try:
        _check_hugo_options(args)
        _resolve_config_file(args)
        return COMMANDS[args.command](args)
    except BuildFailed as failed:
        if not getattr(args, "quiet", False):
            for warning in failed.warnings:
                print(f"warning: {warning}", file=sys.stderr)
        for error in failed.errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"build failed: {len(failed.errors)} error(s)", file=sys.stderr)
        return 1
    except SiteError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception:  # a bug: say so plainly, show the traceback only on request
        if args.debug:
            traceback.print_exc()
        else:
            print("internal error in sitegen (a bug); run again with --debug for the traceback", file=sys.stderr)
        return 70


def run_build(args: argparse.Namespace) -> int:
    from sitegen.build.builder import BUILD_STAGES, BuildOptions, build_site, write_site
    from sitegen.build.progress import ProgressBar
    from sitegen.build.report import warning_lines

    progress = ProgressBar() if not args.quiet else None
    options = BuildOptions(
        source=args.source, destination=args.destination, theme=args.theme,
        build_drafts=args.build_drafts, build_future=args.build_future, build_expired=args.build_expired,
        base_url=args.base_url, strict_encoding=args.strict_encoding, minify=args.minify,
        ignore_cache=args.ignore_cache, cache_dir=args.cache_dir, workers=args.workers, progress=progress,
        clean_destination=args.clean_destination, config_file=args.config_file,
    )
    try:
        result = build_site(options)
        if progress:
            progress("writing", BUILD_STAGES, BUILD_STAGES)
        write_site(result, args.clean_destination)
    except OSError as error:  # a full disk or a lost permission, e.g. while writing the cache
        from sitegen.errors import os_failure

        raise BuildFailed([os_failure(error, "building the site")]) from None
    finally:
        if progress:
            progress.done()
    if not args.quiet:  # as `hugo --quiet`: errors only, no warnings and no summary
        if args.verbose and result.plan is not None:
            print(f"plan: {result.plan.describe()}")
        for line in warning_lines(result.diagnostics.warnings, args.verbose):
            print(line, file=sys.stderr)
        for line in result.summary_lines():
            print(line)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from sitegen.build.builder import BuildOptions
    from sitegen.serve import ServeOptions, serve

    build = BuildOptions(source=args.source, destination=args.destination, theme=args.theme,
                         build_drafts=args.build_drafts, build_future=args.build_future,
                         build_expired=args.build_expired, base_url=args.base_url, strict_encoding=args.strict_encoding,
                         config_file=args.config_file)
    return serve(ServeOptions(build=build, bind=args.bind, port=args.port, live_reload=not args.disable_live_reload,
                              render_to_disk=args.render_to_disk, navigate_to_changed=args.navigate_to_changed,
                              open_browser=args.open_browser, poll_ms=_interval_ms(args.poll) if args.poll else None))


def _interval_ms(text: str) -> int:
    """Hugo's --poll interval: a Go duration such as 700ms, 1s or 1.5s (a bare number is ms)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*", text)
    if not match:
        raise SiteError(f"--poll {text!r} is not an interval", hint="e.g. --poll 700ms or --poll 1s")
    value = float(match[1]) * (1000 if match[2] == "s" else 1)
    return max(1, int(value))


def run_new(args: argparse.Namespace) -> int:
    from sitegen.commands.new import new_content
    from sitegen.load.preflight import require_site_folder

    created = new_content(require_site_folder(args.source), args.path, args.kind)
    print(f"created {created}")
    return 0


def run_releases(args: argparse.Namespace) -> int:
    from sitegen.build.builder import BuildOptions, build_site
    from sitegen.errors import Diagnostics
    from sitegen.releases import check_releases, newest_first, release_url
    from sitegen.releases.stage import release_config

    result = build_site(BuildOptions(source=args.source, build_drafts=args.build_drafts, config_file=args.config_file,
                                     build_future=args.build_future, build_expired=args.build_expired),
                        reuse_output=False)  # the releases are read from the site in memory
    pages = [p for p in result.site.pages if p.kind == "page"]
    if args.check:
        problems = check_releases(pages, release_config(result.site, Diagnostics()))
        for problem in problems:
            print(f"{problem}")
        print(f"releases: {len(problems)} to look at" if problems else "releases: all clear")
        return 1 if problems else 0
    for lang in result.site.languages:
        for release in newest_first(r for p in lang.regular_pages for r in p.releases):
            day = release.date.date().isoformat() if release.date else "undated"
            print(f"{lang.language.code}  {release.version:<12} {day:<10}  {release_url(release)}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from sitegen.commands.check import check_command

    return check_command(args.folder, args.source, args.base_url, args.external, args.timeout, args.max_parallel, args.quiet)


def run_fix_encoding(args: argparse.Namespace) -> int:
    from sitegen.load.encoding import fix_encoding_command

    paths = args.paths or [p for p in (args.source / "content", args.source / "data", args.source / "i18n") if p.exists()]
    return fix_encoding_command(paths, write=args.write, backup_dir=args.backup_dir, out=sys.stdout)


COMMANDS = {"build": run_build, "serve": run_serve, "server": run_serve, "new": run_new, "fix-encoding": run_fix_encoding, "releases": run_releases, "check": run_check}
