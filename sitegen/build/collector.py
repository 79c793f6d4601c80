"""How often Python's cycle collector runs while a build makes its pages.

A build allocates millions of short-lived objects (markdown-it tokens, template output) on
top of a large site that lives to its end. With the interpreter's default thresholds the
collector runs thousands of times a build, each full collection walking the whole site
again, and finds almost nothing: what a page leaves behind is freed by reference counting.
Raising the youngest generation's threshold makes those collections rare; cyclic garbage is
still collected, only later.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Allocations (less frees) between two collections of the youngest generation, and the
# collections of each generation between two of the next older one.
BUILD_THRESHOLDS = (100_000, 20, 10)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The build's thresholds inside, the ones before restored after (`sitegen serve`
    builds again and again in one process, and runs other code in between)."""
    before = gc.get_threshold()
    gc.set_threshold(*BUILD_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
