"""Rendered round pages in Django's cache, dropped per round in O(1).

A round's pages are stored under a key that holds the round's *generation*,
a random token kept in the cache itself::

    results:round:<version>:generation          -> "3f9c0e1a2b4d"
    results:page:<version>:<generation>:<view>:<args>:<digest of the query string>

``invalidate_round`` replaces the token, so every page of the round is
orphaned at once (and expires by itself) without listing any key. A lost
token (evicted, or a cache restart) is replaced by a new one, which can only
cause misses, never a stale hit.

Only what the public sees is stored: the response to a GET without a session
cookie (staff and submitters, who may see drafts, always get a fresh page),
with status 200, no cookie set and no CSRF token rendered. A round that is
not yet public answers 404, which is never stored. Unknown query parameters (a
cache-busting ``?_=123``) are served but not stored, so arbitrary URLs cannot
fill the cache.

The embargo holds with any cache backend and any number of processes: before
a page is looked up, one small query asks the database whether the round is
published now (``public_state``); if it is not, nothing is served from the
cache, whatever a process kept. The same query reads what changes the public
pages without a new publication time (the newest correction, the last
numbering, which imports into a published round renew, and the time of the
last invalidation, which every edit of what the pages show makes), and the key
names it, so corrections, withdrawals, renames and moves show at once on every
process, even on the per-process local-memory cache, which no cache-side
invalidation reaches.

Since a page key names one generation of one round, what is stored under it
never changes. So with a shared cache each process also keeps the pages it
served in memory (``RESULTS_CACHE_LOCAL_BYTES``, least recently used first
out) and asks the shared cache only for the generation, a few bytes, instead
of fetching and unpickling the page on every request.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

DEFAULT_TIMEOUT = 300
# Response header telling whether a page came from the cache (for the benchmark and tests).
STATUS_HEADER = "X-Page-Cache"


class LocalPages:
    """Pages by key, in this process, up to ``max_bytes`` of content in all."""

    def __init__(self):
        self._pages: OrderedDict[str, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def set(self, key: str, page: tuple, max_bytes: int) -> None:
        if len(page[0]) > max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old[0])
            self._pages[key] = page
            self._bytes += len(page[0])
            while self._bytes > max_bytes:
                _, evicted = self._pages.popitem(last=False)
                self._bytes -= len(evicted[0])


local_pages = LocalPages()


def _version_of(round_or_version) -> str:
    return getattr(round_or_version, "version", round_or_version)


def _generation_key(version: str) -> str:
    return f"results:round:{version}:generation"


def generation(version: str) -> str:
    """The round's current generation token, created when missing."""
    key = _generation_key(version)
    token = cache.get(key)
    if token is None:
        # add() keeps a token another process set in the meantime.
        cache.add(key, secrets.token_hex(6), timeout=None)
        token = cache.get(key)
    return token


def invalidate_round(round_or_version) -> None:
    """Drop every cached page of a round (a Round or its version string).

    Call it after the change is committed, e.g.
    ``transaction.on_commit(lambda: invalidate_round(round_))``. When a round's
    version changes, call it with the old version too.
    """
    version = _version_of(round_or_version)
    cache.set(_generation_key(version), secrets.token_hex(6), timeout=None)
    # The token above reaches only this process on a per-process cache; the database
    # reaches them all (public_state reads this column before every cached page).
    from .models import Round

    Round.objects.filter(version=version).update(pages_changed_at=timezone.now())


def invalidate_rounds(rounds: Iterable) -> None:
    """Drop the pages of several rounds, e.g. after renaming a submitter or an accelerator."""
    for round_ in rounds:
        invalidate_round(round_)


def timeout() -> int:
    return int(getattr(settings, "RESULTS_CACHE_TIMEOUT", DEFAULT_TIMEOUT))


def _get_page(key: str) -> tuple | None:
    local_bytes = getattr(settings, "RESULTS_CACHE_LOCAL_BYTES", 0)
    page = local_pages.get(key) if local_bytes else None
    if page is None:
        page = cache.get(key)
        if page is not None and local_bytes:
            local_pages.set(key, page, local_bytes)
    return page


def _set_page(key: str, page: tuple) -> None:
    cache.set(key, page, timeout())
    local_bytes = getattr(settings, "RESULTS_CACHE_LOCAL_BYTES", 0)
    if local_bytes:
        local_pages.set(key, page, local_bytes)


def _public_state_sql() -> str:
    from .models import Correction, Round

    q = connection.ops.quote_name
    rounds, corrections = q(Round._meta.db_table), q(Correction._meta.db_table)
    return (
        f"SELECT r.{q('published_at')}, r.{q('numbered_at')}, r.{q('pages_changed_at')}, "
        f"(SELECT c.{q('id')} FROM {corrections} c WHERE c.{q('round_id')} = r.{q('id')} "
        f"ORDER BY c.{q('id')} DESC LIMIT 1) "
        f"FROM {rounds} r WHERE r.{q('version')} = %s AND r.{q('published_at')} <= %s"
    )


def public_state(version: str) -> str | None:
    """None unless the round is published at this moment, as the database says now;
    else a token of what its public pages show beyond the generation (publication
    time, last numbering, last invalidation, newest correction). One query, by the
    round's unique version, in plain SQL: it runs before every cached page, and the ORM
    would cost ten times it.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_public_state_sql(), [version, now])
        row = cursor.fetchone()
    if row is None:
        return None
    # A digest: the values hold spaces, which some cache backends refuse in keys.
    return hashlib.blake2b("|".join(map(str, row)).encode(), digest_size=8).hexdigest()


def _logged_in(request: HttpRequest) -> bool:
    """Whether the visitor is logged in: a session cookie alone (stale, or made up to skip
    the cache) is not enough; its session must hold a user (one query to tell)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is None or user.is_authenticated


def page_key(
    request: HttpRequest,
    version: str,
    name: str,
    params: frozenset[str],
    args: tuple = (),
    state: str | None = None,
) -> str | None:
    """The cache key for this request's page, or None when it must not be cached."""
    if request.method not in ("GET", "HEAD") or timeout() <= 0:
        return None
    if _logged_in(request):
        return None
    if any(name not in params for name in request.GET):
        return None
    state = state or public_state(version)
    if state is None:
        return None  # not public now: never from the cache, whatever a process kept
    # The same filters in any order are the same page.
    query = urlencode(sorted((k, v) for k in request.GET for v in request.GET.getlist(k)))
    digest = hashlib.blake2b(query.encode(), digest_size=12).hexdigest()
    extra = ":".join(str(a) for a in args)
    return f"results:page:{version}:{generation(version)}:{state}:{name}:{extra}:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A rendered CSRF token belongs to one visitor.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


# A page number as the pages write it: 1 to 999999, no sign, no leading zero.
_PAGE = re.compile(r"[1-9][0-9]{0,5}")


def free_text_word(value: str, words: frozenset[str]) -> str | None:
    """The vocabulary word a typed value names (case and spacing aside), else None."""
    folded = " ".join(value.split()).casefold()
    return next((word for word in words if word.casefold() == folded), None)


def canonical_query(
    query: QueryDict,
    vocabulary: dict[str, frozenset[str]],
    free_text: frozenset[str] = frozenset(),
) -> QueryDict:
    """The query with what the page would not read dropped: unknown parameters, values
    outside the round's vocabulary (a stale or made-up filter, ``?sort=junk1``), empty
    ones, repeats (the page reads the last), ``page=1``. What stays is one page of the
    round, so any number of made-up URLs render and store that page once.

    A ``free_text`` parameter keeps its text, trimmed, written as the word it names
    when it names one ("nvidia  t4" is "NVIDIA T4"); ``cacheable`` tells the rest."""
    canonical = QueryDict(mutable=True)
    for name in sorted(vocabulary):
        values = query.getlist(name)
        if not values:
            continue
        value = values[-1]
        if name in free_text:
            text = " ".join(value.split())
            if text:
                canonical[name] = free_text_word(text, vocabulary[name]) or text
            continue
        if name == "page":
            if not _PAGE.fullmatch(value) or value == "1":
                continue
        elif value not in vocabulary[name]:
            continue
        canonical[name] = value
    canonical._mutable = False
    return canonical


def _with_query(request: HttpRequest, query: QueryDict) -> HttpRequest:
    # The view then renders the canonical page; its links are the canonical ones too.
    request.GET = query  # type: ignore[assignment]  # made immutable above, as GET is
    request.META["QUERY_STRING"] = query.urlencode()
    return request


def cache_round_page(
    params: Iterable[str],
    vocabulary: Callable[[str, str], dict[str, frozenset[str]] | None] | None = None,
    free_text: frozenset[str] = frozenset(),
) -> Callable:
    """Decorate a public view taking ``version`` first: serve and store its page.

    ``params`` are the query parameters the page understands (filters, sort,
    page). With ``vocabulary(version, state)``, which gives the values each may
    take in the round, the query is made canonical first (``canonical_query``)
    and only canonical pages are stored; without it, a request with any other
    parameter is rendered but not stored. A request carrying
    ``RESULTS_CACHE_BYPASS_PARAM`` (when set: the benchmark's ``nocache``) is
    rendered as it is.
    """
    known = frozenset(params)

    def decorator(view):
        @wraps(view)
        def wrapper(request, version, *args, **kwargs):
            state = None
            bypass = getattr(settings, "RESULTS_CACHE_BYPASS_PARAM", "")
            if bypass and bypass in request.GET:
                return view(request, version, *args, **kwargs)
            if vocabulary is not None and request.GET and timeout() > 0:
                state = public_state(version)
                words = vocabulary(version, state) if state and not _logged_in(request) else None
                if words is not None:
                    allowed = {name: words.get(name, frozenset()) for name in known}
                    canonical = canonical_query(request.GET, allowed, free_text)
                    if canonical != request.GET:
                        request = _with_query(request, canonical)
                    if any(
                        canonical[name] not in allowed[name]
                        for name in free_text & known
                        if name in canonical
                    ):
                        # A partial name: its page is rendered, never stored.
                        return view(request, version, *args, **kwargs)
            key = page_key(
                request, version, view.__name__, known, args + tuple(kwargs.values()), state
            )
            if key is None:
                return view(request, version, *args, **kwargs)
            tag = etag(key)
            # The key names the round's generation and state and the canonical query, so
            # what it holds never changes: a matching If-None-Match needs no page at all.
            not_modified = get_conditional_response(request, etag=tag)
            if not_modified is not None:
                return _public(not_modified, tag, None)
            stored = _get_page(key)
            status = "hit"
            if stored is not None:
                content, content_type, stored_at, gzipped = _unpack(stored)
                not_modified = get_conditional_response(request, etag=tag, last_modified=stored_at)
                if not_modified is not None:
                    return _public(not_modified, tag, stored_at)
            else:
                response = view(request, version, *args, **kwargs)
                if not _storable(request, response):
                    return response
                content, content_type = response.content, response["Content-Type"]
                stored_at, status = int(time.time()), "miss"
                # Compressed once, when stored: a hit then costs no compression.
                gzipped = gzip.compress(content, compresslevel=6, mtime=0)
                _set_page(key, (content, content_type, stored_at, gzipped))
            if gzipped is not None and _ACCEPTS_GZIP.search(
                request.headers.get("Accept-Encoding", "")
            ):
                response = HttpResponse(gzipped, content_type=content_type)
                response["Content-Encoding"] = "gzip"
            else:
                response = HttpResponse(content, content_type=content_type)
            response[STATUS_HEADER] = status
            # As GZipMiddleware would (it leaves an encoded response alone).
            patch_vary_headers(response, ["Accept-Encoding"])
            response = _public(response, tag, stored_at)
            if response.has_header("Content-Encoding"):
                response["ETag"] = f"W/{tag}"
            return response

        return wrapper

    return decorator


def etag(key: str) -> str:
    return '"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'


def _unpack(stored: tuple) -> tuple[bytes, str, int | None, bytes | None]:
    """(content, content type, when stored, the content gzipped) of a stored page."""
    content, content_type, *rest = stored
    rest += [None] * (2 - len(rest))
    return content, content_type, rest[0], rest[1]


# Public pages only, so no secret is ever compressed beside a visitor's input (BREACH).
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def browser_max_age() -> int:
    """How long a browser keeps a public page before it revalidates (with the ETag)."""
    return int(getattr(settings, "RESULTS_BROWSER_MAX_AGE", 60))


def _public(response: HttpResponse, tag: str, stored_at: int | None) -> HttpResponse:
    """The validators and the Cache-Control of a public page or download (and its 304).

    A shared cache keeps it as long as this cache does (s-maxage), a browser for a
    minute; logged-in visitors get another page (drafts for staff): Vary: Cookie, and
    mlperf_site.middleware.SecurityHeaders makes theirs private.
    """
    response["ETag"] = tag
    if stored_at is not None:
        response["Last-Modified"] = http_date(stored_at)
    patch_cache_control(response, public=True, max_age=browser_max_age(), s_maxage=timeout())
    patch_vary_headers(response, ["Cookie"])
    return response


def stored_download(view: Callable) -> Callable:
    """Decorate the round's download view: the whole round's CSV or JSON (no query) is
    kept per round generation and state like a page; filtered downloads stream as before.
    """

    @wraps(view)
    def wrapper(request, version, fmt):
        key = page_key(request, version, view.__name__, frozenset(), (fmt,))
        if key is None:
            return view(request, version, fmt)
        tag = etag(key)
        not_modified = get_conditional_response(request, etag=tag)
        if not_modified is not None:
            return _public(not_modified, tag, None)
        stored = _get_page(key)
        if stored is None:
            response = view(request, version, fmt)
            if response.status_code != 200:
                return response
            content = b"".join(response) if response.streaming else response.content
            stored = (content, response["Content-Type"], response["Content-Disposition"])
            if not response.cookies:
                _set_page(key, stored)
            status = "miss"
        else:
            status = "hit"
        content, content_type, disposition = stored
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = disposition
        response[STATUS_HEADER] = status
        return _public(response, tag, None)

    return wrapper
