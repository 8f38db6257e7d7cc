"""Where an application stands in the workflow, and the refusal of a step taken out of order:
each status the step does not allow answers with its own problem (withdrawn, excluded,
confirmed, still in an open round, before or after the decision or the 公示)."""

from __future__ import annotations

from typing import Literal

from services.evaluation.domain import errors as e

Status = Literal[
    "submitted", "withdrawn", "excluded", "admitted", "decided", "published", "confirmed"
]
ORDER: tuple[Status, ...] = ("admitted", "decided", "published")  # after the close, in turn


def require(application_id: str, status: Status, allowed: tuple[Status, ...], step: str) -> None:
    """Nothing if `status` allows `step`; else the refusal that says why not."""
    if status in allowed:
        return
    where = f"application {application_id} is {status}"
    if status == "withdrawn":
        raise e.ApplicationWithdrawn(f"{where}: no {step} on a withdrawn application")
    if status == "excluded":
        raise e.ApplicationExcluded(f"{where} (ineligible at the close): no {step}")
    if status == "confirmed":
        raise e.AlreadyConfirmed(f"{where}: its grade took effect")
    if status == "submitted":
        raise e.RoundStillOpen(f"{where}: its round has not closed yet, no {step}")
    if ORDER.index(status) < max((ORDER.index(a) for a in allowed if a in ORDER), default=-1):
        if status == "admitted":
            raise e.NotDecided(f"{where}: no {step} before the committee's decision")
        raise e.NotPublished(f"{where}: no {step} before the 公示")
    if status == "decided":
        raise e.AlreadyDecided(f"{where}: no {step} after the decision")
    raise e.AlreadyPublished(f"{where}: no {step} once published")
