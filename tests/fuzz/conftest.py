"""The API fuzzer runs only when asked for (``make fuzz``: ``pytest -m fuzz tests/fuzz``), not in ``make test``."""
import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "fuzz" in (config.option.markexpr or ""):
        return
    for item in items:
        if item.get_closest_marker("fuzz") is not None:
            item.add_marker(pytest.mark.skip(reason="the API fuzzer runs with `make fuzz` (pytest -m fuzz)"))


@pytest.fixture
def app(app_factory):
    """The app as in production: CSRF checked. The autosave limit is raised so that generated saves reach the
    code behind it (the limit itself: tests/security/test_rate_limits_per_user.py)."""
    return app_factory(WTF_CSRF_ENABLED=True, AUTOSAVE_RATE_LIMIT="1000/second;60000/minute")
