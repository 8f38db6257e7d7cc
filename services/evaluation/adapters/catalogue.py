"""The indicator frameworks and grade thresholds shipped as data (services/evaluation/data/),
read once at start: a malformed file stops the service."""

from __future__ import annotations

import json
from pathlib import Path

from services.evaluation.domain.catalogue import Catalogue
from services.evaluation.domain.framework import framework_from
from services.evaluation.domain.thresholds import thresholds_from

DATA = Path(__file__).resolve().parents[1] / "data"


def load_catalogue(root: Path = DATA) -> Catalogue:
    """Every `frameworks/*.json` and `thresholds/*.json` under `root`, by file name."""
    return Catalogue(
        frameworks={
            p.stem: framework_from(p.stem, json.loads(p.read_text("utf-8")))
            for p in sorted((root / "frameworks").glob("*.json"))
        },
        thresholds={
            p.stem: thresholds_from(p.stem, json.loads(p.read_text("utf-8")))
            for p in sorted((root / "thresholds").glob("*.json"))
        },
    )
