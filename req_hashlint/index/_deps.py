"""What pip installs for each root file's install, in each target environment, from the core
metadata of the files it picks (RH307, RH308, RH309, RH903). Pure: the metadata is asked for
through ``Evidence.metadata`` once, for every picked file at the same time.

pip's hash-checking mode installs nothing it was not given pinned and hashed: a dependency
(a ``Requires-Dist`` whose marker holds there, with ``extra`` set to each of the entry's extras
and to "") must be a requirement of the install, or a constraint pinned with ``==`` and hashed
(pip takes the constraint's hashes then). It walks the dependencies of dependencies too, with the
extras they ask for. A listed pin outside a dependent's specifier makes the resolution impossible.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

from ._environments import Environment
from ._model import Evidence, Metadata, ServedFile, Unavailable
from ._verdict import _Judge

if TYPE_CHECKING:
    from packaging.requirements import Requirement

    from .._graph import Node
    from .._model import Entry
    from ._verdict import Judgement, Verdict


class Missing(NamedTuple):
    """A dependency pip would need and is not given (RH307), at the entry that requires it."""

    node: Node
    entry: Entry
    dependency: str  # its name, as the Requires-Dist writes it
    requirement: str  # the Requires-Dist value
    envs: tuple[Environment, ...]
    # how it is listed, when it is, in a way pip cannot use: "" (not at all), else why
    listed: str


class Conflict(NamedTuple):
    """A listed pin outside a dependent's specifier (RH308), at the pin."""

    node: Node
    entry: Entry
    dependent: tuple[Node, Entry]
    requirement: str  # the dependent's Requires-Dist value
    envs: tuple[Environment, ...]


class Dependencies(NamedTuple):
    missing: tuple[Missing, ...]
    conflicts: tuple[Conflict, ...]
    # the metadata's Requires-Python excludes a target environment's Python (RH309)
    excluded: tuple[tuple[Node, Entry, str, tuple[Environment, ...]], ...]
    # the entries whose metadata could not be had, with why (RH903); NO_METADATA: not served
    unavailable: tuple[tuple[Node, Entry, Unavailable], ...]
    checked: frozenset[str]  # the projects whose dependencies were read


class _Dep(NamedTuple):
    name: str  # normalized
    written: str
    text: str
    requirement: Requirement
    holds: Callable[[frozenset[str]], tuple[bool, ...]]  # the marker per environment, for the extras


class _Walk(_Judge):
    """The run's caches: parsed requirements, and markers per environment for each set of extras."""

    __slots__ = ("metadata", "parsed", "with_extras")

    def __init__(self, envs: tuple[Environment, ...]) -> None:
        super().__init__(envs)
        self.parsed: dict[str, _Dep | None] = {}
        self.with_extras: dict[tuple[str, frozenset[str]], tuple[bool, ...]] = {}
        self.metadata: dict[int, tuple[_Dep, ...]] = {}

    def deps(self, meta: Metadata) -> tuple[_Dep, ...]:
        found = self.metadata.get(id(meta))
        if found is None:
            found = self.metadata[id(meta)] = tuple(
                d for text in meta.requires_dist if (d := self.dep(text)) is not None
            )
        return found

    def dep(self, text: str) -> _Dep | None:
        if text not in self.parsed:
            from packaging.requirements import InvalidRequirement, Requirement
            from packaging.utils import canonicalize_name

            try:
                req = Requirement(text)
            except InvalidRequirement:  # pip fails on it too, in its own words; nothing to add
                self.parsed[text] = None
                return None
            marker = str(req.marker) if req.marker is not None else ""
            self.parsed[text] = _Dep(
                canonicalize_name(req.name), req.name, text, req, lambda extras: self.holds_with(marker, extras)
            )
        return self.parsed[text]

    def holds_with(self, marker: str, extras: frozenset[str]) -> tuple[bool, ...]:
        """Per environment: whether ``marker`` holds with ``extra`` any of "" and ``extras``."""
        if not extras:
            return self.holds(marker or None)
        key = (marker, extras)
        if key not in self.with_extras:
            from packaging.markers import Marker

            m = Marker(marker)
            try:
                self.with_extras[key] = tuple(
                    any(m.evaluate({**e.markers, "extra": x}) for x in ("", *sorted(extras))) for e in self.envs
                )
            except ValueError:  # a comparison packaging cannot make: assume it holds, as RH3xx do
                self.with_extras[key] = (True,) * len(self.envs)
        return self.with_extras[key]


class _Listing(NamedTuple):
    """One root's entries of a project: requirements first, then constraints."""

    node: Node
    entry: Entry
    constraint: bool


def dependencies(
    roots: Iterable[tuple[str, list[Node]]],
    judgement: Judgement,
    evidence: Evidence,
    envs: tuple[Environment, ...],
) -> Dependencies:
    """Walk each root's install in each environment (``roots``: the roots in hash-checking mode,
    with their include graphs)."""
    from .._model import EntryKind

    walk = _Walk(envs)
    if evidence.metadata is None:
        return Dependencies((), (), (), (), frozenset())
    env_at = {id(e): i for i, e in enumerate(envs)}  # a pick's environment is one of ``envs``
    verdicts: dict[tuple[str, int, str], Verdict] = {
        (v.node.ident, id(v.entry), v.source): v for v in judgement.verdicts
    }
    plans: list[tuple[str, dict[str, list[_Listing]]]] = []
    wanted: dict[str, tuple[str, str, ServedFile]] = {}
    for root, nodes in roots:
        source = evidence.source_of.get(root)
        if source is None:
            continue
        listed: dict[str, list[_Listing]] = {}
        for node in sorted(nodes, key=lambda n: n.constraint):
            assert node.file is not None
            for entry in node.file.entries:
                if entry.key is not None and entry.error is None and entry.kind is not EntryKind.EDITABLE:
                    listed.setdefault(entry.key, []).append(_Listing(node, entry, node.constraint))
                    v = verdicts.get((node.ident, id(entry), source))
                    if v is not None:
                        wanted.update((p.file.url, (source, v.page.project, p.file)) for p in v.picks if p.hashed is not False)
        plans.append((source, listed))
    answers = evidence.metadata(wanted.values()) if wanted else {}

    missing: dict[tuple[str, int, str], tuple[Missing, set[int]]] = {}
    conflicts: dict[tuple[str, int, str, int], tuple[Conflict, set[int]]] = {}
    excluded: dict[tuple[str, int], tuple[Node, Entry, str, set[int]]] = {}
    unavailable: dict[tuple[str, str], tuple[Node, Entry, Unavailable]] = {}
    checked: set[str] = set()
    for source, listed in plans:
        for i in range(len(envs)):
            # the entry pip installs each project from here: the first requirement whose marker
            # holds, else a constraint pinned and hashed (its hashes are then the ones checked)
            chosen: dict[str, _Listing] = {}
            for key, items in listed.items():
                for item in items:
                    if walk.holds(item.entry.marker)[i] and (
                        not item.constraint or (item.entry.version and item.entry.hash_values)
                    ):
                        chosen[key] = item
                        break
            extras: dict[str, frozenset[str]] = {}
            queue = []
            for key, item in chosen.items():
                if not item.constraint:
                    extras[key] = _extras(item.entry)
                    queue.append(key)
            while queue:
                key = queue.pop()
                item = chosen[key]
                v = verdicts.get((item.node.ident, id(item.entry), source))
                pick = next((p for p in v.picks if env_at.get(id(p.env)) == i), None) if v is not None else None
                if v is None or pick is None or pick.hashed is False:
                    continue  # not pinned, no file there, or one pip refuses (RH301-RH304, RH309 say why)
                answer = answers.get(pick.file.url)
                if answer is None:
                    continue
                if isinstance(answer, Unavailable):
                    unavailable.setdefault((v.page.project, answer.cause.name), (item.node, item.entry, answer))
                    continue
                checked.add(v.page.project)
                if not walk.admits(answer.requires_python)[i]:
                    found = excluded.setdefault(
                        (item.node.ident, id(item.entry)), (item.node, item.entry, answer.requires_python or "", set())
                    )
                    found[3].add(i)
                    continue
                for dep in walk.deps(answer):
                    if dep.name == key or not dep.holds(extras[key])[i]:
                        continue
                    provider = chosen.get(dep.name)
                    if provider is None:
                        how = _how(walk, listed.get(dep.name, ()), i)
                        m = Missing(item.node, item.entry, dep.written, dep.text, (), how)
                        missing.setdefault((item.node.ident, id(item.entry), dep.name), (m, set()))[1].add(i)
                        continue
                    pinned = provider.entry.version
                    version = walk.version(pinned) if pinned and provider.entry.url is None else None
                    if version is not None and not dep.requirement.specifier.contains(version, prereleases=True):
                        c = Conflict(provider.node, provider.entry, (item.node, item.entry), dep.text, ())
                        at = (provider.node.ident, id(provider.entry), dep.text, id(item.entry))
                        conflicts.setdefault(at, (c, set()))[1].add(i)
                    more = extras.get(dep.name, frozenset()) | frozenset(dep.requirement.extras)
                    if dep.name not in extras or more != extras[dep.name]:
                        extras[dep.name] = more
                        queue.append(dep.name)

    def where(found: set[int]) -> tuple[Environment, ...]:
        return tuple(envs[i] for i in sorted(found))

    return Dependencies(
        tuple(m._replace(envs=where(at)) for m, at in missing.values()),
        tuple(c._replace(envs=where(at)) for c, at in conflicts.values()),
        tuple((n, e, spec, where(at)) for n, e, spec, at in excluded.values()),
        tuple(unavailable.values()),
        frozenset(checked),
    )


def _how(walk: _Walk, items: Iterable[_Listing], i: int) -> str:
    """Why the entries that name a missing dependency do not count in environment ``i``."""
    for item in items:
        if not walk.holds(item.entry.marker)[i]:
            return f"listed only where `{item.entry.marker}`"
        if item.constraint:
            return "constrained without a hash" if item.entry.version else "constrained without an `==` pin"
    return ""


_EXTRAS = re.compile(r"\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*\[([^\]]*)\]")


def _extras(entry: Entry) -> frozenset[str]:
    """The extras a requirement line asks for (``name[a,b]==1``), normalized as markers compare them."""
    m = _EXTRAS.match(entry.text)
    if m is None:
        return frozenset()
    from packaging.utils import canonicalize_name

    return frozenset(canonicalize_name(x.strip()) for x in m.group(1).split(",") if x.strip())
