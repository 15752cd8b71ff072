"""Where the network view puts things: everything fits, and positions map back to values."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import QPointF

from core.layers import Dense, Flatten
from core.model import Sequential
from core.models import tutorial_cnn
from nnviz.tabs.inside.network_columns import make_columns
from nnviz.tabs.inside.network_layout import NetworkLayout
from nnviz.tabs.inside.stages import Region, network_stages


def _layout(model, width, height) -> NetworkLayout:
    stages = network_stages(model)
    layout = NetworkLayout()
    layout.columns = make_columns(stages)
    for column, stage in zip(layout.columns, stages, strict=True):
        column.values = stage  # anything not None: the column shows values
    layout.place(width, height)
    return layout


@pytest.mark.parametrize(("width", "height"), [(1280, 440), (1000, 360), (780, 330),
                                               (1900, 600)])
def test_columns_fit_and_do_not_overlap(qapp, width, height):
    layout = _layout(tutorial_cnn(), width, height)
    rects = [c.rect for c in layout.columns]
    assert rects[0].left() >= 0 and rects[-1].right() <= width
    assert all(a.right() <= b.left() for a, b in zip(rects, rects[1:], strict=False))
    for column in layout.columns:
        assert column.header.width() == column.rect.width()
        assert all(column.rect.contains(tile) for tile in column.tiles)
        assert column.content.bottom() <= height
    assert layout.scale <= 1.0


def test_wide_windows_get_more_tile_columns_than_narrow_ones(qapp):
    wide = _layout(tutorial_cnn(), 1900, 600)
    narrow = _layout(tutorial_cnn(), 780, 330)
    assert sum(c.cols for c in wide.columns) > sum(c.cols for c in narrow.columns)
    assert max(c.cols for c in wide.columns) <= 4


def test_every_value_is_found_where_it_is_placed(qapp):
    layout = _layout(tutorial_cnn(), 1280, 440)
    for stage, index in [(0, (0, 27, 0)), (1, (3, 0, 23)), (4, (15, 8, 8)), (6, (255,)),
                         (7, (127,)), (8, (9,))]:
        column = layout.columns[stage]
        assert layout.target_at(layout.cell_rect(column, index).center()) == (stage, index)
    assert layout.target_at(QPointF(-3, -3)) is None
    flat = _layout(Sequential([Flatten(), Dense(10)], input_shape=(1, 5, 5)), 900, 400)
    grid = flat.columns[1]                                    # 25 units as a 5×5 grid
    assert flat.target_at(flat.cell_rect(grid, (24,)).center()) == (1, (24,))


def test_region_rects_cover_the_region(qapp):
    layout = _layout(tutorial_cnn(), 1280, 440)
    conv = layout.columns[1]
    rects = layout.region_rects(conv, Region(None, (2, 7), (3, 8)))
    assert len(rects) == 4                                    # every channel
    first = rects[0]
    assert first.contains(layout.cell_rect(conv, (0, 2, 3)).center())
    assert first.contains(layout.cell_rect(conv, (0, 6, 7)).center())
    assert not first.contains(layout.cell_rect(conv, (0, 7, 8)).center())
    units = layout.region_rects(layout.columns[5], Region(None, units=(0, 17)))
    assert [r.center() for r in units] == [layout.cell_rect(layout.columns[5], i).center()
                                            for i in ((0, 0, 0), (1, 0, 1))]
    assert layout.region_rects(layout.columns[7], Region((0,), (0, 1), (0, 1))) == []
