"""The `memory` section's production environment holds what dashboard-api's image installs:
the service and its runtime, not the workspace's development tools."""

from __future__ import annotations

import subprocess
from pathlib import Path

from devstack.bench import image_env


def test_the_image_environment_has_the_service_and_none_of_the_dev_tools(tmp_path: Path) -> None:
    python = image_env.build(tmp_path / "venv")
    probe = "import importlib.util as u, sys; print(*[m for m in sys.argv[1:] if u.find_spec(m)])"
    wanted = ["dashboard_api", "stackspin_clients", "gunicorn", "uvicorn_worker", "pymysql"]
    dev_only = ["devstack", "login_service", "pytest", "rich", "pygments", "mypy"]
    found = subprocess.run(
        [str(python), "-c", probe, *wanted, *dev_only],
        cwd=tmp_path,  # not the repository: its folders would import as namespace packages
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert found == wanted
    # Installed, not linked to the sources (as the image's --no-editable).
    where = subprocess.run(
        [str(python), "-c", "import dashboard_api; print(dashboard_api.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(tmp_path / "venv"))
