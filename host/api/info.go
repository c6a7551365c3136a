package api

import (
	"context"
	_ "embed"
	"image"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// OpenAPI is the API's OpenAPI 3.0 document, served at /v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

// healthTimeout bounds /v1/health's test conversion.
const healthTimeout = 5 * time.Second

// healthResponse is /v1/health's body.
type healthResponse struct {
	Status string       `json:"status"` // "ok" when conversions work, else "unavailable"
	Tracer tracerHealth `json:"tracer"`
	Plugin pluginHealth `json:"plugin"`
}

type tracerHealth struct {
	OK      bool   `json:"ok"`
	Version string `json:"version"`
	Error   string `json:"error,omitempty"`
}

type pluginHealth struct {
	Enabled  bool   `json:"enabled"` // features.prediction
	State    string `json:"state"`   // serving, starting, not_serving, unknown
	Reason   string `json:"reason,omitempty"`
	Message  string `json:"message,omitempty"`
	Restarts int    `json:"restarts"`
}

// handleHealth converts a tiny image to prove the tracer works and asks the
// plugin supervisor how it is. It answers 503 only when conversion fails: a
// missing plugin degrades prediction, not the service.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	resp := healthResponse{Status: "ok", Tracer: tracerHealth{OK: true, Version: s.eng.Conv.Tracer.Version()}}
	img := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	if _, err := s.eng.Conv.Tracer.Trace(ctx, img, vtracer.Default()); err != nil {
		resp.Status, resp.Tracer.OK, resp.Tracer.Error = "unavailable", false, err.Error()
	}
	st := s.eng.Plugin.Status()
	resp.Plugin = pluginHealth{Enabled: s.eng.Features.Prediction, Reason: string(st.Reason), Restarts: st.Restarts}
	if h, err := s.eng.Plugin.Health(ctx); err != nil {
		resp.Plugin.State, resp.Plugin.Message = predict.StateUnknown.String(), err.Error()
	} else {
		resp.Plugin.State, resp.Plugin.Message = strings.ReplaceAll(h.State.String(), " ", "_"), h.Message
	}
	status := http.StatusOK
	if !resp.Tracer.OK {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, resp)
}

// versionResponse is /v1/version's body.
type versionResponse struct {
	Version   string        `json:"version"`
	API       string        `json:"api"`
	Tracer    string        `json:"tracer"`
	GoVersion string        `json:"go_version"`
	Plugin    *predict.Info `json:"plugin,omitempty"` // the running plugin, if any
}

func (s *Server) handleVersion(w http.ResponseWriter, r *http.Request) {
	resp := versionResponse{Version: s.opts.Version, API: "v1", Tracer: s.eng.Conv.Tracer.Version(), GoVersion: runtime.Version()}
	if st := s.eng.Plugin.Status(); st.Info.Name != "" {
		resp.Plugin = &st.Info
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(OpenAPI)
}
