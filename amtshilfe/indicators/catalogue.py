"""Imports every module that registers indicators (see ``registry``)."""

from amtshilfe.indicators.metrics import (  # noqa: F401
    exchange,
    knowledge,
    learning,
    participation,
    requests,
    satisfaction,
    selfhelp,
)
from amtshilfe.indicators.process import figures as process_figures  # noqa: F401
