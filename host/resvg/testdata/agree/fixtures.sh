#!/usr/bin/env bash
# fixtures.sh rebuilds the agreement test's inputs, svg/NAME.svg and
# ref/NAME.png, from real sources (see README.md):
#   tabler-*   @tabler/icons SVG (strokes, currentColor) and the same icon
#              from @tabler/icons-png (240 px) as the reference
#   twemoji-*  @twemoji/svg (viewBox only; circles, ellipses) and the same
#              emoji from emoji-datasource-twitter (64 px) as the reference
#   flag-*     svg-country-flags SVG (<use>, transforms, gradients, text)
#              and its png250px rendering as the reference
#   potrace-*  potrace's SVG (pt units, a flipping transform) of a real icon,
#              which is the reference
#   simple-*   simple-icons SVG (one path, viewBox only), rendered by
#              librsvg (rsvg-convert) at 96 px as the reference
#   handmade-* written for this test (committed in svg/, not made here):
#              circle, gradients, <use>, mm units, group opacity, dashes,
#              text, a wide viewBox on a square canvas; librsvg renders
#              their references
# Run from the repository root; needs npm, potrace, netpbm and librsvg2-bin
# (Debian packages). Then run gen.mjs and golden.py.
set -euo pipefail
here=host/resvg/testdata/agree
pk=.cache/resvg-fixtures
mkdir -p "$pk" "$here/svg" "$here/ref"
fetch() { # NAME@VERSION DIR: npm pack, unpacked into $pk/DIR
  [ -d "$pk/$2" ] && return
  local tgz
  tgz=$(cd "$pk" && npm pack --silent "$1" | tail -1)
  mkdir -p "$pk/$2"
  tar -xzf "$pk/$tgz" -C "$pk/$2"
}
fetch @tabler/icons@3.48.0 tabler-icons
fetch @tabler/icons-png@3.48.0 tabler-icons-png
fetch @twemoji/svg@15.0.0 twemoji-svg
fetch emoji-datasource-twitter@16.0.0 emoji-datasource-twitter
fetch svg-country-flags@1.2.10 svg-country-flags
fetch simple-icons@16.37.0 simple-icons

for n in home star bolt settings user mail camera brand-github; do
  cp "$pk/tabler-icons/package/icons/outline/$n.svg" "$here/svg/tabler-$n.svg"
  cp "$pk/tabler-icons-png/package/icons/outline/$n.png" "$here/ref/tabler-$n.png"
done
cp "$pk/tabler-icons/package/icons/filled/heart.svg" "$here/svg/tabler-heart-filled.svg"
cp "$pk/tabler-icons-png/package/icons/filled/heart.png" "$here/ref/tabler-heart-filled.png"

for n in 1f600 1f680 1f34e 2764 1f308 1f3e0 1f431 1f30d 1f4a1; do
  png=$n; [ "$n" = 2764 ] && png=2764-fe0f
  cp "$pk/twemoji-svg/package/$n.svg" "$here/svg/twemoji-$n.svg"
  cp "$pk/emoji-datasource-twitter/package/img/twitter/64/$png.png" "$here/ref/twemoji-$n.png"
done

for n in cn us au kr np ch gb vg gs; do
  cp "$pk/svg-country-flags/package/svg/$n.svg" "$here/svg/flag-$n.svg"
  cp "$pk/svg-country-flags/package/png250px/$n.png" "$here/ref/flag-$n.png"
done

# potrace NAME PNG OPTIONS...: trace PNG composited over white.
trace() {
  local name=$1 png=$2; shift 2
  cp "$png" "$here/ref/potrace-$name.png"
  pngtopnm -mix -background=white "$png" | ppmtopgm | potrace -s "$@" -o "$here/svg/potrace-$name.svg"
}
trace tabler-home "$pk/tabler-icons-png/package/icons/outline/home.png"
trace tabler-star "$pk/tabler-icons-png/package/icons/outline/star.png" --flat
trace tabler-settings "$pk/tabler-icons-png/package/icons/outline/settings.png" -a 0 -t 8
trace tabler-heart-filled "$pk/tabler-icons-png/package/icons/filled/heart.png" -r 96
trace tabler-camera "$pk/tabler-icons-png/package/icons/outline/camera.png" --group -O 1
trace flag-jp "$pk/svg-country-flags/package/png250px/jp.png" -k 0.8
trace flag-ch "$pk/svg-country-flags/package/png250px/ch.png" -k 0.8 -u 1
trace twemoji-1f600 "$pk/emoji-datasource-twitter/package/img/twitter/64/1f600.png" -k 0.6
for n in github gitlab go rust python; do
  cp "$pk/simple-icons/package/icons/$n.svg" "$here/svg/simple-$n.svg"
  rsvg-convert -w 96 -h 96 "$here/svg/simple-$n.svg" -o "$here/ref/simple-$n.png"
done

# librsvg renders the handmade SVGs at these sizes (the aspect of each
# SVG, except wide-in-square).
while read -r name size; do
  rsvg-convert -w "${size%x*}" -h "${size#*x}" "$here/svg/handmade-$name.svg" -o "$here/ref/handmade-$name.png"
done <<'SIZES'
circle 96x96
gradients 128x128
use-transforms 180x120
units-mm 150x100
strokes-opacity 128x128
text-and-shapes 160x64
wide-in-square 128x128
SIZES
echo "fixtures: $(ls "$here/svg" | wc -l) SVGs in $here/svg"
