package api

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/svgai/svgai/shared/budget"
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

// FuzzMultipart feeds arbitrary multipart bodies to the upload reader:
// never a panic; every failure an API error a client is to blame for (a
// status under 500); success means an admitted image.
func FuzzMultipart(f *testing.F) {
	png, err := os.ReadFile(filepath.Join("..", "..", "testdata", "icons", "twemoji-1f600.png"))
	if err != nil {
		f.Fatal(err)
	}
	for _, img := range [][]byte{[]byte("\x89PNG"), png} {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.SetBoundary("XyZ")
		w, _ := mw.CreateFormFile("image", "a.png")
		w.Write(img)
		w, _ = mw.CreateFormField("options")
		w.Write([]byte(`{"preset":"bw"}`))
		mw.Close()
		f.Add(buf.Bytes())
	}
	f.Add([]byte("--XyZ\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nabc\r\n--XyZ--\r\n"))
	s := &Server{opts: Options{MaxBodyBytes: DefaultMaxBodyBytes, QueueTimeout: time.Second, BodyTimeout: time.Second},
		memory: budget.NewPool(DefaultMemoryBytes)}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/v1/convert", bytes.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary=XyZ")
		var o convertOptions
		u, err := s.receive(httptest.NewRecorder(), r, &o)
		if err != nil {
			if e := asError(err); e.Status >= 500 || e.Message == "" {
				t.Fatalf("error %v (%T) maps to %d %q", err, err, e.Status, e.Message)
			}
			return
		}
		u.release()
		if len(u.data) == 0 || u.info.Width == 0 {
			t.Fatal("no error but no image")
		}
		if got := s.memory.InUse(); got != 0 {
			t.Fatalf("%d bytes still reserved after release", got)
		}
	})
}
