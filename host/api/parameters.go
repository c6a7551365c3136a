package api

import (
	"net/http"

	"github.com/svgai/svgai/shared/vtracer"
)

// parametersResponse is /v1/parameters' body: what a client needs to
// build controls for VTracer's parameters without a copy of their tables.
type parametersResponse struct {
	Parameters []vtracer.Spec `json:"parameters"`
	Defaults   vtracer.Params `json:"defaults"`
	Presets    []presetJSON   `json:"presets"`
	Candidates int            `json:"candidates"` // parameter sets /v1/frontier scores
}

// presetJSON is one preset with all eleven parameters.
type presetJSON struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Params      vtracer.Params `json:"params"`
}

func (s *Server) handleParameters(w http.ResponseWriter, r *http.Request) {
	resp := parametersResponse{Parameters: vtracer.Specs(), Defaults: vtracer.Default(), Candidates: len(s.eng.Candidates)}
	for _, name := range vtracer.PresetNames() {
		p, _ := vtracer.Preset(name) // a listed name
		resp.Presets = append(resp.Presets, presetJSON{Name: name, Description: vtracer.PresetDescription(name), Params: p})
	}
	writeJSON(w, http.StatusOK, resp)
}
