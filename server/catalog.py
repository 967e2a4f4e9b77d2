"""The catalog: every registry name with its one-line description, and every limit."""

from __future__ import annotations

from models.config import RunSpec
from models.datasets import DATASETS
from models.losses import LOSS_INFO
from models.network import ACTIVATION_INFO, PIECEWISE_LINEAR
from models.optimizers import OPTIMIZER_INFO
from server import limits
from server.protocol import Catalog, CatalogEntry
from server.specs import settings_from_spec


def build_catalog() -> Catalog:
    """The answer to GET /api/catalog; the descriptions are the registries' own words."""
    return Catalog(
        datasets=[
            CatalogEntry(name=name, description=_first_line(fn.__doc__))
            for name, fn in DATASETS.items()
        ],
        activations=[
            CatalogEntry(name=name, description=text, piecewise_linear=name in PIECEWISE_LINEAR)
            for name, text in ACTIVATION_INFO.items()
        ],
        optimizers=[CatalogEntry(name=n, description=t) for n, t in OPTIMIZER_INFO.items()],
        losses=[CatalogEntry(name=n, description=t) for n, t in LOSS_INFO.items()],
        limits=limits.as_dict(),
        defaults=settings_from_spec(RunSpec()),
    )


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().splitlines()[0] if doc else ""
