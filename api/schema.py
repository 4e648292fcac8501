"""The OpenAPI document's operations, with the API's 400 and 404 bodies beside the 200s."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction

from .serializers import ErrorSerializer


class PublicSchema(AutoSchema):
    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        bodies: dict[str, Any] = super()._get_response_bodies(direction)
        for code in ("400", "404"):
            error = self._get_response_for_code(ErrorSerializer, code, direction=direction)
            bodies.setdefault(code, error)
        return bodies
