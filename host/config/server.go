package config

import (
	"fmt"
	"time"
)

// Server is the [server] section of plugin.toml: what `svgai serve`
// admits and how long it waits for clients. Its flags override it.
type Server struct {
	// MemoryMiB bounds the images in flight at once by their estimated
	// memory (max_image_mib each at most, plus twice the request
	// body: the file is held, and copied into the plugin's message): a
	// request that does not fit waits for others to finish, up to
	// QueueTimeout, then gets 503 "busy". It is also the Go runtime's soft
	// memory limit (plus 128 MiB for everything else), unless $GOMEMLIMIT
	// is set.
	MemoryMiB int `toml:"memory_mib"`
	// MaxBodyMiB refuses request bodies over this size (413).
	MaxBodyMiB int `toml:"max_body_mib"`
	// MaxImageMiB narrows input.max_image_mib for requests: an image whose
	// estimated memory cost is larger is refused from its header (413).
	MaxImageMiB int `toml:"max_image_mib"`
	// QueueTimeout is how long a request waits for memory or a conversion
	// slot before 503 "busy".
	QueueTimeout Duration `toml:"queue_timeout"`
	// ReadHeaderTimeout bounds reading a request's headers.
	ReadHeaderTimeout Duration `toml:"read_header_timeout"`
	// BodyTimeout bounds reading a request's body, from the end of its
	// headers (not counting time the server made it wait for memory): a
	// client that sends it slower is cut off with 408.
	BodyTimeout Duration `toml:"body_timeout"`
	// WriteTimeout bounds writing a response once it is ready: a client
	// that reads it slower is cut off.
	WriteTimeout Duration `toml:"write_timeout"`
	// IdleTimeout closes keep-alive connections idle for longer.
	IdleTimeout Duration `toml:"idle_timeout"`
}

// DefaultServer returns the [server] defaults.
func DefaultServer() Server {
	return Server{
		MemoryMiB:         512,
		MaxBodyMiB:        32,
		MaxImageMiB:       384, // 8-bit PNGs up to about 1540×1540
		QueueTimeout:      Duration{30 * time.Second},
		ReadHeaderTimeout: Duration{10 * time.Second},
		BodyTimeout:       Duration{30 * time.Second},
		WriteTimeout:      Duration{30 * time.Second},
		IdleTimeout:       Duration{2 * time.Minute},
	}
}

// Validate reports the first setting out of range, naming its key.
func (s Server) Validate() error {
	if s.MemoryMiB < 16 {
		return fmt.Errorf("server.memory_mib = %d: want 16 or more", s.MemoryMiB)
	}
	if s.MaxImageMiB < 1 {
		return fmt.Errorf("server.max_image_mib = %d: want a positive number of MiB", s.MaxImageMiB)
	}
	if s.MaxImageMiB+2*s.MaxBodyMiB > s.MemoryMiB {
		return fmt.Errorf("server.max_image_mib (%d) plus twice server.max_body_mib (%d) is more than server.memory_mib (%d): the largest images could never be admitted",
			s.MaxImageMiB, s.MaxBodyMiB, s.MemoryMiB)
	}
	if s.MaxBodyMiB < 1 {
		return fmt.Errorf("server.max_body_mib = %d: want 1 or more", s.MaxBodyMiB)
	}
	return positive(map[string]Duration{"server.queue_timeout": s.QueueTimeout, "server.read_header_timeout": s.ReadHeaderTimeout,
		"server.body_timeout": s.BodyTimeout, "server.write_timeout": s.WriteTimeout, "server.idle_timeout": s.IdleTimeout})
}
