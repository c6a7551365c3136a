// Package reliability holds the end-to-end half of svgai's reliability
// suite (make reliability; scripts/reliability.list names the rest): tests
// that run the real binaries the way bad luck and attackers do and measure
// what happens. SIGKILL at random moments of `svgai-tools train` over an
// existing model directory; decompression bombs and floods of large
// uploads against `svgai serve` and its plugin, with both processes' peak
// RSS; clients that send their bodies at one byte a second; a hostile
// checkpoint in a model directory; `svgai doctor` against untrusted
// configurations. Each test logs what it measured as "FIGURE | what |
// value" lines, which make reliability collects into a table. The package
// has no code of its own: nothing imports it.
package reliability
