package tfevents

import (
	"errors"
	"fmt"
	"io"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Event is the part of a tensorflow.Event this package writes.
type Event struct {
	WallTime    float64
	Step        int64
	FileVersion string
	Values      []Value
}

// Value is one decoded Summary.Value.
type Value struct {
	Tag    string
	Simple float32
	// IsSimple is true when the value is a simple_value scalar.
	IsSimple bool
	// Plugin is metadata.plugin_data.plugin_name, if any, and
	// PluginContent its content.
	Plugin        string
	PluginContent []byte
	// Strings holds a tensor's string_val entries (text summaries).
	Strings []string
}

// ReadEvents reads and decodes every record of an event file.
func ReadEvents(r io.Reader) ([]Event, error) {
	var out []Event
	for {
		data, err := ReadRecord(r)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("tfevents: record %d: %w", len(out), err)
		}
		ev, err := ParseEvent(data)
		if err != nil {
			return out, fmt.Errorf("tfevents: record %d: %w", len(out), err)
		}
		out = append(out, ev)
	}
}

var errProto = errors.New("malformed protobuf")

// fields walks one message, calling f with each field's number, type and
// raw value (varint or fixed value in v, bytes in b).
func fields(b []byte, f func(num protowire.Number, typ protowire.Type, v uint64, s []byte) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return errProto
		}
		b = b[n:]
		var v uint64
		var s []byte
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(b)
		case protowire.Fixed64Type:
			v, n = protowire.ConsumeFixed64(b)
		case protowire.Fixed32Type:
			var v32 uint32
			v32, n = protowire.ConsumeFixed32(b)
			v = uint64(v32)
		case protowire.BytesType:
			s, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return errProto
		}
		b = b[n:]
		if err := f(num, typ, v, s); err != nil {
			return err
		}
	}
	return nil
}

// ParseEvent decodes one serialized Event.
func ParseEvent(data []byte) (Event, error) {
	var ev Event
	err := fields(data, func(num protowire.Number, typ protowire.Type, v uint64, s []byte) error {
		switch {
		case num == eventWallTime && typ == protowire.Fixed64Type:
			ev.WallTime = math.Float64frombits(v)
		case num == eventStep && typ == protowire.VarintType:
			ev.Step = int64(v)
		case num == eventFileVersion && typ == protowire.BytesType:
			ev.FileVersion = string(s)
		case num == eventSummary && typ == protowire.BytesType:
			return fields(s, func(num protowire.Number, typ protowire.Type, _ uint64, s []byte) error {
				if num != summaryValue || typ != protowire.BytesType {
					return nil
				}
				val, err := parseValue(s)
				ev.Values = append(ev.Values, val)
				return err
			})
		}
		return nil
	})
	if err != nil {
		return ev, fmt.Errorf("event: %w", err)
	}
	return ev, nil
}

func parseValue(b []byte) (Value, error) {
	var val Value
	err := fields(b, func(num protowire.Number, typ protowire.Type, v uint64, s []byte) error {
		switch {
		case num == valueTag && typ == protowire.BytesType:
			val.Tag = string(s)
		case num == valueSimpleValue && typ == protowire.Fixed32Type:
			val.Simple, val.IsSimple = math.Float32frombits(uint32(v)), true
		case num == valueMetadata && typ == protowire.BytesType:
			return fields(s, func(num protowire.Number, typ protowire.Type, _ uint64, s []byte) error {
				if num != metadataPluginData || typ != protowire.BytesType {
					return nil
				}
				return fields(s, func(num protowire.Number, typ protowire.Type, _ uint64, s []byte) error {
					switch {
					case num == pluginName && typ == protowire.BytesType:
						val.Plugin = string(s)
					case num == pluginContent && typ == protowire.BytesType:
						val.PluginContent = append([]byte(nil), s...)
					}
					return nil
				})
			})
		case num == valueTensor && typ == protowire.BytesType:
			return fields(s, func(num protowire.Number, typ protowire.Type, _ uint64, s []byte) error {
				if num == tensorStringVal && typ == protowire.BytesType {
					val.Strings = append(val.Strings, string(s))
				}
				return nil
			})
		}
		return nil
	})
	return val, err
}
