"""Swap a finished staging folder in as the output folder in one step, and remove the
output it replaces without making the build wait for it.

Deleting a retired `public/` means unlinking every file and folder in it; on a busy disk
that is most of a cached rebuild's wall time, and nothing the build reports depends on it.
So the retired tree is handed to a small process of its own (a bare interpreter that runs
`shutil.rmtree`), which outlives the build and is gone a moment after it. If that process
is killed too, the folder keeps its `.NAME.sitegen-old-PID-…` name, which the next build's
`output.remove_leftovers` recognises and removes.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

_REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
_removers: list[subprocess.Popen] = []  # kept so that finished ones are reaped, never left as zombies


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
            _removers.append(subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _REMOVE, str(folder)], cwd=folder.parent,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=os.name == "posix"))
            return
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)

