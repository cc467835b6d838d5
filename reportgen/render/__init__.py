"""Renderers: one per output format, each laying out a ``Document`` as bytes or text.

``html`` (Document → HTML preview), ``pdf`` (Document → PDF via WeasyPrint, from the
same HTML) and ``docx`` (Document → Word). Renderers never compute a number or write a
sentence of their own.
"""
