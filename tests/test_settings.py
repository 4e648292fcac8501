"""The skeleton: env-driven settings, the health check and the error pages."""

import os
import subprocess
import sys
import tempfile

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.template.loader import get_template

from mlperf_site.env import database_from_url, env_bool, env_int, env_list, proxy_ssl_header

# --- Health check and error pages ------------------------------------------------


def test_healthz_returns_plain_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_unknown_page_renders_the_404_template(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"MLPerf Inference Results" in response.content


def test_500_template_renders_without_request_or_context_processors():
    html = get_template("500.html").render()  # as django.views.defaults.server_error does

    assert "Something went wrong" in html
    assert "/static/css/site.css" in html


# --- Secret key: checked by starting the site in a clean process ----------------


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as folder:
        # A database of its own: makemigrations --check opens the default one, which would
        # otherwise be left in the repository as an empty db.sqlite3.
        clean_env = {
            "PATH": os.environ.get("PATH", ""),
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            **env,
        }
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=settings.BASE_DIR,
            env={"DJANGO_SETTINGS_MODULE": "mlperf_site.settings", **clean_env},
            capture_output=True,
            text=True,
            timeout=60,
        )


def _start_site(**env: str) -> subprocess.CompletedProcess[str]:
    """Import the WSGI application, as gunicorn and runserver do; print DEBUG."""
    return _run(
        "import mlperf_site.wsgi; from django.conf import settings; print(settings.DEBUG)", **env
    )


def test_the_site_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = _start_site()

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_the_site_refuses_the_placeholder_key_when_debug_is_off():
    result = _start_site(DJANGO_SECRET_KEY=settings.INSECURE_SECRET_KEY)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.slow  # makemigrations --check in a subprocess
def test_without_a_key_nothing_can_sign_but_commands_that_sign_nothing_run():
    result = _run(
        "import django; django.setup(); from django.core import signing; signing.dumps(1)"
    )
    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in result.stderr

    result = _run(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('makemigrations', '--check', '--dry-run')"
    )
    assert result.returncode == 0, result.stderr


def test_the_site_starts_with_a_real_secret_key():
    result = _start_site(DJANGO_SECRET_KEY="a-real-key-" + "x" * 50)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_placeholder_is_allowed_in_debug():
    result = _start_site(DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_tests_run_with_debug_off_and_plain_static_storage():
    assert settings.TESTING is True
    assert settings.DEBUG is False
    assert settings.STORAGES["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


# --- Database: the one DATABASE_URL names (SQLite when unset) ---------------------


@pytest.mark.django_db
def test_test_database_follows_database_url_and_is_migrated():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"

    assert connection.vendor == expected
    assert User.objects.count() == 0  # auth's tables exist: migrations ran


# --- Pure helpers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "engine", "name"),
    [
        ("sqlite:///x", "django.db.backends.sqlite3", "x"),
        ("sqlite:////tmp/site.sqlite3", "django.db.backends.sqlite3", "/tmp/site.sqlite3"),
        ("postgres://u@h/db", "django.db.backends.postgresql", "db"),
        ("postgresql://u:p@h:5433/db", "django.db.backends.postgresql", "db"),
    ],
)
def test_database_from_url_picks_the_engine(url, engine, name):
    config = database_from_url(url)

    assert config["ENGINE"] == engine
    assert config["NAME"] == name


def test_database_from_url_reads_postgres_parts_and_conn_max_age():
    config = database_from_url("postgres://u:p@h:5433/db", conn_max_age=60)

    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "u",
        "p",
        "h",
        5433,
    )
    assert config["CONN_MAX_AGE"] == 60


def test_database_from_url_rejects_an_unknown_scheme():
    with pytest.raises(ImproperlyConfigured):
        database_from_url("nosuchdb://h/db")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("", False), ("0", False), ("off", False), ("1", True), ("TRUE", True)],
)
def test_env_bool(value, expected):
    assert env_bool(value) is expected


def test_env_bool_rejects_nonsense():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env_bool("maybe", name="DJANGO_DEBUG")


def test_env_list_and_int():
    assert env_list(None, ["localhost"]) == ["localhost"]
    assert env_list(" a.example, ,b.example ") == ["a.example", "b.example"]
    assert env_int(None, 0) == 0
    assert env_int("30", 0) == 30
    with pytest.raises(ImproperlyConfigured):
        env_int("soon", 0)


def test_proxy_ssl_header():
    assert proxy_ssl_header(None) is None
    assert proxy_ssl_header("HTTP_X_FORWARDED_PROTO,https") == ("HTTP_X_FORWARDED_PROTO", "https")
    with pytest.raises(ImproperlyConfigured):
        proxy_ssl_header("HTTP_X_FORWARDED_PROTO")
