"""Scenarios: requirements files written from a small grammar, with what the author meant.

A scenario is a few files (``requirements.txt`` is the root) made of pieces: a
:class:`Req` (one requirement, rendered from grammar choices) or a :class:`Raw` block of
hand-written text. Rendering also yields the author's *intent*, one :class:`Intent` per
requirement: the project, the lines it spans, whether it should install here (its marker),
how many hashes were written. The oracle compares what pip did with that intent.

The generated scenarios come from a seeded generator (``generate``): scenario ``gen-0042``
is always the same file, on every machine. Each one is a complete hashed (or unhashed) lock
of the fixture projects with exactly one *mutation* drawn from the grammar, and benign
variation around it, so that the one thing pip trips over is the thing being tested.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .dists import Fixtures

SEED = 20260501
N_GENERATED = 320
VERSIONS = {"alpha": ("1.0", "1.1"), "beta": ("1.0",), "gamma": ("1.0",), "delta": ("1.0",)}
NEWEST = {p: v[-1] for p, v in VERSIONS.items()}
TRUE_MARKER = 'python_version >= "3"'
FALSE_MARKER = 'python_version < "3"'
ALGO_SETS = (("sha256",), ("sha256",), ("sha256", "sha512"), ("sha384",), ("sha512",), ("sha256", "sha384"))

SPECS = ("pin", "triple", "wildcard", "range", "compat", "bare", "ne", "multi")
HASHES = (
    "right",  # the digests of the files pip will pick
    "other",  # the digests of the project's other version
    "foreign",  # another project's digest (that project is in the file too)
    "short",  # truncated
    "nonhex",
    "empty",  # `sha256:`
    "nocolon",  # `sha256=<hex>`
    "badalgo",  # md5
    "algocase",  # `SHA256:`
    "upper",  # uppercase hex
    "mislabeled",  # a sha256 digest labelled sha512
    "twice",  # the same digest twice
    "none",
)
FORMS = ("named", "url", "urlopt", "bareurl", "path", "editable", "vcs", "dir")
FAULTS = ("dangling", "glue-next", "comment-cont", "marker-after", "bs-space", "glued-tokens")


@dataclass(frozen=True)
class Req:
    """One requirement, as grammar choices."""

    project: str
    version: str
    spec: str = "pin"
    hashes: str = "right"
    algos: tuple[str, ...] = ("sha256",)
    form: str = "named"
    marker: bool | None = None  # True: a marker that holds here; False: one that does not
    extras: bool = False  # delta[fast]
    layout: str = "multi"  # multi: pip-compile's `\` + one hash per line; single: one line
    fault: str | None = None


@dataclass(frozen=True)
class Want:
    """What a hand-written requirement means: at ``offset`` lines into its :class:`Raw`."""

    name: str
    offset: int = 0
    lines: int = 1
    installs: bool = True
    marker: bool = False
    hashes: int = 0


@dataclass(frozen=True)
class Raw:
    """Hand-written text. ``{root}``, ``{h[alpha-1.0]}`` (``--hash=sha256:…``),
    ``{h[alpha-1.0-sha512]}``, ``{d[beta-1.0]}`` (the hex alone) and ``{url[alpha-1.0]}``
    are filled in from the fixtures."""

    text: str
    wants: tuple[Want, ...] = ()


Piece = Req | Raw


@dataclass(frozen=True)
class Intent:
    file: str
    first: int
    last: int
    name: str  # PEP 503-normalized
    installs: bool  # pip should install it here (no marker, or one that holds), as a requirement
    marker: bool  # written with a marker
    hashes: int  # --hash values written
    constraint: bool


@dataclass(frozen=True)
class Scenario:
    id: str
    files: dict[str, tuple[Piece, ...]]  # "requirements.txt" is the root
    tags: frozenset[str] = frozenset()
    base: dict[str, tuple[Piece, ...]] | None = None  # the files at the git base
    about: str = ""
    constraints: frozenset[str] = frozenset()  # files reached through -c

    def all_tags(self) -> frozenset[str]:
        tags = set(self.tags)
        for pieces in self.files.values():
            for piece in pieces:
                if isinstance(piece, Req):
                    tags |= req_tags(piece, constraint=False)
        for name in self.constraints:
            for piece in self.files[name]:
                if isinstance(piece, Req):
                    tags |= {f"constraint-{t}" for t in req_tags(piece, constraint=True)}
        return frozenset(tags)


@dataclass
class Rendered:
    texts: dict[str, str]
    intents: list[Intent] = field(default_factory=list)
    base: dict[str, str] | None = None


def req_tags(r: Req, *, constraint: bool) -> set[str]:
    """Grammar words describing a requirement (the stricter-than-pip table matches them)."""
    tags = {f"spec-{r.spec}", f"hashes-{r.hashes}", f"form-{r.form}"}
    if r.fault:
        tags.add(f"fault-{r.fault}")
    if r.marker is False:
        tags.add("marker-false")
    hashed = r.hashes != "none"
    if hashed and r.form == "named" and r.spec not in ("pin", "triple"):
        tags.add("hashed-wildcard" if r.spec == "wildcard" else "hashed-range")
    if r.hashes == "upper":
        tags.add("uppercase")
    if constraint and hashed:
        tags.add("hashed")
    return tags


# -- rendering -------------------------------------------------------------------------


class _Lookup:
    def __init__(self, fx: Fixtures, kind: str) -> None:
        self.fx, self.kind = fx, kind

    def __getitem__(self, key: str) -> str:
        parts = key.split("-")
        algo = parts[2] if len(parts) > 2 else "sha256"
        art = self.fx.artifact(parts[0], parts[1])
        if self.kind == "h":
            return f"--hash={algo}:{art.digests[algo]}"
        if self.kind == "d":
            return art.digests[algo]
        return art.url


def fill(text: str, fx: Fixtures) -> str:
    return text.format(root=fx.root.as_posix(), h=_Lookup(fx, "h"), d=_Lookup(fx, "d"), url=_Lookup(fx, "url"))


def _other(project: str, version: str) -> str:
    versions = VERSIONS[project]
    return next((v for v in versions if v != version), version)


def hash_values(r: Req, fx: Fixtures) -> list[str]:
    """The ``--hash`` values (``algo:hex``) the requirement is written with."""
    if r.hashes == "none" or r.form in ("editable", "vcs", "dir"):
        return []
    right = [f"{a}:{fx.digest(r.project, r.version, a)}" for a in r.algos]
    first_algo, first = r.algos[0], fx.digest(r.project, r.version, r.algos[0])
    return {
        "right": right,
        "other": [f"{a}:{fx.digest(r.project, _other(r.project, r.version), a)}" for a in r.algos],
        "foreign": [f"sha256:{fx.digest('beta' if r.project != 'beta' else 'delta', '1.0')}"],
        "short": [f"{first_algo}:{first[:40]}"],
        "nonhex": [f"{first_algo}:{first[:-1]}g"],
        "empty": [f"{first_algo}:"],
        "nocolon": [f"{first_algo}={first}"],
        "badalgo": [f"md5:{first[:32]}"],
        "algocase": [f"{first_algo.upper()}:{first}"],
        "upper": [f"{first_algo}:{first.upper()}"],
        "mislabeled": [f"sha512:{fx.digest(r.project, r.version, 'sha256')}"],
        "twice": [right[0], right[0]],
    }[r.hashes]


def _spec(r: Req) -> str:
    v = r.version
    return {
        "pin": f"=={v}",
        "triple": f"==={v}",
        "wildcard": f"=={v.split('.')[0]}.*",
        "range": ">=1.0",
        "compat": "~=1.0",
        "bare": "",
        "ne": "!=0.9",
        "multi": ">=1.0,<2",
    }[r.spec]


def _requirement(r: Req, fx: Fixtures, values: list[str]) -> tuple[str, list[str]]:
    """The requirement text (marker included, unless it goes after the hashes) and its hashes."""
    name = r.project + ("[fast]" if r.extras else "")
    marker = "" if r.marker is None else (TRUE_MARKER if r.marker else FALSE_MARKER)
    url = fx.artifact(r.project, r.version).url if r.form in ("url", "urlopt", "bareurl", "path") else ""
    if r.form == "url" and values:
        algo, _, hexd = values[0].partition(":")
        url, values = f"{url}#{algo}={hexd}", values[1:]
    if r.form == "named":
        text = f"{name}{_spec(r)}"
    elif r.form in ("url", "urlopt"):
        text = f"{name} @ {url}"
    elif r.form == "bareurl":
        text = url
    elif r.form == "path":
        text = "./" + fx.artifact(r.project, r.version).path.relative_to(fx.root).as_posix()
    else:
        text = {"editable": "-e ./localproj", "vcs": fx.vcs_url, "dir": "./localproj"}[r.form]
    if marker and r.fault != "marker-after":
        sep = " ; " if r.form in ("url", "urlopt", "bareurl", "vcs") else "; " if r.spec == "bare" else " ; "
        text += f"{sep}{marker}"
    return text, values


def render_req(r: Req, fx: Fixtures) -> list[str]:
    return _render_req(r, fx)[0]


def _render_req(r: Req, fx: Fixtures) -> tuple[list[str], int]:
    """The lines, and how many ``--hash`` options they carry."""
    values = hash_values(r, fx)
    text, values = _requirement(r, fx, values)
    opts = [f"--hash={v}" for v in values]
    after = ""
    if r.fault == "marker-after" and r.marker is not None:
        after = " ; " + (TRUE_MARKER if r.marker else FALSE_MARKER)
    if r.layout == "single" or not opts:
        line = " ".join([text, *opts]) + after
        return [line + (" \\" if r.fault == "glue-next" else "")], len(opts)
    lines = [f"{text} \\"] + [f"    {o} \\" for o in opts]
    lines[-1] = lines[-1][:-2] + after
    if r.fault == "dangling":
        lines[0] = text
    elif r.fault == "comment-cont":
        lines[0] = f"{text}  # pinned by hand \\"
    elif r.fault == "bs-space":
        lines[0] = f"{text} \\ "
    elif r.fault == "glued-tokens":
        lines[0] = f"{text}\\"
        lines[1] = lines[1].lstrip()
    elif r.fault == "glue-next":
        lines[-1] += " \\"
    return lines, len(opts)


def _project_of(r: Req) -> str:
    return {"editable": "localproj", "dir": "localproj", "vcs": "vcsproj"}.get(r.form, r.project)


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _render_files(
    files: dict[str, tuple[Piece, ...]], fx: Fixtures, constraints: frozenset[str]
) -> tuple[dict[str, str], list[Intent]]:
    texts: dict[str, str] = {}
    intents: list[Intent] = []
    for name, pieces in files.items():
        out: list[str] = []
        for piece in pieces:
            start = len(out) + 1
            if isinstance(piece, Req):
                lines, n_hashes = _render_req(piece, fx)
                out.extend(lines)
                constraint = name in constraints
                intents.append(
                    Intent(
                        name,
                        start,
                        start + len(lines) - 1,
                        _normalize(_project_of(piece)),
                        piece.marker is not False and not constraint,
                        piece.marker is not None,
                        n_hashes,
                        constraint,
                    )
                )
            else:
                lines = fill(piece.text, fx).split("\n")
                out.extend(lines)
                for w in piece.wants:
                    first = start + w.offset
                    intents.append(
                        Intent(
                            name,
                            first,
                            first + w.lines - 1,
                            _normalize(w.name),
                            w.installs and name not in constraints,
                            w.marker,
                            w.hashes,
                            name in constraints,
                        )
                    )
        texts[name] = "\n".join(out) + "\n"
    return texts, intents


def render(s: Scenario, fx: Fixtures) -> Rendered:
    texts, intents = _render_files(s.files, fx, s.constraints)
    base = _render_files(s.base, fx, s.constraints)[0] if s.base is not None else None
    return Rendered(texts, intents, base)


def pip_sensitive(s: Scenario) -> bool:
    """Does pip's behaviour here depend on its version (so pip 23.x runs it too)?"""
    return bool(s.all_tags() & SENSITIVE)


SENSITIVE = frozenset(
    {
        "uppercase",
        "hashed-range",
        "hashed-wildcard",
        "constraint-hashed",
        "removed-option",
        "pip-baseline",
        "invalid-egg",  # pip 25.0 and later refuse it; pip 23.3.2 only warns
    }
)


# -- the generator ---------------------------------------------------------------------

# (axis, value) pairs a scenario's one mutation is drawn from. A hashed lock takes any of
# them; an unhashed lock only those that make sense without hashes.
MUTATIONS: tuple[tuple[str, str], ...] = (
    *(("spec", s) for s in SPECS if s != "pin"),
    *(("hashes", h) for h in HASHES if h != "right"),
    *(("form", f) for f in FORMS if f != "named"),
    ("marker", "false"),
    ("marker", "true"),
    ("extras", "fast"),
    *(("fault", f) for f in FAULTS),
    ("file", "dup-identical"),
    ("file", "dup-rehash"),
    ("file", "dup-version"),
    ("file", "constraint-hashed"),
    ("file", "constraint-hashed-range"),
    ("file", "constraint-unhashed"),
    ("file", "require-hashes"),
    ("file", "include"),
    ("file", "none"),
)
_UNHASHED_OK = {"spec", "form", "marker", "extras", "file"}


def _base_lock(rng: random.Random, hashed: bool) -> list[Req]:
    projects = ["alpha", "beta", "delta"] + (["gamma"] if rng.random() < 0.1 else [])  # the sdist: a build
    rng.shuffle(projects)
    reqs = []
    for p in projects:
        reqs.append(
            Req(
                p,
                rng.choice(VERSIONS[p]),
                hashes="right" if hashed else "none",
                algos=rng.choice(ALGO_SETS),
                layout=rng.choice(("multi", "multi", "single")),
                marker=True if rng.random() < 0.15 else None,
                extras=p == "delta" and rng.random() < 0.3,
            )
        )
    return reqs


def _mutate(rng: random.Random, reqs: list[Req], axis: str, value: str) -> tuple[int, Req] | None:
    """Apply one mutation to one requirement; None when it does not apply to any."""
    order = list(range(len(reqs)))
    rng.shuffle(order)
    for i in order:
        r = reqs[i]
        new: Req | None = None
        if axis == "spec":
            version = NEWEST[r.project] if value not in ("pin", "triple") else r.version
            new = replace(r, spec=value, version=version)
        elif axis == "hashes":
            if value == "other" and len(VERSIONS[r.project]) < 2:
                continue
            if value == "foreign" and r.project == "beta":
                continue
            new = replace(r, hashes=value)
        elif axis == "form":
            if value in ("url", "urlopt", "bareurl", "path") and r.extras:
                continue
            new = replace(r, form=value, spec="pin", marker=r.marker if value != "editable" else None)
        elif axis == "marker":
            if value == "false" and r.project == "beta":
                continue  # alpha and delta[fast] need beta
            new = replace(r, marker=value == "true")
        elif axis == "extras":
            if r.project != "delta" or r.extras:
                continue
            new = replace(r, extras=True)
        elif axis == "fault":
            if r.hashes == "none":
                continue
            if value == "marker-after":
                new = replace(r, fault=value, marker=rng.choice((True, False)) if r.project != "beta" else True)
            elif value == "glue-next":
                if i == len(reqs) - 1:
                    continue
                new = replace(r, fault=value, layout="multi")
            else:
                new = replace(r, fault=value, layout="multi")
        if new is not None:
            return i, new
    return None


def _one(index: int) -> Scenario:
    rng = random.Random(f"{SEED}:{index}")
    # Every mutation three times over first, then a random draw.
    axis, value = MUTATIONS[index % len(MUTATIONS)] if index < 3 * len(MUTATIONS) else rng.choice(MUTATIONS)
    hashed = axis not in _UNHASHED_OK or rng.random() < 0.6
    reqs = _base_lock(rng, hashed)
    files: dict[str, tuple[Piece, ...]] = {}
    constraints: frozenset[str] = frozenset()
    base: dict[str, tuple[Piece, ...]] | None = None
    about = f"{'hashed' if hashed else 'unhashed'} lock, {axis}={value}"
    head: list[Piece] = []
    if axis == "file":
        focus = rng.randrange(len(reqs))
        r = reqs[focus]
        if value == "dup-identical":
            reqs.append(r)
        elif value == "dup-rehash" and hashed:
            reqs.append(replace(r, algos=("sha384",) if r.algos != ("sha384",) else ("sha512",)))
        elif value == "dup-version":
            alpha = next(x for x in reqs if x.project == "alpha")
            reqs.append(replace(alpha, version=_other("alpha", alpha.version), marker=alpha.marker))
        elif value.startswith("constraint-"):
            # constraints name a project and a version: no extras, no markers
            none = "constraint-unhashed"
            pinned = [replace(x, hashes="none" if value == none else "right", extras=False, marker=None) for x in reqs]
            if value == "constraint-hashed-range":
                k = rng.randrange(len(pinned))
                pinned[k] = replace(pinned[k], spec=rng.choice(("range", "bare")), version=NEWEST[pinned[k].project])
            files["constraints.txt"] = tuple(pinned)
            constraints = frozenset({"constraints.txt"})
            head.append(Raw("-c constraints.txt"))
            reqs = [replace(x, hashes="right" if value == "constraint-unhashed" else "none") for x in reqs]
        elif value == "require-hashes":
            head.append(Raw("--require-hashes"))
        elif value == "include":
            cut = rng.randrange(1, len(reqs))
            files["base.txt"] = tuple(reqs[:cut])
            reqs = reqs[cut:]
            head.append(Raw("-r base.txt"))
    else:
        if value == "foreign":  # the digest copied is beta's sha256, listed under beta too
            reqs = [replace(x, algos=("sha256",)) if x.project == "beta" else x for x in reqs]
        hit = _mutate(rng, reqs, axis, value)
        if hit is not None:
            i, new = hit
            reqs[i] = new
            if axis == "hashes" and value == "other":
                # A stale bump: the base held the version these hashes belong to.
                old = replace(new, hashes="right", version=_other(new.project, new.version))
                base = {"requirements.txt": tuple(old if k == i else x for k, x in enumerate(reqs))}
        else:
            about += " (not applicable: unmutated)"
    if rng.random() < 0.2 and axis != "file":
        head.insert(0, Raw("# a lock written for the fidelity harness"))
    files = {"requirements.txt": (*head, *reqs), **files}
    if base is not None:
        base = {"requirements.txt": (*head, *base["requirements.txt"])}
    tags = frozenset({f"{axis}-{value}"})
    return Scenario(f"gen-{index:04d}", files, tags=tags, base=base, about=about, constraints=constraints)


def generate(n: int = N_GENERATED) -> list[Scenario]:
    """The generated scenarios, ``gen-0000`` to ``gen-{n-1}``; the same on every run."""
    return [_one(i) for i in range(n)]


def coverage(scenarios: Iterable[Scenario]) -> set[str]:
    """Every grammar word the scenarios use (a test checks the grammar is covered)."""
    words: set[str] = set()
    for s in scenarios:
        words |= s.all_tags()
        words.add(s.about.split(", ", 1)[-1].split(" ")[0])
    return words
