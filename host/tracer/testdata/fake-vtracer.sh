#!/bin/sh
# fake-vtracer stands in for the official vtracer program (visioncortex
# cmdapp) in the CLI backend's tests, so that they run without it. It takes
# upstream's flags (--flag value), refuses anything else as upstream's clap
# parser would, and writes to --output an SVG that records its arguments.
# FAKE_VTRACER selects a failure: "panic" prints a Rust panic to stderr and
# exits 101 as upstream does, "hang" never finishes, "nooutput" exits 0
# without writing the SVG.
if [ "${1:-}" = "--version" ]; then
	echo "visioncortex VTracer 0.6.4"
	exit 0
fi
args="$*"
in="" out=""
while [ $# -gt 0 ]; do
	case "$1" in
	--input) in="$2" ;;
	--output) out="$2" ;;
	--colormode | --hierarchical | --mode | --filter_speckle | --color_precision | --gradient_step | \
		--corner_threshold | --segment_length | --splice_threshold | --path_precision | --preset) ;;
	*)
		echo "error: Found argument '$1' which wasn't expected" >&2
		exit 2
		;;
	esac
	[ $# -ge 2 ] || { echo "error: $1 needs a value" >&2; exit 2; }
	shift 2
done
[ -s "$in" ] || { echo "error: no input file '$in'" >&2; exit 2; }
case "${FAKE_VTRACER:-}" in
panic)
	echo "thread 'main' panicked at 'Conversion failed with error message: fake failure', src/main.rs:198:13" >&2
	exit 101
	;;
hang) exec sleep 60 ;;
nooutput) exit 0 ;;
esac
printf '<svg xmlns="http://www.w3.org/2000/svg"><!-- %s --></svg>\n' "$args" >"$out"
echo "Conversion successful."
