"""Case file and theme file (YAML) → typed settings: ``case`` (``CaseFile``, the
``sag``/``data``/``analyse``/``tekster`` sections) and ``brand`` (``Brand``: logo, colours,
fonts, Word template). Unknown keys are refused with a Danish message naming the key."""
