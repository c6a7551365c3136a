package predicttest

import (
	"context"
	"net"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"

	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/predict/predictpb"
)

// Server serves a QualityPredictor over real gRPC on an in-memory listener,
// with the same adapters and message limits as a plugin, but in-process.
type Server struct {
	// Client calls the server through gRPC.
	Client *predict.GRPCClient
	srv    *grpc.Server
	conn   *grpc.ClientConn
}

// NewServer starts serving impl and registers its shutdown with t.Cleanup.
func NewServer(t testing.TB, impl predict.QualityPredictor) *Server {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(predict.ServerOptions()...)
	predictpb.RegisterQualityPredictorServer(srv, &predict.GRPCServer{Impl: impl, Version: predict.ProtocolVersion})
	go func() { _ = srv.Serve(lis) }()
	opts := append([]grpc.DialOption{
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	}, predict.DialOptions()...)
	conn, err := grpc.NewClient("passthrough:///bufconn", opts...)
	if err != nil {
		srv.Stop()
		t.Fatalf("predicttest: dial in-memory server: %v", err)
	}
	s := &Server{Client: predict.NewGRPCClient(predictpb.NewQualityPredictorClient(conn), nil), srv: srv, conn: conn}
	t.Cleanup(s.Close)
	return s
}

// Close stops the server and the client connection.
func (s *Server) Close() {
	_ = s.conn.Close()
	s.srv.Stop()
}
