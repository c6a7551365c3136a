package dataset

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"slices"
)

// Summary accumulates what splitting and fingerprinting a dataset need,
// records a batch at a time, without holding the records: per image its
// category and its records' SSIMs (8 bytes a record), and per record its
// parameter hash, image number and scores (56 bytes a record). Two million
// records take about 130 MB.
type Summary struct {
	images map[string]*ImageSummary
	keys   []fpRow  // records whose hashes are 64 lowercase hex digits, as bytes
	other  []fpText // any others (tests name images by file name), as text
}

// ImageSummary is what a Summary knows of one image.
type ImageSummary struct {
	Category string
	SSIMs    []float64 // one per record, in the order added
	sha      [32]byte  // the image's SHA-256, when it is hex
	rank     int32     // the image's place in SHA-256 order, set by Fingerprint
}

type fpRow struct {
	image     *ImageSummary
	params    [32]byte
	ssim, mse float64
}

type fpText struct {
	k         Key
	ssim, mse float64
}

// NewSummary returns an empty Summary with room for n records.
func NewSummary(n int) *Summary {
	return &Summary{images: map[string]*ImageSummary{}, keys: make([]fpRow, 0, n)}
}

// Add accounts for recs.
func (sum *Summary) Add(recs ...Record) {
	for i := range recs {
		r := &recs[i]
		im := sum.images[r.Image.SHA256]
		if im == nil {
			im = &ImageSummary{Category: r.Image.Category, rank: -1}
			if hexKey(im.sha[:], r.Image.SHA256) {
				im.rank = 0
			}
			sum.images[r.Image.SHA256] = im
		}
		im.SSIMs = append(im.SSIMs, r.Quality.SSIM)
		k := r.Key()
		row := fpRow{image: im, ssim: r.Quality.SSIM, mse: r.Quality.MSE}
		if im.rank >= 0 && hexKey(row.params[:], k.Params) {
			sum.keys = append(sum.keys, row)
		} else {
			sum.other = append(sum.other, fpText{k, r.Quality.SSIM, r.Quality.MSE})
		}
	}
}

// hexKey decodes s into dst if it is 64 lowercase hex digits, the only
// form whose byte order is its text order.
func hexKey(dst []byte, s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	_, err := hex.Decode(dst, []byte(s))
	return err == nil
}

// Images returns what the summary knows of each image, by SHA-256.
func (sum *Summary) Images() map[string]*ImageSummary { return sum.images }

// Len returns the number of records added.
func (sum *Summary) Len() int { return len(sum.keys) + len(sum.other) }

// Fingerprint is a hex SHA-256 over every record's key and quality, in key
// order (see the function Fingerprint).
func (sum *Summary) Fingerprint() string {
	h := sha256.New()
	var buf [8]byte
	score := func(ssim, mse float64) {
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(ssim))
		h.Write(buf[:])
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(mse))
		h.Write(buf[:])
	}
	if len(sum.other) > 0 { // rare: fall back to text for all
		rows := slices.Clone(sum.other)
		for _, r := range sum.keys {
			rows = append(rows, fpText{Key{hex.EncodeToString(r.image.sha[:]), hex.EncodeToString(r.params[:])}, r.ssim, r.mse})
		}
		slices.SortFunc(rows, func(a, b fpText) int {
			return cmp.Or(cmp.Compare(a.k.Image, b.k.Image), cmp.Compare(a.k.Params, b.k.Params))
		})
		for _, r := range rows {
			h.Write([]byte(r.k.Image))
			h.Write([]byte(r.k.Params))
			score(r.ssim, r.mse)
		}
		return hex.EncodeToString(h.Sum(nil))
	}
	// Rank the images once, then sort the records by (rank, parameters).
	ims := make([]*ImageSummary, 0, len(sum.images))
	for _, im := range sum.images {
		ims = append(ims, im)
	}
	slices.SortFunc(ims, func(a, b *ImageSummary) int { return bytes.Compare(a.sha[:], b.sha[:]) })
	for i, im := range ims {
		im.rank = int32(i)
	}
	slices.SortFunc(sum.keys, func(a, b fpRow) int {
		return cmp.Or(cmp.Compare(a.image.rank, b.image.rank), bytes.Compare(a.params[:], b.params[:]))
	})
	var text [64]byte
	for _, r := range sum.keys {
		hex.Encode(text[:], r.image.sha[:])
		h.Write(text[:])
		hex.Encode(text[:], r.params[:])
		h.Write(text[:])
		score(r.ssim, r.mse)
	}
	return hex.EncodeToString(h.Sum(nil))
}
