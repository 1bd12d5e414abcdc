"""Index evidence (``--index``): what the package index serves, asked before any download.

Imported only when index evidence is asked for, so the offline run never loads it.

- ``_model``: the evidence as the rules see it (pure data; the rules import only this);
- ``_sources``: which indexes pip would ask, decided as pip decides it, and their credentials;
- ``_simple``: the Simple Repository API pages (PEP 691 JSON, PEP 503 HTML) parsed into files;
- ``_cache``: the on-disk HTTP cache (max-age, ETag and Last-Modified revalidation);
- ``_http``: the only module that opens a connection;
- ``_fetch``: one request per project, bounded and concurrent, into :class:`_model.Evidence`.
"""
