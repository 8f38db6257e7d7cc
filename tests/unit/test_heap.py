"""A process that serves one app exempts its start-up objects from garbage collection."""

from __future__ import annotations

import gc

import pytest

from shared.http import app as app_module


def test_the_heap_is_frozen_only_in_a_process_that_serves_one_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert gc.get_freeze_count() == 0
    monkeypatch.setitem(app_module._HEAP, "settle", False)
    app_module._settle_heap()
    assert gc.get_freeze_count() == 0, "a test run (many apps in one process) must not freeze"

    app_module.settle_heap_after_startup()
    try:
        app_module._settle_heap()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
