"""What to tell the user when training goes non-finite: what, where, when, and what to try."""

from __future__ import annotations

from models.tasks import is_naive


def divergence_message(step: int, loss: str, where: str | None) -> str:
    """The banner text for a loss that became NaN or infinite at `step`.

    `where` names the first non-finite layer (models.guards.nonfinite_report), or None when
    the weights are still finite and only the loss overflowed.
    """
    now = f" ({where} now.)" if where else ""
    if is_naive(loss):
        return (
            f"Training diverged at step {step}: the naive loss became infinite or NaN.{now} It "
            "takes the log of a probability computed first, and in float32 a sigmoid or "
            "softmax of a large logit rounds to exactly 0 or 1, so log(0) = −∞. The stable "
            "loss computes the log in one step (log-sum-exp) and stays finite: switch to it, "
            "then undo or reset."
        )
    what = f"{where}, and the loss with them" if where else "the loss became NaN or infinite"
    return (
        f"Training diverged at step {step}: {what}. Try a lower learning rate, gradient "
        "clipping, or batch or layer normalisation; then undo to the last finite weights, or "
        "reset."
    )
