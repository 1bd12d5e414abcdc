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

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from ._environments import Environment
from ._model import Evidence, Metadata, ServedFile, Unavailable
from ._verdict import _Judge

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

    from .._graph import Node
    from .._model import Entry
    from ._verdict import Judgement, Pick, Verdict


class Missing(NamedTuple):
    """A dependency pip would need and is not given (RH307), at the entry that requires it."""

    node: Node
    entry: Entry
    dependency: str  # its name, as the Requires-Dist writes it
    requirement: str  # the Requires-Dist value
    envs: tuple[Environment, ...]
    # how it is listed, when it is, in a way pip cannot use: "" (not at all), else why
    listed: str
    declared: bool = False  # named by a pylock.toml package's own `dependencies` (not its metadata)


class Conflict(NamedTuple):
    """A listed pin outside a dependent's specifier (RH308), at the pin."""

    node: Node
    entry: Entry
    dependent: tuple[Node, Entry]
    requirement: str  # the dependent's Requires-Dist value
    envs: tuple[Environment, ...]
    declared: bool = False  # named by a pylock.toml package's own `dependencies` (not its metadata)


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
    text: str  # the Requires-Dist value
    specifier: SpecifierSet
    extras: frozenset[str]  # the dependency's extras it asks for
    marker: str  # "" when none


class _Walk(_Judge):
    """The run's caches: parsed requirements, environment bit-sets, the files of each verdict."""

    __slots__ = ("files", "masks", "metadata", "parsed")

    def __init__(self, envs: tuple[Environment, ...]) -> None:
        super().__init__(envs)
        self.parsed: dict[str, _Dep | None] = {}
        self.metadata: dict[int, tuple[_Dep, ...]] = {}
        self.masks: dict[tuple[bool, ...], int] = {}
        self.files: dict[int, list[tuple[Pick, int]]] = {}

    def mask(self, where: tuple[bool, ...]) -> int:
        """Per-environment booleans as bits (bit ``i``: ``envs[i]``)."""
        found = self.masks.get(where)
        if found is None:
            found = self.masks[where] = sum(1 << i for i, ok in enumerate(where) if ok)
        return found

    def by_file(self, v: Verdict, env_at: dict[int, int]) -> list[tuple[Pick, int]]:
        """The files pip picks for a verdict, each with the environments it picks it in."""
        found = self.files.get(id(v))
        if found is None:
            bits: dict[str, int] = {}
            first: dict[str, Pick] = {}
            for p in v.picks:
                first.setdefault(p.file.url, p)
                bits[p.file.url] = bits.get(p.file.url, 0) | 1 << env_at[id(p.env)]
            found = self.files[id(v)] = [(first[url], b) for url, b in bits.items()]
        return found

    def deps(self, meta: Metadata) -> tuple[_Dep, ...]:
        found = self.metadata.get(id(meta))
        if found is None:
            found = self.metadata[id(meta)] = tuple(
                d for text in meta.requires_dist if (d := self.dep(text)) is not None
            )
        return found

    def dep(self, text: str) -> _Dep | None:
        """A Requires-Dist value, parsed by packaging once per run, or None when pip could not
        read it either (it fails on it, in its own words: nothing to add)."""
        if text not in self.parsed:
            from packaging.requirements import InvalidRequirement, Requirement
            from packaging.utils import canonicalize_name

            try:
                req = Requirement(text)
            except InvalidRequirement:
                self.parsed[text] = None
            else:
                extras = frozenset(map(canonicalize_name, req.extras))
                marker = str(req.marker) if req.marker is not None else ""
                self.parsed[text] = _Dep(canonicalize_name(req.name), req.name, text, req.specifier, extras, marker)
        return self.parsed[text]


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
    walk = _Walk(envs)
    if evidence.metadata is None:
        return Dependencies((), (), (), (), frozenset())
    env_at = {id(e): i for i, e in enumerate(envs)}  # a pick's environment is one of ``envs``
    # a lock's packages each name their index: their verdicts are found under the lock's source ""
    verdicts: dict[tuple[str, int, str], Verdict] = {
        (v.node.ident, id(v.entry), "" if _locked(v.node) else v.source): v for v in judgement.verdicts
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
                if entry.key is not None and entry.error is None:  # an editable too: RH003 is its finding
                    listed.setdefault(entry.key, []).append(_Listing(node, entry, node.constraint))
                    v = verdicts.get((node.ident, id(entry), source))
                    if v is not None and (entry.locked is None or entry.locked.dependencies is None):
                        wanted.update(
                            (p.file.url, (v.source, v.page.project, p.file)) for p in v.picks if p.hashed is not False
                        )
        plans.append((source, listed))
    answers = evidence.metadata(wanted.values()) if wanted else {}

    # each finding with the environments (a bit per index of ``envs``) it holds in
    missing: dict[tuple[str, int, str], tuple[Missing, int]] = {}
    conflicts: dict[tuple[str, int, str, int], tuple[Conflict, int]] = {}
    excluded: dict[tuple[str, int], tuple[Node, Entry, str, int]] = {}
    unavailable: dict[tuple[str, str], tuple[Node, Entry, Unavailable]] = {}
    checked: set[str] = set()
    fits: dict[tuple[str, str], bool] = {}  # (Requires-Dist, pinned version) -> whether it satisfies
    for source, listed in plans:
        # the entry pip installs each project from, per environment: the first requirement whose
        # marker holds there, else a constraint pinned and hashed (pip then checks its hashes)
        chosen: dict[str, list[tuple[_Listing, int]]] = {}
        for key, items in listed.items():
            taken = 0
            for item in items:
                if item.constraint and not (item.entry.version and item.entry.hash_values):
                    continue
                bits = walk.mask(_where(walk, item)) & ~taken
                if bits:
                    chosen.setdefault(key, []).append((item, bits))
                    taken |= bits
        # the walk: (project, extras) with the environments it is installed in, dependencies of
        # dependencies after, each environment of each (project, extras) once
        done: dict[tuple[str, frozenset[str]], int] = {}
        queue: list[tuple[str, frozenset[str], int]] = [
            (key, item.entry.extras, bits)
            for key, pairs in chosen.items()
            for item, bits in pairs
            if not item.constraint
        ]
        while queue:
            key, extras, bits = queue.pop()
            bits &= ~done.get((key, extras), 0)
            if not bits:
                continue
            done[(key, extras)] = done.get((key, extras), 0) | bits
            for item, mine in chosen[key]:
                v = verdicts.get((item.node.ident, id(item.entry), source))
                if v is None or not bits & mine:
                    continue  # not pinned to one version: nothing to read
                declared = item.entry.locked.dependencies if item.entry.locked is not None else None
                if declared is not None:  # a lock's own `dependencies`: read instead of the metadata
                    there = 0
                    for _, b in walk.by_file(v, env_at):
                        there |= b
                    if bits & mine & there:
                        _declared(walk, item, declared, listed, bits & mine & there, missing, conflicts)
                    continue
                for pick, there in walk.by_file(v, env_at):
                    at = bits & mine & there
                    answer = answers.get(pick.file.url) if at and pick.hashed is not False else None
                    if answer is None:
                        continue  # not there, or a file pip refuses (RH301-RH304, RH309 say why)
                    if isinstance(answer, Unavailable):
                        unavailable.setdefault((v.page.project, answer.cause.name), (item.node, item.entry, answer))
                        continue
                    checked.add(v.page.project)
                    refused = at & ~walk.mask(walk.admits(answer.requires_python))
                    if refused:
                        spec = answer.requires_python or ""
                        old = excluded.get((item.node.ident, id(item.entry)), (item.node, item.entry, spec, 0))
                        excluded[(item.node.ident, id(item.entry))] = (*old[:3], old[3] | refused)
                        at &= ~refused
                    for dep in walk.deps(answer):
                        need = at & walk.mask(walk.holds(dep.marker or None, extras))
                        if need and dep.name == key:  # `pkg[all]` requiring `pkg[a,b]`: more of its extras
                            queue.append((key, dep.extras, need))
                            continue
                        if not need:
                            continue
                        for provider, has in chosen.get(dep.name, ()):
                            got = need & has
                            if not got:
                                continue
                            need &= ~got
                            queue.append((dep.name, dep.extras, got))
                            pinned = provider.entry.version
                            if not pinned or provider.entry.url is not None:
                                continue
                            fit = fits.get((dep.text, pinned))
                            if fit is None:
                                version = walk.version(pinned)
                                fit = version is None or dep.specifier.contains(version, prereleases=True)
                                fits[(dep.text, pinned)] = fit
                            if not fit:
                                c = Conflict(provider.node, provider.entry, (item.node, item.entry), dep.text, ())
                                ckey = (provider.node.ident, id(provider.entry), dep.text, id(item.entry))
                                c, old_bits = conflicts.get(ckey, (c, 0))
                                conflicts[ckey] = (c, old_bits | got)
                        if need:
                            first = (need & -need).bit_length() - 1
                            how = _how(walk, listed.get(dep.name, ()), first)
                            m = Missing(item.node, item.entry, dep.written, dep.text, (), how)
                            mkey = (item.node.ident, id(item.entry), dep.name)
                            m, old_bits = missing.get(mkey, (m, 0))
                            missing[mkey] = (m, old_bits | need)

    def where(bits: int) -> tuple[Environment, ...]:
        return tuple(e for i, e in enumerate(envs) if bits >> i & 1)

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
        if not _where(walk, item)[i]:
            return f"listed only where `{item.entry.marker}`"
        if item.constraint:
            return "constrained without a hash" if item.entry.version else "constrained without an `==` pin"
    return ""


def _locked(node: Node) -> bool:
    return node.file is not None and node.file.lock


def _where(walk: _Walk, item: _Listing) -> tuple[bool, ...]:
    """Per environment: whether the entry's marker holds (a lock's package: as ``Pylock.select``
    evaluates it, where the lock installs at all)."""
    head = item.node.file.head if item.node.file is not None else None
    return walk.holds(item.entry.marker) if head is None else walk.selects(item.entry.marker, head)


def _declared(
    walk: _Walk,
    item: _Listing,
    declared: tuple[tuple[str, str | None], ...],
    listed: dict[str, list[_Listing]],
    at: int,
    missing: dict[tuple[str, int, str], tuple[Missing, int]],
    conflicts: dict[tuple[str, int, str, int], tuple[Conflict, int]],
) -> None:
    """A pylock.toml package's own `dependencies`, each table matched key by key (its name, and
    its version when given) against the lock's packages: one the lock lacks (RH307), one whose
    version the lock has not (RH308). They carry no markers: a package of the name anywhere in the
    lock answers the name."""
    for name, version in declared:
        text = f'{{name = "{name}"' + (f', version = "{version}"' if version else "") + "}"
        providers = listed.get(name, [])
        if not providers:
            m = Missing(item.node, item.entry, name, text, (), "", declared=True)
            key = (item.node.ident, id(item.entry), name)
            m, old = missing.get(key, (m, 0))
            missing[key] = (m, old | at)
            continue
        wanted = walk.version(version) if version else None
        if wanted is None or any(walk.version(p.entry.version or "") == wanted for p in providers):
            continue
        provider = providers[0]
        c = Conflict(provider.node, provider.entry, (item.node, item.entry), text, (), declared=True)
        ckey = (provider.node.ident, id(provider.entry), text, id(item.entry))
        c, old = conflicts.get(ckey, (c, 0))
        conflicts[ckey] = (c, old | at)
