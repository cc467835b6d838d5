"""``Results`` → ``Figure`` (PNG + alt text): the theme chart and the answer
distribution (``figures``), the trend chart (``trend``), the priority map (``priority``);
``analysis`` lists the figures an analysis produces. Figures are laid out first
(``PendingFigure``) and drawn later, so the PDF layout can start before the pixels exist."""
