package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCompletionScriptsParse generates each script and has its shell check
// the syntax; the bash script is also run for a few command lines.
func TestCompletionScriptsParse(t *testing.T) {
	t.Parallel()
	for _, sh := range []struct{ name, check string }{
		{"bash", "bash -n"}, {"zsh", "zsh -n"}, {"fish", "fish --no-execute"},
	} {
		t.Run(sh.name, func(t *testing.T) {
			code, script, errs := runApp(t, "completion", sh.name)
			if code != 0 || !strings.Contains(script, "echo") || !strings.Contains(script, "upper") {
				t.Fatalf("exit %d, stderr %s, script:\n%s", code, errs, script)
			}
			args := strings.Fields(sh.check)
			if _, err := exec.LookPath(args[0]); err != nil {
				t.Fatalf("%s is not installed (make test installs it: .ci/apt-packages)", args[0])
			}
			path := filepath.Join(t.TempDir(), "prog."+sh.name)
			if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(args[0], append(args[1:], path)...).CombinedOutput(); err != nil {
				t.Errorf("%s %s: %v\n%s\n%s", sh.check, path, err, out, script)
			}
		})
	}
}

func TestBashCompletes(t *testing.T) {
	t.Parallel()
	_, script, _ := runApp(t, "completion", "bash")
	path := filepath.Join(t.TempDir(), "prog.bash")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		line string // words; the last is being completed
		want string // space-separated replies
	}{
		{"prog ec", "echo"},
		{"prog -v ec", "echo"},
		{"prog echo --up", "--upper"},
		{"prog echo -", "--log-level --out --upper --vv -o -q -v"},
		{"prog help le", "level"},
		{"prog completion z", "zsh"},
		{"prog echo --out ", ""},
	} {
		words := strings.Split(tt.line, " ")
		prog := `source "$1"; COMP_WORDS=(` + quoteWords(words) + `); COMP_CWORD=` + strconv.Itoa(len(words)-1) +
			`; _prog; echo "${COMPREPLY[*]}"`
		out, err := exec.Command("bash", "-c", prog, "bash", path).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != tt.want {
			t.Errorf("%q: replies %q (%v), want %q", tt.line, strings.TrimSpace(string(out)), err, tt.want)
		}
	}
}

func quoteWords(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = "'" + w + "'"
	}
	return strings.Join(q, " ")
}
