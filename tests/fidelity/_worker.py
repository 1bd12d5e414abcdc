"""Run real pip, many times, without paying its import each time.

Started as a script with the interpreter of the venv whose pip is the oracle. It imports
pip once, then reads one JSON job per line on stdin and runs each in a forked child (a
fresh copy of the process, so no state leaks from one run to the next), with the child's
stdout and stderr sent to the files the job names. It answers one JSON line per job:
``{"id": ..., "rc": ...}``.

A job is ``{"id", "cwd", "stdout", "stderr", "args": [...]}``: ``pip <args>``, exactly as
the command line would run it. With ``"parse": F, "parse_out": J`` the child then also runs
pip's own ``parse_requirements`` over F (with ``PipSession()``), turns each parsed
requirement into an ``InstallRequirement`` the way ``pip install`` does, and writes what the
outcome classifier reads of them (file, line, name, marker, hashes, constraint or not) as JSON
to J.

Standard library and pip only: it runs under any pip version.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import traceback

_LINE_RE = re.compile(r"^(-[rc]) (.*) \(line (\d+)\)$")


def _parse(filename: str) -> dict[str, object]:
    import optparse

    from pip._internal.network.session import PipSession
    from pip._internal.req.constructors import install_req_from_parsed_requirement
    from pip._internal.req.req_file import parse_requirements
    from pip._vendor.packaging.utils import canonicalize_name

    options = optparse.Values({"require_hashes": False, "no_require_hashes": False, "features_enabled": []})
    out: list[dict[str, object]] = []
    try:
        for parsed in parse_requirements(filename, session=PipSession(), options=options):
            m = _LINE_RE.match(parsed.comes_from or "")
            rec: dict[str, object] = {
                "file": m.group(2) if m else None,
                "line": int(m.group(3)) if m else None,
                "constraint": parsed.constraint,
                "hashes": sorted(
                    f"{algo}:{digest}"
                    for algo, digests in ((parsed.options or {}).get("hashes") or {}).items()
                    for digest in digests
                ),
            }
            try:
                ireq = install_req_from_parsed_requirement(parsed, isolated=True, user_supplied=True)
            except Exception as exc:
                rec["error"] = f"{type(exc).__name__}: {exc}"
            else:
                rec["name"] = canonicalize_name(ireq.req.name) if ireq.req is not None else None
                rec["marker"] = str(ireq.markers) if ireq.markers is not None else None
                rec["has_hash_options"] = bool(ireq.has_hash_options)
            out.append(rec)
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}", "requirements": out}
    return {"requirements": out, "require_hashes": bool(options.require_hashes)}


def _child(job: dict[str, object]) -> int:
    os.chdir(str(job["cwd"]))
    for fd, key in ((1, "stdout"), (2, "stderr")):
        target = os.open(str(job[key]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    from pip._internal.cli.main import main

    args = job["args"]
    assert isinstance(args, list)
    rc = main([str(a) for a in args])
    if job.get("parse"):
        logging.disable(logging.CRITICAL)  # pip already said what it had to say
        result = _parse(str(job["parse"]))
        with open(str(job["parse_out"]), "w", encoding="utf-8") as fh:
            json.dump(result, fh)
    return rc


def serve() -> None:
    # The imports a `pip install` run makes, done once here instead of once per run.
    import pip._internal.cli.main
    import pip._internal.commands.install
    import pip._internal.network.session
    import pip._internal.operations.prepare
    import pip._internal.req.req_file
    import pip._internal.resolution.resolvelib.resolver  # noqa: F401

    sys.stdout.write(json.dumps({"ready": True}) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        job = json.loads(line)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            rc = 99
            try:
                rc = _child(job)
            except SystemExit as exc:
                rc = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(rc)
        _, status = os.waitpid(pid, 0)
        rc = os.waitstatus_to_exitcode(status)
        sys.stdout.write(json.dumps({"id": job["id"], "rc": rc, "seconds": time.monotonic() - started}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
