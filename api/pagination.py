"""Page-number pagination that refuses what it cannot read and leaves pages lazy."""

from __future__ import annotations

import re
from typing import Any

from django.core.paginator import InvalidPage
from rest_framework.exceptions import APIException, NotFound
from rest_framework.pagination import PageNumberPagination


class BadQuery(APIException):
    """A 400 whose body names what was wrong: ``{"detail": ..., "errors": {...}}``."""

    status_code = 400
    default_code = "bad_query"

    def __init__(self, detail: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = {"detail": detail, "errors": errors or {}}


_PAGE_SIZE = re.compile(r"[1-9][0-9]{0,3}")


class Pages(PageNumberPagination):
    """``?page=N`` (from 1; ``last`` too) and ``?page_size=N`` (1 to 1000, default 100).

    A page that does not exist is a 404; a page size that is not a number in range
    is a 400 (DRF would quietly use the default).
    """

    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not _PAGE_SIZE.fullmatch(raw) or int(raw) > self.max_page_size:
            raise BadQuery(
                "Invalid page size.",
                {"page_size": [f"A whole number from 1 to {self.max_page_size}."]},
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        """DRF's, but returns the page's slice of the query unread (DRF lists it), so
        that a view may read it its own way (the results, as the downloads do)."""
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(number)
        except InvalidPage as exc:
            message = self.invalid_page_message.format(page_number=number, message=exc)
            raise NotFound(message) from exc
        return self.page.object_list

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        # DRF writes OpenAPI 3.0's "nullable"; the document is 3.1 (settings).
        page = super().get_paginated_response_schema(schema)
        for link in ("next", "previous"):
            page["properties"][link].pop("nullable", None)
            page["properties"][link]["type"] = ["string", "null"]
        return page
