"""Writing: the staging folder, the atomic swap of the output folder and unchanged files left
alone (`output.py`), and `--minify` (`minify.py`)."""
