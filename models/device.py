"""Choose the torch device training runs on."""

from __future__ import annotations

import torch


def pick_device(preference: str | None = None) -> torch.device:
    """Return CUDA when asked for or available, else CPU.

    `preference` is "cpu", "cuda" or None (auto). Asking for CUDA where there is none raises,
    so a misconfigured server says so at start-up instead of silently training on the CPU.
    """
    if preference == "cpu":
        return torch.device("cpu")
    if preference == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError("NNP_DEVICE=cuda but torch.cuda.is_available() is False")
        return torch.device("cuda")
    if preference not in (None, ""):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {preference!r}")
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
