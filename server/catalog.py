"""The catalog: every registry record's name, its one-line description and the facts the page
needs (a loss's head and twin, an activation's piecewise linearity), and every limit."""

from __future__ import annotations

from models.activations import ACTIVATIONS, EXPRESSION, EXPRESSION_DESCRIPTION
from models.config import RunSpec
from models.datasets import DATASETS
from models.features import FEATURES
from models.inits import INITS
from models.losses import LOSSES
from models.optimizers import OPTIMIZERS
from models.readout import READOUTS
from models.schedules import SCHEDULES
from server.protocol import Catalog, CatalogEntry, Limits, LossEntry
from server.specs import settings_from_spec


def build_catalog() -> Catalog:
    """The answer to GET /api/catalog; the descriptions are the records' own words."""
    return Catalog(
        datasets=[
            CatalogEntry(
                name=name,
                description=info.description,
                task=info.task,
                dims=info.dims,
                min_classes=info.min_classes,
                max_classes=info.max_classes,
                image_shape=info.image_shape,
            )
            for name, info in DATASETS.items()
        ],
        activations=[
            CatalogEntry(
                name=a.name, description=a.description, piecewise_linear=a.piecewise_linear
            )
            for a in ACTIVATIONS.values()
        ],
        own_activation=CatalogEntry(
            name=EXPRESSION, description=EXPRESSION_DESCRIPTION, piecewise_linear=False
        ),
        optimizers=[
            CatalogEntry(name=o.name, description=o.description) for o in OPTIMIZERS.values()
        ],
        losses=[
            LossEntry(
                name=loss.name,
                description=loss.description,
                task="regression" if loss.head == "identity" else "classification",
                head=loss.head,
                naive=loss.naive,
                twin=loss.twin,
            )
            for loss in LOSSES.values()
        ],
        inits=[CatalogEntry(name=i.name, description=i.description) for i in INITS.values()],
        features=[
            CatalogEntry(name=f.name, description=f.description, dims=f.dims)
            for f in FEATURES.values()
        ],
        schedules=[
            CatalogEntry(name=s.name, description=s.description) for s in SCHEDULES.values()
        ],
        readouts=[CatalogEntry(name=name, description=text) for name, text in READOUTS.items()],
        limits=Limits(),
        defaults=settings_from_spec(RunSpec()),
    )
