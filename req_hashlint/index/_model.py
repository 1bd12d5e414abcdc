"""Index evidence as the rules see it: pure data, no I/O (the rules import only this module)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple


class ServedFile(NamedTuple):
    """One file of a project page (PEP 691 ``files`` entry, or a PEP 503 anchor)."""

    filename: str
    url: str  # absolute, with any credentials removed; never requested
    hashes: Mapping[str, str]  # algorithm -> lowercase hex digest, as the index gives them
    requires_python: str | None = None
    yanked: str | None = None  # None: not yanked; "": yanked without a reason; else the reason
    # PEP 658/714 core metadata: None when not served; else its hashes (empty when none are given)
    metadata: Mapping[str, str] | None = None


class Page(NamedTuple):
    """What the indexes pip would ask serve for one project, merged as pip merges them."""

    project: str  # PEP 503-normalized name
    indexes: tuple[str, ...]  # the index URLs asked (credentials redacted), in order
    files: tuple[ServedFile, ...]  # empty: no index serves the project (every one answered 404)


class Cause(enum.Enum):
    """Why a project's evidence could not be had (RH903)."""

    CONNECTION = "connection failed"
    TIMEOUT = "timed out"
    STATUS = "bad status"
    TOO_LARGE = "response too large"
    MALFORMED = "malformed response"
    REDIRECT = "refused redirect"
    NO_INDEX = "no index"  # --no-index, or every index cleared
    FIND_LINKS = "find-links source"  # files may come from a --find-links source: not verifiable
    NO_METADATA = "no metadata served"  # PEP 658 metadata absent (issue 14)
    BAD_METADATA = "metadata does not match its advertised hash"  # refused, as pip refuses it


class Unavailable(NamedTuple):
    project: str  # PEP 503-normalized name
    cause: Cause
    detail: str  # for the message, with any credentials already redacted


class Metadata(NamedTuple):
    """What the dependency rules read of a file's core metadata (PEP 658 ``.metadata`` file)."""

    requires_dist: tuple[str, ...]  # each Requires-Dist value as written
    requires_python: str | None


# The files whose core metadata a rule needs, each as (the key of the index list it was served
# by, its project, the file) -> each file's URL -> its metadata, or why there is none.
MetadataLoader = Callable[[Iterable[tuple[str, str, ServedFile]]], Mapping[str, "Metadata | Unavailable"]]


class Evidence(NamedTuple):
    """Every project asked about, for each list of indexes a root file's install uses.

    ``source_of`` maps a root file's ident (``Graph.members``' keys) to the key of the index list
    pip uses for its install; ``pages`` maps (that key, normalized project name) to the answer.
    """

    pages: Mapping[tuple[str, str], Page | Unavailable]
    source_of: Mapping[str, str]
    # asks the index for core metadata when a dependency rule first needs it (I/O; None: none served)
    metadata: MetadataLoader | None = None
    # a pylock.toml package's `index` ("" when it has none) -> the key of the index list asked about it
    lock_source: Mapping[str, str] = {}
