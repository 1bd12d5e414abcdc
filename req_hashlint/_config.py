"""``[tool.req-hashlint]`` in pyproject.toml: finding, reading and validating it."""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

DEFAULT_FILES = r"(requirements|constraints).*\.txt$|(^|/)pylock(\.[^./]+)?\.toml$"
FAIL_ON = ("error", "warning", "note")
REQUIRE_HASHES = ("always", "when-any")
KEYS = (
    "select", "ignore", "fail-on", "require-hashes", "files", "exclude", "per-file-ignores", "base",
    "index", "index-url", "extra-index-url", "environments",
)  # fmt: skip


class ConfigError(Exception):
    """A bad config file or value; the message names it."""


class Config:
    """The settings: [tool.req-hashlint], then the command line over it."""

    __slots__ = (
        "base", "environments", "exclude", "extra_index_url", "fail_on", "files", "ignore", "index", "index_url",
        "per_file_ignores", "require_hashes", "select", "source", "warnings",
    )  # fmt: skip

    def __init__(self, *, source: str | None = None, warnings: list[str] | None = None) -> None:
        self.select: list[str] = []  # empty: all
        self.ignore: list[str] = []
        self.fail_on = "warning"
        self.require_hashes = "always"
        self.files = DEFAULT_FILES
        self.exclude: str | None = None
        self.per_file_ignores: dict[str, list[str]] = {}
        self.base: str | None = None
        self.index = False  # index evidence (``--index``)
        self.index_url: str | None = None
        self.extra_index_url: list[str] | None = None  # None: not set (pip's environment applies)
        self.environments: list[str] | None = None  # PEP 508 markers; None: the default environments
        self.source = source  # the pyproject.toml it came from
        self.warnings = warnings or []  # for stderr: what was found but not used


_MISSPELT = rb"(?m)^\s*\[\s*tool\s*\.\s*[\"']?req_hashlint[\"']?\s*[\].]"


def find_pyproject(start: str, stop: str | None, misspelt: list[str] | None = None) -> str | None:
    """The nearest pyproject.toml with a ``[tool.req-hashlint]`` table, from ``start`` up to ``stop``;
    ``misspelt`` collects those passed by with a ``[tool.req_hashlint]`` table instead."""
    here = os.path.abspath(start)
    stop_abs = os.path.abspath(stop) if stop else None
    stop_real = os.path.realpath(stop_abs) if stop_abs else None
    while True:
        candidate = os.path.join(here, "pyproject.toml")
        # (a pyproject.toml that is a symlink out of the repository is never read)
        if os.path.isfile(candidate) and (stop_real is None or _within(os.path.realpath(candidate), stop_real)):
            try:
                with open(candidate, "rb") as fh:
                    raw = fh.read(4 * 1024 * 1024)
            except OSError:
                raw = b""
            if b"req-hashlint" in raw and re.search(rb"^\s*\[\s*tool\s*\.\s*[\"']?req-hashlint", raw, re.M):
                return candidate
            if misspelt is not None and b"req_hashlint" in raw and re.search(_MISSPELT, raw):
                misspelt.append(candidate)
        parent = os.path.dirname(here)
        if stop_abs is None or here == stop_abs or parent == here:
            return None
        here = parent


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


MAX_CONFIG_BYTES = 4 * 1024 * 1024


def _toml_load(path: str, shown: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 in CI
        import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
        if len(raw) > MAX_CONFIG_BYTES:
            raise ConfigError(f"{shown}: larger than {MAX_CONFIG_BYTES // (1024 * 1024)} MiB; not a config file")
        data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read it: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: not valid UTF-8") from None
    return data


def _str_list(where: str, key: str, value: object) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of strings")
    return list(value)


MAX_PATTERN_CHARS = 4096  # a path is shorter than that; a longer pattern only costs time
MAX_PER_FILE_IGNORES = 1000  # each file's path is matched against every pattern, once


def _regex(where: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: `{key}` must be a string (a regular expression)")
    if len(value) > MAX_PATTERN_CHARS:
        raise ConfigError(f"{where}: `{key}` is longer than {MAX_PATTERN_CHARS:,} characters")
    try:
        re.compile(value)
    except re.error as exc:
        raise ConfigError(f"{where}: `{key}` is not a valid regular expression: {exc}") from None
    risk = backtracking_risk(value)
    if risk:
        raise ConfigError(
            f"{where}: `{key}` can take exponential time to match ({risk}); rewrite it without that construct"
        )
    return value


# A quantifier: `*`, `+`, `?` or a counted one (`{2}`, `{2,9}`, `{,9}`, `{2,}`); any other `{` is a literal.
_QUANTIFIER = r"[*+?]|\{(\d*)(,?)(\d*)\}"  # (compiled on first use, by re's cache)


def backtracking_risk(pattern: str) -> str | None:
    """Why ``pattern`` (which ``re.compile`` accepted) can take exponential time to match, or None.

    Conservatively, from its text: a group repeated more than once that holds a quantifier
    (``(a+)+``, ``(?:x{2,9})*``) or an alternation (``(a|aa)+``), and a backreference, whether
    or not this pattern would blow up. (A polynomial one, ``.*.*.*x``, is ``Run._discover``'s.)"""
    held: list[str | None] = [None]  # per open group: what it holds that a repetition multiplies
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            if pattern[i + 1 : i + 2] in tuple("123456789"):
                return "a backreference"
            i += 2
            continue
        if c == "[":  # a set: skipped whole (a `]` right after `[` or `[^` is a member)
            i += 2 if pattern.startswith("[^", i) else 1
            i += 1 if pattern.startswith("]", i) else 0
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            if pattern.startswith("(?P=", i):
                return "a backreference"
            held.append(None)
            i += 1 if pattern.startswith("(?", i) else 0  # `(?:`, `(?P<name>`...: not a quantifier
        elif c == "|":
            held[-1] = held[-1] or "an alternation"
        elif c == ")" and len(held) > 1:
            inner = held.pop()
            m = re.compile(_QUANTIFIER).match(pattern, i + 1)
            if m is not None and inner is not None and _repeats(m):
                return f"{inner} inside a repetition"
            held[-1] = held[-1] or inner or ("a repetition" if m is not None else None)
        elif re.compile(_QUANTIFIER).match(pattern, i):
            held[-1] = held[-1] or "a repetition"
        i += 1
    return None


def _repeats(quantifier: re.Match[str]) -> bool:
    """Whether the quantifier can match its atom more than once."""
    low, comma, high = quantifier.groups()
    if low is None:
        return quantifier.group() != "?"
    if comma and not high:  # `{2,}`
        return True
    return int(high or low or "0") > 1


def validate_codes(where: str, key: str, values: list[str]) -> list[str]:
    """Codes (or code prefixes) and rule names; unknown ones are an error."""
    from ._codes import CODE_OF, NAME_OF

    out = []
    for raw in values:
        v = raw.strip()
        if not v:
            continue
        if v.lower() in CODE_OF:
            out.append(CODE_OF[v.lower()])
            continue
        up = v.upper()
        if up == "ALL" or (any(c.startswith(up) for c in NAME_OF) and re.fullmatch(r"RH\d{0,3}", up)):
            out.append("RH" if up == "ALL" else up)
            continue
        in_key = "" if where.startswith("--") else f" in `{key}`"  # an option: `where` says it
        raise ConfigError(f"{where}: unknown rule code or name {raw!r}{in_key}{_nearest_rule(v)} (see --list-rules)")
    return out


def _nearest_rule(value: str) -> str:
    """``; did you mean RH009 (ignored-option)?`` for a mistyped code or name, else ``""``."""
    import difflib

    from ._codes import CODE_OF, NAME_OF

    near = difflib.get_close_matches(value.upper(), list(NAME_OF), n=2, cutoff=0.6)
    if near:
        return "; did you mean " + " or ".join(f"{c} ({NAME_OF[c]})" for c in near) + "?"
    near = difflib.get_close_matches(value.lower(), list(CODE_OF), n=1, cutoff=0.6)
    return f"; did you mean {near[0]} ({CODE_OF[near[0]]})?" if near else ""


def from_table(table: dict[str, Any], where: str) -> Config:
    cfg = Config(source=where)
    for key in table:
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key `{key}` in [tool.req-hashlint] (known: {', '.join(KEYS)})")
    if "select" in table:
        cfg.select = validate_codes(where, "select", _str_list(where, "select", table["select"]))
    if "ignore" in table:
        cfg.ignore = validate_codes(where, "ignore", _str_list(where, "ignore", table["ignore"]))
    for key, choices in (("fail-on", FAIL_ON), ("require-hashes", REQUIRE_HASHES)):
        if key in table and table[key] not in choices:
            raise ConfigError(f"{where}: `{key}` must be one of {', '.join(choices)}, not {table[key]!r}")
    cfg.fail_on = table.get("fail-on", cfg.fail_on)
    cfg.require_hashes = table.get("require-hashes", cfg.require_hashes)
    if "files" in table:
        cfg.files = _regex(where, "files", table["files"])
    if "exclude" in table:
        cfg.exclude = _regex(where, "exclude", table["exclude"])
    if "per-file-ignores" in table:
        pfi = table["per-file-ignores"]
        if not isinstance(pfi, dict):
            raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [codes]")
        if len(pfi) > MAX_PER_FILE_IGNORES:
            raise ConfigError(f"{where}: `per-file-ignores` has more than {MAX_PER_FILE_IGNORES:,} patterns")
        if any(len(glob) > MAX_PATTERN_CHARS for glob in pfi):
            raise ConfigError(f"{where}: a `per-file-ignores` pattern is longer than {MAX_PATTERN_CHARS:,} characters")
        for glob, codes in pfi.items():
            key = f"per-file-ignores.{glob}"
            cfg.per_file_ignores[glob] = validate_codes(where, key, _str_list(where, key, codes))
    if "base" in table:
        v = table["base"]
        if not isinstance(v, str) or not v.strip() or v.startswith("-"):
            raise ConfigError(f'{where}: `base` must be a git revision such as "origin/main"')
        cfg.base = v
    _index_keys(cfg, table, where)
    return cfg


def _index_keys(cfg: Config, table: dict[str, Any], where: str) -> None:
    """``index``, ``index-url``, ``extra-index-url`` and ``environments`` (index evidence)."""
    if "index" in table:
        if not isinstance(table["index"], bool):
            raise ConfigError(f"{where}: `index` must be true or false")
        cfg.index = table["index"]
    if "index-url" in table:
        cfg.index_url = _url(where, "index-url", table["index-url"])
    if "extra-index-url" in table:
        urls = _str_list(where, "extra-index-url", table["extra-index-url"])
        cfg.extra_index_url = [_url(where, "extra-index-url", u) for u in urls]
    if "environments" in table:
        markers = _str_list(where, "environments", table["environments"])
        if not markers:
            raise ConfigError(f"{where}: `environments` is empty; remove it to check the default environments")
        # each marker is parsed in index mode only (index._environments): packaging.markers costs
        # 25-40 ms to import, which an offline run with this key set would pay on every commit
        cfg.environments = markers


def _url(where: str, key: str, value: object) -> str:
    """An index URL, as pip's index options take it (a string; pip reads what it names)."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f'{where}: `{key}` must be a URL such as "https://pypi.org/simple/"')
    return value.strip()


def load(path: str | None, *, cwd: str, stop: str | None, enabled: bool = True) -> Config:
    """The config: ``path`` if given, else the nearest pyproject.toml with our table."""
    if not enabled:
        return Config()
    warnings: list[str] = []
    if path is None:
        misspelt: list[str] = []
        path = find_pyproject(cwd, stop, misspelt)
        warnings = [
            f"{os.path.relpath(m, cwd)}: [tool.req_hashlint] is not read; the table is [tool.req-hashlint]"
            for m in misspelt
        ]
        if path is None:
            return Config(warnings=warnings)
        shown = os.path.relpath(path, cwd)  # never the machine's absolute path
    elif not os.path.isfile(path):
        raise ConfigError(f"{path}: no such config file")
    else:
        shown = path  # as the user wrote it
    data = _toml_load(path, shown)
    tool = data.get("tool")
    if os.path.basename(path) == "pyproject.toml" or "tool" in data:
        table = tool.get("req-hashlint", {}) if isinstance(tool, dict) else {}
    else:
        table = data  # a dedicated TOML file holds the table's keys at the top level
    if not isinstance(table, dict):
        raise ConfigError(f"{shown}: [tool.req-hashlint] must be a table")
    if isinstance(tool, dict) and "req_hashlint" in tool:
        warnings.append(f"{shown}: [tool.req_hashlint] is not read; the table is [tool.req-hashlint]")
    cfg = from_table(table, shown)
    cfg.warnings = warnings
    return cfg
