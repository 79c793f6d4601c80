"""The damaged corpus: every real post damaged in every way a tool damages text,
built at test time from ../shared (see tests/damage.py), must read back exactly."""

from __future__ import annotations

import pytest

import damage
from sitegen.load.encoding import decode_source

pytestmark = pytest.mark.skipif(not damage.CORPUS.is_dir(), reason="shared corpus not present")


@pytest.fixture(scope="module")
def restore():
    tallies, failures = damage.restore_table(lambda data, path: decode_source(data, path).text)
    print("\n" + damage.format_table(tallies))
    return tallies, failures


def test_no_clean_post_is_changed():
    posts = damage.clean_posts()
    assert len(posts) > 100
    changed = [post for post, text in posts if decode_source(text.encode("utf-8"), post).changed]
    assert changed == []


def test_at_least_99_percent_restored_exactly(restore):
    tallies, failures = restore
    restored = sum(t.restored for t in tallies.values())
    damaged = sum(t.damaged for t in tallies.values())
    assert damaged > 1000
    assert restored / damaged >= 0.99, failures


def test_whole_file_damage_is_always_restored(restore):
    tallies, failures = restore
    whole = {kind: t for kind, t in tallies.items() if kind.startswith("whole file")}
    assert len(whole) == len(damage.MISREADS)
    for kind, tally in whole.items():
        assert tally.damaged > 0, kind
        assert tally.restored == tally.damaged, [f for f in failures if f.startswith(kind)]


def test_every_kind_of_damage_occurs(restore):
    tallies, _ = restore
    assert all(t.damaged > 0 for t in tallies.values()), damage.format_table(tallies)
