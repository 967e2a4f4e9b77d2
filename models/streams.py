"""The seeded random streams of a run, and the minibatches and dropout masks drawn from them.

Randomness comes from generators built from the run's seed, never from the global one alone:
many sessions share one process. Separate streams so that, e.g., drawing new weights on reset
never changes the data; models.sweep draws the same streams, so its runs match Trainer's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch

DATA_STREAM, INIT_STREAM, BATCH_STREAM, NOISE_STREAM, DROPOUT_STREAM = 0, 1, 2, 3, 4


def stream_generator(seed: int, stream: int) -> torch.Generator:
    """The generator of one random stream of a run."""
    return torch.Generator().manual_seed(seed * 1_000_003 + stream)


@contextmanager
def dropout_rng(seed: int, step: int, device: torch.device) -> Iterator[None]:
    """Seed dropout's masks from the run's seed and step, leaving the global RNG as it was.

    nn.Dropout draws from the global generator, which every session in the process shares;
    seeding it per step keeps a run reproducible however its steps are chunked.
    """
    cuda = device.type == "cuda"
    devices = [device.index or torch.cuda.current_device()] if cuda else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(((seed * 1_000_003 + DROPOUT_STREAM) * 1_000_000_007 + step) % 2**63)
        yield


class Minibatches:
    """Epochs of shuffled minibatches of (x, y), the ragged tail of each epoch dropped.

    The order and the noise come from the seed's batch and noise streams, both drawn on the
    CPU, so a seed gives the same batches on any device.
    """

    def __init__(self, x: torch.Tensor, y: torch.Tensor, seed: int, min_size: int = 1) -> None:
        self._x, self._y = x, y
        self._batch_gen = stream_generator(seed, BATCH_STREAM)
        self._noise_gen = stream_generator(seed, NOISE_STREAM)
        self._min_size = min_size
        """BatchNorm needs two points to have a batch statistic."""
        self._epoch_x, self._epoch_y = x[:0], y[:0]  # filled per epoch
        self._epoch_noise: torch.Tensor | None = None
        """Unit Gaussian noise for this epoch's shuffled points, drawn when first needed."""
        self._cursor = 0

    def size(self, batch_size: int) -> int:
        """The minibatch size for a requested `batch_size`."""
        return min(max(batch_size, self._min_size), len(self._x))

    def new_epoch(self) -> None:
        """Start a fresh epoch at the next batch."""
        self._cursor = len(self._epoch_x)

    def epoch_ends(self, batch_size: int) -> bool:
        """Whether the batch just taken was this epoch's last."""
        return self._cursor + self.size(batch_size) > len(self._epoch_x)

    def next(self, batch_size: int, noise: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
        """The next minibatch of this epoch, `noise` times unit Gaussian noise added to x."""
        size = self.size(batch_size)
        if self._cursor + size > len(self._epoch_x):  # epoch done: reshuffle, drop the ragged tail
            self._shuffle()
        batch = slice(self._cursor, self._cursor + size)
        self._cursor += size
        x = self._epoch_x[batch]
        if noise > 0:
            if self._epoch_noise is None:
                shape = self._epoch_x.shape
                self._epoch_noise = torch.randn(shape, generator=self._noise_gen).to(x.device)
            x = x + noise * self._epoch_noise[batch]
        return x, self._epoch_y[batch]

    def take(self, k: int, batch_size: int) -> tuple[torch.Tensor, torch.Tensor]:
        """The next k minibatches at once, (k, B, inputs) and (k, B): what k calls of `next`
        without noise return, stacked; the epochs they reach into are drawn as `next` draws
        them, and their points gathered in one index op instead of two an epoch."""
        size = self.size(batch_size)
        here = min(k, (len(self._epoch_x) - self._cursor) // size)  # left in this epoch
        part = slice(self._cursor, self._cursor + here * size)
        x, y = self._epoch_x[part], self._epoch_y[part]
        self._cursor += here * size
        left = k - here
        if left:
            orders = []
            while left:
                order = torch.randperm(len(self._x), generator=self._batch_gen)
                batches = min(left, len(self._x) // size)
                orders.append(order[: batches * size])
                left -= batches
            taken = torch.cat(orders).to(self._x.device)
            x, y = torch.cat([x, self._x[taken]]), torch.cat([y, self._y[taken]])
            self._use_order(order)
            self._cursor = batches * size
        return x.view(k, size, *x.shape[1:]), y.view(k, size, *y.shape[1:])

    def _shuffle(self) -> None:
        """A new epoch: this seed's next order of the points."""
        self._use_order(torch.randperm(len(self._x), generator=self._batch_gen))
        self._cursor = 0

    def _use_order(self, order: torch.Tensor) -> None:
        """This epoch's points in `order`."""
        order = order.to(self._x.device)
        # Shuffled copies once an epoch make each batch a slice, not two index ops a step.
        self._epoch_x, self._epoch_y = self._x[order], self._y[order]
        self._epoch_noise = None


class StackedMinibatches:
    """The minibatches of K runs at once, (K, B, inputs) and (K, B): run k's are exactly the
    ones Minibatches draws for its seed (without noise or a BatchNorm minimum)."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor, seeds: list[int]) -> None:
        self._x, self._y = x, y  # (K, N, inputs), (K, N)
        self._batch_gens = [stream_generator(seed, BATCH_STREAM) for seed in seeds]
        self._epoch_x, self._epoch_y = x[:, :0], y[:, :0]
        self._cursor = 0

    def next(self, batch_size: int) -> tuple[torch.Tensor, torch.Tensor]:
        """The next minibatch of every run; an epoch ends for all runs at once."""
        n = self._x.shape[1]
        size = min(batch_size, n)
        if self._cursor + size > self._epoch_x.shape[1]:
            order = torch.stack([torch.randperm(n, generator=g) for g in self._batch_gens])
            order = order.to(self._x.device)  # (K, N)
            self._epoch_x = torch.gather(self._x, 1, order.unsqueeze(2).expand_as(self._x))
            self._epoch_y = torch.gather(self._y, 1, order)
            self._cursor = 0
        batch = slice(self._cursor, self._cursor + size)
        self._cursor += size
        return self._epoch_x[:, batch], self._epoch_y[:, batch]


def spread_points(
    train_x: torch.Tensor,
    train_y: torch.Tensor,
    test_x: torch.Tensor,
    test_y: torch.Tensor,
    most: int | None,
) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """At most `most` training and `most` test points, every k-th one; all when they fit."""
    return _spread(train_x, train_y, most), _spread(test_x, test_y, most)


def _spread(
    x: torch.Tensor, y: torch.Tensor, most: int | None
) -> tuple[torch.Tensor, torch.Tensor]:
    if most is None or len(x) <= most:
        return x, y
    stride = -(-len(x) // max(1, most))
    return x[::stride], y[::stride]
