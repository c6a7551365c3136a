package train

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestExampleConfig keeps training.toml honest: it must parse, and since
// it documents the defaults, it must equal Default().
func TestExampleConfig(t *testing.T) {
	cfg, err := LoadConfig("training.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, Default()) {
		t.Errorf("training.toml differs from Default():\n got %+v\nwant %+v", cfg, Default())
	}
}

func TestParseConfig(t *testing.T) {
	cases := []struct {
		name  string
		doc   string
		want  string // error substring; "" = valid
		check func(Config) bool
	}{
		{"empty is default", "", "", func(c Config) bool { return reflect.DeepEqual(c, Default()) }},
		{"override", "seed = 9\n[model]\nhidden = [8, 4]\nactivation = \"tanh\"\n", "",
			func(c Config) bool {
				return c.Seed == 9 && reflect.DeepEqual(c.Model.Hidden, []int{8, 4}) && c.Model.Activation == "tanh"
			}},
		{"no hidden layers", "[model]\nhidden = []\n", "", func(c Config) bool { return len(c.Model.Hidden) == 0 }},
		{"unknown top-level key", "sed = 1\n", "unknown keys: sed", nil},
		{"unknown nested key", "[optimizer]\nlearning_rat = 0.1\n", "unknown keys: optimizer.learning_rat", nil},
		{"unknown table", "[optimiser]\nname = \"adam\"\n", "unknown keys: optimiser", nil},
		{"bad syntax", "seed = \n", "training config", nil},
		{"wrong type", "epochs = \"ten\"\n", "training config", nil},
		{"bad activation", "[model]\nactivation = \"swish\"\n", "swish", nil},
		{"bad optimizer", "[optimizer]\nname = \"sgd\"\n", "optimizer.name", nil},
		{"bad lr", "[optimizer]\nlearning_rate = 0\n", "learning_rate", nil},
		{"bad schedule", "[schedule]\nname = \"linear\"\n", "schedule.name", nil},
		{"bad loss", "[loss]\nname = \"l3\"\n", "loss.name", nil},
		{"bad dropout", "[model]\ndropout = 1.0\n", "dropout", nil},
		{"bad batching", "batching = \"images\"\n", "batching", nil},
		{"negative patience", "[early_stopping]\npatience = -1\n", "early_stopping.patience", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte(tc.doc))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if tc.check != nil && !tc.check(cfg) {
					t.Errorf("parsed %+v", cfg)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if _, err := LoadConfig("testdata/does-not-exist.toml"); err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("missing file: %v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err
		}
		err = u.Unwrap()
	}
}

// FuzzParseConfig: any document gives a valid config or an error, never a
// panic, and an accepted config passes Validate.
func FuzzParseConfig(f *testing.F) {
	if b, err := os.ReadFile("training.toml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("seed = 3\n[model]\nhidden = []\n"))
	f.Add([]byte("[loss]\nname = \"mae\"\nranking_weight = 0.5\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg, err := ParseConfig(b)
		if err == nil {
			if verr := cfg.Validate(); verr != nil {
				t.Fatalf("accepted an invalid config: %v", verr)
			}
		}
	})
}
