"""Event contracts shared by producers and consumers; importing this registers them all."""

from shared.contracts import evaluation, notifier, registry
from shared.contracts.base import (
    EventContract,
    EventData,
    all_contracts,
    contract_of,
    get_contract,
)

__all__ = [
    "EventContract",
    "EventData",
    "all_contracts",
    "contract_of",
    "evaluation",
    "get_contract",
    "notifier",
    "registry",
]
