// Package server serves a trained model directory (model/predictor) as a
// predict.QualityPredictor: what the svgai-plugin-quality binary runs. The
// model loads on the first Predict, not at start-up, so the plugin answers
// the handshake and Info at once and Health reports "starting" meanwhile.
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"sync"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/shared/imageio"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// Name and Version identify this implementation in Info.
const (
	Name    = "svgai-plugin-quality"
	Version = "1.0.0"
)

// Server is a QualityPredictor over one model directory.
type Server struct {
	dir string
	log hclog.Logger

	once sync.Once
	done chan struct{} // closed when loading has finished, well or not
	p    *predictor.Predictor
	err  error
}

// New serves the model directory dir; nothing is loaded yet.
func New(dir string, log hclog.Logger) *Server {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	return &Server{dir: dir, log: log, done: make(chan struct{})}
}

// load loads the model once, in the background of the first caller.
func (s *Server) load() {
	s.once.Do(func() {
		go func() {
			defer close(s.done)
			m, err := predictor.LoadModel(s.dir)
			if err == nil {
				s.p, err = predictor.NewPredictor(context.Background(), m)
			}
			if err != nil {
				s.err = err
				s.log.Error("model failed to load", "dir", s.dir, "error", err)
				return
			}
			s.log.Info("model loaded", "dir", s.dir, "extractor", m.Meta.ExtractorID, "random_weights", m.Meta.RandomWeights)
		}()
	})
}

// ready waits for the model, within ctx.
func (s *Server) ready(ctx context.Context) (*predictor.Predictor, error) {
	s.load()
	select {
	case <-s.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if s.err != nil {
		return nil, predict.Errorf(predict.CodeUnavailable, "model %s: %v", s.dir, s.err)
	}
	return s.p, nil
}

// Info reads model.json only; it never waits for the model. Without a
// readable model.json the model fields stay empty: Health then says why.
func (s *Server) Info(context.Context) (predict.Info, error) {
	info := predict.Info{Name: Name, Version: Version, ProtocolVersion: predict.ProtocolVersion}
	data, err := os.ReadFile(filepath.Join(s.dir, "model.json"))
	if err != nil {
		return info, nil
	}
	var meta predictor.Meta
	if err := json.Unmarshal(data, &meta); err != nil {
		return info, nil
	}
	// The model itself is trained; features from randomly initialised
	// ResNet weights are named in the id instead (Untrained means the
	// predictions carry no learnt information at all).
	info.ModelID = meta.DatasetFingerprint[:min(16, len(meta.DatasetFingerprint))] + "/" + meta.ExtractorID
	if meta.RandomWeights {
		info.ModelID += "/random-resnet50"
	}
	info.FeatureExtractorID = meta.ExtractorID
	info.ErrorCorrelation, info.BytesErrorCorrelation = meta.Uncertainty.ErrorCorrelation, meta.Size.ErrorCorrelation
	return info, nil
}

// Health is cheap: it reports the load's state and starts it if needed.
func (s *Server) Health(context.Context) (predict.Health, error) {
	s.load()
	select {
	case <-s.done:
		if s.err != nil {
			return predict.Health{State: predict.StateNotServing, Message: s.err.Error()}, nil
		}
		return predict.Health{State: predict.StateServing}, nil
	default:
		return predict.Health{State: predict.StateStarting, Message: "loading model " + s.dir}, nil
	}
}

// Predict scores params for the image; features are cached per image hash.
func (s *Server) Predict(ctx context.Context, img predict.Image, params []vtracer.Params) ([]predict.Prediction, error) {
	p, err := s.ready(ctx)
	if err != nil {
		return nil, err
	}
	var decoded image.Image
	if len(img.Data) == 0 {
		if !p.Cached(img.SHA256) {
			return nil, predict.Errorf(predict.CodeNotFound, "image %s is not cached: send its data", img.SHA256)
		}
	} else if decoded, err = decode(img.Data); err != nil {
		return nil, predict.Errorf(predict.CodeInvalidArgument, "image: %v", err)
	}
	preds, err := p.Predict(ctx, decoded, img.SHA256, params)
	if err != nil {
		return nil, predict.Errorf(predict.CodeInvalidArgument, "%v", err)
	}
	return preds, nil
}

// decode reads a PNG or JPEG as the host does (shared/imageio), refusing
// images over its pixel limit before decoding their pixels.
func decode(data []byte) (image.Image, error) {
	img, _, err := imageio.Decode(bytes.NewReader(data), imageio.Options{})
	return img, err
}
