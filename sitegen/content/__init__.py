"""Content: one page's body → HTML (`body.py`): Hugo shortcodes (`shortcodes/`), Markdown
(`markdown/`), then summary, table of contents and word count (`summary.py`) and repairs that
keep the HTML valid (`html_repair.py`)."""
