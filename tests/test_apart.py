"""sitegen.build.parallel.Apart: work done in a forked process gives the answer (or the
error) the same work gives in-process, and leaves no process behind."""

from __future__ import annotations

import os

import pytest

from sitegen.build.parallel import Apart


def pid_and_square(value: int) -> tuple[int, int]:
    return os.getpid(), value * value


def fail(message: str) -> None:
    raise ValueError(message)


def test_the_answer_comes_from_another_process_where_there_are_two_cores(monkeypatch):
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    pid, square = Apart(pid_and_square, 12).result()
    assert square == 144
    assert pid != os.getpid()


def test_with_one_worker_the_work_is_done_here(monkeypatch):
    monkeypatch.setenv("SITEGEN_WORKERS", "1")
    pid, square = Apart(pid_and_square, 3).result()
    assert (pid, square) == (os.getpid(), 9)


def test_an_error_in_the_child_is_raised_here_as_it_would_be_in_process(monkeypatch):
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    with pytest.raises(ValueError, match="no such image"):
        Apart(fail, "no such image").result()


def test_work_never_asked_for_leaves_no_child_behind(monkeypatch):
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    apart = Apart(pid_and_square, 5)
    child = apart._pid
    del apart
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # reaped already
