"""Swap a finished staging folder in as the output folder in one step, and remove the
output it replaces without making the build wait for it (and what killed builds left).

Deleting a retired `public/` means unlinking every file and folder in it; on a busy disk
that is most of a cached rebuild's wall time, and nothing the build reports depends on it.
So the retired tree is handed to a small process of its own (a bare interpreter that runs
`shutil.rmtree`), which outlives the build and is gone a moment after it. If that process
is killed too, the folder keeps its `.NAME.sitegen-old-PID-…` name, which the next build's
`output.remove_leftovers` recognises and removes. A build with a cache keeps the retired
tree instead, as the next build's staging folder (write/spare.py): then nothing is removed.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from sitegen.write.spare import keep_as_spare

_REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
_removers: list[
    subprocess.Popen
] = []  # kept so that finished ones are reaped, never left as zombies


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step, so that a web server reading `second`
    sees the old tree or the new one and never no tree at all (Linux `renameat2` with
    RENAME_EXCHANGE). False where the system or file system cannot; then nothing moved."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # only here: loading it costs the start-up of every build

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not glibc 2.28+ (e.g. musl)
        return False
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def remove_later(folder: Path) -> None:
    """Delete `folder` in a detached process (its own session, no terminal, no inherited
    pipes: a caller reading the build's output is not kept waiting for it); in this
    process if none can be started."""
    _removers[:] = [remover for remover in _removers if remover.poll() is None]
    if sys.executable:
        try:
            _removers.append(
                subprocess.Popen(
                    [sys.executable, "-I", "-S", "-c", _REMOVE, str(folder)],
                    cwd=folder.parent,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=os.name == "posix",
                )
            )
            return
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)


LEFTOVER = re.compile(r"\.(?P<name>.+)\.sitegen-(?:new|old)-(?P<pid>\d+)(?:-[^/]*)?")


def remove_leftovers(destination: Path) -> None:
    """Remove the staging and retired output folders that builds killed before they could
    clean up left beside `destination` (named by sitegen, with the process id of the build
    that made them: a running build's are left alone)."""
    try:
        entries = list(destination.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        match = LEFTOVER.fullmatch(entry.name)
        if (
            match
            and match["name"] == destination.name
            and entry.is_dir()
            and not entry.is_symlink()
            and not _process_alive(int(match["pid"]))
        ):
            shutil.rmtree(entry, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # another user's process: not ours to judge
    return True


def _carry_hidden_entries(retired: Path, destination: Path) -> None:
    """Keep what a deploy setup put in public/ (a .git folder, .nojekyll) across builds."""
    for entry in retired.iterdir():
        if entry.name.startswith(".") and not (destination / entry.name).exists():
            os.replace(entry, destination / entry.name)


def swap(staging: Path, destination: Path, spare: Path | None = None) -> None:
    """Put `staging` where `destination` is, in one step where the system allows it; the
    retired tree becomes the `spare` (write/spare.py) where one is wanted, else it is
    removed after the build, by a process of its own."""
    if not destination.exists():
        os.replace(staging, destination)
        return
    if exchange(staging, destination):
        retired = staging  # now holds the old tree, under a name remove_leftovers knows
    else:
        retired = _retired_name(destination)
        os.replace(destination, retired)
        try:
            os.replace(staging, destination)
        except BaseException:
            os.replace(retired, destination)
            raise
    _carry_hidden_entries(retired, destination)
    if not keep_as_spare(retired, spare):
        remove_later(retired)


def _retired_name(destination: Path) -> Path:
    """A free name beside `destination` for the tree it held, unique per swap: one process
    (`sitegen serve`) swaps again while the last retired tree may still be being removed."""
    while True:
        retired = (
            destination.parent
            / f".{destination.name}.sitegen-old-{os.getpid()}-{os.urandom(4).hex()}"
        )
        if not os.path.lexists(retired):
            return retired
