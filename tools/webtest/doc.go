// Package webtest runs svgai's web page (host/web) in a real browser:
// headless Chromium (Debian's chromium) driven by playwright-core from
// npm (testdata/package-lock.json pins it; make test's set-up installs
// both) against a real `svgai serve` with the real plugin and a small
// model trained in the test on real conversions. The package has no code
// of its own: nothing imports it.
package webtest
