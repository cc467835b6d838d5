"""case + results + findings + figures → ``Document``, the one model every renderer
lays out. ``profile`` reads the profile (the ordered sections and what goes in each),
``blocks`` holds the generated blocks a profile may name, ``build`` assembles them;
``mdtext`` parses the hand-written Markdown subset; ``analysis_blocks`` and
``handleplan`` are the blocks of the deeper analyses and of the handleplan profile."""
