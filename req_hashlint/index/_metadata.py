"""Core metadata (PEP 658/714) of the files the dependency rules need: the ``.metadata`` file the
index serves beside each one, verified against the hash the page advertises for it, and cached
under that hash (the same bytes whichever index served them). The artifact is never requested;
a file whose metadata is not served is answered ``Cause.NO_METADATA``, never guessed."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Mapping
from urllib.parse import urldefrag

from .._redact import redact
from ._cache import Cache, Entry, cache_key, default_dir
from ._fetch import USER_AGENT, Stats, each, host_of
from ._http import Client, HttpError, split_auth, target
from ._model import Cause, Metadata, ServedFile, Unavailable

METADATA_TYPE = "application/x-req-hashlint-metadata"
MAX_METADATA = 8 * 1024 * 1024  # a METADATA file holds the long description: large, never this large

_Answer = Metadata | Unavailable


def parse_metadata(body: bytes) -> Metadata:
    """The Requires-Dist and Requires-Python fields of a METADATA file's header section, read with
    ``email.parser`` from its UTF-8 text, as pip reads them (a folded field unfolded)."""
    from email.parser import HeaderParser

    # the header section alone: the long description after the first empty line can be large
    head = re.split(r"\r?\n\r?\n", body.decode("utf-8", "replace"), maxsplit=1)[0]
    headers = HeaderParser().parsestr(head)

    def unfolded(value: str) -> str:
        return re.sub(r"\r?\n[ \t]+", " ", str(value)).strip()

    python = headers.get("Requires-Python")
    requires = tuple(v for v in map(unfolded, headers.get_all("Requires-Dist") or ()) if v)
    return Metadata(requires, unfolded(python) or None if python is not None else None)


def _check(body: bytes, advertised: Mapping[str, str]) -> tuple[str, str, str] | None:
    """(algorithm, advertised digest, digest of ``body``) for the strongest advertised algorithm
    hashlib has, or None when nothing advertised can be checked (``core-metadata: true``)."""
    for algo in ("sha512", "sha384", "sha256", *sorted(advertised)):
        if algo in advertised and algo in hashlib.algorithms_guaranteed:
            return algo, advertised[algo], hashlib.new(algo, body).hexdigest()
    return None


def _key(f: ServedFile) -> str | None:
    """The cache key of a file's metadata: its advertised digest (content-addressed), else the
    artifact's sha256 (its metadata never changes), else None (not cached)."""
    meta = f.metadata or {}
    for algo in ("sha512", "sha384", "sha256", *sorted(meta)):
        if algo in meta and algo in hashlib.algorithms_guaranteed:
            return cache_key(f"core-metadata:{algo}:{meta[algo]}", "", None)
    if "sha256" in f.hashes:
        return cache_key(f"core-metadata-of:{urldefrag(f.url)[0]}:{f.hashes['sha256']}", "", None)
    return None


def load(
    wanted: Iterable[tuple[str, str, ServedFile]],
    indexes: Mapping[str, tuple[str, ...]],
    *,
    cache_dir: str | None,
    timeout: float = 15.0,
    workers: int = 8,
    stats: Stats | None = None,
) -> dict[str, _Answer]:
    """Each file's metadata by its URL. ``wanted``: (index-list key, project, file);
    ``indexes``: each key's index URLs with their credentials, which a metadata request to the
    same origin carries (as pip's MultiDomainBasicAuth does); else ``~/.netrc``'s are used."""
    cache = Cache(default_dir() if cache_dir is None else cache_dir, max_bytes=MAX_METADATA)
    stats = stats if stats is not None else Stats()
    out: dict[str, _Answer] = {}
    todo: dict[str, tuple[str, str, ServedFile, str | None]] = {}  # one request per metadata digest
    same: dict[str, list[str]] = {}  # a request's key -> the URLs of every file it answers for
    read: dict[str, Metadata] = {}  # cache key -> what was read from the cache
    for key, project, f in wanted:
        if f.url in out:
            continue
        if f.metadata is None:
            out[f.url] = Unavailable(project, Cause.NO_METADATA, f.filename)
            continue
        ckey = _key(f)
        if ckey is not None and ckey in read:  # the same metadata as a file already read (other wheels)
            out[f.url] = read[ckey]
            continue
        stored = cache.load(ckey) if ckey else None
        if ckey is not None and stored is not None and stored.content_type == METADATA_TYPE:
            checked = _check(stored.body, f.metadata)
            if checked is None or checked[1] == checked[2]:  # verified again: the cache is not trusted
                stats.add(fresh=1)
                out[f.url] = read[ckey] = parse_metadata(stored.body)
                continue
        job = ckey if ckey is not None and f.metadata else f.url  # an advertised digest: the same bytes
        todo.setdefault(job, (key, project, f, ckey))
        same.setdefault(job, []).append(f.url)
    if todo:
        client = Client(timeout=timeout, max_bytes=MAX_METADATA, user_agent=USER_AGENT)
        auth = {key: _origins(urls) for key, urls in indexes.items()}

        def one(job: tuple[str, str, ServedFile, str | None]) -> _Answer:
            key, project, f, ckey = job
            return _ask(client, cache, stats, project, f, ckey, auth.get(key, {}))

        try:
            for job, answer in zip(todo, each(one, list(todo.values()), workers), strict=True):
                out.update(dict.fromkeys(same[job], answer))
        finally:
            client.close()
    return out


def _origins(urls: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Origin -> the credentials an index URL of the list carries for it (the first wins)."""
    found: dict[str, tuple[str, str]] = {}
    for url in urls:
        bare, auth = split_auth(url)
        if auth is not None:
            try:
                found.setdefault(target(bare).origin, auth)
            except ValueError:
                continue
    return found


def _ask(
    client: Client,
    cache: Cache,
    stats: Stats,
    project: str,
    f: ServedFile,
    ckey: str | None,
    auth: Mapping[str, tuple[str, str]],
) -> _Answer:
    """One file's metadata asked of the index (never raises an ordinary exception)."""
    url = urldefrag(f.url)[0] + ".metadata"
    where = host_of(url)
    try:
        stats.add(requests=1)
        resp = client.get(url, {"Accept": "*/*"}, auth=auth.get(target(url).origin))
    except HttpError as exc:
        return Unavailable(project, exc.cause, exc.detail)
    except Exception as exc:  # a URL nothing can be made of, or a surprise: a finding, not a traceback
        return Unavailable(project, Cause.CONNECTION, redact(f"{where}: {type(exc).__name__}"))
    stats.add(bytes=len(resp.body))
    if resp.status not in (200, 203):
        return Unavailable(project, Cause.STATUS, f"{where}: HTTP {resp.status} for {f.filename}.metadata")
    checked = _check(resp.body, f.metadata or {})
    if checked is not None and checked[1] != checked[2]:
        algo, want, got = checked
        return Unavailable(
            project,
            Cause.BAD_METADATA,
            f"{f.filename}.metadata has {algo} {got[:16]}..., the page advertises {want[:16]}...",
        )
    if ckey is not None:
        cache.store(ckey, Entry(200, METADATA_TYPE, resp.body, None, None, time.time(), 0.0))
    return parse_metadata(resp.body)
