"""Hand-enumerated scenarios: every rule's territory, each case named after what it pins down."""

from __future__ import annotations

from dataclasses import replace

from .scenarios import Piece, Raw, Req, Scenario, Want

_LOCK = (Req("alpha", "1.0"), Req("beta", "1.0"), Req("delta", "1.0"))
# An environment variable pip runs with (oracle.isolated_env): `sha256`, for a `${VAR}` in a hash.
ENV_ALGO = "REQ_HASHLINT_FIDELITY_ALGO"


def lock(hashed: bool = True, **changes: Req | None) -> tuple[Piece, ...]:
    """The standard lock (alpha 1.0, beta 1.0, delta 1.0), a project replaced or dropped."""
    out: list[Piece] = []
    for r in _LOCK:
        if r.project in changes:  # a replacement is taken as given
            if (new := changes[r.project]) is not None:
                out.append(new)
        else:
            out.append(r if hashed else replace(r, hashes="none"))
    return tuple(out)


def alpha(**kw: object) -> Req:
    return replace(Req("alpha", "1.0"), **kw)  # type: ignore[arg-type]


def scn(
    id: str,
    about: str,
    *pieces: Piece,
    tags: tuple[str, ...] = (),
    files: dict[str, tuple[Piece, ...]] | None = None,
    base: tuple[Piece, ...] | None = None,
    constraints: tuple[str, ...] = (),
) -> Scenario:
    return Scenario(
        f"hand-{id}",
        {"requirements.txt": pieces, **(files or {})},
        tags=frozenset(tags),
        base={"requirements.txt": base} if base is not None else None,
        about=about,
        constraints=frozenset(constraints),
    )


def _raw_req(text: str, name: str, hashes: int = 0, lines: int = 1, **kw: object) -> Raw:
    return Raw(text, (Want(name, lines=lines, hashes=hashes, **kw),))  # type: ignore[arg-type]


def alpha_as(text: str, hashes: int = 1, **kw: object) -> tuple[Piece, ...]:
    """The standard lock with alpha's entry written by hand."""
    return (_raw_req(text, "alpha", hashes=hashes, **kw), *lock(alpha=None))


HAND: list[Scenario] = [
    # -- clean files: nothing to report, pip installs ----------------------------------
    scn("clean-lock", "a complete hashed lock", *lock(), Req("gamma", "1.0"), tags=("pip-baseline",)),
    scn("clean-unhashed", "a complete lock without hashes", *lock(hashed=False), tags=("pip-baseline",)),
    scn(
        "clean-all-algorithms",
        "sha256, sha384 and sha512 together",
        *lock(alpha=alpha(algos=("sha256", "sha384", "sha512")), beta=Req("beta", "1.0", algos=("sha512",))),
    ),
    scn(
        "clean-markers-extras",
        "markers that hold, an extra, a marker that does not hold on a hashed entry",
        *lock(
            alpha=alpha(marker=True, layout="single"),
            delta=Req("delta", "1.0", extras=True, marker=True),
        ),
        Req("gamma", "1.0", marker=False),
    ),
    scn(
        "clean-url-fragment",
        "a direct URL with a #sha256= fragment",
        *lock(alpha=alpha(form="url")),
    ),
    scn(
        "clean-disjoint-markers",
        "one project twice with disjoint markers is not a duplicate",
        *lock(alpha=alpha(marker=True)),
        alpha(version="1.1", marker=False),
    ),
    scn(
        "clean-include-and-constraints",
        "-r and -c, everything pinned and hashed",
        Raw("-r base.txt\n-c constraints.txt"),
        Req("delta", "1.0"),
        files={"base.txt": (alpha(), Req("beta", "1.0")), "constraints.txt": (alpha(), Req("beta", "1.0"))},
        constraints=("constraints.txt",),
    ),
    # -- RH001 unpinned-requirement ------------------------------------------------------
    scn("rh001-bare-hashed", "a bare name with hashes", *lock(alpha=alpha(spec="bare", version="1.1"))),
    scn("rh001-range-hashed", "a range with hashes", *lock(alpha=alpha(spec="range", version="1.1"))),
    scn(
        "rh001-range-unhashed",
        "a range without hashes in a hashed lock (HashUnpinned)",
        *lock(alpha=alpha(spec="range", version="1.1", hashes="none")),
    ),
    scn(
        "rh001-wildcard-newest",
        "==1.* with the newest 1.x's hashes",
        *lock(alpha=alpha(spec="wildcard", version="1.1")),
    ),
    scn(
        "rh001-wildcard-older",
        "==1.* with 1.0's hashes once 1.1 exists",
        *lock(alpha=alpha(spec="wildcard", version="1.0")),
    ),
    scn("rh001-two-specifiers", "==1.1,<2 with hashes", *lock(alpha=alpha(spec="multi", version="1.1"))),
    scn(
        "rh001-constraint-range-hashed",
        "a hashed range in a constraints file",
        Raw("-c constraints.txt"),
        *lock(hashed=False),
        files={"constraints.txt": (alpha(spec="range", version="1.1"), Req("beta", "1.0"), Req("delta", "1.0"))},
        constraints=("constraints.txt",),
    ),
    # -- RH002 missing-hash --------------------------------------------------------------
    scn("rh002-one-missing", "one entry of a hashed lock has no hash", *lock(beta=Req("beta", "1.0", hashes="none"))),
    scn("rh002-url-no-hash", "a direct URL with no hash", *lock(alpha=alpha(form="urlopt", hashes="none"))),
    scn("rh002-path-no-hash", "a wheel path with no hash", *lock(alpha=alpha(form="path", hashes="none"))),
    scn(
        "rh002-md5-fragment",
        "a direct URL with only an #md5= fragment",
        _raw_req("alpha @ {url[alpha-1.0]}#md5=" + "{d[alpha-1.0-md5]}", "alpha"),
        *lock(alpha=None),
        tags=("md5-fragment",),
    ),
    scn(
        "rh002-other-environment",
        "an unhashed requirement for another platform in a hashed lock",
        *lock(),
        Req("gamma", "1.0", hashes="none", marker=False),
    ),
    scn(
        "rh002-require-hashes-option",
        "--require-hashes in an unhashed file",
        Raw("--require-hashes"),
        *lock(hashed=False),
    ),
    scn(
        "rh002-hash-mode-from-constraints",
        "a hashed constraints file switches hash mode on for an unhashed requirement",
        Raw("-c constraints.txt"),
        Req("gamma", "1.0", hashes="none"),
        files={"constraints.txt": (alpha(),)},
        constraints=("constraints.txt",),
    ),
    scn(
        "rh002-hashes-only-in-constraints",
        "pinned requirements without hashes, their hashes in the constraints file",
        Raw("-c constraints.txt"),
        *lock(hashed=False),
        files={"constraints.txt": lock()},
        constraints=("constraints.txt",),
    ),
    # -- RH003 unhashable-requirement ----------------------------------------------------
    scn("rh003-editable", "-e in a hashed lock", Req("localproj", "0.1", form="editable"), *lock()),
    scn("rh003-vcs", "a git URL in a hashed lock", Req("vcsproj", "0.1", form="vcs"), *lock()),
    scn("rh003-directory", "a local directory in a hashed lock", Req("localproj", "0.1", form="dir"), *lock()),
    scn(
        "rh003-file-url-directory",
        "a file: URL to a directory",
        _raw_req("localproj @ file://{root}/localproj", "localproj"),
        *lock(),
    ),
    scn(
        "rh003-editable-unhashed",
        "-e in an unhashed file",
        Req("localproj", "0.1", form="editable"),
        *lock(hashed=False),
    ),
    # -- RH004 invalid-hash ----------------------------------------------------------------
    *(
        scn(f"rh004-{kind}", f"a --hash value: {kind}", *lock(alpha=alpha(hashes=kind)))
        for kind in ("short", "nonhex", "empty", "nocolon", "badalgo", "algocase", "mislabeled")
    ),
    scn(
        "rh004-unknown-algorithm",
        "sha1 is not allowed",
        *alpha_as("alpha==1.0 --hash=sha1:0123456789abcdef0123456789abcdef01234567"),
    ),
    scn(
        "rh004-env-var",
        "a ${VAR} in a hash",
        *alpha_as("alpha==1.0 --hash=sha256:${{ALPHA_SHA256}}"),
    ),
    scn(
        "rh004-env-var-set",
        "a ${VAR} in a hash that pip expands to the right value: it installs, yet it is unverifiable",
        *alpha_as("alpha==1.0 --hash=${{" + ENV_ALGO + "}}:{d[alpha-1.0]}"),
        tags=("hash-env-var",),
    ),
    # -- RH005 dangling-hash -------------------------------------------------------------
    scn(
        "rh005-every-hash-dangling",
        "every requirement line lost its `\\`: no hash reaches pip",
        *(replace(r, fault="dangling") for r in lock()),  # type: ignore[arg-type]
    ),
    scn(
        "rh005-second-hash-dangling",
        "the `\\` after the first of two hashes is missing",
        _raw_req("alpha==1.0 \\\n    {h[alpha-1.0]}\n    {h[alpha-1.0-sha512]}", "alpha", hashes=2, lines=3),
        *lock(alpha=None),
    ),
    scn(
        "rh005-hash-on-option-line",
        "a --hash on an option-only line",
        Raw("--pre {h[gamma-1.0]}"),
        *lock(),
    ),
    # -- RH006 broken-continuation -------------------------------------------------------
    *(
        scn(f"rh006-{fault}", f"fault: {fault}", *lock(alpha=alpha(fault=fault)))
        for fault in ("glue-next", "comment-cont", "bs-space", "glued-tokens")
    ),
    scn(
        "rh006-comment-swallows-the-only-hash",
        "a comment before the `\\` swallows the file's only hash: pip installs unverified",
        *lock(hashed=False, alpha=alpha(fault="comment-cont")),
    ),
    scn(
        "rh006-marker-after-false",
        "a false marker after the hashes",
        *lock(alpha=alpha(fault="marker-after", marker=False)),
    ),
    scn(
        "rh006-marker-after-true",
        "a true marker after the hashes",
        *lock(alpha=alpha(fault="marker-after", marker=True)),
    ),
    scn(
        "rh006-form-feed",
        "a form feed between two requirements on one line",
        Raw("alpha==1.0 {h[alpha-1.0]}\fbeta==1.0 {h[beta-1.0]}", (Want("alpha", hashes=1), Want("beta", hashes=1))),
        Req("delta", "1.0"),
        tags=("line-break-char",),
    ),
    scn(
        "rh006-lone-cr",
        "a lone CR hides a requirement",
        Raw("alpha==1.0 {h[alpha-1.0]}\rgamma==1.0 {h[gamma-1.0]}", (Want("alpha", hashes=1), Want("gamma", hashes=1))),
        *lock(alpha=None),
        tags=("line-break-char",),
    ),
    # -- RH007 duplicate-requirement -----------------------------------------------------
    scn("rh007-two-versions", "alpha 1.0 and alpha 1.1", *lock(), alpha(version="1.1")),
    scn("rh007-identical", "the same entry twice (a warning)", *lock(), alpha()),
    scn(
        "rh007-other-hashes",
        "the same pin twice with other hashes",
        *lock(),
        alpha(algos=("sha512",)),
        tags=("duplicate-hashes",),
    ),
    scn(
        "rh007-across-include",
        "a pin in the file and another in its -r include",
        Raw("-r base.txt"),
        *lock(),
        files={"base.txt": (alpha(version="1.1"),)},
    ),
    scn(
        "rh007-constraint-conflicts-with-pin",
        "hashed alpha==1.0, and the constraints file pins alpha==1.1 (issue 11.9)",
        Raw("-c constraints.txt"),
        *lock(),
        files={"constraints.txt": (alpha(version="1.1", hashes="none"),)},
        constraints=("constraints.txt",),
    ),
    scn(
        "rh007-constraint-range-excludes-pin",
        "hashed alpha==1.0, and the constraints file says alpha>=1.1 (issue 11.9)",
        Raw("-c constraints.txt"),
        *lock(),
        files={"constraints.txt": (Raw("alpha>=1.1"),)},
        constraints=("constraints.txt",),
    ),
    scn(
        "clean-constraint-range-holds-pin",
        "hashed alpha==1.0, and the constraints file says alpha>=1.0: pip installs",
        Raw("-c constraints.txt"),
        *lock(),
        files={"constraints.txt": (alpha(spec="range", hashes="none"),)},
        constraints=("constraints.txt",),
    ),
    scn(
        "clean-identical-across-include",
        "the same entry in the file and in its -r include: pip accepts it (issue 18.6)",
        Raw("-r base.txt"),
        *lock(),
        files={"base.txt": (alpha(),)},
    ),
    # -- RH008 shared-hash ---------------------------------------------------------------
    scn("rh008-copied-digest", "beta's digest under alpha", *lock(alpha=alpha(hashes="foreign"))),
    scn("rh008-digest-twice", "one digest twice in one entry (a note)", *lock(alpha=alpha(hashes="twice"))),
    # -- RH009 ignored-option ------------------------------------------------------------
    scn(
        "rh009-index-on-requirement-line",
        "--index-url on a requirement line (a warning)",
        *alpha_as("alpha==1.0 {h[alpha-1.0]} --index-url https://example.invalid/simple"),
    ),
    # -- RH015 removed-option, RH016 dropped-requirement (RH009 until the split) -------------
    scn(
        "rh015-install-option",
        "--install-option",
        *alpha_as("alpha==1.0 {h[alpha-1.0]} --install-option=--prefix=/tmp"),
        tags=("removed-option",),
    ),
    scn(
        "rh015-global-option",
        "--global-option",
        *alpha_as("alpha==1.0 {h[alpha-1.0]} --global-option=--quiet"),
        tags=("removed-option",),
    ),
    scn(
        "rh016-two-includes-one-line",
        "-r a.txt -r b.txt: pip follows only the first",
        Raw("-r a.txt -r b.txt"),
        Req("delta", "1.0"),
        files={"a.txt": (alpha(),), "b.txt": (Req("beta", "1.0"),)},
    ),
    scn(
        "rh016-include-on-requirement-line",
        "-r on a requirement line: pip ignores it",
        _raw_req("delta==1.0 {h[delta-1.0]} -r b.txt", "delta", hashes=1),
        alpha(),
        files={"b.txt": (Req("beta", "1.0"),)},
    ),
    scn(
        "rh016-editable-on-requirement-line",
        "-e on a requirement line: pip ignores it",
        Raw("delta==1.0 -e ./localproj", (Want("delta"), Want("localproj"))),
        *lock(hashed=False, delta=None),
    ),
    scn(
        "rh016-second-editable",
        "two -e on one line: pip reads the first",
        Raw("-e ./localproj -e {root}/vcs/vcsproj", (Want("localproj"), Want("vcsproj"))),
        *lock(hashed=False),
    ),
    # -- RH010 include-problem -----------------------------------------------------------
    scn("rh010-missing", "-r of a file that does not exist", Raw("-r missing.txt"), *lock()),
    scn(
        "rh010-cycle",
        "an include cycle",
        Raw("-r base.txt"),
        *lock(),
        files={"base.txt": (Raw("-r requirements.txt"),)},
    ),
    scn(
        "rh010-outside",
        "-r of a file outside the repository",
        Raw("-r ../outside-rh010.txt"),
        *lock(),
        files={"../outside-rh010.txt": (Req("gamma", "1.0"),)},
        tags=("include-outside",),
    ),
    # -- RH011 parse-error ---------------------------------------------------------------
    scn("rh011-single-equals", "alpha=1.0", _raw_req("alpha=1.0 {h[alpha-1.0]}", "alpha", hashes=1), *lock(alpha=None)),
    scn("rh011-unknown-option", "--no-use-wheel", Raw("--no-use-wheel"), *lock()),
    scn(
        "rh011-bad-marker",
        "a marker that does not parse",
        *alpha_as('alpha==1.0 ; python_version >> "3" {h[alpha-1.0]}', marker=True),
    ),
    scn(
        "rh011-two-requirements-one-line",
        "two requirements on one line",
        Raw("alpha==1.0 beta==1.0 {h[alpha-1.0]}", (Want("alpha", hashes=1), Want("beta"))),
        Req("delta", "1.0"),
    ),
    scn(
        "rh011-stray-text-after-options",
        "a requirement written after the options",
        Raw("alpha==1.0 {h[alpha-1.0]} beta==1.0", (Want("alpha", hashes=1), Want("beta"))),
        Req("delta", "1.0"),
    ),
    # -- RH012 uppercase-hash ------------------------------------------------------------
    scn("rh012-uppercase", "an uppercase digest", *lock(alpha=alpha(hashes="upper"))),
    # -- RH201 / RH202 security ------------------------------------------------------------
    scn(
        "rh201-insecure-index",
        "an http index and --trusted-host (warnings)",
        Raw("--index-url http://example.invalid/simple\n--trusted-host example.invalid"),
        *lock(),
    ),
    scn(
        "rh202-credentials",
        "a password in an index URL",
        Raw("--extra-index-url https://user:s3cret@example.invalid/simple"),
        *lock(),
        tags=("credentials",),
    ),
    # -- RH901 unreadable-file -------------------------------------------------------------
    scn(
        "rh901-not-utf8",
        "an included file in Latin-1",
        Raw("-r latin1.txt"),
        *lock(),
        files={"latin1.txt": (Raw("# caf\udce9"),)},
    ),
    # -- RH101-RH103 diff rules: the file against its git base --------------------------
    scn(
        "rh101-stale-bump",
        "alpha 1.0 -> 1.1, 1.0's hashes kept",
        *lock(alpha=alpha(version="1.1", hashes="other")),
        base=lock(),
    ),
    scn(
        "rh102-leftover-hash",
        "alpha 1.0 -> 1.1, 1.1's hash added, 1.0's kept (a warning)",
        _raw_req("alpha==1.1 \\\n    {h[alpha-1.1]} \\\n    {h[alpha-1.0]}", "alpha", hashes=2, lines=3),
        *lock(alpha=None),
        base=lock(),
    ),
    scn(
        "rh104-dropped-hash",
        "alpha 1.0 stays, one of its two files' hashes removed (a warning)",
        *lock(),
        base=(
            _raw_req(
                "alpha==1.0 \\\n    {h[alpha-1.0]} \\\n    --hash=sha256:{d[beta-1.0]}", "alpha", hashes=2, lines=3
            ),
            *lock(alpha=None),
        ),
    ),
    scn(
        "rh103-rehashed",
        "alpha 1.0 stays, its sha256 replaced by a sha512 (a warning)",
        *lock(alpha=alpha(algos=("sha512",))),
        base=lock(),
    ),
]

# -- lockfix (issue 18): what pip applies from a requirement line, egg fragments, stray tokens --
HAND += [
    scn(
        "rh009-no-binary-on-requirement-line",
        "--no-binary on a requirement line: pip applies it (builds gamma from its sdist); no finding",
        _raw_req("gamma==1.0 {h[gamma-1.0]} --no-binary gamma", "gamma", hashes=1),
        *lock(),
    ),
    scn(
        "rh009-only-binary-on-requirement-line",
        "--only-binary on a requirement line: pip applies it (alpha has a wheel); no finding",
        *alpha_as("alpha==1.0 {h[alpha-1.0]} --only-binary alpha"),
    ),
    scn(
        "rh009-use-feature-on-requirement-line",
        "--use-feature on a requirement line: pip applies it; no finding",
        *alpha_as("alpha==1.0 {h[alpha-1.0]} --use-feature=fast-deps"),
    ),
    scn(
        "rh009-pre-on-requirement-line",
        "--pre on a requirement line: pip drops it (a warning)",
        *alpha_as("alpha==1.0 {h[alpha-1.0]} --pre"),
    ),
    scn(
        "rh011-egg-fragment-version",
        "an egg fragment with a version: pip 25.0 and later refuse the file (invalid-egg-fragment)",
        _raw_req("alpha @ {url[alpha-1.0]}#egg=alpha==1.0 {h[alpha-1.0]}", "alpha", hashes=1),
        *lock(alpha=None),
        tags=("invalid-egg",),
    ),
    scn(
        "rh011-egg-fragment-extras",
        "an egg fragment with extras on a bare URL: refused like a version",
        _raw_req("{url[delta-1.0]}#egg=delta[fast] {h[delta-1.0]}", "delta", hashes=1),
        *lock(delta=None),
        tags=("invalid-egg",),
    ),
    scn(
        "clean-egg-fragment-name",
        "an egg fragment that is a project name alone: pip accepts it",
        _raw_req("{url[alpha-1.0]}#egg=alpha {h[alpha-1.0]}", "alpha", hashes=1),
        *lock(alpha=None),
    ),
    scn(
        "rh011-stray-paren-after-hash",
        "a `(` after an entry's hash: pip ignores it and reads both entries (a warning)",
        _raw_req("alpha==1.0 \\\n    {h[alpha-1.0]} (", "alpha", hashes=1, lines=2),
        *lock(alpha=None),
    ),
    scn(
        "rh011-stray-paren-continued",
        "a `(` on a continued line of its own: pip ignores it (a warning)",
        _raw_req("alpha==1.0 \\\n    {h[alpha-1.0]} \\\n    (", "alpha", hashes=1, lines=3),
        *lock(alpha=None),
    ),
]
