"""Files → ``Survey``: read the export (CSV, XLSX, SAV; encodings, delimiters),
map its columns, read the question catalogue and scales, code the answers, validate, and
account for every row (``load``); earlier exports and a published benchmark table
(``sources``). Everything after this stage sees only the typed ``Survey``."""
