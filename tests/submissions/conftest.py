"""Fixtures for the upload path: storage in a temporary folder, an open round,
members of two submitters and staff, and real archives to upload."""

import tarfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

# The real submitter folders, unpacked once from the bundled round (see tests/mlperf).
from tests.mlperf.conftest import extract, ivatech, small_submissions  # noqa: F401

PASSWORD = "correct horse battery staple"
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path_factory):
    """Every test stores uploads in a folder of its own, which it can inspect."""
    root = tmp_path_factory.mktemp("uploads")
    settings.STORAGES = {
        **settings.STORAGES,
        "submissions": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def open_round(v07):
    """v0.7, open for uploads for another week."""
    v07.submission_deadline = timezone.now() + timedelta(days=7)
    v07.save(update_fields=["submission_deadline"])
    return v07


def make_user(django_user_model, name, *, submitters=(), staff=False):
    from results.models import Submitter
    from submissions.models import Membership

    user = django_user_model.objects.create_user(
        name, f"{name}@example.org", PASSWORD, is_staff=staff
    )
    for slug in submitters:
        Membership.objects.create(user=user, submitter=Submitter.objects.get(slug=slug))
    return user


@pytest.fixture
def member_a(db, django_user_model):
    """A member of IVATech (submitter A)."""
    return make_user(django_user_model, "alice", submitters=["ivatech"])


@pytest.fixture
def member_b(db, django_user_model):
    """A member of Mobilint (submitter B)."""
    return make_user(django_user_model, "bob", submitters=["mobilint"])


@pytest.fixture
def staff(db, django_user_model):
    return make_user(django_user_model, "sam", staff=True)


def pack(root: Path, target: Path, mode: str = "w:gz") -> Path:
    """An archive of everything under root (closed/..., open/...)."""
    # gzip level 1: a quarter of the CPU of the default 9 (the tests pack some forty archives).
    options = {"compresslevel": 1} if mode.endswith("gz") else {}
    with tarfile.open(target, mode, **options) as archive:  # type: ignore[call-overload]
        for path in sorted(root.iterdir()):
            archive.add(path, arcname=path.name)
    return target


@pytest.fixture
def ivatech_tree(ivatech):  # noqa: F811
    """closed/IVATech, complete but for its code: with the placeholder the issue names."""
    code = ivatech / "closed" / "IVATech" / "code" / "resnet" / "v1"
    code.mkdir(parents=True)
    (code / "README.md").write_text("placeholder for the code folder\n")
    return ivatech


@pytest.fixture
def ivatech_archive(ivatech_tree, tmp_path):
    return pack(ivatech_tree, tmp_path / "ivatech.tar.gz")


def upload(client, round_, submitter_slug, path, name=None):
    """POST an archive through the upload form, as a browser would."""
    from results.models import Submitter

    with open(path, "rb") as f:
        if name:
            from django.core.files.uploadedfile import SimpleUploadedFile

            f = SimpleUploadedFile(name, f.read())
        return client.post(
            "/submissions/new/",
            {
                "round": round_.pk,
                "submitter": Submitter.objects.get(slug=submitter_slug).pk,
                "archive": f,
            },
        )
