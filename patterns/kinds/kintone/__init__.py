"""The kintone kind: catalogs about kintone setups (the first: kintone-external-collaboration).

prices.py     the price table's schema and its validation
costs.py      the licence-cost formulas per pattern (guest_space, inter_org_access, ...)
forms.py      the form of a review's cost inputs
scenarios.py  product.md's canonical scenarios S1-S4
demo.py       the story of seed_demo's reviews
"""

from __future__ import annotations

from ..base import CatalogKind
from .costs import cost_estimate, validate_cost_inputs
from .demo import DEMO
from .forms import CostInputsForm
from .prices import validate_price_table

KIND = CatalogKind(
    key="kintone",
    validate_price_table=validate_price_table,
    validate_cost_inputs=validate_cost_inputs,
    cost_estimate=cost_estimate,
    cost_inputs_form=CostInputsForm,
    demo=DEMO,
)
