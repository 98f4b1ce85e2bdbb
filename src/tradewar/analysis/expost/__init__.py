"""Ex post: the model's prediction of the 2018–19 US–China tariff war beside what happened.

:func:`trade_war_2018` (``tradewar validate trade-war-2018``) solves the ICIO 2017 baseline with
the 2018–19 layer as in force at the end of 2019 and compares predicted and observed changes in supplier shares by sector
(2017→2019 and 2017→2021), with "no change" and the pre-war trend as naive benchmarks. Reading
of the results: docs/validation.md.
"""

from ._compare import fit_statistics, log_change, supplier_share
from ._model import EXPOST_FLOWS, EXPOST_LAYERS, ExPostResult, trade_war_2018

__all__ = ["EXPOST_FLOWS", "EXPOST_LAYERS", "ExPostResult", "fit_statistics", "log_change", "supplier_share", "trade_war_2018"]
