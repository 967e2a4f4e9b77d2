"""The shape every building-block registry shares: records looked up by their wire name."""

from __future__ import annotations

from typing import Protocol, TypeVar


class Named(Protocol):
    """A record with a wire name."""

    @property
    def name(self) -> str:
        """The name the catalog, the websocket and the settings use."""
        ...


R = TypeVar("R", bound=Named)


def by_name(*records: R) -> dict[str, R]:
    """Return the records keyed by name, in the order given (the catalog's order).

    Raises ValueError on a repeated name, which would silently hide the first record.
    """
    registry = {record.name: record for record in records}
    if len(registry) != len(records):
        seen = [record.name for record in records]
        raise ValueError(f"repeated names: {sorted({n for n in seen if seen.count(n) > 1})}")
    return registry
