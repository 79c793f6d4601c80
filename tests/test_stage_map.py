"""The build's one cached, parallel map (sitegen.build.stage_map), with a real build cache in
the test's folder and real forked workers: results in the items' order whatever the workers,
what is cached is not made again, what failed is never kept, and a result that read another
page is taken again only while that page reads the same."""

from __future__ import annotations

import os

import pytest

from sitegen.build.cache import BuildCache
from sitegen.build.reads import ReadIndex
from sitegen.build.stage_map import KeyedStore, Made, stage_map
from sitegen.build.uptodate import now_utc
from sitegen.errors import SiteError
from sitegen.models import Page
from sitegen.render.recording import as_moment, note_read

ITEMS = list(range(40))  # enough that map_pages forks its workers


@pytest.fixture(autouse=True)
def user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # the cache's secret


def square(item: int) -> Made:
    return Made(item * item, extra=os.getpid())


def store_of(folder, kind="squares") -> KeyedStore:
    return KeyedStore(BuildCache(folder), kind, key=lambda item: f"n{item}", expect=int)


@pytest.mark.parametrize("workers", [1, 3])
def test_results_come_in_the_items_order_whatever_the_workers(workers):
    made = list(stage_map(ITEMS, square, workers))
    assert [m.value for m in made] == [n * n for n in ITEMS]
    assert (os.getpid() not in {m.extra for m in made}) == (
        workers > 1
    )  # parallel work ran in the workers


@pytest.mark.parametrize("options", [{"order": lambda item: -(item % 7)}, {"chunk": 16}])
def test_heaviest_first_or_in_chunks_the_order_is_the_items(options):
    assert [m.value for m in stage_map(ITEMS, square, 2, **options)] == [n * n for n in ITEMS]


@pytest.mark.parametrize("put_in_worker", [False, True])
def test_a_second_map_takes_every_result_from_the_store(tmp_path, put_in_worker):
    first = list(
        stage_map(ITEMS, square, 3, store_of(tmp_path / "cache"), put_in_worker=put_in_worker)
    )
    assert not any(m.cached for m in first)
    calls = []
    second = list(
        stage_map(
            ITEMS, lambda item: calls.append(item) or square(item), 3, store_of(tmp_path / "cache")
        )
    )
    assert calls == [] and all(m.cached for m in second)
    assert [m.value for m in second] == [m.value for m in first]


def test_a_result_with_errors_is_not_kept(tmp_path):
    def fails_on_odd(item: int) -> Made:
        return Made(item, errors=[SiteError("odd", "x.md")] if item % 2 else [])

    list(stage_map(ITEMS, fails_on_odd, 1, store_of(tmp_path / "cache")))
    again = list(stage_map(ITEMS, fails_on_odd, 1, store_of(tmp_path / "cache")))
    assert [m.cached for m in again] == [item % 2 == 0 for item in ITEMS]
    assert [len(m.errors) for m in again] == [item % 2 for item in ITEMS]


def test_a_result_is_taken_again_only_while_what_it_read_reads_the_same(tmp_path):
    other = Page(kind="page", lang="en", title="Before", rel_permalink="/posts/other/")
    pages = [
        Page(kind="page", lang="en", title=f"P{n}", rel_permalink=f"/posts/p{n}/")
        for n in range(20)
    ]

    def shows_the_other_title(page: Page) -> Made:
        note_read(other, "title")  # what Jinja's environment records for `other.title`
        return Made(f"{page.title} links to {other.title}")

    def run() -> list[Made]:
        index = ReadIndex(pages + [other], as_moment(now_utc()), memoize=False)
        store = KeyedStore(
            BuildCache(tmp_path / "cache"),
            "linked",
            key=lambda page: page.rel_permalink,
            expect=str,
            index=index,
        )
        return list(stage_map(pages, shows_the_other_title, 2, store))

    assert not any(m.cached for m in run())
    assert all(m.cached for m in run())
    other.title = "After"
    again = run()
    assert not any(m.cached for m in again)
    assert again[0].value == "P0 links to After"
