"""The import boundaries of .importlinter hold (rules without I/O, interface without stores, slices through
their public modules, no cycles between slices)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), *args, "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True,
                          text=True)


def test_import_contracts_are_kept():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_contract_fails(tmp_path):
    config = tmp_path / "broken.ini"
    config.write_text("[importlinter]\nroot_packages =\n    backend\n\n"
                      "[importlinter:contract:x]\nname = x\ntype = forbidden\n"
                      "source_modules =\n    backend.domain.invoices.services\nforbidden_modules =\n    backend.infra\n")
    result = lint_imports(str(config))
    assert result.returncode == 1 and "BROKEN" in result.stdout


def test_the_slice_contract_reports_an_import_of_a_private_module(tmp_path):
    # With only `services` public, today's imports of accounts.identity by other slices are violations.
    config = tmp_path / "slices.ini"
    config.write_text("[importlinter]\nroot_packages =\n    backend\n"
                      "contract_types =\n    slice_boundaries: tests.unit.architecture.contracts.SliceBoundariesContract\n\n"
                      "[importlinter:contract:x]\nname = x\ntype = slice_boundaries\ncontainer = backend.domain\n"
                      "public =\n    services\n")
    result = lint_imports(str(config))
    assert result.returncode == 1
    assert "- backend.domain.support.services -> backend.domain.accounts.identity" in result.stdout
