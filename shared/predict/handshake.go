package predict

import (
	"context"
	"os"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/svgai/svgai/shared/predict/predictpb"
)

// ProtocolVersion is the application protocol this package speaks: the
// predictpb service as it stands. Bump it for any change an older peer would
// misread, and keep serving (plugin) or accepting (host) the older versions
// that still work, so go-plugin can negotiate the newest common one.
const ProtocolVersion = 2 // 2: the error's tail and the SVG size

// PluginName is the name under which a plugin serves, and a host dispenses,
// the QualityPredictor.
const PluginName = "quality"

// MaxMessageBytes is the gRPC message limit on both sides, raised from gRPC's
// 4 MiB default so that whole image files fit in one Predict request.
const MaxMessageBytes = 256 << 20

// Handshake returns the go-plugin handshake every svgai quality plugin and
// host share. The magic cookie is not security (AutoMTLS and the host's
// checksum are); it stops the plugin from running as a plain program and the
// host from talking to some other program. ProtocolVersion is the fallback
// for a peer that sends no version list; negotiation uses VersionedPlugins.
func Handshake() plugin.HandshakeConfig {
	return plugin.HandshakeConfig{
		ProtocolVersion:  ProtocolVersion,
		MagicCookieKey:   "SVGAI_PLUGIN",
		MagicCookieValue: "quality-predictor",
	}
}

// GRPCPlugin is the go-plugin plugin.GRPCPlugin for a QualityPredictor. A
// plugin sets Impl; a host leaves it nil and dispenses a *GRPCClient.
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl    QualityPredictor
	Version int // protocol version this entry serves
}

// GRPCServer registers the service (plugin side).
func (p *GRPCPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	predictpb.RegisterQualityPredictorServer(s, &GRPCServer{Impl: p.Impl, Version: p.Version})
	return nil
}

// GRPCClient returns a *GRPCClient (host side). go-plugin cancels ctx when
// the plugin process exits; the client exposes that as Exited.
func (p *GRPCPlugin) GRPCClient(ctx context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return NewGRPCClient(predictpb.NewQualityPredictorClient(c), ctx.Done()), nil
}

// HostPlugins returns the plugin sets a host offers for negotiation: every
// protocol version this host can speak, each mapped to its client.
func HostPlugins() map[int]plugin.PluginSet {
	return map[int]plugin.PluginSet{
		ProtocolVersion: {PluginName: &GRPCPlugin{Version: ProtocolVersion}},
	}
}

// DialOptions are the gRPC options a host adds to go-plugin's: message
// limits of MaxMessageBytes both ways.
func DialOptions() []grpc.DialOption {
	return []grpc.DialOption{grpc.WithDefaultCallOptions(
		grpc.MaxCallRecvMsgSize(MaxMessageBytes),
		grpc.MaxCallSendMsgSize(MaxMessageBytes),
	)}
}

// ServerOptions are the gRPC server options a plugin needs: message limits
// of MaxMessageBytes both ways.
func ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.MaxRecvMsgSize(MaxMessageBytes),
		grpc.MaxSendMsgSize(MaxMessageBytes),
	}
}

// NewServeConfig returns the go-plugin configuration that serves impl for
// ProtocolVersion over gRPC only, with raised message limits, logging
// through logger (which must write to stderr: stdout carries the handshake).
// A plugin that also serves other versions adds them to VersionedPlugins.
func NewServeConfig(impl QualityPredictor, logger hclog.Logger) *plugin.ServeConfig {
	return &plugin.ServeConfig{
		HandshakeConfig: Handshake(),
		VersionedPlugins: map[int]plugin.PluginSet{
			ProtocolVersion: {PluginName: &GRPCPlugin{Impl: impl, Version: ProtocolVersion}},
		},
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(append(opts, ServerOptions()...)...)
		},
		Logger: logger,
	}
}

// NewLogger returns the logger a plugin should use: JSON lines on stderr,
// which the host's go-plugin client parses and re-logs through its own
// hclog logger at the same level. Never log to stdout in a plugin.
func NewLogger(name string) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{
		Name:       name,
		Level:      hclog.Debug,
		Output:     os.Stderr,
		JSONFormat: true,
	})
}

// Serve runs impl as a plugin until the host disconnects. It is a plugin
// main's only call. impl must load its model lazily (or in the background):
// the host waits only a short start timeout for the handshake.
func Serve(impl QualityPredictor, logger hclog.Logger) {
	plugin.Serve(NewServeConfig(impl, logger))
}
