import io
import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip `browser` tests on a machine without Debian's Chromium, except in CI,
    where .ci/run installs it and a missing browser must fail loudly."""
    if os.environ.get("CI") or shutil.which(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Passwords hashed with MD5 in tests: Django's default hasher (PBKDF2, a million rounds)
    costs about 0.3 s per user made or login, a third of the fast lane's time on two cores."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test starts from the bundled v0.7 round, imported once per run
    (the other bundled rounds are imported by the tests that need them)."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_bundled_round", "v0.7", verbosity=0, stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Round pages are rendered afresh unless a test turns the page cache on (test_cache.py).

    Tests run inside a transaction that never commits, so the invalidations that
    services schedule with on_commit never run; a cached page would go stale.
    """
    from django.core.cache import cache

    settings.RESULTS_CACHE_TIMEOUT = 0
    cache.clear()


@pytest.fixture
def v07(db):
    from results.models import Round

    return Round.objects.get(version="v0.7")
