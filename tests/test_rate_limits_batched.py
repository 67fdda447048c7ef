"""The autosave's rate limit counts in batches (quiz/rate_limits.py, ``BatchedCounts``): exact within a process,
shared between processes one batch later, still a limit when Redis is down, and a new window after one ends."""
import pytest

from quiz.cache import Cache
from quiz.rate_limits import BatchedCounts

WINDOW = [("limit:attempt:7:60", 60)]  # 10 a minute below


class _App:
    def __init__(self, url):
        self.config = {"REDIS_URL": url}
        self.extensions = {}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def _store(redis_url):
    store = Cache()
    store.init_app(_App(redis_url))
    return store


@pytest.fixture(params=["memory", "redis"])
def store(request, redis_url):
    if request.param == "redis":
        if not redis_url:
            pytest.skip("needs Redis (TEST_REDIS_URL)")
        store = _store(redis_url)
        store.client().delete(WINDOW[0][0])
        return store
    return _store(None)


@pytest.fixture
def redis_url():
    import os

    return os.environ.get("TEST_REDIS_URL")


def _counts(counter, n):
    return [counter.hit(WINDOW)[0][0] for _ in range(n)]


def test_within_one_process_the_request_past_the_limit_is_counted_at_once(store):
    clock = Clock()
    counter = BatchedCounts(interval=0.1, clock=clock, store=store)
    assert _counts(counter, 11) == list(range(1, 12))  # no batch in between: the 11th is over 10 all the same


def test_two_processes_share_the_limit_one_batch_later_and_nothing_is_lost(store):
    clock = Clock()
    first = BatchedCounts(interval=0.1, clock=clock, store=store)
    second = BatchedCounts(interval=0.1, clock=clock, store=store)
    assert _counts(first, 6) == [1, 2, 3, 4, 5, 6]
    clock.now += 0.15
    assert _counts(first, 1) == [7]  # this hit sends the batch: the store has 7
    assert _counts(second, 3) == [1, 9, 10]  # its first hit learns the 7 (+ its own 1) with its batch
    clock.now += 0.15
    assert _counts(second, 1) == [11]  # over a limit of 10, though this process counted only 4
    assert _counts(first, 1) == [8]  # the other process sees it one batch later…
    assert _counts(first, 1) == [13]  # …and refuses from then on
    clock.now += 0.15
    assert _counts(first, 1) == [14]  # this hit sends the last batch
    assert store.incr_windows([(WINDOW[0][0], 60, 0)])[0][0] == 14  # every hit of both reached the store


def test_a_window_that_ended_starts_again():
    clock = Clock()
    counter = BatchedCounts(interval=0.1, clock=clock, store=Cache())  # in-process: its windows follow time
    assert _counts(counter, 3) == [1, 2, 3]
    clock.now += 61
    assert _counts(counter, 1) == [1]


def test_with_redis_down_the_limit_still_holds_in_the_process():
    store = _store("redis://127.0.0.1:1/0")
    clock = Clock()
    counter = BatchedCounts(interval=0.1, clock=clock, store=store)
    counts = []
    for _ in range(12):
        counts += _counts(counter, 1)
        clock.now += 0.2  # a batch on every hit: every one of them fails over to the in-process store
    assert counts == list(range(1, 13))
    assert store.status() == "down"


def test_a_process_forgets_the_windows_that_ended():
    clock = Clock()
    counter = BatchedCounts(interval=0.1, clock=clock, store=_store(None))
    for attempt in range(500):  # a round's worth of attempts, each saving once
        counter.hit([(f"limit:attempt:{attempt}:1", 1)])
        clock.now += 0.01
    clock.now += 20  # every one-second window ended long ago
    counter.hit([("limit:attempt:9999:1", 1)])
    assert len(counter._known) == 1  # only the window still running
