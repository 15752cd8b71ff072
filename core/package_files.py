"""Files that travel inside the installed packages (the shipped sample, the pre-trained
model, the icons), found through the import system rather than the source tree."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def package_folder(package: str, name: str) -> Path:
    """The folder ``name`` installed inside ``package`` (e.g. ``"core"``, ``"assets"``).

    ``importlib.resources`` finds it wherever the package was imported from: a wheel
    installed into site-packages, an editable install or a source checkout. pip always
    installs packages unpacked, so the folder is a real directory; a package imported from
    a zip archive is refused with a clear message instead of giving paths that do not exist.
    """
    folder = resources.files(package).joinpath(name)
    if not isinstance(folder, Path):
        raise RuntimeError(f"{package} was imported from an archive ({folder}); install it "
                           "with pip so that its data files are on disk")
    return folder
