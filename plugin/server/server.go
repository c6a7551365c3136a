// Package server serves a trained model directory (model/predictor) as a
// predict.QualityPredictor: what the svgai-plugin-quality binary runs. The
// model loads on the first Predict, not at start-up, so the plugin answers
// the handshake and Info at once and Health reports "starting" meanwhile.
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/shared/budget"
	"github.com/svgai/svgai/shared/imageio"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// Name and Version identify this implementation in Info.
const (
	Name    = "svgai-plugin-quality"
	Version = "1.0.0"
)

// Memory budget defaults (the plugin's --max-image-mib and --memory-mib).
const (
	// DefaultMaxImageBytes refuses an image whose decoding and prediction
	// would need more (imageio's Info.DecodeBytes plus
	// predictor.WorkingBytes, which caps at predictor.SimPixels because
	// larger images are shrunk first): 384 MiB, so whatever the host
	// admits (input.max_image_mib) decodes here too.
	DefaultMaxImageBytes = 384 << 20
	// DefaultMemoryBytes bounds the images the plugin works on at once by
	// the same estimate; a call that does not fit waits for its turn
	// within its deadline.
	DefaultMemoryBytes = 512 << 20
)

// Options configure a Server; the zero value selects the defaults.
type Options struct {
	MaxImageBytes int64 // 0: DefaultMaxImageBytes
	MemoryBytes   int64 // 0: DefaultMemoryBytes
	Log           hclog.Logger
}

// Server is a QualityPredictor over one model directory.
type Server struct {
	dir      string
	log      hclog.Logger
	maxImage int64
	memory   *budget.Pool

	once sync.Once
	done chan struct{} // closed when loading has finished, well or not
	p    *predictor.Predictor
	err  error
}

// New serves the model directory dir; nothing is loaded yet.
func New(dir string, opts Options) *Server {
	if opts.Log == nil {
		opts.Log = hclog.NewNullLogger()
	}
	if opts.MaxImageBytes <= 0 {
		opts.MaxImageBytes = DefaultMaxImageBytes
	}
	if opts.MemoryBytes <= 0 {
		opts.MemoryBytes = DefaultMemoryBytes
	}
	return &Server{dir: dir, log: opts.Log, maxImage: opts.MaxImageBytes, memory: budget.NewPool(opts.MemoryBytes), done: make(chan struct{})}
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
		return predict.Health{State: predict.StateServing,
			Message: fmt.Sprintf("model %s: its %d checkpoint and weights files match model.json's manifest", s.dir, len(s.p.Model.Meta.Files))}, nil
	default:
		return predict.Health{State: predict.StateStarting, Message: "loading model " + s.dir}, nil
	}
}

// Predict scores params for the image; features are cached per image hash.
// A new image is admitted by its header: refused (CodeTooLarge) when its
// decoding and prediction would need more than the per-image budget, and
// otherwise held until the images in flight leave room for it. When the
// caller gives up, the work stops (ctx crosses the gRPC boundary).
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
	} else {
		var release func()
		if release, decoded, err = s.decode(ctx, img.Data); err != nil {
			return nil, err
		}
		defer release()
	}
	preds, err := p.Predict(ctx, decoded, img.SHA256, params)
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, predict.Errorf(predict.CodeInvalidArgument, "%v", err)
	}
	return preds, nil
}

// decode admits an image by its header and decodes it as the host does
// (shared/imageio), stopping if ctx ends. release returns its memory.
func (s *Server) decode(ctx context.Context, data []byte) (release func(), img image.Image, err error) {
	info, _, err := imageio.ReadHeader(bytes.NewReader(data), imageio.Options{})
	if err != nil {
		return nil, nil, imageError(err)
	}
	need := int64(len(data)) + info.DecodeBytes() + predictor.WorkingBytes(info.Width, info.Height)
	if need > s.maxImage {
		return nil, nil, predict.Errorf(predict.CodeTooLarge, "a %d×%d image needs an estimated %s to decode, extract features and simulate, over the quality predictor's limit of %s per image (svgai-plugin-quality --max-image-mib)",
			info.Width, info.Height, budget.MiB(need), budget.MiB(s.maxImage))
	}
	if release, err = s.memory.Acquire(ctx, need); err != nil {
		return nil, nil, err // ctx's error, or more than the whole budget
	}
	if img, _, err = imageio.Decode(&ctxReader{ctx: ctx, r: bytes.NewReader(data)}, imageio.Options{}); err != nil {
		release()
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, imageError(err)
	}
	return release, img, nil
}

// imageError is a decoding error as the host sees it.
func imageError(err error) error {
	if errors.Is(err, imageio.ErrTooLarge) {
		return predict.Errorf(predict.CodeTooLarge, "image: %v", err)
	}
	return predict.Errorf(predict.CodeInvalidArgument, "image: %v", err)
}

// ctxReader stops a decoder when its context ends: a large image's decoding
// reads the compressed data a few kilobytes at a time.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
