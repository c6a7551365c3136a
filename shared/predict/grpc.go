package predict

import (
	"context"

	"github.com/svgai/svgai/shared/predict/predictpb"
	"github.com/svgai/svgai/shared/vtracer"
)

// GRPCClient is a QualityPredictor that calls a plugin over gRPC. The host
// gets one by dispensing PluginName from a go-plugin client.
type GRPCClient struct {
	client predictpb.QualityPredictorClient
	exited <-chan struct{}
}

// NewGRPCClient returns a client over c. exited, when not nil, is closed when
// the plugin process has gone (go-plugin cancels the context it hands to
// GRPCPlugin.GRPCClient when the process exits or is killed).
func NewGRPCClient(c predictpb.QualityPredictorClient, exited <-chan struct{}) *GRPCClient {
	return &GRPCClient{client: c, exited: exited}
}

// Exited returns a channel closed when the plugin process has exited, or nil
// when the client was not made by go-plugin.
func (c *GRPCClient) Exited() <-chan struct{} { return c.exited }

// Info implements QualityPredictor.
func (c *GRPCClient) Info(ctx context.Context) (Info, error) {
	r, err := c.client.Info(ctx, &predictpb.InfoRequest{})
	if err != nil {
		return Info{}, fromStatus(ctx, "Info RPC", err)
	}
	return Info{
		Name:                  r.GetName(),
		Version:               r.GetVersion(),
		ModelID:               r.GetModelId(),
		FeatureExtractorID:    r.GetFeatureExtractorId(),
		ProtocolVersion:       int(r.GetProtocolVersion()),
		Untrained:             r.GetUntrained(),
		ErrorCorrelation:      r.GetErrorCorrelation(),
		BytesErrorCorrelation: r.GetBytesErrorCorrelation(),
	}, nil
}

// Predict implements QualityPredictor. The reply is checked: one finite
// prediction per parameter set, or a CodeInternal error.
func (c *GRPCClient) Predict(ctx context.Context, img Image, params []vtracer.Params) ([]Prediction, error) {
	req := &predictpb.PredictRequest{
		Image:  &predictpb.Image{Sha256: img.SHA256, Data: img.Data},
		Params: make([]*predictpb.Params, len(params)),
	}
	for i, p := range params {
		req.Params[i] = paramsToWire(p)
	}
	r, err := c.client.Predict(ctx, req)
	if err != nil {
		return nil, fromStatus(ctx, "Predict RPC", err)
	}
	preds := make([]Prediction, len(r.GetPredictions()))
	for i, p := range r.GetPredictions() {
		preds[i] = Prediction{SSIM: p.GetSsim(), Uncertainty: p.GetUncertainty(), TailDF: p.GetTailDf(),
			SVGBytes: p.GetSvgBytes(), SVGBytesLogSigma: p.GetSvgBytesLogSigma(), Paths: p.GetPaths()}
	}
	if err := checkPredictions(preds, len(params)); err != nil {
		return nil, err
	}
	return preds, nil
}

// Health implements QualityPredictor.
func (c *GRPCClient) Health(ctx context.Context) (Health, error) {
	r, err := c.client.Health(ctx, &predictpb.HealthRequest{})
	if err != nil {
		return Health{}, fromStatus(ctx, "Health RPC", err)
	}
	h := Health{Message: r.GetMessage()}
	switch r.GetState() {
	case predictpb.HealthResponse_SERVING:
		h.State = StateServing
	case predictpb.HealthResponse_STARTING:
		h.State = StateStarting
	case predictpb.HealthResponse_NOT_SERVING:
		h.State = StateNotServing
	}
	return h, nil
}

// GRPCServer serves a QualityPredictor over gRPC. It validates every request
// (ValidateRequest) before the implementation sees it and passes the
// caller's context, deadline included, through.
type GRPCServer struct {
	predictpb.UnimplementedQualityPredictorServer
	Impl QualityPredictor
	// Version is the protocol version this server was negotiated for; it
	// fills Info.ProtocolVersion when the implementation leaves it zero.
	Version int
}

// Info implements predictpb.QualityPredictorServer.
func (s *GRPCServer) Info(ctx context.Context, _ *predictpb.InfoRequest) (*predictpb.InfoResponse, error) {
	info, err := s.Impl.Info(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	if info.ProtocolVersion == 0 {
		info.ProtocolVersion = s.Version
	}
	return &predictpb.InfoResponse{
		Name:                  info.Name,
		Version:               info.Version,
		ModelId:               info.ModelID,
		FeatureExtractorId:    info.FeatureExtractorID,
		ProtocolVersion:       uint32(max(info.ProtocolVersion, 0)),
		Untrained:             info.Untrained,
		ErrorCorrelation:      info.ErrorCorrelation,
		BytesErrorCorrelation: info.BytesErrorCorrelation,
	}, nil
}

// Predict implements predictpb.QualityPredictorServer.
func (s *GRPCServer) Predict(ctx context.Context, req *predictpb.PredictRequest) (*predictpb.PredictResponse, error) {
	img := Image{SHA256: req.GetImage().GetSha256(), Data: req.GetImage().GetData()}
	params := make([]vtracer.Params, len(req.GetParams()))
	for i, p := range req.GetParams() {
		params[i] = paramsFromWire(p)
	}
	if err := ValidateRequest(img, params); err != nil {
		return nil, toStatus(err)
	}
	preds, err := s.Impl.Predict(ctx, img, params)
	if err == nil {
		err = checkPredictions(preds, len(params))
	}
	if err != nil {
		return nil, toStatus(err)
	}
	r := &predictpb.PredictResponse{Predictions: make([]*predictpb.Prediction, len(preds))}
	for i, p := range preds {
		r.Predictions[i] = &predictpb.Prediction{Ssim: p.SSIM, Uncertainty: p.Uncertainty, TailDf: p.TailDF,
			SvgBytes: p.SVGBytes, SvgBytesLogSigma: p.SVGBytesLogSigma, Paths: p.Paths}
	}
	return r, nil
}

// Health implements predictpb.QualityPredictorServer.
func (s *GRPCServer) Health(ctx context.Context, _ *predictpb.HealthRequest) (*predictpb.HealthResponse, error) {
	h, err := s.Impl.Health(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	r := &predictpb.HealthResponse{Message: h.Message}
	switch h.State {
	case StateServing:
		r.State = predictpb.HealthResponse_SERVING
	case StateStarting:
		r.State = predictpb.HealthResponse_STARTING
	case StateNotServing:
		r.State = predictpb.HealthResponse_NOT_SERVING
	}
	return r, nil
}
