"""The check before Qt starts: missing xcb libraries and a missing display get one clear message."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nnviz import platform_check as pc
from nnviz.platform_check import (
    PROBE_SONAMES,
    README_PACKAGES,
    XCB_PACKAGES,
    check_platform,
    missing_by_ldd,
    missing_by_probe,
    missing_xcb_libraries,
    packages_for,
    parse_ldd,
    qt_xcb_binaries,
    requested_platforms,
)

ROOT = Path(__file__).resolve().parents[2]

# what ldd printed for PyQt6 6.11's libqxcb.so on a fresh Debian 12 (shortened)
LDD_PLUGIN = """\
\tlinux-vdso.so.1 (0x00007f81c563e000)
\tlibQt6XcbQpa.so.6 => /venv/PyQt6/Qt6/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f8)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f81c4979000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f81c550d000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f81c5505000)
\tlibxcb-keysyms.so.1 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f81c381e000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f81c5640000)
"""
LDD_QPA = """\
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxkbcommon.so.0 => /lib/x86_64-linux-gnu/libxkbcommon.so.0 (0x00007f35fd347000)
"""


class FakeLdd:
    """Stands in for subprocess.run(["ldd", path]): canned output per file name."""

    def __init__(self, outputs: dict[str, str], returncode: int = 0) -> None:
        self.outputs, self.returncode, self.calls = outputs, returncode, []

    def __call__(self, args, **kwargs) -> subprocess.CompletedProcess:
        self.calls.append(args)
        assert kwargs["timeout"] > 0 and kwargs["capture_output"]
        return subprocess.CompletedProcess(args, self.returncode,
                                           self.outputs[Path(args[-1]).name], "")


@pytest.fixture
def fake_qt(tmp_path) -> Path:
    """A Qt folder laid out like PyQt6's, with the two X11 plugin files."""
    for rel in ("plugins/platforms/libqxcb.so", "lib/libQt6XcbQpa.so.6"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"\x7fELF")
    return tmp_path


def _never(*_args):
    raise AssertionError("the X11 plugin's libraries should not be looked at here")


# -- finding the missing libraries ----------------------------------------------------------
def test_parse_ldd_lists_each_unresolved_library_once_in_order():
    assert parse_ldd(LDD_PLUGIN) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert parse_ldd("\tstatically linked\n") == []
    assert parse_ldd("\tlibfoo.so => not found\n") == ["libfoo.so"]


def test_qt_xcb_binaries_finds_the_plugin_and_its_library(fake_qt, tmp_path_factory):
    found = qt_xcb_binaries(fake_qt)
    assert [p.name for p in found] == ["libqxcb.so", "libQt6XcbQpa.so.6"]
    assert qt_xcb_binaries(tmp_path_factory.mktemp("system-qt")) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PyQt6's X11 plugin: Linux")
def test_qt_xcb_binaries_finds_pyqt6s_own_files_without_importing_qt():
    found = qt_xcb_binaries()
    assert {p.name for p in found} == {"libqxcb.so", "libQt6XcbQpa.so.6"}
    assert all("PyQt6" in p.parts for p in found)


def test_missing_by_ldd_joins_both_files(fake_qt, monkeypatch):
    monkeypatch.setattr(pc.shutil, "which", lambda name: "/usr/bin/ldd")
    ldd = FakeLdd({"libqxcb.so": LDD_PLUGIN, "libQt6XcbQpa.so.6": LDD_QPA})
    missing = missing_by_ldd(qt_xcb_binaries(fake_qt), ldd)
    assert missing == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"]
    assert [call[0] for call in ldd.calls] == ["/usr/bin/ldd", "/usr/bin/ldd"]


def test_missing_by_ldd_cannot_tell_without_ldd_files_or_success(fake_qt, monkeypatch):
    binaries = qt_xcb_binaries(fake_qt)
    outputs = {"libqxcb.so": LDD_PLUGIN, "libQt6XcbQpa.so.6": LDD_QPA}
    monkeypatch.setattr(pc.shutil, "which", lambda name: None)
    assert missing_by_ldd(binaries, FakeLdd(outputs)) is None
    monkeypatch.setattr(pc.shutil, "which", lambda name: "/usr/bin/ldd")
    assert missing_by_ldd([], FakeLdd(outputs)) is None
    assert missing_by_ldd(binaries, FakeLdd(outputs, returncode=1)) is None

    def broken(*args, **kwargs):
        raise subprocess.TimeoutExpired("ldd", 15)

    assert missing_by_ldd(binaries, broken) is None


def test_missing_by_probe_reports_what_the_loader_cannot_load():
    absent = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}
    loaded = []

    def load(soname):
        if soname in absent:
            raise OSError(f"{soname}: cannot open shared object file")
        loaded.append(soname)

    assert missing_by_probe(PROBE_SONAMES, load) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert len(loaded) == len(PROBE_SONAMES) - 2


def test_without_ldd_the_check_falls_back_to_probing(tmp_path, monkeypatch):
    monkeypatch.setattr(pc.shutil, "which", lambda name: None)

    def load(soname):
        if soname == "libxcb-cursor.so.0":
            raise OSError("not found")

    assert missing_xcb_libraries(tmp_path, run=_never, load=load) == ["libxcb-cursor.so.0"]


def test_ldd_answers_before_any_probe(fake_qt, monkeypatch):
    monkeypatch.setattr(pc.shutil, "which", lambda name: "/usr/bin/ldd")
    ldd = FakeLdd({"libqxcb.so": LDD_PLUGIN, "libQt6XcbQpa.so.6": LDD_QPA})
    assert missing_xcb_libraries(fake_qt, run=ldd, load=_never)[:2] == [
        "libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


def test_probed_libraries_are_what_the_plugin_links_and_all_have_a_package():
    assert set(PROBE_SONAMES) <= set(XCB_PACKAGES)
    assert set(README_PACKAGES) <= set(XCB_PACKAGES.values())
    assert packages_for(["libglib-2.0.so.0", "libgthread-2.0.so.0", "libunknown.so.3"]) == [
        "libglib2.0-0"]


# -- which platform Qt will use -------------------------------------------------------------
@pytest.mark.parametrize(("environ", "names"), [
    ({}, ["xcb"]),
    ({"DISPLAY": ":0"}, ["xcb"]),
    ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, ["wayland", "xcb"]),
    ({"XDG_SESSION_TYPE": "wayland"}, ["wayland", "xcb"]),
    ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, ["offscreen"]),
    ({"QT_QPA_PLATFORM": " wayland;xcb:dpi=96 "}, ["wayland", "xcb"]),
])
def test_requested_platforms(environ, names):
    assert requested_platforms(environ) == names


# -- the verdict and its message --------------------------------------------------------------
def test_missing_xcb_libraries_give_one_message_with_the_apt_command():
    problem = check_platform({"DISPLAY": ":0"}, "linux",
                             lambda: ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"])
    assert problem.kind == "missing-libraries"
    assert problem.missing == ("libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    assert problem.packages == ("libxcb-icccm4", "libxcb-keysyms1")
    assert "libxcb-icccm.so.4" in problem.message and "libxcb-keysyms.so.1" in problem.message
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in problem.message.splitlines()[
        -2]
    assert "xcb" in problem.message.splitlines()[0]


def test_a_library_without_a_known_package_says_how_to_find_it():
    problem = check_platform({"DISPLAY": ":0"}, "linux",
                             lambda: ["libxcb-cursor.so.0", "libweird.so.7"])
    assert "apt-file search libweird.so.7" in problem.message
    assert problem.packages == ("libxcb-cursor0",)


def test_nothing_to_say_when_the_libraries_and_a_display_are_there():
    assert check_platform({"DISPLAY": ":0"}, "linux", lambda: []) is None


def test_no_display_at_all_gets_its_own_message():
    problem = check_platform({}, "linux", lambda: [])
    assert problem.kind == "no-display"
    assert "neither DISPLAY (X11) nor WAYLAND_DISPLAY (Wayland) is set" in problem.message
    assert "xvfb-run -a nnviz" in problem.message
    with_missing = check_platform({}, "linux", lambda: ["libxcb-keysyms.so.1"])
    assert "sudo apt-get install libxcb-keysyms1" in with_missing.message


@pytest.mark.parametrize("environ", [
    {"QT_QPA_PLATFORM": "offscreen"},
    {"QT_QPA_PLATFORM": "minimal"},
    {"WAYLAND_DISPLAY": "wayland-0"},
    {"QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": "wayland-1"},
    {"NNVIZ_SKIP_PLATFORM_CHECK": "1"},
])
def test_platforms_that_need_no_xcb_are_not_checked(environ):
    assert check_platform(environ, "linux", _never) is None


def test_wayland_without_a_display_variable_but_with_its_socket(tmp_path):
    (tmp_path / "wayland-0").touch()
    assert check_platform({"QT_QPA_PLATFORM": "wayland", "XDG_RUNTIME_DIR": str(tmp_path)},
                          "linux", _never) is None
    problem = check_platform({"QT_QPA_PLATFORM": "wayland"}, "linux", _never)
    assert problem.kind == "no-display"
    assert "QT_QPA_PLATFORM=wayland" in problem.message and "WAYLAND_DISPLAY" in problem.message


def test_wayland_then_xcb_falls_back_to_xcbs_libraries():
    problem = check_platform({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":1"}, "linux",
                             lambda: ["libxcb-cursor.so.0"])
    assert problem.kind == "missing-libraries" and problem.packages == ("libxcb-cursor0",)


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_macos_and_windows_need_nothing(platform):
    assert check_platform({}, platform, _never) is None


# -- the README and CI name the same system packages -----------------------------------------
def test_readme_and_ci_install_the_packages_the_check_knows():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"sudo apt-get install ([^\n`]+)", readme)
    assert line is not None and set(line.group(1).split()) == set(README_PACKAGES)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    words = set(re.findall(r"[\w.+-]+", ci))
    assert set(README_PACKAGES) <= words


# -- the real command ---------------------------------------------------------------------------
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is Linux's")
def test_nnviz_without_a_display_prints_the_message_and_exits_1():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE",
                        "NNVIZ_SKIP_PLATFORM_CHECK")}
    result = subprocess.run([sys.executable, "-m", "nnviz"], env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("nnviz needs a graphical desktop")
    assert "Could not load the Qt platform plugin" not in result.stderr
