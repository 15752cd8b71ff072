"""``nnviz --install-desktop``: the menu entry a desktop reads, with a command that really runs."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from nnviz.app import DESKTOP_TEMPLATE, ICON_PNG, ICON_SVG, desktop_entry

pytestmark = pytest.mark.xvfb


def _install(env_changes: dict[str, str | None]) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run([sys.executable, "-m", "nnviz", "--install-desktop"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_shipped_template_and_icons():
    entry = _entry(DESKTOP_TEMPLATE)
    assert entry["Type"] == "Application" and entry["Name"] == "nnviz"
    assert entry["StartupWMClass"] == "nnviz" and entry["Terminal"] == "false"
    assert ICON_SVG.read_text(encoding="utf-8").lstrip().startswith("<svg")
    assert ICON_PNG.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_install_writes_the_entry_to_xdg_data_home_with_a_command_that_runs(tmp_path):
    result = _install({"XDG_DATA_HOME": str(tmp_path / "data")})
    assert result.returncode == 0, result.stderr
    path = tmp_path / "data" / "applications" / "nnviz.desktop"
    assert str(path) in result.stdout
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    entry = _entry(path)
    assert Path(entry["Icon"]) == ICON_PNG.resolve() and Path(entry["Icon"]).is_file()
    command = shlex.split(entry["Exec"])
    assert command == [sys.executable, "-m", "nnviz"]  # a venv's python, not the menu's PATH
    ran = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=120,
                         check=False)
    assert ran.returncode == 0 and "--install-desktop" in ran.stdout
    validator = shutil.which("desktop-file-validate")
    if validator is not None:
        check = subprocess.run([validator, str(path)], capture_output=True, text=True,
                               check=False)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout


@pytest.mark.parametrize("xdg", [None, "relative/data"], ids=["unset", "relative-ignored"])
def test_install_defaults_to_local_share(tmp_path, xdg):
    result = _install({"HOME": str(tmp_path), "XDG_DATA_HOME": xdg})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".local" / "share" / "applications" / "nnviz.desktop").is_file()


def test_install_into_a_place_it_cannot_write_says_so(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = _install({"XDG_DATA_HOME": str(blocked)})
    assert result.returncode == 1
    assert result.stderr.startswith("nnviz: cannot install the desktop entry")


def test_exec_quoting_follows_the_desktop_entry_spec():
    template = "[Desktop Entry]\nExec=nnviz\nIcon=nnviz\nTryExec=nnviz\n"
    text = desktop_entry(template, ["/opt/my apps/python", "-m", "nnviz", '50%"$x`\\'],
                         Path("/icons/nn viz.png"))
    lines = text.splitlines()
    assert lines[1] == ('Exec="/opt/my apps/python" -m nnviz "50%%\\\\"\\\\$x\\\\`\\\\\\\\"')
    assert lines[2] == "Icon=/icons/nn viz.png"
    assert not any(line.startswith("TryExec=") for line in lines)
