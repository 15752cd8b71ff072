"""The row-layout col2im: the same fold as col2im for stride 1, contiguous, overhang harmless."""

from __future__ import annotations

import numpy as np
import pytest

from core.functional import col2im, col2im_rows


@pytest.mark.parametrize(("c", "n", "h", "w", "kh", "kw"),
                         [(2, 3, 6, 7, 3, 3), (1, 2, 5, 5, 5, 5), (3, 1, 8, 4, 2, 3)])
def test_col2im_rows_folds_as_col2im(c, n, h, w, kh, kw):
    rng = np.random.default_rng(0)
    oh, ow = h - kh + 1, w - kw + 1
    dcols = rng.standard_normal((c * kh * kw, n, oh, ow))
    with_overhang = np.zeros((c * kh * kw, n, oh, w))
    with_overhang[..., :ow] = dcols
    folded = col2im_rows(with_overhang.reshape(c * kh * kw, -1), (c, n, h, w), kh, kw)
    np.testing.assert_allclose(folded, col2im(dcols.reshape(c * kh * kw, -1), (c, n, h, w),
                                              kh, kw), rtol=1e-12)
    assert folded.flags["C_CONTIGUOUS"] and folded.shape == (c, n, h, w)
