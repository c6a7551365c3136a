// Package web is svgai's web page: plain JavaScript modules, a style sheet
// and a favicon under static/, embedded in the svgai binary and served by
// host/api at / and /static/. The page is a client of the REST API alone
// (docs/web.md): it fetches nothing from anywhere else, which the
// Content-Security-Policy every response carries enforces.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"time"
)

//go:embed static
var static embed.FS

// ContentSecurityPolicy allows the page its own files and nothing else:
// images also from blob: URLs (the SVGs and originals it shows are Blobs
// made in the page), no plugins, no framing, no <base>.
const ContentSecurityPolicy = "default-src 'self'; img-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// contentTypes are the types of the files under static/, by extension;
// other extensions are not served.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
}

// file is one embedded file ready to serve.
type file struct {
	data  []byte
	ctype string
	etag  string
}

// Handler serves the page: / is static/index.html and /static/NAME the
// files under static/ (host/api routes GET and HEAD here). Every response carries the
// Content-Security-Policy and asks caches to revalidate (Cache-Control:
// no-cache) by a strong ETag, the SHA-256 of the file: the sources are
// served as written, with no build step to put digests in their names.
func Handler() http.Handler {
	files := map[string]file{}
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ctype, ok := contentTypes[path.Ext(p)]
		if !ok {
			return nil
		}
		data, err := static.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		files["/"+p] = file{data: data, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
		return nil
	})
	if err != nil {
		panic("web: embedded files: " + err.Error()) // cannot happen: embed.FS is fixed at build time
	}
	files["/"] = files["/static/index.html"]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		f, ok := files[r.URL.Path]
		if !ok {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		h.Set("Content-Type", f.ctype)
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", f.etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.data))
	})
}
