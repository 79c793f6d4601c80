"""sitegen: a static site generator for release-note blogs that reads Hugo sites as they are."""

__version__ = "0.1.0"
