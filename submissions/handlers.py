"""Receiving an upload: straight to a temporary file, hashed on the way.

Django hands the request body to upload handlers chunk by chunk (64 KiB).
This one writes every chunk to a temporary file and feeds it to SHA-256 as
it goes, so the archive is never whole in memory and its digest is known
the moment the last byte arrives. It stops reading a file that grows past
``SUBMISSION_MAX_UPLOAD_BYTES``.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler


class HashingUploadHandler(TemporaryFileUploadHandler):
    def __init__(self, request=None, max_bytes: int | None = None):
        super().__init__(request)
        self.max_bytes = max_bytes or settings.SUBMISSION_MAX_UPLOAD_BYTES
        self.refuse = False
        self.digest = None
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # The whole body is over the limit (with room for the form's other fields).
        self.refuse = bool(content_length and content_length > self.max_bytes + 64 * 1024)
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.refuse or self.received > self.max_bytes:
            if self.request is not None:
                self.request.upload_too_large = self.max_bytes
            self.file.close()  # a temporary file: closing deletes it
            # Read the rest of the body without keeping it, so the browser gets the answer.
            raise StopUpload(connection_reset=False)
        self.digest.update(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        uploaded = super().file_complete(file_size)
        uploaded.sha256 = self.digest.hexdigest()
        return uploaded
