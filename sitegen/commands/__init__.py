"""The commands besides build and serve: `sitegen check` (links of a built site) and
`sitegen new` (a page from an archetype)."""
