"""Can Qt open a window here? Checked before the QApplication exists.

When Qt cannot load a window-system ("platform") plugin it aborts the process: Python
cannot catch that, and the user reads "Could not load the Qt platform plugin "xcb" even
though it was found" with no hint of what to install. The usual cause on a fresh
Debian/Ubuntu desktop is that PyQt6's X11 plugin, ``Qt6/plugins/platforms/libqxcb.so``
(through ``Qt6/lib/libQt6XcbQpa.so.6``), links against xcb libraries the system lacks
(libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1 ...). The other cause is a session
without any display at all (ssh, a server, a container).

:func:`check_platform` looks at the environment the way Qt will (``QT_QPA_PLATFORM``,
``DISPLAY``, ``WAYLAND_DISPLAY``) and, when the X11 plugin is the one that will be used,
lists its unresolved libraries: with ``ldd`` on the two files above, or, without ``ldd``
or without those files (a distribution's own PyQt6), by loading the known sonames with
ctypes. It returns a :class:`PlatformProblem` whose ``message`` names what is missing
and the ``apt-get`` command that installs it, or ``None`` when Qt should start.
``NNVIZ_SKIP_PLATFORM_CHECK=1`` turns the check off (should it ever be wrong).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PROBE_SONAMES", "README_PACKAGES", "XCB_PACKAGES", "PlatformProblem", "check_platform",
           "install_command", "missing_by_ldd", "missing_by_probe", "missing_xcb_libraries",
           "packages_for", "parse_ldd", "qt_xcb_binaries", "requested_platforms"]

_DIRECT_PACKAGES = {
    # what PyQt6's X11 plugin links against directly; the first eight are the ones a fresh
    # desktop typically lacks (the README's apt line)
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libGL.so.1": "libgl1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}
_INDIRECT_PACKAGES = {
    # what those pull in (ldd lists them too when missing)
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libEGL.so.1": "libegl1",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
}
XCB_PACKAGES: dict[str, str] = {**_DIRECT_PACKAGES, **_INDIRECT_PACKAGES}
"""soname -> the Debian/Ubuntu package that provides it, for what Qt's xcb plugin needs."""

PROBE_SONAMES = tuple(_DIRECT_PACKAGES)
"""The libraries the X11 plugin links against directly: what the ctypes fallback loads."""

README_PACKAGES = ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
                   "libxcb-render-util0", "libxcb-xkb1", "libxkbcommon-x11-0", "libxcb-shape0")
"""The system packages the README's install line names (Debian/Ubuntu)."""

XCB_BINARIES = ("plugins/platforms/libqxcb.so", "lib/libQt6XcbQpa.so.6")
"""The X11 plugin and the library it wraps, relative to PyQt6's bundled Qt folder."""

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)

Runner = Callable[..., subprocess.CompletedProcess]


@dataclass(frozen=True)
class PlatformProblem:
    """Why Qt cannot open a window here, and what to do about it."""

    kind: str
    """``"missing-libraries"`` or ``"no-display"``."""
    message: str
    """The text to show the user (several lines, no trailing newline)."""
    missing: tuple[str, ...] = ()
    """Sonames the X11 plugin needs and the system lacks."""
    packages: tuple[str, ...] = ()
    """Debian/Ubuntu packages that provide ``missing``."""


def qt_xcb_binaries(qt_dir: Path | None = None) -> list[Path]:
    """The X11 plugin files of PyQt6's bundled Qt that exist (none for a system PyQt6).

    ``qt_dir`` is the bundled Qt folder (``.../PyQt6/Qt6``); found without importing Qt.
    """
    if qt_dir is None:
        spec = importlib.util.find_spec("PyQt6")
        if spec is None or not spec.submodule_search_locations:
            return []
        package = Path(list(spec.submodule_search_locations)[0])
        qt_dir = next((package / name for name in ("Qt6", "Qt") if (package / name).is_dir()),
                      package / "Qt6")
    return [qt_dir / rel for rel in XCB_BINARIES if (qt_dir / rel).is_file()]


def parse_ldd(output: str) -> list[str]:
    """The sonames ``ldd`` reports as "not found", first occurrence first, without repeats."""
    return list(dict.fromkeys(_NOT_FOUND.findall(output)))


def missing_by_ldd(binaries: Sequence[Path], run: Runner = subprocess.run) -> list[str] | None:
    """Unresolved libraries of ``binaries`` according to ``ldd``; ``None`` if ldd cannot tell
    (no ldd on the PATH, no binaries, or ldd failed)."""
    ldd = shutil.which("ldd")
    if ldd is None or not binaries:
        return None
    missing: list[str] = []
    for binary in binaries:
        try:
            result = run([ldd, str(binary)], capture_output=True, text=True, timeout=15,
                         check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        if result.returncode != 0:
            return None
        missing.extend(parse_ldd(result.stdout))
    return list(dict.fromkeys(missing))


def missing_by_probe(sonames: Iterable[str] = PROBE_SONAMES,
                     load: Callable[[str], object] = ctypes.CDLL) -> list[str]:
    """The ``sonames`` the dynamic loader cannot load (the fallback when ldd cannot tell)."""
    missing = []
    for soname in sonames:
        try:
            load(soname)
        except OSError:
            missing.append(soname)
    return missing


def missing_xcb_libraries(qt_dir: Path | None = None, run: Runner = subprocess.run,
                          load: Callable[[str], object] = ctypes.CDLL) -> list[str]:
    """Libraries Qt's X11 plugin needs and cannot find: by ldd, else by probing sonames."""
    found = missing_by_ldd(qt_xcb_binaries(qt_dir), run)
    if found is None:
        found = missing_by_probe(PROBE_SONAMES, load)
    return found


def packages_for(sonames: Iterable[str]) -> list[str]:
    """The Debian/Ubuntu packages that provide ``sonames`` (unknown ones are left out)."""
    return list(dict.fromkeys(XCB_PACKAGES[s] for s in sonames if s in XCB_PACKAGES))


def install_command(packages: Sequence[str]) -> str:
    """The command line that installs ``packages`` on Debian/Ubuntu."""
    return "sudo apt-get install " + " ".join(packages)


def requested_platforms(environ: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in order: ``QT_QPA_PLATFORM`` (e.g. ``"wayland;xcb"``,
    options after ``:`` dropped) or, unset, Wayland when a Wayland session is announced and
    then X11 (PyQt6's default on Linux)."""
    value = environ.get("QT_QPA_PLATFORM", "").strip()
    if value:
        return [name.split(":", 1)[0].strip() for name in value.split(";") if name.strip()]
    names = []
    if environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
        names.append("wayland")
    names.append("xcb")
    return names


def _wayland_reachable(environ: Mapping[str, str]) -> bool:
    if environ.get("WAYLAND_DISPLAY"):
        return True
    runtime = environ.get("XDG_RUNTIME_DIR")
    return bool(runtime) and Path(runtime, "wayland-0").exists()


def check_platform(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    find_missing: Callable[[], list[str]] = missing_xcb_libraries,
) -> PlatformProblem | None:
    """Why Qt would fail to open a window with this environment, or ``None`` if it should not.

    ``environ`` defaults to ``os.environ``, ``platform`` to ``sys.platform``;
    ``find_missing`` lists the X11 plugin's missing libraries (replaced in tests). Only
    Linux is checked: macOS and Windows need nothing beyond PyQt6's wheel.
    """
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux") or environ.get("NNVIZ_SKIP_PLATFORM_CHECK") == "1":
        return None
    names = requested_platforms(environ)
    has_x11 = bool(environ.get("DISPLAY"))
    missing: list[str] | None = None
    for name in names:
        if name.startswith("wayland"):
            if _wayland_reachable(environ):
                return None
        elif name == "xcb":
            if missing is None:
                missing = find_missing()
            if has_x11 and not missing:
                return None
        else:  # offscreen, minimal, vnc, eglfs, linuxfb ...: need no desktop
            return None
    missing = missing or []
    if "xcb" in names and has_x11:
        return _missing_libraries_problem(missing)
    return _no_display_problem(environ, missing)


def _missing_libraries_problem(missing: list[str]) -> PlatformProblem:
    packages = packages_for(missing)
    width = max(len(s) for s in missing)
    lines = ["nnviz cannot open its window: Qt's X11 platform plugin (xcb) needs system "
             "libraries that are not installed:"]
    for soname in missing:
        package = XCB_PACKAGES.get(soname)
        where = f"package {package}" if package else f"find its package: apt-file search {soname}"
        lines.append(f"    {soname.ljust(width)}   ({where})")
    if packages:
        lines += ["Install them (Debian/Ubuntu) with:", f"    {install_command(packages)}"]
    lines.append("then start nnviz again. (On other Linux distributions, install the packages "
                 "that provide these files.)")
    return PlatformProblem("missing-libraries", "\n".join(lines), tuple(missing),
                           tuple(packages))


def _no_display_problem(environ: Mapping[str, str], missing: list[str]) -> PlatformProblem:
    asked = environ.get("QT_QPA_PLATFORM", "").strip()
    names = requested_platforms(environ)
    needed = [var for var, wanted in (("DISPLAY (X11)", "xcb" in names),
                                      ("WAYLAND_DISPLAY (Wayland)",
                                       any(n.startswith("wayland") for n in names))) if wanted]
    if len(needed) == 1 and asked:
        why = f"{needed[0]} is not set."
    else:
        why = "neither DISPLAY (X11) nor WAYLAND_DISPLAY (Wayland) is set."
    if asked:
        why = f"QT_QPA_PLATFORM={asked} asks for a window system, but {why}"
    lines = [
        "nnviz needs a graphical desktop to open its window, and this session has none: " + why,
        "Start nnviz from a terminal of your desktop session (over ssh: ssh -X). On a machine "
        "without a screen, run it in a virtual X server: xvfb-run -a nnviz; to train without "
        "a window, use nnviz-train.",
    ]
    packages = packages_for(missing)
    if missing:
        lines.append("Qt's X11 plugin also lacks system libraries: " + ", ".join(missing)
                     + (f"; install them with: {install_command(packages)}" if packages else ""))
    return PlatformProblem("no-display", "\n".join(lines), tuple(missing), tuple(packages))
