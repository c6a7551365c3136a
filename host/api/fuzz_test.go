package api

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/svgai/svgai/shared/vtracer"
)

// FuzzOptions feeds arbitrary options text through /v1/convert's and
// /v1/predict's option parsing: never a panic, and every failure a 400
// whose message is not empty.
func FuzzOptions(f *testing.F) {
	for _, s := range []string{`{"preset":"bw","params":{"filter_speckle":2}}`, `{"params":[{},{"mode":"none"}]}`,
		`{"params":{"corner_threshold":1e400}}`, `{"params":[null]}`, `{"target_ssim":"x"}`, `{} {}`, `[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(err error) {
			if err == nil {
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Status != http.StatusBadRequest || e.Message == "" {
				t.Fatalf("error %v (%T) is not a 400 with a message", err, err)
			}
		}
		var c convertOptions
		if err := decodeOptions(data, &c); err != nil {
			check(err)
		} else if len(c.Params) > 0 {
			p, err := parseParams("params", c.Params, vtracer.Default())
			check(err)
			if err == nil {
				if verr := p.Validate(); verr != nil {
					t.Fatalf("accepted invalid params: %v", verr)
				}
			}
		}
		var p predictOptions
		if err := decodeOptions(data, &p); err != nil {
			check(err)
		} else {
			for _, raw := range p.Params {
				_, err := parseParams("params[0]", raw, vtracer.Default())
				check(err)
			}
		}
	})
}

// FuzzMultipart feeds arbitrary multipart bodies to readMultipart: never a
// panic; failures are API errors.
func FuzzMultipart(f *testing.F) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.SetBoundary("XyZ")
	w, _ := mw.CreateFormFile("image", "a.png")
	w.Write([]byte("\x89PNG"))
	w, _ = mw.CreateFormField("options")
	w.Write([]byte(`{"preset":"bw"}`))
	mw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("--XyZ\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nabc\r\n--XyZ--\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		u, err := readMultipart(multipart.NewReader(bytes.NewReader(body), "XyZ"))
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("error %v (%T) is not an API error", err, err)
		}
		if err == nil && u.image == nil {
			t.Fatal("no error but no image")
		}
	})
}
