#!/usr/bin/python3
"""Regenerate golden.json: what scikit-image says of each fixture.

For every svg/NAME.svg, SSIM and MSE of ref/NAME.png (the reference raster)
against resvg-js/NAME.png (resvg-js's render, made by gen.mjs), both
composited over white, with the project's metric definition (the same call
as shared/quality/testdata/golden.py). host/resvg's agreement test renders
each SVG itself and checks that shared/quality gives the same SSIM within
0.002.

Run from anywhere with Debian's python3-skimage, python3-numpy and python3-pil:
    /usr/bin/python3 host/resvg/testdata/agree/golden.py
"""

import json
import os

import numpy as np
import PIL
import skimage
from PIL import Image
from skimage.metrics import mean_squared_error, structural_similarity

HERE = os.path.dirname(os.path.abspath(__file__))


def over_white(path):
    """A PNG as 8-bit RGBA composited over white: (c*a + 255*(255-a)) / 255."""
    rgba = np.asarray(Image.open(os.path.join(HERE, path)).convert("RGBA")).astype(np.int64)
    c, a = rgba[..., :3], rgba[..., 3:4]
    return (c * a + 255 * (255 - a)) / 255.0


def main():
    names = sorted(f[:-4] for f in os.listdir(os.path.join(HERE, "svg")) if f.endswith(".svg"))
    out = {
        "generator": "golden.py",
        "versions": {"skimage": skimage.__version__, "numpy": np.__version__, "PIL": PIL.__version__},
        "cases": [],
    }
    for name in names:
        ref, got = over_white(f"ref/{name}.png"), over_white(f"resvg-js/{name}.png")
        ssim = structural_similarity(ref, got, gaussian_weights=True, sigma=1.5,
                                     use_sample_covariance=False, data_range=255, channel_axis=2)
        out["cases"].append({"name": name, "width": ref.shape[1], "height": ref.shape[0],
                             "ssim": float(ssim), "mse": float(mean_squared_error(ref, got))})
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
