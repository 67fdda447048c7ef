import pytest

from quiz.cache import Cache, MemoryStore


class _App:
    def __init__(self, url):
        self.config = {"REDIS_URL": url}
        self.extensions = {}


def test_without_redis_counters_use_the_in_process_store():
    cache = Cache()
    cache.init_app(_App(None))
    assert cache.status() == "absent"
    assert [cache.incr_window("k", 60) for _ in range(3)] == [1, 2, 3]
    cache.set("a", "1")
    assert cache.get("a") == "1"
    cache.delete("a")
    assert cache.get("a") is None


def test_a_redis_that_does_not_answer_falls_back_instead_of_failing():
    cache = Cache()
    cache.init_app(_App("redis://127.0.0.1:1/0"))
    assert cache.incr_window("k", 60) == 1
    assert cache.incr_window("k", 60) == 2
    assert cache.status() == "down"


def test_memory_store_forgets_after_the_window(monkeypatch):
    import quiz.cache as mod

    now = [1000.0]
    monkeypatch.setattr(mod.time, "monotonic", lambda: now[0])
    store = MemoryStore()
    assert store.incr("x", 10) == 1
    now[0] += 11
    assert store.incr("x", 10) == 1


@pytest.mark.redis
def test_with_redis_counters_are_shared_between_app_instances(app_factory):
    first = app_factory().extensions["quiz_cache"]
    second = app_factory().extensions["quiz_cache"]
    assert first.status() == "ok"
    first.incr_window("shared", 60)
    assert second.incr_window("shared", 60) == 2
