"""The decision record: its typed content, canonical JSON and hash, PDF and Markdown.

`sections.record_content(review)` builds the content (`content.RecordContent`, frozen
dataclasses) from the live rows; `canonical.record_json` is the serialization that is hashed;
`pdf.record_pdf` and `markdown.record_markdown` render that same content. Callers import from
the submodules.
"""
