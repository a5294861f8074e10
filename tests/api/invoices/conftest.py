import pytest


@pytest.fixture(autouse=True)
def _worker_running(worker):
    """PDF reading and routing happen in the worker: every invoice test has it running."""
    return worker
