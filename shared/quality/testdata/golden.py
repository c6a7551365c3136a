#!/usr/bin/python3
"""Regenerate the quality golden fixtures: pairs/*.png and golden.json.

Each case pairs a real icon from testdata/icons with a perturbed version
(blur, noise, quantisation, shift, alpha changes, other colour types and bit
depths) or an edge case (smallest sizes, identical images, wrong sizes), and
records what scikit-image says about the two images composited over white.

Run from anywhere with Debian's python3-skimage, python3-numpy and python3-pil:
    /usr/bin/python3 shared/quality/testdata/golden.py
(or `go generate ./shared/quality`). Perturbations are seeded, so a rerun with
the same library versions rewrites identical files.
"""

import json
import os
import struct
import zlib

import numpy as np
import PIL
import scipy
import skimage
from PIL import Image, ImageFilter
from skimage.metrics import (mean_squared_error, peak_signal_noise_ratio,
                             structural_similarity)

HERE = os.path.dirname(os.path.abspath(__file__))
ICONS = os.path.join(HERE, "..", "..", "..", "testdata", "icons")
PAIRS = os.path.join(HERE, "pairs")
RNG = np.random.default_rng(20261125)


# --- PNG writing: our own minimal encoder, so every colour type and bit depth
# the Go decoder sees is exactly the array composited below.

def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def write_png(name, arr, colour_type, depth, palette=None, trns=None):
    """arr: (h, w) for grey/palette, (h, w, c) otherwise, integer values."""
    h, w = arr.shape[:2]
    dtype = ">u2" if depth == 16 else "u1"
    rows = arr.reshape(h, -1).astype(dtype)
    raw = b"".join(b"\x00" + rows[y].tobytes() for y in range(h))
    png = b"\x89PNG\r\n\x1a\n"
    png += _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour_type, 0, 0, 0))
    if palette is not None:
        png += _chunk(b"PLTE", np.asarray(palette, "u1").tobytes())
    if trns is not None:
        png += _chunk(b"tRNS", np.asarray(trns, "u1").tobytes())
    png += _chunk(b"IDAT", zlib.compress(raw, 9))
    png += _chunk(b"IEND", b"")
    with open(os.path.join(PAIRS, name), "wb") as f:
        f.write(png)
    return "pairs/" + name


# --- Compositing over white, the same arithmetic as composite.go:
# (c*a + M*(M-a)) / M in integers, one division, rescaled to 0-255.

def over_white(rgba, depth):
    rgba = rgba.astype(np.int64)
    m = 255 if depth == 8 else 65535
    c, a = rgba[..., :3], rgba[..., 3:4]
    num = c * a + m * (m - a)
    return num / (255.0 if depth == 8 else 65535.0 * 257.0)


def icon(name):
    """An original icon as 8-bit RGBA (PIL applies tRNS for palette files)."""
    path = os.path.join(ICONS, name)
    return "../../../testdata/icons/" + name, np.asarray(Image.open(path).convert("RGBA"))


def to_rgba(arr):
    """Grey (h,w), grey+alpha (h,w,2), RGB (h,w,3) or RGBA to RGBA, same depth."""
    if arr.ndim == 2:
        arr = arr[..., None]
    c = arr.shape[2]
    opaque = np.full(arr.shape[:2] + (1,), 65535 if arr.max() > 255 else 255, np.int64)
    if c == 1:
        return np.concatenate([arr, arr, arr, opaque], axis=2)
    if c == 2:
        return np.concatenate([arr[..., :1]] * 3 + [arr[..., 1:]], axis=2)
    if c == 3:
        return np.concatenate([arr, opaque], axis=2)
    return arr


def clip8(x):
    return np.clip(np.rint(x), 0, 255).astype(np.int64)


def clip16(x):
    return np.clip(np.rint(x), 0, 65535).astype(np.int64)


def build_cases():
    """Yield (name, ref_path, ref_composite, got_path, got_composite)."""
    ref, a = icon("twemoji-1f600.png")  # palette with tRNS
    blurred = np.asarray(Image.fromarray(a).filter(ImageFilter.GaussianBlur(1.0)))
    yield "blur", ref, over_white(a, 8), write_png("blur.png", blurred, 6, 8), over_white(blurred, 8)

    grey_alpha = np.stack([clip8(a[..., :3].astype(float) @ [0.299, 0.587, 0.114]), a[..., 3]], axis=2)
    yield ("grey-alpha-8", ref, over_white(a, 8), write_png("grey-alpha-8.png", grey_alpha, 4, 8),
           over_white(to_rgba(grey_alpha), 8))

    ref, a = icon("twemoji-1f34e.png")  # RGBA
    noisy = a.astype(np.int64).copy()
    noisy[..., :3] = clip8(noisy[..., :3] + RNG.normal(0, 12, noisy[..., :3].shape))
    yield "noise", ref, over_white(a, 8), write_png("noise.png", noisy, 6, 8), over_white(noisy, 8)

    deep = a.astype(np.int64) * 257 + RNG.integers(-200, 201, a.shape)
    deep[..., 3] = np.where(a[..., 3] == 0, 0, clip16(deep[..., 3]))
    deep = clip16(deep)
    yield ("rgba-16", ref, over_white(a, 8), write_png("rgba-16.png", deep, 6, 16),
           over_white(deep, 16))

    ref, a = icon("flag-br.png")  # RGB
    q = Image.fromarray(a[..., :3]).quantize(16, method=Image.Quantize.MEDIANCUT)
    pal = np.asarray(q.getpalette()[: 3 * 16], np.int64).reshape(16, 3)
    idx = np.asarray(q)
    quant = to_rgba(pal[idx])
    yield ("quantise-palette", ref, over_white(a, 8),
           write_png("quantise-palette.png", idx, 3, 8, palette=pal), over_white(quant, 8))

    # A crop keeps the noisy 16-bit file small.
    a = a[60:120, 80:160]
    r = write_png("flag-br-crop.png", a[..., :3], 2, 8)
    rgb16 = clip16(a[..., :3].astype(np.int64) * 257 + RNG.normal(0, 600, a[..., :3].shape))
    yield "rgb-16", r, over_white(a, 8), write_png("rgb-16.png", rgb16, 2, 16), over_white(to_rgba(rgb16), 16)

    ref, a = icon("twemoji-1f680.png")  # RGBA
    q = Image.fromarray(a).quantize(12, method=Image.Quantize.FASTOCTREE)
    pal = np.asarray(q.getpalette("RGBA")[: 4 * 12], np.int64).reshape(12, 4)
    idx = np.asarray(q)
    yield ("quantise-palette-alpha", ref, over_white(a, 8),
           write_png("quantise-palette-alpha.png", idx, 3, 8, palette=pal[:, :3], trns=pal[:, 3]),
           over_white(pal[idx], 8))
    yield "identical", ref, over_white(a, 8), ref, over_white(a, 8)

    ref, a = icon("tabler-home.png")  # RGBA outline
    shifted = np.zeros_like(a)
    shifted[1:, 2:] = a[:-1, :-2]
    yield "shift", ref, over_white(a, 8), write_png("shift.png", shifted, 6, 8), over_white(shifted, 8)

    ref, a = icon("tabler-heart-filled.png")  # RGBA filled
    half = a.astype(np.int64).copy()
    half[..., 3] //= 2
    yield "alpha-half", ref, over_white(a, 8), write_png("alpha-half.png", half, 6, 8), over_white(half, 8)

    ref, a = icon("twemoji-2764-fe0f.png")  # RGBA; hidden colours under alpha 0
    rgb = a[..., :3]
    yield "alpha-dropped", ref, over_white(a, 8), write_png("alpha-dropped.png", rgb, 2, 8), over_white(to_rgba(rgb), 8)

    ref, a = icon("flag-jp.png")  # palette, opaque
    grey = clip8(a[..., :3].astype(float) @ [0.299, 0.587, 0.114])
    yield "grey-8", ref, over_white(a, 8), write_png("grey-8.png", grey, 0, 8), over_white(to_rgba(grey), 8)

    ref, a = icon("flag-gb.png")  # palette, opaque
    g16 = clip16((a[..., :3].astype(float) @ [0.299, 0.587, 0.114]) * 257 + RNG.normal(0, 900, a.shape[:2]))
    yield "grey-16", ref, over_white(a, 8), write_png("grey-16.png", g16, 0, 16), over_white(to_rgba(g16), 16)
    small = np.asarray(Image.fromarray(a).resize((25, 12), Image.BILINEAR).resize((100, 50), Image.NEAREST))
    yield "rescaled", ref, over_white(a, 8), write_png("rescaled.png", small, 6, 8), over_white(small, 8)

    # Edge sizes: the 11x11 window exactly, and odd shapes.
    _, a = icon("twemoji-1f600.png")
    for w, h, x0, y0 in [(11, 11, 20, 20), (11, 37, 8, 14), (29, 13, 17, 30)]:
        crop = a[y0:y0 + h, x0:x0 + w]
        other = np.asarray(Image.fromarray(a).rotate(7, resample=Image.BILINEAR))[y0:y0 + h, x0:x0 + w]
        r = write_png(f"crop-{w}x{h}.png", crop, 6, 8)
        g = write_png(f"crop-{w}x{h}-rotated.png", other, 6, 8)
        yield f"crop-{w}x{h}", r, over_white(crop, 8), g, over_white(other, 8)

    # Invisible colours: fully transparent noise is white after compositing.
    clear = np.concatenate([RNG.integers(0, 256, (32, 32, 3)), np.zeros((32, 32, 1), np.int64)], axis=2)
    white = np.full((32, 32, 3), 255, np.int64)
    yield ("transparent-vs-white", write_png("transparent.png", clear, 6, 8), over_white(clear, 8),
           write_png("white.png", white, 2, 8), over_white(to_rgba(white), 8))

    # Under the window: scikit-image with win_size = the largest odd number
    # not above the smaller side (see ssim_win), down to a single pixel.
    for w, h, x0, y0 in [(10, 10, 20, 20), (40, 10, 10, 30), (7, 5, 28, 28), (3, 2, 30, 30), (1, 1, 32, 32), (2, 33, 31, 10)]:
        crop = a[y0:y0 + h, x0:x0 + w]
        dark = crop.copy()
        dark[..., :3] //= 2
        r = write_png(f"crop-{w}x{h}.png", crop, 6, 8)
        g = write_png(f"crop-{w}x{h}-dark.png", dark, 6, 8)
        yield f"small-{w}x{h}", r, over_white(crop, 8), g, over_white(dark, 8)


def error_cases():
    """Cases scikit-image refuses, as (name, ref, got, error)."""
    yield "size-mismatch", "../../../testdata/icons/twemoji-1f600.png", "../../../testdata/icons/tabler-home.png", "size"


def ssim_win(shape):
    """scikit-image's default 11 for the Gaussian window, or, for images
    smaller than that, the largest odd number not above the smaller side:
    the rule svgai documents for tiny images."""
    s = min(shape[0], shape[1])
    return None if s >= 11 else (s if s % 2 else s - 1)


def main():
    os.makedirs(PAIRS, exist_ok=True)
    for f in os.listdir(PAIRS):
        os.remove(os.path.join(PAIRS, f))
    out = {
        "generator": "golden.py",
        "versions": {"skimage": skimage.__version__, "scipy": scipy.__version__,
                     "numpy": np.__version__, "PIL": PIL.__version__},
        "cases": [],
    }
    for name, ref, ra, got, ga in build_cases():
        ssim = structural_similarity(ra, ga, win_size=ssim_win(ra.shape), gaussian_weights=True, sigma=1.5,
                                     use_sample_covariance=False, data_range=255, channel_axis=2)
        mse = mean_squared_error(ra, ga)
        case = {"name": name, "ref": ref, "got": got, "ssim": float(ssim), "mse": float(mse)}
        if mse == 0:
            case["psnr"], case["identical"] = None, True
        else:
            case["psnr"] = float(peak_signal_noise_ratio(ra, ga, data_range=255))
        out["cases"].append(case)
    for name, ref, got, kind in error_cases():
        out["cases"].append({"name": name, "ref": ref, "got": got, "error": kind})
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
