"""Secrets and escaping on every output (issue 10.2, 10.5): what pip sends is masked, whatever
characters it holds, and nothing printed can start a workflow command or drive a terminal.

pip's own code in the venv is the oracle for what a URL sends as credentials. The end-to-end
tests run the real command in real git repositories, in every format and on stderr.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pip._internal.utils.misc import split_auth_from_netloc

from req_hashlint._cli import main
from req_hashlint._redact import MASK, find_credentials, redact, secret_spans
from req_hashlint.reporters import REPORTERS

from .conftest import H1, Run, git, inside, write_tree

RunCli = Callable[..., Run]
SETTINGS = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# -- what pip sends ---------------------------------------------------------------------------


def pip_credential(url: str) -> tuple[int, int] | None:
    """[start, end) in ``url`` of the bytes pip sends as a credential (as written), or None.

    pip: ``urllib.parse.urlsplit`` gives the netloc, ``split_auth_from_netloc`` splits the
    userinfo off at its last ``@``; a password is sent, and a user name alone (a token) is.
    """
    try:
        netloc = urllib.parse.urlsplit(url).netloc
    except ValueError:  # pip cannot use the URL at all
        return None
    _, (user, password) = split_auth_from_netloc(netloc)
    if user is None:
        return None
    start = url.index("//") + 2
    assert url.startswith(netloc, start), (url, netloc)  # nothing stripped: offsets hold
    auth = netloc.rsplit("@", 1)[0]
    if password is None:
        return start, start + len(auth)
    return start + auth.index(":") + 1, start + len(auth)


def covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(any(s <= i < e for s, e in spans) for i in range(start, end))


# Whatever a password can hold once it is in one URL: anything but what urllib deletes.
ANY_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\r\n")
# In a line of a requirements file (or a message), a URL ends at whitespace.
WORD_CHAR = st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"))
HOSTS = st.sampled_from(["pypi.internal", "h", "x.example:8080", "[::1]:3141"])
TAILS = st.sampled_from(["", "/", "/simple/", "/org/repo.git@v1.0", "?q=a@b", "#egg=x", "/a#b@c"])
SCHEMES = st.sampled_from(["https", "http", "git+https", "HTTPS", "ftp"])


@SETTINGS
@given(
    scheme=SCHEMES,
    user=st.text(ANY_CHAR, max_size=12),
    password=st.none() | st.text(ANY_CHAR, max_size=16),
    host=HOSTS,
    tail=TAILS,
)
@example(scheme="https", user="u", password="pa\\ss", host="h", tail="/")
@example(scheme="https", user="u", password="pa/ss", host="h", tail="/")
@example(scheme="https", user="u", password="p@ss", host="h", tail="/org/repo.git@v1.0")
@example(scheme="https", user="__token__", password=None, host="h", tail="/simple/")
@example(scheme="https", user="TOKEN", password=None, host="h", tail="/simple/")
@example(scheme="https", user="u", password="p ss", host="h", tail="/")
def test_every_credential_pip_sends_is_masked(
    scheme: str, user: str, password: str | None, host: str, tail: str
) -> None:
    url = f"{scheme}://{user}{'' if password is None else ':' + password}@{host}{tail}"
    sent = pip_credential(url)
    assume(sent is not None)
    assert sent is not None
    secret = url[sent[0] : sent[1]]
    user_only = ":" not in url[url.index("//") + 2 : sent[1]]
    http = scheme.lower().split("+")[-1] in ("http", "https")
    # a `${VAR}` reference is not a secret; a user name alone is one over http(s)
    assume(secret and not re.fullmatch(r"(?:\$\{[A-Z0-9_]+\})+", secret) and (http or not user_only))
    # one value (an option's value, an include's target), spaces and all
    assert covered(secret_spans(url, whole=True), *sent), (url, secret)
    shown = redact(url, whole=True)
    assert shown.startswith(url[: sent[0]]) and MASK in shown  # the mask is where the secret was
    # and in free text, when the URL is one word
    if not any(c.isspace() for c in url):
        text = f"`--index-url {url}` carries a password"
        shift = len("`--index-url ")
        assert covered(secret_spans(text), sent[0] + shift, sent[1] + shift), (text, secret)


@SETTINGS
@given(
    head=st.text(WORD_CHAR, max_size=8),
    tail=st.text(WORD_CHAR, max_size=8),
    host=HOSTS,
    rest=TAILS,
)
@example(head="pa/", tail="", host="h", rest="/")
@example(head="pa?", tail="#", host="h", rest="/simple/")
@example(head="\\", tail="@", host="h", rest="/")
def test_a_password_is_masked_whatever_characters_it_holds(head: str, tail: str, host: str, rest: str) -> None:
    """The writer's password, even where pip would read none (a raw `/`, `?`, `#`): masked, and
    reported. (A raw `@` followed later by `/`, `?` or `#` reads as `user:pw@host/path@rev`,
    which it is as far as pip knows: pip sends the part before that `@`, and that is masked.)"""
    password = f"Qz1{head}Qz2{tail}Qz3"
    at = password.find("@")
    assume(at < 0 or not any(c in password[at:] for c in "/?#"))
    url = f"https://deploy:{password}@{host}{rest}"
    for whole in (True, False):
        shown = redact(url, whole=whole)
        assert not any(s in shown for s in ("Qz1", "Qz2", "Qz3")), (url, shown)
        assert shown.startswith("https://deploy:****@")
    assert find_credentials(url), url
    assert find_credentials(f"six @ {url} --hash=sha256:{H1}"), url


@pytest.mark.parametrize(
    "text",
    [
        "https://${PIP_USER}:${PIP_TOKEN}@pypi.internal/simple",
        "https://${PIP_TOKEN}@pypi.internal/simple",
        "https://${A}${B}:${C}@h/",
        "git+https://github.com/pypa/pip@main#egg=pip",  # a path holding `@`: a revision
        "git+https://gitlab.example:8443/g/r.git@v1.0",  # a port, then a revision
        "https://[::1]:3141/simple/x@y",
        "git+ssh://git@github.com/org/lib.git",  # an ssh user name: no secret
        "https://pypi.org/simple",
    ],
)
def test_what_is_not_a_secret_is_shown(text: str) -> None:
    assert redact(text) == redact(text, whole=True) == text
    assert find_credentials(text) == find_credentials(text, whole=True) == []


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("https://u:pa\\ss@h/simple", "https://u:****@h/simple"),
        ("https://u:pa/ss@h/simple", "https://u:****@h/simple"),
        ("https://u:pa?ss@h/simple", "https://u:****@h/simple"),
        ("https://u:pa#ss@h/simple", "https://u:****@h/simple"),
        ("https://u:/pass@h/simple", "https://u:****@h/simple"),
        ("https://[::1:pa/ss@h/simple", "https://[:****@h/simple"),  # pip: user `[`, the rest a password
        ("https://u:p@s@s@h/simple", "https://u:****@h/simple"),
        ("https://__token__@h/simple", "https://****@h/simple"),
        ("https://TOKEN@h/simple", "https://****@h/simple"),  # pip sends a bare user name too
        ("git+https://u:to/ken@github.com/o/r.git@v1", "git+https://u:****@v1"),  # more, never less
        ("'https://u:p ss@h/x' is not", "'https://u:****@h/x' is not"),  # shlex-quoted, echoed
        ("error: https://u:p ss@h/x: no such file", "error: https://u:****@h/x: no such file"),
    ],
)
def test_redaction_of_odd_userinfo(text: str, shown: str) -> None:
    assert redact(text) == shown


def test_a_line_of_many_urls_costs_linear_time() -> None:
    import time

    def cost(text: str, *, whole: bool = False) -> float:
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            secret_spans(text, whole=whole)
            best = min(best, time.perf_counter() - t0)
        return max(best, 1e-3)  # a shared machine's noise

    def cost_whole(text: str) -> float:
        return cost(text, whole=True)

    units = ("a://x:y/", "a://x:y ", "https://u:p@", "a://b:c/@", "a:\\\\[", "a:\\\\x", "a:\\\\x:1")
    for unit in units:
        small, big = unit * 4_000 + " @", unit * 64_000 + " @"
        assert cost(big) < 64 * cost(small), unit  # 16x the input: quadratic would be 256x
    small, big = "@" + "a://x" * 4_000, "@" + "a://x" * 64_000  # one value, with an `@` before its URLs
    assert cost_whole(big) < 64 * cost_whole(small)


# -- every output, end to end -----------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def everything_said(repo: Path, extra_args: list[str]) -> str:
    """What every format prints, on stdout, on stderr and in --output, and the usage errors'
    stderr for the URL given as a path, --config, --base and --output."""
    said = []
    report = repo.parent / "report.out"
    with inside(repo):
        for fmt in sorted(REPORTERS):
            code, out, err = run("--format", fmt, "--color", "always", *extra_args)
            assert code in (0, 1), err
            said += [out, err]
            code, out, err = run("--format", fmt, "--output", str(report), *extra_args)
            said += [out, err, report.read_text(encoding="utf-8")]
            if fmt == "json":
                json.loads(said[-1])
    return "".join(said)


@settings(SETTINGS, max_examples=25)
@given(head=st.text(WORD_CHAR, max_size=6), tail=st.text(WORD_CHAR, max_size=6))
@example(head="pa\\", tail="ss")  # pip keeps a `\` whole
@example(head="pa/", tail="ss")  # pip reads no userinfo at all
@example(head="p@", tail="ss")
@example(head="p%2F", tail="\x1b[2J")
def test_no_password_appears_in_any_format_nor_on_stderr(head: str, tail: str) -> None:
    password = f"Qz1{head}Qz2{tail}Qz3"
    at = password.find("@")
    assume(at < 0 or not any(c in password[at:] for c in "/?#"))
    assume("'" not in password and '"' not in password)  # pip's shlex would refuse the line
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        git(repo, "init", "-q", "-b", "main")
        url = f"https://deploy:{password}@pypi.internal/simple"
        write_tree(
            repo,
            {
                "requirements.txt": (
                    f"--index-url {url}\n"
                    f"-r https://bot:{password}@raw.example/more.txt\n"
                    f"six @ https://u:{password}@files.example/six-1.16.0-py2.py3-none-any.whl\n"
                    f"-e git+https://u:{password}@github.com/o/r.git@v1#egg=r\n"
                ),
            },
        )
        said = everything_said(repo, [])
        with inside(repo):
            for args in (
                [url],
                ["--config", url],
                ["--base", url, "requirements.txt"],
                ["--output", f"/nonexistent/{url}"],
            ):
                code, out, err = run(*args)
                assert code == 2 and err.startswith("req-hashlint: error:"), err
                said += out + err
    for sentinel in ("Qz1", "Qz2", "Qz3"):
        assert sentinel not in said, (password, said)
    assert "****" in said
    assert "Traceback" not in said


def test_a_secret_with_a_space_is_masked_in_a_message(run_cli: RunCli, repo: Path) -> None:
    """A quoted option value holds a space, which pip's shlex keeps in the URL."""
    write_tree(
        repo,
        {
            "requirements.txt": (
                "--index-url 'https://u:pw-zq8 with-space@pypi.internal/simple'\n"
                '-r "https://tok3n value-zq@raw.example/x.txt"\n'
                "six==1.16.0\n"
            )
        },
    )
    for fmt in sorted(REPORTERS):
        r = run_cli("--no-base", "--format", fmt, cwd=repo)
        for piece in ("pw-zq8", "with-space", "tok3n", "value-zq"):
            assert piece not in r.out + r.err, (fmt, piece)


# -- hostile names and configs: escaping --------------------------------------------------------

HOSTILE_NAMES = [
    "::error file=x.txt,line=1::forged requirements.txt",
    "  ::warning::forged requirements.txt",
    "##[error]forged requirements.txt",
    "##vso[task.setvariable variable=x]1 requirements.txt",
    "bidi\u202eevil\u2066 requirements.txt",
    "esc\x1b[2J\x1b]0;title\x07 requirements.txt",
    "c1\x85\x9b requirements.txt",
    "cr\rlf\n::error::x requirements.txt",
]


@pytest.fixture
def hostile_repo(repo: Path) -> Path:
    for name in HOSTILE_NAMES:
        (repo / name).write_text("six==1.16.0\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "c")
    return repo


_WORKFLOW_STARTS = ("::", "##[", "##vso[")
_BAD = ("\r", "\x1b", "\x07", "\x85", "\x9b", "\u202e", "\u2066")


@pytest.mark.parametrize("fmt", ["text", "github"])
@pytest.mark.parametrize("how", ["discovered", "named"])
def test_hostile_file_names_start_no_workflow_command(run_cli: RunCli, hostile_repo: Path, fmt: str, how: str) -> None:
    args = [] if how == "discovered" else HOSTILE_NAMES
    r = run_cli("--no-base", "--format", fmt, "--select", "RH002", *args, cwd=hostile_repo)
    assert r.code == 1, r.err
    lines = r.out.split("\n")
    assert lines[-1] == ""
    assert len(lines) - 1 == len(HOSTILE_NAMES), r.out  # one line per file, none split
    for ln in lines[:-1] + r.err.split("\n"):
        for bad in _BAD:
            assert bad not in ln, (bad, ln)
        if fmt == "text":
            assert not ln.lstrip().startswith(_WORKFLOW_STARTS), ln
        elif ln:  # each line is exactly the one command we meant
            assert ln.startswith("::error file="), ln
            assert "::" not in ln.split("::", 2)[1], ln
    if fmt == "text":
        assert "./::error file=x.txt,line=1::forged requirements.txt:1:1: RH002" in r.out
        assert "cr\\x0dlf\\x0a::error::x requirements.txt:1:1:" in r.out
        assert "bidi\\u202eevil\\u2066" in r.out


@pytest.mark.parametrize(
    ("table", "leaked"),
    [
        ('"fail-on" = "x\\u001b[2J\\n::error::forged"', "forged"),
        ('"bad\\nkey::error::forged\\u202e" = 1', "forged"),
        ('select = ["RH\\r::error::forged\\u0085"]', "forged"),
        ('files = "(\\u001b]0;t\\u0007"', "t"),
        ('"per-file-ignores" = { "x\\n::error::y" = ["nope\\u001b"] }', "y"),
        ('"fail-on" = "https://u:s3cr3t/pw@h/"', "s3cr3t"),
        ('"fail-on" = "https://u:s3cr3t pw@h/"', "s3cr3t"),
    ],
)
def test_a_hostile_config_cannot_reach_stderr_raw(run_cli: RunCli, repo: Path, table: str, leaked: str) -> None:
    write_tree(repo, {"pyproject.toml": f"[tool.req-hashlint]\n{table}\n", "requirements.txt": "six==1.16.0\n"})
    r = run_cli("requirements.txt", cwd=repo)
    assert r.code == 2 and r.out == ""
    assert r.err.count("\n") == 1 and r.err.startswith("req-hashlint: error: pyproject.toml:"), r.err
    for bad in (*_BAD, "\x00", "\u0085"):
        assert bad not in r.err, (bad, r.err)
    assert not r.err.lstrip().startswith(_WORKFLOW_STARTS)
    if "s3cr3t" in table:
        assert leaked not in r.err and "****" in r.err, r.err


@pytest.mark.parametrize(
    "arg",
    [
        "x\n::error::forged",
        "::error::forged",
        "\x1b]0;title\x07",
        "\u202eevil",
        "https://u:pa/ss@h/x",
        "https://u:pa\\ss@h/x",
        "https://TOK EN@h/x",
    ],
)
@pytest.mark.parametrize("where", ["path", "--config", "--output", "--base", "--fail-on", "--format"])
def test_usage_errors_echo_nothing_raw(run_cli: RunCli, repo: Path, arg: str, where: str) -> None:
    write_tree(repo, {"requirements.txt": "six==1.16.0\n"})
    args = {
        "path": [arg],
        "--config": ["--config", arg],
        "--output": ["--output", f"/nonexistent/{arg}", "requirements.txt"],
        "--base": ["--base", arg, "requirements.txt"],
        "--fail-on": ["--fail-on", arg],
        "--format": [f"--format={arg}"],
    }[where]
    r = run_cli(*args, cwd=repo)
    assert r.code == 2, r.err
    last = r.err.rstrip("\n").split("\n")[-1]
    assert last.startswith("req-hashlint: error:"), r.err
    assert r.err.count("req-hashlint:") == 1
    for ln in r.err.split("\n"):
        assert not ln.lstrip().startswith(_WORKFLOW_STARTS), ln
        for bad in _BAD:
            assert bad not in ln, (bad, ln)
    for secret in ("pa/ss", "pa\\ss", "TOK EN", "TOK"):
        assert secret not in r.err, r.err
