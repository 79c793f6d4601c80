"""Assembly: pages → `Site` (`assemble.py`: URLs, sections, taxonomies, translations), Hugo's
URL rules (`urls.py`) and menu trees (`menus.py`)."""
