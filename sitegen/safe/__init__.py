"""What every stage may use to stay safe with strangers' content: URLs that are never
`javascript:` (urls) and paths that never leave the site or the output folder (paths)."""
