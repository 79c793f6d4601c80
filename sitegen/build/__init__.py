"""The build: runs the stages in order (`builder.py`, `pipeline.py`) and is the package that
knows about the cache, worker processes, up-to-date stamps and body patches."""
