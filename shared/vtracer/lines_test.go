package vtracer

import (
	"strings"
	"testing"
)

func TestReadJSONLines(t *testing.T) {
	got, err := ReadJSONLines(strings.NewReader("{}\n\n{\"color_precision\":8}\n"), Default())
	if err != nil || len(got) != 2 || got[0] != Default() || got[1].ColorPrecision != 8 {
		t.Fatalf("got %+v, %v", got, err)
	}
	for _, bad := range []string{"", "\n \n", "{}\n{\"filter_speckle\":99}\n", "{\"nope\":1}", "[1]"} {
		_, err := ReadJSONLines(strings.NewReader(bad), Default())
		if err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	_, err = ReadJSONLines(strings.NewReader("{}\n{\"filter_speckle\":99}\n"), Default())
	if !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "filter_speckle") {
		t.Errorf("error %q does not name the line and parameter", err)
	}
}
