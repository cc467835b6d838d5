"""A non-editable install finds its templates and demo case (built offline, no network)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling")
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                    "--no-index", "-q", "-w", str(dist)], check=True, capture_output=True)
    wheel = next(dist.glob("reportgen-*.whl"))
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    return site


def test_wheel_contains_templates_and_demo(unpacked_wheel):
    pkg = unpacked_wheel / "reportgen"
    assert (pkg / "templates" / "profiles" / "sagsfremstilling.yaml").is_file()
    assert (pkg / "templates" / "fonts" / "Carlito-Regular.ttf").is_file()
    assert (pkg / "demo" / "sag.yaml").is_file()


def test_installed_package_builds_demo(unpacked_wheel, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(unpacked_wheel))
    code = ("import reportgen.core.resources as r, reportgen.cli as c, sys; "
            "print(r.templates_dir()); sys.exit(c.main(['demo', '--out', sys.argv[1]]))")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "demo")], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert str(unpacked_wheel) in proc.stdout.splitlines()[0]
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == [
        "sag-bilag-1.docx", "sag-bilag-1.html", "sag-bilag-1.pdf", "sag.docx", "sag.html", "sag.indhold.json", "sag.pdf"]
