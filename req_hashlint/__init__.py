"""req-hashlint: a fast, offline linter for pip requirements files and their hashes."""

__version__ = "0.1.0"
