package settings

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, toml, wantErr string
	}{
		{"empty is default", "", ""},
		{"override", "[collect]\nsamples_per_image = 8\nworkers = 2\n[split]\ntrain = 0.8\nval = 0.1\ntest = 0.1\n", ""},
		{"unknown key", "[collect]\nsample_per_image = 8\n", "unknown key(s): collect.sample_per_image"},
		{"unknown section", "[colect]\nworkers = 1\n", "unknown key(s): colect"},
		{"bad preset", "[collect]\npresets = [\"vivid\"]\n", "collect.presets"},
		{"ratios", "[split]\ntrain = 0.9\n", "add up to"},
		{"folds", "[split]\nfolds = 1\n", "folds = 1"},
		{"batch", "[batch]\nsize = 0\n", "batch.size"},
		{"wrong type", "[collect]\nworkers = \"two\"\n", "workers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.toml), "tools.toml")
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

// TestExampleIsDefault keeps the documented tools.toml at the repository
// root in step with Default.
func TestExampleIsDefault(t *testing.T) {
	c, err := Load(filepath.Join("..", "..", "tools.toml"), false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, Default()) {
		t.Errorf("tools.toml = %+v\nDefault()  = %+v", c, Default())
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.toml"), true); err != nil {
		t.Errorf("optional missing file: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.toml"), false); !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("required missing file: %v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}
