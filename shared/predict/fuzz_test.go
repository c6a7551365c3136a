package predict_test

import (
	"context"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/predict/predictpb"
	"github.com/svgai/svgai/shared/predict/predicttest"
	"github.com/svgai/svgai/shared/vtracer"
)

// FuzzServePredict feeds arbitrary wire bytes to the plugin side of Predict:
// whatever arrives, the server answers with one prediction per parameter set
// or a coded error, and never panics.
func FuzzServePredict(f *testing.F) {
	img := predict.NewImage([]byte("seed image"))
	for _, params := range [][]vtracer.Params{nil, {vtracer.Default()}, vtracer.LatinHypercube(3, 1)} {
		req := &predictpb.PredictRequest{Image: &predictpb.Image{Sha256: img.SHA256, Data: img.Data}}
		for _, p := range params {
			w := p // a copy with one field out of range as well
			w.PathPrecision = -1
			req.Params = append(req.Params, wire(p), wire(w))
		}
		b, err := proto.Marshal(req)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	srv := &predict.GRPCServer{Impl: predicttest.NewFormula(), Version: predict.ProtocolVersion}
	f.Fuzz(func(t *testing.T, b []byte) {
		var req predictpb.PredictRequest
		if proto.Unmarshal(b, &req) != nil {
			return
		}
		resp, err := srv.Predict(context.Background(), &req)
		if err != nil {
			return // a status error; its code is checked in grpc_test.go
		}
		if len(resp.GetPredictions()) != len(req.GetParams()) {
			t.Fatalf("%d predictions for %d params", len(resp.GetPredictions()), len(req.GetParams()))
		}
	})
}

// wire builds the protobuf form of p the way a non-Go client would.
func wire(p vtracer.Params) *predictpb.Params {
	return &predictpb.Params{
		Colormode: string(p.ColorMode), Hierarchical: string(p.Hierarchical), Mode: string(p.Mode),
		FilterSpeckle: int32(p.FilterSpeckle), ColorPrecision: int32(p.ColorPrecision), LayerDifference: int32(p.LayerDifference),
		CornerThreshold: int32(p.CornerThreshold), LengthThreshold: p.LengthThreshold, MaxIterations: int32(p.MaxIterations),
		SpliceThreshold: int32(p.SpliceThreshold), PathPrecision: int32(p.PathPrecision),
	}
}
