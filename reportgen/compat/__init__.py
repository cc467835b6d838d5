"""The one place where reportgen uses library internals (ground floor: anything may import it).

Each function here wraps a private or undocumented attribute of a library, says what it
does and which versions it was checked against, has a fallback (or a clear error) for a
library that has changed, and has a test in ``tests/compat/`` that fails loudly when the
assumption no longer holds. Prefer the public API wherever it exists.

- ``compat.mpl``: matplotlib's Agg renderer — one bitmap per line of text (charts).
- ``compat.docx``: python-docx's package writer — the package's entries without a zip.
- ``compat.weasyprint``: WeasyPrint's image encoding hook, user-agent stylesheet and font folder.
- ``compat.weasyprint_layout``: where WeasyPrint put the blocks (the laid-out boxes).
- ``compat.weasyprint_lines``: WeasyPrint's line breaking, remembered per font configuration.
- ``compat.weasyprint_refit``: WeasyPrint's pages re-made from one page on, after a table may break.
"""
