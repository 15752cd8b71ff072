"""The (w1, w2) plane of the regularization lab: J0 contours against the penalty region.

A thin host over pyqtgraph items that are created once and updated with ``setData``:
filled J0 bands (an image of the band index under a fixed lookup table, so the colours never
flicker), the exact elliptic contours with their values, the region (diamond, circle or
elastic net), the contour that touches it, the least-squares and regularised optima, the
regularisation path, the "a weight becomes exactly 0" marker and two gradient-descent
trajectories. It draws what it is given; every number comes from
:class:`~nnviz.tabs.regularization.lab.RegularizationLab`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QPointF, QRectF, Qt, pyqtSignal
from PyQt6.QtWidgets import QWidget

from nnviz.tabs.regularization.lab import N_LEVELS
from nnviz.tabs.regularization.plotting import lab_plot
from nnviz.theme import (
    REG_BANDS,
    REG_CONTOUR,
    REG_CONTOUR_LABEL,
    REG_CONTOUR_LABEL_FILL,
    REG_GD_DECAY,
    REG_GD_PLAIN,
    REG_HINT,
    REG_LEAST_SQUARES,
    REG_MARKER_EDGE,
    REG_OPTIMUM,
    REG_PATH,
    REG_PLANE_AXES,
    REG_REGION,
    REG_TRUE_W,
    REG_ZERO,
)


def band_lut(n_bands: int) -> np.ndarray:
    """Colours for the filled J0 bands, light at the bottom of the bowl; (n_bands, 3) uint8."""
    low, high = (np.array(c, dtype=float) for c in REG_BANDS)
    f = np.linspace(0.0, 1.0, n_bands)[:, None] ** 0.9
    return np.round(low + f * (high - low)).astype(np.uint8)


class RegPlane(pg.PlotWidget):
    """The weight plane. Click it to choose where gradient descent starts (``clicked``)."""

    clicked = pyqtSignal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("regPlane")
        lab_plot(self, labels={"bottom": "w₁", "left": "w₂"}, left_width=44).setAspectLocked(True)
        self.setToolTip(
            "The two weights of the linear model. The blue bands are the contours of the data "
            "term J0 = (1/2n)‖y − Xw‖² (lighter = lower). The orange region is where the "
            "penalty allows w to be; the regularised optimum is where the lowest contour "
            "touches it. Click anywhere to start gradient descent there."
        )

        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setLookupTable(band_lut(N_LEVELS + 1))
        self._image.setLevels((0, N_LEVELS))
        self._image.setZValue(-20)
        self.addItem(self._image)
        self._levels = np.zeros(N_LEVELS)

        contour_pen = pg.mkPen(REG_CONTOUR, width=1)
        self._contours = [pg.PlotCurveItem(pen=contour_pen) for _ in range(N_LEVELS)]
        self._labels = [
            pg.TextItem("", color=REG_CONTOUR_LABEL, anchor=(0.5, 0.5), fill=REG_CONTOUR_LABEL_FILL)
            for _ in range(N_LEVELS)
        ]
        for curve, label in zip(self._contours, self._labels, strict=True):
            curve.setZValue(-10)
            label.setZValue(-5)
            self.addItem(curve)
            self.addItem(label)

        axis_pen = pg.mkPen(REG_PLANE_AXES, width=1)
        self.addItem(pg.InfiniteLine(pos=0, angle=0, pen=axis_pen))
        self.addItem(pg.InfiniteLine(pos=0, angle=90, pen=axis_pen))

        self._region = pg.PlotCurveItem(
            pen=pg.mkPen(REG_REGION, width=2.5), brush=pg.mkBrush(*REG_REGION, 60),
            fillLevel="enclosed",
        )
        self._tangent = pg.PlotCurveItem(
            pen=pg.mkPen(REG_OPTIMUM, width=1.6, style=Qt.PenStyle.DashLine)
        )
        self._path = pg.PlotCurveItem(pen=pg.mkPen(REG_PATH, width=2))
        self._gd_plain, self._gd_decay = (
            pg.PlotDataItem(pen=pg.mkPen(c, width=1.6), symbol="o", symbolSize=4, symbolBrush=c,
                            symbolPen=None)
            for c in (REG_GD_PLAIN, REG_GD_DECAY)
        )
        self._gd_heads = pg.ScatterPlotItem(size=11, pen=pg.mkPen(REG_MARKER_EDGE, width=1.2))
        self._head_brushes = [pg.mkBrush(REG_GD_PLAIN), pg.mkBrush(REG_GD_DECAY)]
        self._gd_start = pg.TextItem("GD start (click to move)", color=REG_HINT,
                                     anchor=(-0.05, 1.1))
        self._true = pg.ScatterPlotItem(
            symbol="t1", size=12, brush=pg.mkBrush(None), pen=pg.mkPen(REG_TRUE_W, width=2)
        )
        self._ols = pg.ScatterPlotItem(
            symbol="x", size=15, brush=pg.mkBrush(REG_LEAST_SQUARES), pen=None
        )
        self._zero = pg.ScatterPlotItem(
            symbol="star", size=22, brush=pg.mkBrush(REG_ZERO),
            pen=pg.mkPen(REG_MARKER_EDGE, width=1),
        )
        self._optimum = pg.ScatterPlotItem(
            symbol="o", size=13, brush=pg.mkBrush(REG_OPTIMUM),
            pen=pg.mkPen(REG_MARKER_EDGE, width=1.5),
        )
        for z, it in enumerate(
            (self._region, self._tangent, self._path, self._gd_plain, self._gd_decay,
             self._true, self._ols, self._zero, self._gd_heads, self._optimum, self._gd_start)
        ):
            it.setZValue(z)
            self.addItem(it)

        self.scene().sigMouseClicked.connect(self._on_scene_clicked)

    # ------------------------------------------------------------------ data in
    def set_landscape(
        self,
        j0: np.ndarray,
        extent: tuple[float, float, float, float],
        levels: np.ndarray,
        contours: list[np.ndarray],
        w_ols: np.ndarray,
        w_true: np.ndarray,
        view: tuple[float, float, float, float],
    ) -> None:
        """New data: J0 on a grid, (H, W) over ``extent`` = (x0, x1, y0, y1), contour levels
        (N_LEVELS,) with their curves [(m, 2)], the optima and the (x0, x1, y0, y1) view."""
        x0, x1, y0, y1 = extent
        self._levels = np.asarray(levels, dtype=float)
        self._image.setImage(np.digitize(j0, self._levels).astype(np.uint8), autoLevels=False)
        self._image.setLevels((0, N_LEVELS))
        self._image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        vx0, vx1, vy0, vy1 = view
        self.getPlotItem().setRange(xRange=(vx0, vx1), yRange=(vy0, vy1), padding=0)
        self._view = view
        px = self.getPlotItem().getViewBox().viewPixelSize()  # data units per pixel (x, y)
        last = None
        for curve, label, level, pts in zip(
            self._contours, self._labels, self._levels, contours, strict=True
        ):
            label.setVisible(False)
            if pts.shape[0] == 0:
                curve.setData([], [])
                continue
            curve.setData(pts[:, 0], pts[:, 1])
            spot = self._label_spot(pts, w_ols, view)
            if spot is None:
                continue
            if last is not None and np.hypot(*((spot - last) / px)) < 48:
                continue  # too close to the previous label: skip this one
            label.setText(f"{level:.3g}")
            label.setPos(float(spot[0]), float(spot[1]))
            label.setVisible(True)
            last = spot
        self._ols.setData([w_ols[0]], [w_ols[1]])
        self._true.setData([w_true[0]], [w_true[1]])

    @staticmethod
    def _label_spot(pts: np.ndarray, w_ols: np.ndarray, view) -> np.ndarray | None:
        """Where to write a contour's value: on the ellipse's minor axis (its point nearest ŵ),
        preferably on the side away from the origin's region, and inside the view."""
        vx0, vx1, vy0, vy1 = view
        mx, my = 0.05 * (vx1 - vx0), 0.05 * (vy1 - vy0)
        inside = (
            (pts[:, 0] > vx0 + mx) & (pts[:, 0] < vx1 - mx)
            & (pts[:, 1] > vy0 + my) & (pts[:, 1] < vy1 - my)
        )
        if not np.any(inside):
            return None
        cand = pts[inside]
        away = (cand - w_ols) @ w_ols >= 0
        if np.any(away):
            cand = cand[away]
        return cand[np.argmin(np.linalg.norm(cand - w_ols, axis=1))]

    def set_path(self, points: np.ndarray) -> None:
        """The regularisation path of (w1, w2) as α runs from 0 to large; (k, 2)."""
        self._path.setData(points[:, 0], points[:, 1])

    def set_solution(self, region: np.ndarray, tangent: np.ndarray, w_opt: np.ndarray) -> None:
        """The region boundary (m, 2), the J0 contour through the optimum (k, 2), and w* (2,)."""
        self._region.setData(region[:, 0], region[:, 1])
        if tangent.shape[0]:
            self._tangent.setData(tangent[:, 0], tangent[:, 1])
        else:
            self._tangent.setData([], [])
        self._optimum.setData([w_opt[0]], [w_opt[1]])

    def set_zero_marker(self, point: np.ndarray | None) -> None:
        """Mark the point of the path where a weight becomes exactly 0 (None hides it)."""
        if point is None:
            self._zero.setData([], [])
        else:
            self._zero.setData([point[0]], [point[1]])

    def set_gradient_descent(self, plain: np.ndarray, decayed: np.ndarray) -> None:
        """Two trajectories (k, 2): without and with the L2 decay factor; empty hides them."""
        self._gd_plain.setData(plain[:, 0], plain[:, 1])
        self._gd_decay.setData(decayed[:, 0], decayed[:, 1])
        self._gd_start.setVisible(plain.shape[0] == 1)
        if plain.shape[0]:
            self._gd_start.setPos(float(plain[0, 0]), float(plain[0, 1]))
            self._gd_heads.setData(
                [plain[-1, 0], decayed[-1, 0]], [plain[-1, 1], decayed[-1, 1]],
                brush=self._head_brushes,
            )
        else:
            self._gd_heads.setData([], [])

    # ------------------------------------------------------------------ read back (tests)
    def region_points(self) -> np.ndarray:
        x, y = self._region.getData()
        return np.column_stack([x, y]) if x is not None else np.empty((0, 2))

    def optimum_point(self) -> np.ndarray:
        x, y = self._optimum.getData()
        return np.array([x[0], y[0]])

    def zero_marker_point(self) -> np.ndarray | None:
        x, y = self._zero.getData()
        return np.array([x[0], y[0]]) if len(x) else None

    def contour_labels(self) -> list[str]:
        return [label.textItem.toPlainText() for label in self._labels if label.isVisible()]

    def gradient_descent_points(self) -> tuple[np.ndarray, np.ndarray]:
        (xa, ya), (xb, yb) = self._gd_plain.getData(), self._gd_decay.getData()
        if xa is None:
            return np.empty((0, 2)), np.empty((0, 2))
        return np.column_stack([xa, ya]), np.column_stack([xb, yb])

    # ------------------------------------------------------------------ events
    def _on_scene_clicked(self, event) -> None:
        vb = self.getPlotItem().getViewBox()
        pos = event.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        p: QPointF = vb.mapSceneToView(pos)
        self.clicked.emit(float(p.x()), float(p.y()))
