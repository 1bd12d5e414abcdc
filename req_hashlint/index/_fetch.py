"""What the indexes serve for each project asked about: one request per (index, project),
concurrent and bounded, through the cache, merged per index list in pip's order."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple, TypeVar
from urllib.parse import urlsplit

from .. import __version__
from .._redact import redact
from ._cache import FILES_TYPE, Cache, Entry, cache_key, decode_files, default_dir, encode_files, max_age_of
from ._http import ACCEPT, MAX_BYTES, Client, HttpError, split_auth
from ._model import Cause, Page, ServedFile, Unavailable
from ._simple import MalformedPage, page_url, parse

USER_AGENT = f"req-hashlint/{__version__}"
_T = TypeVar("_T")
_R = TypeVar("_R")

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
    stale: list[tuple[_Job, Entry | None]] = []
    for index, project in jobs:  # the cache first, on this thread: a warm run starts no thread
        try:
            job = _job(client, index, project)
            answer, entry = _from_cache(cache, job, refresh, stats)
        except Exception as exc:  # an index URL nothing can be made of: a finding, not a traceback
            answers[(index, project)] = (
                Cause.CONNECTION,
                redact(f"{host_of(index)}: invalid index URL ({type(exc).__name__})"),
            )
            continue
        if answer is not None:
            answers[(index, project)] = answer
        else:
            stale.append((job, entry))
    try:
        asked = each(lambda item: _from_index(client, cache, item[0], item[1], stats), stale, workers)
        answers.update(((job.index_url, job.project), answer) for (job, _), answer in zip(stale, asked, strict=True))
    finally:
        client.close()
    out: dict[tuple[tuple[str, ...], str], Page | Unavailable] = {}
    for indexes, projects in lists.items():
        shown = tuple(redact(i) for i in indexes)
        for project in projects:
            if not indexes:
                out[(indexes, project)] = Unavailable(project, Cause.NO_INDEX, "no index to ask")
                continue
            files: dict[str, ServedFile] = {}  # by URL: a link served twice is one candidate, as in pip
            failed: Unavailable | None = None
            for index in indexes:
                got = answers[(index, project)]
                if got and isinstance(got[0], Cause):
                    failed = Unavailable(project, got[0], str(got[1]))
                    break
                for f in got:
                    files.setdefault(f.url, f)
            out[(indexes, project)] = failed or Page(project, shown, tuple(files.values()))
    return out


def each(fn: Callable[[_T], _R], items: Sequence[_T], workers: int) -> list[_R]:
    """``fn`` of every item, in order: on this thread for one item, else on up to ``workers``
    threads (the requests wait on the network, not the CPU)."""
    if len(items) <= 1 or workers <= 1:
        return [fn(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(workers, len(items)), thread_name_prefix="req-hashlint-index") as pool:
        return list(pool.map(fn, items))


def host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or "index"
    except ValueError:
        return "index"


class _Job(NamedTuple):
    index_url: str
    project: str
    url: str  # the page URL, with the index's credentials
    bare: str  # the page URL without them
    key: str  # its cache key


def _job(client: Client, index: str, project: str) -> _Job:
    url = page_url(index, project)
    bare = split_auth(url)[0]
    return _Job(index, project, url, bare, cache_key(bare, ACCEPT, client.credentials(url)))


def _files(job: _Job, entry: Entry) -> tuple[ServedFile, ...]:
    if entry.status != 200:
        return ()
    if entry.content_type == FILES_TYPE:
        return decode_files(entry.body)
    return parse(entry.body, entry.url or job.bare, entry.content_type)


def _from_cache(cache: Cache, job: _Job, refresh: bool, stats: Stats) -> tuple[_Answer | None, Entry | None]:
    """The files when the cache holds a fresh entry, else None and the stale entry if any."""
    entry = None if refresh else cache.load(job.key)
    if entry is None or not entry.fresh(time.time()):
        return None, entry
    try:
        files = _files(job, entry)
    except Exception:  # stored only once parsed: a bug or a file edited by hand; ask again
        return None, None
    stats.add(fresh=1)
    return files, entry


def _from_index(client: Client, cache: Cache, job: _Job, entry: Entry | None, stats: Stats) -> _Answer:
    """One index's files for one project, asked of the index (never raises an ordinary
    exception). A page is stored only once it parsed: a malformed answer is asked again."""
    try:
        entry, store = _request(client, job, entry, stats)
        files = _files(job, entry)
    except HttpError as exc:
        return (exc.cause, exc.detail)
    except MalformedPage as exc:
        return (Cause.MALFORMED, redact(f"{host_of(job.bare)}: {exc}"))
    except Exception as exc:  # a bug or an unforeseen answer: a finding, never a traceback
        return (Cause.MALFORMED, redact(f"{host_of(job.bare)}: {type(exc).__name__}"))
    if store:
        if entry.status == 200 and entry.content_type != FILES_TYPE:  # the parsed files, not the page
            entry = entry._replace(body=encode_files(files), content_type=FILES_TYPE, url="")
        cache.store(job.key, entry)
    return files


def _request(client: Client, job: _Job, entry: Entry | None, stats: Stats) -> tuple[Entry, bool]:
    """The page's entry, revalidated or fetched, and whether to store it."""
    now = time.time()
    headers = {"Accept": ACCEPT, **(entry.validators() if entry is not None else {})}
    stats.add(requests=1)
    resp = client.get(job.url, headers)
    age = max_age_of(resp.headers)
    if resp.status == 304:
        if entry is None:
            raise HttpError(Cause.MALFORMED, f"{host_of(job.bare)}: 304 Not Modified to an unconditional request")
        stats.add(not_modified=1)
        # a 304 may update the validators and the freshness; what it leaves out stays as stored
        kept = "cache-control" not in resp.headers
        fresh = entry.max_age if kept else (age or 0.0)
        etag, modified = resp.headers.get("etag", entry.etag), resp.headers.get("last-modified", entry.last_modified)
        return entry._replace(stored=now, max_age=fresh, etag=etag, last_modified=modified), age is not None
    stats.add(bytes=len(resp.body))
    status = 200 if resp.status in (200, 203) else 404
    got = resp.headers
    final = resp.url if resp.url != job.bare else ""
    new = Entry(
        status,
        got.get("content-type", ""),
        resp.body,
        got.get("etag"),
        got.get("last-modified"),
        now,
        age or 0.0,
        final,
    )
    return new, age is not None and (status == 200 or age > 0)
