"""Typed, immutable values passed between the pipeline stages, one module per hand-over:

* ``survey`` — ingest → analysis: ``Survey``, ``Question``, ``Scale``, ``DataAccount``,
  ``PublishedBenchmark`` (and ``OVERALL``, the key of the overall score);
* ``results`` — analysis → narrative, charts, document: ``Results`` and its values;
* ``findings`` — narrative → document: ``Finding``;
* ``document`` — document → renderers: ``Document``, ``Section`` and the blocks.

Import from the module. The names are also re-exported here so that code written against
the former single ``models.py`` keeps working.
"""

from reportgen.models.survey import (  # noqa: F401
    VALID,
    BLANK,
    MISSING_LABEL,
    MISSING_CODE,
    OVERALL,
    Scale,
    Question,
    DataAccount,
    Survey,
    BenchmarkValue,
    PublishedBenchmark,
)
from reportgen.models.results import (  # noqa: F401
    Verdict,
    Estimate,
    QuestionResult,
    ThemeResult,
    UnitResult,
    Comparison,
    Rank,
    GroupBreakdown,
    QuestionComparison,
    ChangeVerdict,
    Change,
    PeriodResult,
    Trend,
    Quadrant,
    QUADRANTS,
    PriorityItem,
    PriorityMap,
    ProfilePart,
    RespondentProfile,
    CommentCount,
    Quote,
    CommentSummary,
    Results,
)
from reportgen.models.findings import (  # noqa: F401
    Finding,
)
from reportgen.models.document import (  # noqa: F401
    KEEP_TOGETHER_ROWS,
    Run,
    Paragraph,
    ListBlock,
    Table,
    Figure,
    Heading,
    Block,
    Section,
    DocMeta,
    Document,
)
