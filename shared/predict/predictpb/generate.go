// Package predictpb holds the Go code generated from quality.proto, the gRPC
// definition of the svgai quality-predictor plugin protocol. Use the types in
// shared/predict instead; this package is the wire format.
//
// Regenerating needs protoc (Debian protobuf-compiler) and, on PATH,
// protoc-gen-go v1.36.12 and protoc-gen-go-grpc v1.6.2 (see the Makefile's
// proto target).
package predictpb

//go:generate protoc --proto_path=. --go_out=. --go_opt=paths=source_relative --go-grpc_out=. --go-grpc_opt=paths=source_relative quality.proto
