"""The catalog: every registry name with its one-line description, and every limit."""

from __future__ import annotations

from models.config import RunSpec
from models.datasets import DATASETS
from models.features import FEATURE_INFO, features_need_dims
from models.losses import LOSS_INFO
from models.network import ACTIVATION_INFO, INIT_INFO, PIECEWISE_LINEAR
from models.optimizers import OPTIMIZER_INFO, SCHEDULE_INFO
from models.tasks import head_of
from server.protocol import Catalog, CatalogEntry, Limits
from server.specs import settings_from_spec


def build_catalog() -> Catalog:
    """The answer to GET /api/catalog; the descriptions are the registries' own words."""
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
            CatalogEntry(name=name, description=text, piecewise_linear=name in PIECEWISE_LINEAR)
            for name, text in ACTIVATION_INFO.items()
        ],
        optimizers=_entries(OPTIMIZER_INFO),
        losses=[
            CatalogEntry(
                name=name,
                description=text,
                task="regression" if head_of(name) == "identity" else "classification",
            )
            for name, text in LOSS_INFO.items()
        ],
        inits=_entries(INIT_INFO),
        features=[
            CatalogEntry(name=name, description=text, dims=features_need_dims((name,)))
            for name, text in FEATURE_INFO.items()
        ],
        schedules=_entries(SCHEDULE_INFO),
        limits=Limits(),
        defaults=settings_from_spec(RunSpec()),
    )


def _entries(info: dict[str, str]) -> list[CatalogEntry]:
    return [CatalogEntry(name=name, description=text) for name, text in info.items()]
