"""The one cached, parallel map of the build's stages.

A stage hands in its items, a pure work function of one item and, where its results are
cached, a `Store` (look an item up, keep a new result, and whether making one records what it
read). `stage_map` looks every item up, runs the work for the misses over worker processes or
in this process (as sitegen.build.parallel decides), keeps each new result, and yields one
`Made` per item, in the items' order: what a stage makes never depends on how many workers
ran or which finished first.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Protocol, Sequence

from sitegen.build.cache import BuildCache
from sitegen.build.parallel import forks, map_pages
from sitegen.build.reads import ReadIndex, Traced, as_refs, note_moment_reads
from sitegen.errors import SiteError
from sitegen.render.recording import recording


@dataclass
class Made:
    """One item's result, made now or taken from the store."""

    value: Any = None  # what the work made (None: nothing, it failed); what a store keeps
    errors: list[SiteError] = field(default_factory=list)  # a result with errors is never kept
    warnings: list[SiteError] = field(default_factory=list)
    extra: Any = None  # what else the work hands back, never kept
    reads: frozenset | None = None  # what making it read, where the store records reads
    cached: bool = False  # taken from the store
    sealed: Any = None  # what the parent process is to put (stage_map's own)


class Store(Protocol):
    """Where a stage's results are kept between builds."""

    records_reads: bool  # whether the work runs under a recording of what it reads

    def get(self, item: Any) -> Any | None:
        """The kept result of `item`, if there is one that is still good."""

    def seal(self, item: Any, value: Any, reads: frozenset | None) -> Any:
        """What to keep of a new result (in the process that made it)."""

    def put(self, item: Any, sealed: Any) -> None: ...

    def note(self, item: Any, reads: frozenset | None) -> None:
        """Hear, in the build's own process, what a new result read (the build date's parts)."""

    def batch(self) -> AbstractContextManager:
        """The puts of this process inside, in one transaction."""


class KeyedStore:
    """A Store over the build cache: results of kind `kind` under `key(item)` (None: not kept).
    With an `index`, a result is kept with what making it read, and taken again only while
    that reads the same (sitegen.build.reads)."""

    def __init__(
        self,
        cache: BuildCache,
        kind: str,
        key: Callable[[Any], str | None],
        expect: Any = object,
        index: ReadIndex | None = None,
    ):
        self.cache, self.kind, self.expect, self.index = cache, kind, expect, index
        self._key = key
        self._keys: dict[int, str | None] = {}
        self.records_reads = index is not None

    def key(self, item: Any) -> str | None:
        if id(item) not in self._keys:
            self._keys[id(item)] = self._key(item)
        return self._keys[id(item)]

    def get(self, item: Any) -> Any | None:
        key = self.key(item)
        if key is None:
            return None
        if self.index is None:
            return self.cache.get(self.kind, key, expect=self.expect)
        return self.index.current(self.cache.get(self.kind, key, expect=Traced), expect=self.expect)

    def seal(self, item: Any, value: Any, reads: frozenset | None) -> Any:
        return self.index.trace(value, reads or ()) if self.index is not None else value

    def put(self, item: Any, sealed: Any) -> None:
        key = self.key(item)
        if key is not None:
            self.cache.put(self.kind, key, sealed)

    def note(self, item: Any, reads: frozenset | None) -> None:
        if self.index is not None:
            note_moment_reads(self.index.moment, reads)  # a worker's notes stay in the worker

    def batch(self) -> AbstractContextManager:
        return self.cache.batch()


def stage_map(
    items: Sequence[Any],
    work: Callable[[Any], Made],
    workers: int,
    store: Store | None = None,
    *,
    put_in_worker: bool = False,
    then: Callable[[Any, Made], Made] | None = None,
    order: Callable[[Any], Any] | None = None,
    chunk: int | None = None,
) -> Iterator[Made]:
    """One Made per item, in order: the store's, else `work(item)` run over `workers`.

    A new result without errors is kept in the store: by this process as it is yielded, or
    with `put_in_worker` by the worker that made it (so a large result need not travel back
    to be kept). `then(item, made)` runs where the work ran, after that, on each new result:
    what it returns is what travels back. The misses are mapped in the order `order(item)`
    gives (heaviest first, so none is left to one worker at the end), or `chunk` at a time
    (so this process holds only one chunk's results at once). Iterate it to its end."""
    found = [store.get(item) if store is not None else None for item in items]
    todo = [item for item, hit in zip(items, found, strict=True) if hit is None]
    made = _mapped(_runner(work, store, put_in_worker, then), todo, workers, order, chunk)
    # Serially every put is this process's: one transaction. Forked workers putting their own
    # would wait for a transaction held here.
    hold = store is not None and (not put_in_worker or not forks(workers, len(todo)))
    with store.batch() if hold else nullcontext():
        for item, hit in zip(items, found, strict=True):
            if hit is not None:
                yield Made(hit, cached=True)
                continue
            result = next(made)
            if store is not None:
                if result.sealed is not None:
                    store.put(item, result.sealed)
                    result.sealed = None
                store.note(item, result.reads)
            yield result


def _runner(
    work: Callable[[Any], Made],
    store: Store | None,
    put_in_worker: bool,
    then: Callable[[Any, Made], Made] | None,
) -> Callable[[Any], Made]:
    """What a worker runs for one item: the work (recording its reads if the store keeps
    them), the seal and put of a good result, then `then`."""
    record = store is not None and store.records_reads

    def run(item: Any) -> Made:
        if record:
            with recording() as reads:
                made = work(item)
            made.reads = as_refs(reads)
        else:
            made = work(item)
        if store is not None and made.value is not None and not made.errors:
            sealed = store.seal(item, made.value, made.reads)
            if put_in_worker:
                store.put(item, sealed)
            else:
                made.sealed = sealed
        return then(item, made) if then is not None else made

    return run


def _mapped(
    run: Callable[[Any], Made],
    todo: list[Any],
    workers: int,
    order: Callable[[Any], Any] | None,
    chunk: int | None,
) -> Iterator[Made]:
    """run(item) of every item of `todo`, in todo's order, lazily (nothing runs before the first is asked for)."""
    if order is not None:
        ranks = sorted(range(len(todo)), key=lambda index: order(todo[index]))
        results: list[Any] = [None] * len(todo)
        for index, result in zip(
            ranks, map_pages(run, [todo[index] for index in ranks], workers), strict=True
        ):
            results[index] = result
        yield from results
        return
    for start in range(0, len(todo), chunk or max(1, len(todo))):
        yield from map_pages(run, todo[start : start + chunk] if chunk else todo, workers)
