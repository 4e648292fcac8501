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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test starts from the bundled v0.7 round, imported once per run."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_bundled_round", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def v07(db):
    from results.models import Round

    return Round.objects.get(version="v0.7")
