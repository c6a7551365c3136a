package api

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/svgai/svgai/host/tracer"
	"github.com/svgai/svgai/shared/imageio/imageiotest"
	"github.com/svgai/svgai/shared/vtracer"
)

// TestAdmission: images are refused or admitted by their header, before
// their pixels are read (issue 14, item 1): over the per-image budget 413
// naming the limit; over what the server's memory can ever hold 413;
// while the budget is full 503 busy; and a request's reservation is
// returned when it ends.
func TestAdmission(t *testing.T) {
	cfg := testConfig(t, false)
	srv, ts := newTestServer(t, cfg, Options{MaxImageBytes: 64 << 20, MemoryBytes: 96 << 20, QueueTimeout: 100 * time.Millisecond})
	s := loadSpec(t)
	emoji := icon(t, "twemoji-1f34e.png")
	big := imageiotest.Spec{Width: 700, Height: 700, ColorType: imageiotest.RGBA, Depth: 8, Fill: 7}.Encode() // 700² × 168 B = 78 MiB
	bomb := imageiotest.Bomb(1)

	for _, tc := range []struct {
		name, path string
		body       []byte
		status     int
		code, msg  string
	}{
		{"bomb to predict", "/v1/predict?params=[{}]", bomb, 413, "image_too_large", "a 6000×6000 image needs an estimated 6.0 GiB to decode and convert, over the limit of 64 MiB per image (input.max_image_mib)"},
		{"bomb to optimize", "/v1/optimize", bomb, 413, "image_too_large", "over the limit of 64 MiB per image"},
		{"over the per-image budget", "/v1/convert", big, 413, "image_too_large", "a 700×700 image needs an estimated 79 MiB"},
		{"within it", "/v1/convert", emoji, 200, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			r := do(t, "POST", ts.URL+tc.path, "image/png", tc.body)
			if r.status != tc.status || (tc.code != "" && field(r.body, "error.code") != tc.code) {
				t.Fatalf("got %d %s, want %d %s", r.status, r.raw, tc.status, tc.code)
			}
			if msg, _ := field(r.body, "error.message").(string); !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q lacks %q", msg, tc.msg)
			}
			if tc.status == 413 && time.Since(start) > time.Second {
				t.Errorf("refusal took %v: the image was decoded?", time.Since(start))
			}
			checkSpec(t, s, "POST", tc.path[:strings.IndexAny(tc.path+"?", "?")], r)
		})
	}

	t.Run("more than the whole budget", func(t *testing.T) {
		_, ts := newTestServer(t, cfg, Options{MaxImageBytes: 128 << 20, MemoryBytes: 64 << 20})
		r := do(t, "POST", ts.URL+"/v1/convert", "image/png", big)
		if r.status != 413 || !strings.Contains(fmt.Sprint(field(r.body, "error.message")), "more than the server's whole memory budget of 64 MiB") {
			t.Fatalf("got %d %s", r.status, r.raw)
		}
	})
	t.Run("busy while the budget is full", func(t *testing.T) {
		hold, err := srv.memory.Acquire(context.Background(), srv.memory.Total())
		if err != nil {
			t.Fatal(err)
		}
		r := do(t, "POST", ts.URL+"/v1/convert", "image/png", emoji)
		hold()
		if r.status != 503 || field(r.body, "error.code") != "busy" || r.header.Get("Retry-After") == "" {
			t.Fatalf("got %d %s, want 503 busy", r.status, r.raw)
		}
		checkSpec(t, s, "POST", "/v1/convert", r)
		if got := srv.memory.InUse(); got != 0 {
			t.Errorf("%d bytes reserved after every request ended", got)
		}
	})
}

// TestEchoAndNames: a long preset is not echoed back whole, and an 8 MB
// multipart file name is refused without being held (issue 14, item 10).
func TestEchoAndNames(t *testing.T) {
	_, ts := newTestServer(t, testConfig(t, false), Options{})
	emoji := string(icon(t, "twemoji-1f34e.png"))
	preset := strings.Repeat("p", 900<<10)
	ctype, body := multipartBody(t, "image", emoji, "options", `{"preset":"`+preset+`"}`)
	r := do(t, "POST", ts.URL+"/v1/convert", ctype, body)
	if r.status != 400 || len(r.raw) > 2048 || !strings.Contains(string(r.raw), "(921600 bytes)") {
		t.Errorf("900 KB preset: %d, %d bytes of response: %.300s", r.status, len(r.raw), r.raw)
	}

	for _, tc := range []struct {
		name   string
		size   int
		status int
		msg    string
	}{
		{"8 MB", 8 << 20, 413, "before the image's dimensions"},
		{"300 bytes", 300, 400, "file name of 304 bytes, over 255"},
	} {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		w, _ := mw.CreateFormFile("image", strings.Repeat("n", tc.size)+".png")
		io.WriteString(w, emoji)
		mw.Close()
		r := do(t, "POST", ts.URL+"/v1/convert", mw.FormDataContentType(), buf.Bytes())
		if r.status != tc.status || !strings.Contains(fmt.Sprint(field(r.body, "error.message")), tc.msg) || len(r.raw) > 2048 {
			t.Errorf("%s file name: %d %.300s", tc.name, r.status, r.raw)
		}
	}
}

// TestOddImages: a fully transparent image converts to an empty SVG (VTracer
// panics on it), one under the SSIM window converts and is scored by
// SSIM's rule for tiny images (issue 11), and a tracer failure reaches the
// client without upstream's report (issue 14, item 9).
func TestOddImages(t *testing.T) {
	srv, ts := newTestServer(t, testConfig(t, false), Options{})
	s := loadSpec(t)
	encode := func(w, h int, alpha byte) []byte {
		m := image.NewNRGBA(image.Rect(0, 0, w, h))
		for i := 3; i < len(m.Pix); i += 4 {
			m.Pix[i] = alpha
		}
		var buf bytes.Buffer
		png.Encode(&buf, m)
		return buf.Bytes()
	}
	r := do(t, "POST", ts.URL+"/v1/convert", "image/png", encode(64, 64, 0))
	if r.status != 200 || field(r.body, "paths") != 0.0 || field(r.body, "ssim") != 1.0 ||
		!strings.Contains(fmt.Sprint(field(r.body, "svg")), `width="64" height="64"`) {
		t.Errorf("transparent: %d %.400s", r.status, r.raw)
	}
	checkSpec(t, s, "POST", "/v1/convert", r)
	r = do(t, "POST", ts.URL+"/v1/optimize", "image/png", encode(64, 64, 0))
	if r.status != 200 || field(r.body, "met_target") != true {
		t.Errorf("transparent optimize: %d %.400s", r.status, r.raw)
	}
	for _, size := range [][2]int{{1, 1}, {1000, 1}, {10, 64}} {
		r := do(t, "POST", ts.URL+"/v1/convert", "image/png", encode(size[0], size[1], 255))
		if ssim, ok := field(r.body, "ssim").(float64); r.status != 200 || !ok || ssim < 0 || ssim > 1 {
			t.Errorf("%d×%d: %d %.300s", size[0], size[1], r.status, r.raw)
		}
		checkSpec(t, s, "POST", "/v1/convert", r)
	}

	srv.eng.Conv.Tracer = panicking{srv.eng.Conv.Tracer}
	r = do(t, "POST", ts.URL+"/v1/convert", "image/png", icon(t, "flag-jp.png"))
	if r.status != 422 || field(r.body, "error.code") != "conversion_failed" || strings.Contains(string(r.raw), "cargo") || strings.Contains(string(r.raw), ".rs") {
		t.Errorf("panic: %d %s", r.status, r.raw)
	}
	checkSpec(t, s, "POST", "/v1/convert", r)
}

// panicking fails every conversion as upstream's panics do, report and all.
type panicking struct{ tracer.Tracer }

func (panicking) Trace(context.Context, *image.NRGBA, vtracer.Params) ([]byte, error) {
	return nil, &tracer.PanicError{Message: `PanicHookInfo { location: Location { file: "/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/visioncortex-0.8.8/src/color_clusters/builder.rs", line: 406 } }`}
}

// TestBodyTimeout: clients sending a body too slowly get 408 and are
// disconnected when server.body_timeout passes, whatever they have sent
// (issue 14, item 5); a fast request is unaffected.
func TestBodyTimeout(t *testing.T) {
	_, ts := newTestServer(t, testConfig(t, false), Options{BodyTimeout: 300 * time.Millisecond})
	emoji := icon(t, "twemoji-1f34e.png")
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /v1/convert HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: %d\r\n\r\n", len(emoji))
	start := time.Now()
	go func() {
		for _, b := range emoji {
			if _, err := conn.Write([]byte{b}); err != nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	took := time.Since(start)
	if resp.StatusCode != 408 || !strings.Contains(string(body), "request_timeout") || took > 2*time.Second {
		t.Errorf("slow body: %d %s after %v, want 408 within the timeout", resp.StatusCode, body, took)
	}
	if r := do(t, "POST", ts.URL+"/v1/convert", "image/png", emoji); r.status != 200 {
		t.Errorf("normal request: %d %s", r.status, r.raw)
	}
}

// TestWriteTimeout: a client that does not read its response is cut off
// Options.WriteTimeout after the response starts, however long the work
// before it took.
func TestWriteTimeout(t *testing.T) {
	const timeout = 200 * time.Millisecond
	big := bytes.Repeat([]byte("x"), 64<<20) // more than the sockets buffer
	done := make(chan error, 1)
	srv := httptestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * timeout) // work longer than the timeout: it does not count
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK, writeTimeout: timeout}
		_, err := rec.Write(big)
		done <- err
	}))
	conn, err := net.Dial("tcp", srv)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") // and never read
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("64 MiB written to a client that reads nothing")
		}
	case <-time.After(2*timeout + 5*time.Second):
		t.Fatal("the write was not cut off")
	}
}

// httptestServer serves h on a loopback port with a real http.Server (its
// connections support deadlines) and returns the address.
func httptestServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}
