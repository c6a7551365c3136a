package supervisor

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
)

func TestInvalidSettingsRefuse(t *testing.T) {
	s := testSettings()
	s.MaxRestarts = -1
	p := New(s, Options{})
	if err := p.WaitReady(t.Context()); FallbackReason(err) != ReasonConfig {
		t.Errorf("invalid settings: %v", err)
	}
	p.Close()
}

func TestBackoffDelay(t *testing.T) {
	b := backoff{Initial: 250 * time.Millisecond, Max: 30 * time.Second}
	want := []time.Duration{250e6, 500e6, 1e9, 2e9, 4e9, 8e9, 16e9, 30e9, 30e9}
	for i, w := range want {
		if got := b.Delay(i + 1); got != w {
			t.Errorf("Delay(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := b.Delay(1000); got != 30*time.Second {
		t.Errorf("Delay(1000) = %v", got)
	}
}

func TestFallbackLogOncePerReason(t *testing.T) {
	var buf syncBuffer
	f := FallbackLog{Logger: hclog.New(&hclog.LoggerOptions{Output: &buf, Level: hclog.Info})}
	missing := unavailable(ReasonMissing, errors.New("no plugin"))
	for range 3 {
		f.Log(missing)
	}
	f.Log(unavailable(ReasonTimeout, errors.New("slow")))
	out := buf.String()
	if strings.Count(out, "reason=missing") != 1 || strings.Count(out, "reason=timeout") != 1 {
		t.Errorf("want one warning per reason, got:\n%s", out)
	}
	var zero FallbackLog
	zero.Log(missing) // no logger: nothing, no panic
}

func TestDisabled(t *testing.T) {
	p := Disabled()
	_, err := p.Predict(t.Context(), readIcon(t), nil)
	if FallbackReason(err) != ReasonDisabled {
		t.Errorf("err = %v", err)
	}
	if err := p.Close(); err != nil {
		t.Error(err)
	}
}
