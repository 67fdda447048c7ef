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


def _race_reservations(caches, limit: int, tries: int) -> list:
    """``tries`` threads, spread over ``caches`` (one per process), reserve a slot of one key at once."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(tries)

    def reserve(i):
        barrier.wait()
        return caches[i % len(caches)].reserve([("login:k", limit), ("login:ip", 100)], 60)

    with ThreadPoolExecutor(tries) as pool:
        return list(pool.map(reserve, range(tries)))


def test_without_redis_a_reservation_is_atomic_between_threads():
    cache = Cache()
    cache.init_app(_App(None))
    found = _race_reservations([cache], 5, 40)
    assert found.count(None) == 5 and found.count("login:k") == 35
    assert cache.get("login:k") == 5 and cache.get("login:ip") == 5  # the refused took nothing
    cache.give_back(["login:k", "login:k", "login:ip"])
    assert cache.get("login:k") == 3 and cache.get("login:ip") == 4


@pytest.mark.redis
def test_with_redis_a_reservation_is_atomic_between_processes(app_factory):
    caches = [app_factory().extensions["quiz_cache"] for _ in range(2)]  # two processes' clients
    found = _race_reservations(caches, 5, 40)
    assert found.count(None) == 5 and found.count("login:k") == 35
    assert int(caches[1].get("login:k")) == 5 and 0 < caches[1].client().ttl("login:k") <= 60
    caches[0].give_back(["login:k"] * 6)  # never below zero: the key is gone
    assert caches[1].get("login:k") is None and caches[1].reserve([("login:k", 5)], 60) is None


def _exercise(store) -> list:
    """The same sorted-set/hash script on any store; returns everything it read."""
    seen = []
    assert store.transaction(["k:gen"], lambda r: [("zadd", "k:z", ["b1", "a2", "c0", "b0"]),
                                                    ("hset", "k:h", {"1": "x", "2": "y"}), ("incr", "k:gen"),
                                                    ("set", "k:ready", "sig", 60)])
    seen.append(store.zrange("k:z", 0, -1))
    seen.append(store.zrange("k:z", 1, 2))
    seen.append([store.zlexcount("k:z", "-", "(b"), store.zlexcount("k:z", "-", "[b0"), store.zlexcount("k:z", "(a2", "+")])
    seen.append(store.zlexcount_many("k:z", [("-", "(c"), ("-", "+")]))
    seen.append((store.zcard("k:z"), store.zcard("nothing"), store.hget("k:h", "2"), store.hgetall("k:h"),
                 store.get("k:ready"), store.get("k:gen")))
    assert store.transaction(["k:gen"], lambda r: None) is False  # aborted: nothing applied
    store.transaction(["k:gen"], lambda r: [("zrem", "k:z", ["b1", "zz"]), ("hdel", "k:h", ["1"]),
                                            ("delete", ["k:ready"])])
    seen.append((store.zrange("k:z", 0, -1), store.hgetall("k:h"), store.get("k:ready")))
    store.transaction([], lambda r: [("zrem", "k:z", ["a2", "b0", "c0"])])
    seen.append((store.zcard("k:z"), store.zrange("k:z", 0, 10)))
    return seen


def test_the_memory_store_orders_sorted_sets_like_redis_orders_equal_scores():
    seen = _exercise(MemoryStore())
    assert seen[0] == ["a2", "b0", "b1", "c0"] and seen[1] == ["b0", "b1"]
    assert seen[2] == [1, 2, 3] and seen[3] == [3, 4]
    assert seen[4] == (4, 0, "y", {"1": "x", "2": "y"}, "sig", "1")
    assert seen[5] == (["a2", "b0", "c0"], {"2": "y"}, None)
    assert seen[6] == (0, [])


def test_structures_are_none_without_redis_instead_of_a_silent_fallback():
    cache = Cache()
    cache.init_app(_App(None))
    assert cache.structures() is None
    down = Cache()
    down.init_app(_App("redis://127.0.0.1:1/0"))
    down.get("warm-up")  # finds Redis down
    assert down.structures() is None


@pytest.mark.redis
def test_redis_structures_answer_exactly_like_the_memory_store(app_factory):
    store = app_factory().extensions["quiz_cache"].structures()
    assert store is not None
    assert _exercise(store) == _exercise(MemoryStore())


def test_board_rebuilds_use_a_patient_client_and_live_updates_do_not(app):
    """A 1,000,000-entry board is written in one MULTI/EXEC that takes longer than the request client's 2 s."""
    cache = app.extensions["quiz_cache"]
    with app.app_context():
        if cache.client() is None:
            assert cache.patient_client() is None  # no Redis: nothing to be patient with
            return
        patient = cache.patient_client()
        assert patient.connection_pool.connection_kwargs["socket_timeout"] >= 60
        assert cache.client().connection_pool.connection_kwargs["socket_timeout"] <= 2
