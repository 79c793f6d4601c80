"""Run one command and measure its wall time, CPU time and peak memory.

CPU time and the largest single process's peak RSS come from `os.wait4`, whose rusage
covers the child and every descendant it waited for (so a worker pool's CPU counts).
Because a pool's workers are separate processes, the peak of the whole process tree is
also sampled from /proc every 0.1 s (summed PSS: pages shared copy-on-write count once);
the reported peak is the larger of the two.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_INTERVAL_S = 0.1
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024


@dataclass(frozen=True)
class Measurement:
    wall_s: float
    cpu_s: float  # user + system, child and its waited-for descendants
    peak_mib: float  # max(largest process's max RSS, sampled PSS sum of the process tree)


class CommandFailed(RuntimeError):
    """A measured command exited non-zero; carries its output so the user sees why."""


def measure(
    command: list[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout_s: float = 1800,
) -> Measurement:
    """Run `command` to completion; raise CommandFailed with its output if it fails."""
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{os.getpid()}.log"
    with open(log_path, "w+b") as log:
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        sampler = _TreeSampler(process.pid)
        sampler.start()
        _, status, usage = _wait_with_timeout(process, timeout_s)
        wall = time.perf_counter() - start
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    log_path.unlink(missing_ok=True)
    if process.returncode != 0:
        raise CommandFailed(f"{' '.join(command)} exited {process.returncode}:\n{output[-3000:]}")
    largest_process = usage.ru_maxrss * 1024 / MIB  # ru_maxrss is KiB on Linux
    return Measurement(
        wall, usage.ru_utime + usage.ru_stime, max(largest_process, sampler.peak_bytes / MIB)
    )


def _wait_with_timeout(process: subprocess.Popen, timeout_s: float):
    """Block in wait4 (exact wall time); a timer kills a command that hangs."""
    killer = threading.Timer(timeout_s, process.kill)
    killer.start()
    try:
        return os.wait4(process.pid, 0)
    finally:
        killer.cancel()


class _TreeSampler:
    """Samples the summed RSS of a process and all its descendants in a thread."""

    def __init__(self, root_pid: int):
        self.root_pid = root_pid
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_INTERVAL_S):
            self.peak_bytes = max(self.peak_bytes, tree_memory_bytes(self.root_pid))


def tree_memory_bytes(root_pid: int) -> int:
    """Memory of `root_pid` and its descendants (0 if it has exited): the sum of their
    proportional set sizes (PSS), so pages forked workers share with their parent
    (copy-on-write) count once, not once per process; RSS where PSS may not be read."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        pid = int(name)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * PAGE_BYTES
    tree = {root_pid}
    grew = True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grew = bool(children)
    return sum(_pss_bytes(pid, rss.get(pid, 0)) for pid in tree)


def _pss_bytes(pid: int, fallback: int) -> int:
    """The process's PSS; 0 once it is exiting or gone. The fallback (its RSS, read a moment
    earlier) only where its PSS is not ours to read: a worker that exits between the two
    reads would otherwise count every page it shares with its parent once more (a 10,000-post
    build showed 1,429 MiB that way against 886 MiB sampled without the race)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
        return 0  # no memory map any more: the process is exiting
    except PermissionError:
        return fallback
    except (OSError, ValueError):
        return 0  # it ended while we looked
