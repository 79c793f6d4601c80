"""sitegen's own markdown-it-py rules, one rule per module as markdown-it-py arranges its
own (`markdown_it/rules_core/`): each module holds the rule function and what only it uses;
`sitegen.content.markdown.parser` assembles them, in order, into a parser.

Core rules: protect_apostrophes, typography (Goldmark's typographer), autolink_hard_break,
task_lists, github_refs (references in release sections), release_headings (marks where a
release heading's anchor, meta line and section end go: release_marks). Inline rules: angle_quote.
"""
