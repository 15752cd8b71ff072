"""The Draw tab's pictures: a picture file (opened, chosen or dropped on the canvas) or a
data set's digit classified in place of the drawing.

:class:`PictureActions` is mixed into :class:`nnviz.tabs.draw.tab.DrawTab` (it uses the
tab's ``canvas``, ``state``, ``preprocess_panel``, ``picture_status``, ``_show_stages``
and ``_classify``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PyQt6.QtWidgets import QFileDialog

from core.picture import PictureError, picture_ink
from nnviz.tabs.draw.picture_file import FILTER, read_gray

__all__ = ["PictureActions"]


class PictureActions:
    """Pictures for the Draw tab: :meth:`open_picture`, :meth:`show_digit`,
    :meth:`choose_picture` and :meth:`picture_message`."""

    def open_picture(self, path: str | Path) -> bool:
        """Classify a picture file (PNG, JPEG, BMP…) instead of the drawing; False (and
        the reason in ``picture_status``) when it cannot be read or holds no digit."""
        name = Path(path).name
        try:
            gray, (width, height) = read_gray(path)
            picture = picture_ink(gray)
        except PictureError as error:
            self.picture_status.setText(f"{error} The canvas is unchanged.")
            return False
        self._show_picture(picture)
        shrunk = "" if (width, height) == picture.size else f", read at {picture.size[0]}x" \
                                                            f"{picture.size[1]}"
        self.picture_status.setText(f"Opened {name} ({width}x{height}{shrunk}): "
                                    f"{picture.polarity()}. Draw or clear to go back.")
        return True

    def show_digit(self, image: np.ndarray, label: int | None = None) -> bool:
        """Put a data set's digit (28, 28), uint8 or float in [0, 1], white on black, on
        the canvas as a picture and classify it (a Train-tab gallery click); False when it
        holds no digit-like ink."""
        try:
            picture = picture_ink(np.asarray(image))
        except PictureError as error:
            self.picture_status.setText(f"{error} The canvas is unchanged.")
            return False
        self._show_picture(picture)
        what = "a digit" if label is None else f"a {label}"
        self.picture_status.setText(f"Showing {what} of the data set. Draw or clear to go "
                                    "back.")
        return True

    def _show_picture(self, picture) -> None:
        self.canvas.set_picture(picture.ink)
        self.state.set_picture(picture, self.preprocess_panel.switches())
        self._show_stages()
        self._classify()

    def choose_picture(self) -> bool:
        """Ask for a picture file and open it (False when cancelled or unreadable)."""
        path, _ = QFileDialog.getOpenFileName(self, "Classify an image", "", FILTER)
        return bool(path) and self.open_picture(path)

    def picture_message(self) -> str:
        """What the last attempt to open a picture said."""
        return self.picture_status.text()

    # -- slots ---------------------------------------------------------------------------
    def _on_canvas_picture_dropped(self, path: str) -> None:
        self.open_picture(path)
