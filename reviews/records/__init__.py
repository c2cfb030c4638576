"""The decision record: its typed content, canonical JSON and hash, PDF, Markdown, verification.

`sections.record_content(review)` builds the content (`content.RecordContent`, frozen
dataclasses) from the live rows; `canonical.record_json` is the serialization that is hashed;
`pdf.record_pdf` and `markdown.record_markdown` render that same content; `verify` tells which
stored record an uploaded PDF or a hash is. Callers import from the submodules.
"""
