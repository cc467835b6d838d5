"""Ground floor shared by every stage: number and date formatting (``fmt``), the one
Jinja environment (``templating``), bundled resources, atomic file writing and the version.

Imports nothing of reportgen but ``errors`` and ``models``."""
