"""markdown-it-py core rules of the release stage, one rule per module as markdown-it-py
arranges its own: they work on the token stream of the pass that renders the Markdown."""
