"""Reading source files whatever happened to their encoding.

`decode_source` turns a file's bytes into text: a byte-order mark wins, then UTF-8, then
the legacy single-byte charset that reads best; then `repair_text` undoes mojibake
(UTF-8 that was once or twice read as Windows-1252, Latin-1 or Mac Roman) in whole
files, pasted blocks, lines or single words, and leaves clean text alone to the byte.
`fix_encoding_command` makes those repairs permanent in the source files.
"""

from sitegen.load.encoding.decode import decode_content, decode_source, repair_enabled
from sitegen.load.encoding.fixer import fix_encoding_command
from sitegen.load.encoding.model import DecodedText, Repair
from sitegen.load.encoding.mojibake import repair_text

__all__ = [
    "DecodedText",
    "Repair",
    "decode_content",
    "decode_source",
    "fix_encoding_command",
    "repair_enabled",
    "repair_text",
]
