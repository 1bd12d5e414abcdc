"""What the indexes serve for each project asked about: one request per (index, project),
concurrent and bounded, through the cache, merged per index list in pip's order."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from .. import __version__
from .._redact import redact
from ._cache import Cache, Entry, cache_key, default_dir, max_age_of
from ._http import ACCEPT, MAX_BYTES, Client, HttpError, split_auth
from ._model import Cause, Page, ServedFile, Unavailable
from ._simple import MalformedPage, page_url, parse

USER_AGENT = f"req-hashlint/{__version__}"

# One index's answer for one project: its files (empty: 404), or why there is none.
_Answer = tuple[ServedFile, ...] | tuple[Cause, str]


class Stats:
    """What a fetch did, for the benchmarks and the verbose output."""

    __slots__ = ("_lock", "bytes", "fresh", "not_modified", "requests")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0  # requests sent (redirects not counted)
        self.bytes = 0  # body bytes received (decoded)
        self.fresh = 0  # answers from the cache without a request
        self.not_modified = 0  # 304 answers

    def add(self, *, requests: int = 0, bytes: int = 0, fresh: int = 0, not_modified: int = 0) -> None:
        with self._lock:
            self.requests += requests
            self.bytes += bytes
            self.fresh += fresh
            self.not_modified += not_modified


def fetch(
    wanted: Mapping[tuple[str, ...], Iterable[str]],
    *,
    cache_dir: str | None,
    refresh: bool = False,
    timeout: float = 15.0,
    workers: int = 8,
    user_agent: str = USER_AGENT,
    max_bytes: int = MAX_BYTES,
    stats: Stats | None = None,
) -> dict[tuple[tuple[str, ...], str], Page | Unavailable]:
    """Each project's page for each index list, merged in the list's order.

    ``wanted`` maps an index list (URLs in pip's order, credentials in their userinfo, ``${VAR}``
    already expanded) to the normalized project names to ask about. ``cache_dir``: None is the
    default directory (:func:`_cache.default_dir`), ``""`` turns the cache off. A 404 is "no
    files on that index"; any other failure on any index of a list makes the project
    :class:`Unavailable` (the evidence would be incomplete). No artifact is ever requested.
    """
    cache = Cache(default_dir() if cache_dir is None else cache_dir, max_bytes=max_bytes)
    client = Client(timeout=timeout, max_bytes=max_bytes, user_agent=user_agent)
    stats = stats if stats is not None else Stats()
    lists = {indexes: sorted(set(projects)) for indexes, projects in wanted.items()}
    jobs = sorted(
        {(index, project) for indexes, projects in lists.items() for index in indexes for project in projects}
    )
    answers: dict[tuple[str, str], _Answer] = {}
    if len(jobs) <= 1 or workers <= 1:
        for job in jobs:
            answers[job] = _answer(client, cache, job[0], job[1], refresh, stats)
    elif jobs:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(workers, len(jobs)), thread_name_prefix="req-hashlint-index") as pool:
            futures = {job: pool.submit(_answer, client, cache, job[0], job[1], refresh, stats) for job in jobs}
            for job, future in futures.items():
                answers[job] = future.result()
    client.close()
    out: dict[tuple[tuple[str, ...], str], Page | Unavailable] = {}
    for indexes, projects in lists.items():
        shown = tuple(redact(i) for i in indexes)
        for project in projects:
            if not indexes:
                out[(indexes, project)] = Unavailable(project, Cause.NO_INDEX, "no index to ask")
                continue
            files: list[ServedFile] = []
            failed: Unavailable | None = None
            for index in indexes:
                got = answers[(index, project)]
                if got and isinstance(got[0], Cause):
                    failed = Unavailable(project, got[0], str(got[1]))
                    break
                files.extend(got)
            out[(indexes, project)] = failed or Page(project, shown, tuple(files))
    return out


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or "index"
    except ValueError:
        return "index"


def _answer(client: Client, cache: Cache, index: str, project: str, refresh: bool, stats: Stats) -> _Answer:
    """One index's files for one project (never raises an ordinary exception)."""
    url = page_url(index, project)
    bare, _ = split_auth(url)
    try:
        entry = _page(client, cache, url, bare, refresh, stats)
    except HttpError as exc:
        return (exc.cause, exc.detail)
    except Exception as exc:  # a bug or an unforeseen answer: a finding, never a traceback
        return (Cause.MALFORMED, redact(f"{_host(bare)}: {type(exc).__name__}"))
    if entry.status != 200:
        return ()
    try:
        return parse(entry.body, bare, entry.content_type)
    except MalformedPage as exc:
        return (Cause.MALFORMED, redact(f"{_host(bare)}: {exc}"))
    except Exception as exc:
        return (Cause.MALFORMED, redact(f"{_host(bare)}: {type(exc).__name__}"))


def _page(client: Client, cache: Cache, url: str, bare: str, refresh: bool, stats: Stats) -> Entry:
    """The page's entry: fresh from the cache, revalidated, or fetched (and stored)."""
    key = cache_key(bare, ACCEPT, client.credentials(url))
    entry = None if refresh else cache.load(key)
    now = time.time()
    if entry is not None and entry.fresh(now):
        stats.add(fresh=1)
        return entry
    headers = {"Accept": ACCEPT, **(entry.validators() if entry is not None else {})}
    stats.add(requests=1)
    resp = client.get(url, headers)
    age = max_age_of(resp.headers)
    if resp.status == 304:
        if entry is None:
            raise HttpError(Cause.MALFORMED, f"{_host(bare)}: 304 Not Modified to an unconditional request")
        stats.add(not_modified=1)
        entry = entry._replace(stored=now, max_age=entry.max_age if age is None else age)
        cache.store(key, entry)
        return entry
    stats.add(bytes=len(resp.body))
    status = 200 if resp.status in (200, 203) else 404
    entry = Entry(
        status,
        resp.headers.get("content-type", ""),
        resp.body,
        resp.headers.get("etag"),
        resp.headers.get("last-modified"),
        now,
        age or 0.0,
    )
    if age is not None and (status == 200 or age > 0):
        cache.store(key, entry)
    return entry
