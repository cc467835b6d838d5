"""``Survey`` → ``Results``: means, shares and confidence intervals, benchmark and
rank, target groups and background breakdowns, trends, the priority map, respondent
profile, comments and suppression of small groups (``analyze`` is the entry point)."""
