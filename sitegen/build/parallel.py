"""Per-page work over worker processes forked from the build.

Workers are forked after the site is assembled, so they inherit it (copy-on-write) and
only an index travels to them; what comes back is each page's result, in the input's
order, so the output does not depend on how many workers ran or which finished first.
Where fork is not available (or one worker is asked for) the same work runs in-process.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from typing import Any, Callable, Sequence

WORKERS_ENV = "SITEGEN_WORKERS"
# Below both, a build runs serially unless workers are asked for: forking a pool per stage
# and sending every page's result back costs more than a second core saves (see the README).
PARALLEL_MARKDOWN_CHARS = 1024 * 1024
PARALLEL_PAGES = 1500

# What the forked workers run: set just before the pool forks, cleared after.
_task: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def worker_count(requested: int | None = None) -> int:
    """Workers to use: the option if given, else $SITEGEN_WORKERS, else every core (1 = serial)."""
    if requested:
        return max(1, requested)
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


def workers_asked_for(requested: int | None = None) -> bool:
    """Whether the option or $SITEGEN_WORKERS names a number of workers (then it is used as is)."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    return bool(requested) or (configured.isdigit() and int(configured) > 0)


def workers_for_work(workers: int, markdown_chars: int, pages: int) -> int:
    """How many of `workers` a build of this size should use: one below PARALLEL_MARKDOWN_CHARS
    characters of Markdown and PARALLEL_PAGES pages (outputs), else all of them."""
    if markdown_chars < PARALLEL_MARKDOWN_CHARS and pages < PARALLEL_PAGES:
        return 1
    return workers


def forks(workers: int, items: int, min_items: int = 16) -> bool:
    """Whether map_pages runs `items` items over forked workers (else in this process)."""
    # os.fork exists exactly where multiprocessing offers the "fork" start method; asking
    # multiprocessing would import it into every build, serial ones included.
    return workers > 1 and items >= min_items and hasattr(os, "fork")


def map_pages(
    function: Callable[[Any], Any], items: Sequence[Any], workers: int, min_items: int = 16
) -> list[Any]:
    """[function(item) for item in items], over `workers` forked processes when worth it.

    `function` may be a closure: it is never pickled, only its results are.
    """
    if not forks(workers, len(items), min_items):
        return [function(item) for item in items]
    global _task
    _task = (function, items)
    # The site's objects move to a generation the collector leaves alone, so the workers'
    # collections do not write to (and so copy) every page they inherited.
    gc.freeze()
    _release_free_memory()
    try:
        import multiprocessing  # only a build that forks needs it

        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, len(items)), initializer=_worker_signals) as pool:
            # Small chunks: list pages cost many times a post, so big chunks would leave a worker idle.
            return pool.map(_run, range(len(items)), chunksize=max(1, len(items) // (workers * 16)))
    finally:
        gc.unfreeze()
        _task = None


def _release_free_memory() -> None:
    """Give the heap's free pages back to the system before the pool forks (glibc's
    malloc_trim; elsewhere nothing). The stages before leave much of the heap free but
    resident (each page's HTML was unpickled from a worker, then replaced by its decorated
    copy), and a worker that allocates into a free page it inherited makes its own copy of
    it, while the parent keeps the original: at 10,000 posts about 380 MiB of the parent's
    1,060 MiB were free pages so counted up to three times."""
    import ctypes  # only a build that forks needs it

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except AttributeError:  # not glibc
        return
    trim(0)


def _worker_signals() -> None:
    """A worker takes none of its parent's signal handlers (`sitegen serve` turns SIGTERM
    into KeyboardInterrupt, which would print a traceback in each worker when the pool
    ends them): SIGTERM ends it quietly, and Ctrl-C, which reaches the whole process
    group, is left to the parent, which ends the pool."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(index: int) -> Any:
    function, items = _task
    return function(items[index])


class Apart:
    """`function(*args)`, worked out in a forked process while this one goes on; `result()`
    waits for it. Where there is no second core or no fork, or the child ends without an
    answer, `result()` works it out here, so the answer (or the error) is the same."""

    def __init__(self, function: Callable[..., Any], *args: Any):
        self._call = (function, args)
        self._pid, self._read, self._parent = None, None, os.getpid()
        if worker_count() > 1 and hasattr(os, "fork"):
            self._fork()

    def _fork(self) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: no handler, finalizer or atexit of the parent's runs here
            status = 1
            try:
                os.close(read)
                _worker_signals()
                function, args = self._call
                answer = pickle.dumps(function(*args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(answer)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> Any:
        if self._pid is not None:
            with os.fdopen(self._read, "rb") as pipe:
                answer = pipe.read()  # to the end: the child closes its end when it is done
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            if status == 0 and answer:
                return pickle.loads(answer)
        function, args = self._call
        return function(*args)

    def __del__(self) -> None:
        """A build that failed before asking for the result still reaps its child (a long
        `sitegen serve` would collect zombies): with the pipe closed, the child ends."""
        if self._pid is not None and os.getpid() == self._parent:  # not in a forked worker
            os.close(self._read)
            os.waitpid(self._pid, 0)
