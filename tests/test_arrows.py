"""The arrows between the packages hold: import-linter's contracts of pyproject.toml."""

import os
import subprocess
import sys

from conftest import ROOT


def test_the_import_contracts_are_kept():
    lint = os.path.join(os.path.dirname(sys.executable), "lint-imports")
    result = subprocess.run([lint], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
    assert "3 kept, 0 broken" in result.stdout
