"""Loading: the config file (`config.py`), content discovery (`discover.py`), bytes → text
(`encoding/`), front matter, pages, git info, and YAML/TOML/JSON parsed with bounded cost."""
