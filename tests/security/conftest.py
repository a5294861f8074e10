from __future__ import annotations

import pytest

from tests.security.listener import Listener


@pytest.fixture
def listener(tmp_path):
    server = Listener(tmp_path)
    yield server
    server.stop()


# The browser tests' fixtures (Debian's chromium against the live app), for the CSP browser test here.
from tests.browser.conftest import browser, new_page, page, pytest_runtest_makereport  # noqa: E402,F401
