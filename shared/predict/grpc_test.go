package predict_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/predict/predicttest"
	"github.com/svgai/svgai/shared/vtracer"
)

func TestPredictRoundTrip(t *testing.T) {
	srv := predicttest.NewServer(t, predicttest.NewFormula())
	ctx := context.Background()
	img := predict.NewImage([]byte("not really a png, the formula does not care"))
	params := vtracer.LatinHypercube(64, 1)

	got, err := srv.Client.Predict(ctx, img, params)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(params) {
		t.Fatalf("got %d predictions for %d params", len(got), len(params))
	}
	for i, p := range params {
		if want := predicttest.Expected(img.SHA256, p); got[i] != want {
			t.Errorf("params[%d]: got %+v, want %+v", i, got[i], want)
		}
	}

	// The image is cached now: the hash alone is enough.
	again, err := srv.Client.Predict(ctx, predict.Image{SHA256: img.SHA256}, params[:3])
	if err != nil {
		t.Fatalf("hash-only request for a cached image: %v", err)
	}
	if again[2] != got[2] {
		t.Errorf("hash-only request: got %+v, want %+v", again[2], got[2])
	}

	info, err := srv.Client.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.ProtocolVersion != predict.ProtocolVersion || !info.Untrained || info.Name != "svgai-testplugin" {
		t.Errorf("info = %+v", info)
	}
	h, err := srv.Client.Health(ctx)
	if err != nil || h.State != predict.StateServing {
		t.Errorf("health = %+v, %v", h, err)
	}
}

func TestPredictRequestErrors(t *testing.T) {
	srv := predicttest.NewServer(t, predicttest.NewFormula())
	img := predict.NewImage([]byte("image"))
	bad := vtracer.Default()
	bad.FilterSpeckle = 99
	tests := []struct {
		name   string
		img    predict.Image
		params []vtracer.Params
		code   predict.Code
		msg    string
	}{
		{"param out of range", img, []vtracer.Params{vtracer.Default(), bad}, predict.CodeInvalidArgument, "params[1]: vtracer: parameter filter_speckle = 99"},
		{"bad hash", predict.Image{SHA256: "xyz", Data: img.Data}, nil, predict.CodeInvalidArgument, "image.sha256"},
		{"hash does not match data", predict.Image{SHA256: strings.Repeat("0", 64), Data: img.Data}, nil, predict.CodeInvalidArgument, "does not match the image data"},
		{"unknown image by hash", predict.Image{SHA256: strings.Repeat("a", 64)}, []vtracer.Params{vtracer.Default()}, predict.CodeNotFound, "not cached"},
		{"too many params", img, make([]vtracer.Params, predict.MaxParams+1), predict.CodeInvalidArgument, "at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := srv.Client.Predict(context.Background(), tt.img, tt.params)
			if code := predict.ErrorCode(err); code != tt.code {
				t.Fatalf("code %v, want %v (err %v)", code, tt.code, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not mention %q", err, tt.msg)
			}
		})
	}
}

// stub is a QualityPredictor whose Predict does what the test says.
type stub struct {
	predicttest.Formula
	predict func(ctx context.Context, n int) ([]predict.Prediction, error)
}

func (s *stub) Predict(ctx context.Context, _ predict.Image, params []vtracer.Params) ([]predict.Prediction, error) {
	return s.predict(ctx, len(params))
}

func TestErrorsKeepTheirCode(t *testing.T) {
	tests := []struct {
		name string
		fn   func(ctx context.Context, n int) ([]predict.Prediction, error)
		code predict.Code
	}{
		{"unavailable", func(context.Context, int) ([]predict.Prediction, error) {
			return nil, predict.Errorf(predict.CodeUnavailable, "model not loaded")
		}, predict.CodeUnavailable},
		{"too large", func(context.Context, int) ([]predict.Prediction, error) {
			return nil, predict.Errorf(predict.CodeTooLarge, "image over the budget")
		}, predict.CodeTooLarge},
		{"plain error is internal", func(context.Context, int) ([]predict.Prediction, error) {
			return nil, errors.New("boom")
		}, predict.CodeInternal},
		{"wrong count", func(_ context.Context, n int) ([]predict.Prediction, error) {
			return make([]predict.Prediction, n+1), nil
		}, predict.CodeInternal},
		{"NaN ssim", func(_ context.Context, n int) ([]predict.Prediction, error) {
			p := make([]predict.Prediction, n)
			p[0].SSIM = math.NaN()
			return p, nil
		}, predict.CodeInternal},
		{"negative uncertainty", func(_ context.Context, n int) ([]predict.Prediction, error) {
			p := make([]predict.Prediction, n)
			p[0].Uncertainty = -1
			return p, nil
		}, predict.CodeInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := predicttest.NewServer(t, &stub{predict: tt.fn})
			_, err := srv.Client.Predict(context.Background(), predict.NewImage([]byte{1}), []vtracer.Params{vtracer.Default()})
			if code := predict.ErrorCode(err); code != tt.code {
				t.Fatalf("code %v, want %v (err %v)", code, tt.code, err)
			}
		})
	}
}

func TestDeadlineCrossesTheBoundary(t *testing.T) {
	type seen struct {
		deadline time.Time
		ok       bool
		err      error
	}
	ch := make(chan seen, 1)
	srv := predicttest.NewServer(t, &stub{predict: func(ctx context.Context, _ int) ([]predict.Prediction, error) {
		d, ok := ctx.Deadline()
		<-ctx.Done() // returns only if cancellation crosses too
		ch <- seen{d, ok, ctx.Err()}
		return nil, ctx.Err()
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	want, _ := ctx.Deadline()
	start := time.Now()
	_, err := srv.Client.Predict(ctx, predict.NewImage([]byte{1}), []vtracer.Params{vtracer.Default()})
	if !errors.Is(err, context.DeadlineExceeded) || predict.ErrorCode(err) != predict.CodeDeadlineExceeded {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("call took %v after a 200ms deadline", el)
	}
	select {
	case s := <-ch:
		if !s.ok || s.deadline.Sub(want).Abs() > 100*time.Millisecond {
			t.Errorf("server saw deadline %v (set %v), caller's %v", s.deadline, s.ok, want)
		}
		if s.err == nil {
			t.Error("server context not cancelled")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("server never saw its context end")
	}
}

func TestProbAtLeast(t *testing.T) {
	tests := []struct {
		p      predict.Prediction
		target float64
		want   float64
	}{
		{predict.Prediction{SSIM: 0.95, Uncertainty: 0.02}, 0.95, 0.5},
		{predict.Prediction{SSIM: 0.97, Uncertainty: 0.02}, 0.95, 0.8413447460685429}, // Φ(1)
		{predict.Prediction{SSIM: 0.93, Uncertainty: 0.02}, 0.95, 0.15865525393145707},
		{predict.Prediction{SSIM: 0.96, Uncertainty: 0}, 0.95, 1},
		{predict.Prediction{SSIM: 0.94, Uncertainty: 0}, 0.95, 0},
		{predict.Prediction{SSIM: 0.94, Uncertainty: math.NaN()}, 0.95, 0},
		// Student-t tails; values from scipy.stats.t.cdf.
		{predict.Prediction{SSIM: 0.97, Uncertainty: 0.02, TailDF: 3}, 0.95, 0.8044988905221148},    // t.cdf(1, 3)
		{predict.Prediction{SSIM: 0.91, Uncertainty: 0.02, TailDF: 1.5}, 0.95, 0.11209416517802552}, // t.cdf(-2, 1.5)
	}
	for _, tt := range tests {
		if got := tt.p.ProbAtLeast(tt.target); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%+v.ProbAtLeast(%v) = %v, want %v", tt.p, tt.target, got, tt.want)
		}
	}
	// Quantile inverts it; values from scipy.stats.t.ppf and norm.ppf.
	q := []struct {
		p    predict.Prediction
		q    float64
		want float64
	}{
		{predict.Prediction{SSIM: 0.9, Uncertainty: 0.01, TailDF: 4}, 0.9, 0.9 + 0.01*1.533206273713144},
		{predict.Prediction{SSIM: 0.9, Uncertainty: 0.01}, 0.2, 0.9 - 0.01*0.8416212335729142},
		{predict.Prediction{SSIM: 0.9}, 0.2, 0.9},
	}
	for _, tt := range q {
		if got := tt.p.Quantile(tt.q); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%+v.Quantile(%v) = %v, want %v", tt.p, tt.q, got, tt.want)
		}
	}
}

func TestErrorCode(t *testing.T) {
	wrapped := errors.Join(errors.New("x"), predict.Errorf(predict.CodeNotFound, "y"))
	tests := []struct {
		err  error
		want predict.Code
	}{
		{nil, predict.CodeUnknown},
		{errors.New("plain"), predict.CodeUnknown},
		{context.Canceled, predict.CodeCanceled},
		{context.DeadlineExceeded, predict.CodeDeadlineExceeded},
		{wrapped, predict.CodeNotFound},
	}
	for _, tt := range tests {
		if got := predict.ErrorCode(tt.err); got != tt.want {
			t.Errorf("ErrorCode(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
