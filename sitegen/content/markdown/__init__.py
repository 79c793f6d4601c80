"""Markdown → HTML: the parser (`parser.py`) and the rules it runs, one concern per module:
Goldmark-style render rules, heading ids and TOC, code highlighting, alerts, emoji."""
