"""Where uploaded archives live: ``STORAGES["submissions"]``, private, never served.

The archive field refers to :func:`submission_storage` (a callable, so that
migrations do not record a location) which returns a lazy proxy: the backend
is looked up on first use, and again whenever ``STORAGES`` changes (tests
point it at a temporary folder; production may use object storage).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

ALIAS = "submissions"


class _SubmissionStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages[ALIAS]


_storage = _SubmissionStorage()


def submission_storage():
    return _storage


@receiver(setting_changed)
def _reset(*, setting, **kwargs):
    if setting == "STORAGES":
        _storage._wrapped = empty


@contextmanager
def local_path(field_file) -> Iterator[Path]:
    """A path on this machine for a stored file: the file itself on a file
    system storage, otherwise a temporary copy made in chunks."""
    storage = field_file.storage
    try:
        path = storage.path(field_file.name)
    except NotImplementedError:
        path = None
    if path is not None:
        yield Path(path)
        return
    suffix = "".join(Path(field_file.name).suffixes[-2:])
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with storage.open(field_file.name, "rb") as source:
            shutil.copyfileobj(source, copy, 1 << 20)
        copy.flush()
        yield Path(copy.name)
