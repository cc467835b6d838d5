"""``Results`` → ``Findings``: the finding types, the rules that pick them and the
Danish sentence templates (``templates/findings/``) they are written with."""
