"""The `sitegen` command line: build, serve, new, fix-encoding, releases, check."""

from __future__ import annotations

import argparse
import atexit
import os
import sys
import traceback
from typing import TYPE_CHECKING, Any, NoReturn

from sitegen import __version__
from sitegen.commands.arguments import (
    check_hugo_options,
    hugo_argv,
    interval_ms,
    make_parser,
    refuse_unsupported,
    resolve_config_file,
)
from sitegen.errors import BuildFailed, SiteError

if TYPE_CHECKING:
    from sitegen.build.options import BuildOptions


def run() -> NoReturn:
    """The `sitegen` program (`python -m sitegen` and the installed command): main(), then
    the process ends as soon as its work is done.

    Tearing the interpreter down frees every object a build made, module by module: a
    tenth of a small blog's cached rebuild (benchmarks/README), for memory the system
    takes back anyway.
    Nothing is left undone by skipping it: every file sitegen writes is closed where it is
    written, the exit handlers (logging's, weakref finalizers') still run, the standard
    streams are flushed, and an open cache database is left as a killed process leaves it,
    which SQLite's write-ahead log is made for. Tests call main(), which returns."""
    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach the reader
            code = code or 1
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    argv, debug = hugo_argv(
        list(sys.argv[1:] if argv is None else argv), set(COMMANDS) | {"version"}
    )
    try:
        refuse_unsupported(argv)
    except SiteError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    args.debug = debug
    if args.command == "version":
        print(f"sitegen {__version__}")
        return 0
    try:
        check_hugo_options(args)
        resolve_config_file(args)
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
            print(
                "internal error in sitegen (a bug); run again with --debug for the traceback",
                file=sys.stderr,
            )
        return 70


def _build_options(args: argparse.Namespace, **more: Any) -> BuildOptions:
    """BuildOptions from the site options every building command takes (commands/arguments.py)."""
    from sitegen.build.options import BuildOptions

    return BuildOptions(
        source=args.source,
        theme=args.theme,
        build_drafts=args.build_drafts,
        build_future=args.build_future,
        build_expired=args.build_expired,
        base_url=args.base_url,
        strict_encoding=args.strict_encoding,
        config_file=args.config_file,
        **more,
    )


def run_build(args: argparse.Namespace) -> int:
    from sitegen.build.builder import BUILD_STAGES, Builder, write_site
    from sitegen.build.progress import ProgressBar
    from sitegen.build.report import warning_lines

    progress = ProgressBar() if not args.quiet else None
    options = _build_options(
        args,
        destination=args.destination,
        minify=args.minify,
        ignore_cache=args.ignore_cache,
        cache_dir=args.cache_dir,
        workers=args.workers,
        progress=progress,
        clean_destination=args.clean_destination,
        collect_garbage=args.gc,
    )
    builder = Builder(options)
    try:
        result = builder.build()
        if progress:
            progress("writing", BUILD_STAGES, BUILD_STAGES)
        write_site(result, args.clean_destination)
        collected = _collect_garbage(builder) if options.collect_garbage else None
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
        if collected is not None:
            print(collected.summary())
    return 0


def _collect_garbage(builder):
    """`build --gc`: the cache entries this build did not use, dropped (None: no cache). The
    build is written by then: a cache that cannot be collected is a warning, not a failure."""
    import sqlite3

    from sitegen.build.cache_gc import collect_garbage

    if builder.cache is None:
        return None
    try:
        return collect_garbage(builder.cache)
    except sqlite3.Error as error:
        print(f"warning: gc: the build cache was left as it is: {error}", file=sys.stderr)
        return None


def run_serve(args: argparse.Namespace) -> int:
    from sitegen.serve import ServeOptions, serve

    build = _build_options(args, destination=args.destination)
    return serve(
        ServeOptions(
            build=build,
            bind=args.bind,
            port=args.port,
            live_reload=not args.disable_live_reload,
            render_to_disk=args.render_to_disk,
            navigate_to_changed=args.navigate_to_changed,
            open_browser=args.open_browser,
            poll_ms=interval_ms(args.poll) if args.poll else None,
        )
    )


def run_new(args: argparse.Namespace) -> int:
    from sitegen.commands.new import new_content
    from sitegen.load.preflight import require_site_folder

    created = new_content(require_site_folder(args.source), args.path, args.kind)
    print(f"created {created}")
    return 0


def run_releases(args: argparse.Namespace) -> int:
    from sitegen.build.builder import build_site
    from sitegen.errors import Diagnostics
    from sitegen.releases import check_releases, newest_first, release_url
    from sitegen.releases.stage import release_config

    # the releases are read from the site in memory
    result = build_site(_build_options(args), reuse_output=False)
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

    return check_command(
        args.folder,
        args.source,
        args.base_url,
        args.external,
        args.timeout,
        args.max_parallel,
        args.quiet,
    )


def run_fix_encoding(args: argparse.Namespace) -> int:
    from sitegen.load.encoding import fix_encoding_command

    paths = args.paths or [
        p
        for p in (args.source / "content", args.source / "data", args.source / "i18n")
        if p.exists()
    ]
    return fix_encoding_command(paths, write=args.write, backup_dir=args.backup_dir, out=sys.stdout)


COMMANDS = {
    "build": run_build,
    "serve": run_serve,
    "server": run_serve,
    "new": run_new,
    "fix-encoding": run_fix_encoding,
    "releases": run_releases,
    "check": run_check,
}
