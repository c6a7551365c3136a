package tfevents

import (
	"fmt"
	"math"
	"sort"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers from tensorboard/plugins/hparams/plugin_data.proto and
// google/protobuf/struct.proto.
const (
	hpVersion          = 1 // HParamsPluginData.version (0)
	hpSessionStartInfo = 3 // HParamsPluginData.session_start_info
	ssiHParams         = 1 // SessionStartInfo.hparams: map<string, google.protobuf.Value>
	ssiStartTimeSecs   = 5 // SessionStartInfo.start_time_secs (double)
	mapKey             = 1 // map entry key
	mapValue           = 2 // map entry value
	pbNumberValue      = 2 // google.protobuf.Value.number_value (double)
	pbStringValue      = 3 // google.protobuf.Value.string_value
	pbBoolValue        = 4 // google.protobuf.Value.bool_value
)

// SessionStartTag is where the hparams plugin looks for a run's
// hyper-parameters (tensorboard/plugins/hparams/metadata.py).
const SessionStartTag = "_hparams_/session_start_info"

// hparamsValue encodes a Summary.Value for the hparams plugin: metadata
// with plugin "hparams" and an HParamsPluginData{version 0,
// session_start_info} as content, and no tensor (TensorBoard's
// dataclass_compat fills in the data class and an empty tensor on read,
// as it does for files from tensorboardX and TF 1.x).
func hparamsValue(hp map[string]any, startSecs float64) ([]byte, error) {
	keys := make([]string, 0, len(hp))
	for k := range hp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var ssi []byte
	for _, k := range keys {
		var v []byte
		switch x := hp[k].(type) {
		case float64:
			v = appendDouble(v, pbNumberValue, x)
		case float32:
			v = appendDouble(v, pbNumberValue, float64(x))
		case int:
			v = appendDouble(v, pbNumberValue, float64(x))
		case int64:
			v = appendDouble(v, pbNumberValue, float64(x))
		case uint64:
			v = appendDouble(v, pbNumberValue, float64(x))
		case string:
			v = protowire.AppendTag(v, pbStringValue, protowire.BytesType)
			v = protowire.AppendString(v, x)
		case bool:
			v = protowire.AppendTag(v, pbBoolValue, protowire.VarintType)
			v = protowire.AppendVarint(v, protowire.EncodeBool(x))
		default:
			return nil, fmt.Errorf("tfevents: hparam %q has type %T (want a number, string or bool)", k, x)
		}
		var entry []byte
		entry = protowire.AppendTag(entry, mapKey, protowire.BytesType)
		entry = protowire.AppendString(entry, k)
		entry = protowire.AppendTag(entry, mapValue, protowire.BytesType)
		entry = protowire.AppendBytes(entry, v)
		ssi = protowire.AppendTag(ssi, ssiHParams, protowire.BytesType)
		ssi = protowire.AppendBytes(ssi, entry)
	}
	ssi = appendDouble(ssi, ssiStartTimeSecs, startSecs)
	var content []byte // version 0 is the proto3 default and is omitted
	content = protowire.AppendTag(content, hpSessionStartInfo, protowire.BytesType)
	content = protowire.AppendBytes(content, ssi)

	var plugin []byte
	plugin = protowire.AppendTag(plugin, pluginName, protowire.BytesType)
	plugin = protowire.AppendString(plugin, "hparams")
	plugin = protowire.AppendTag(plugin, pluginContent, protowire.BytesType)
	plugin = protowire.AppendBytes(plugin, content)
	var meta []byte
	meta = protowire.AppendTag(meta, metadataPluginData, protowire.BytesType)
	meta = protowire.AppendBytes(meta, plugin)

	b := protowire.AppendTag(nil, valueTag, protowire.BytesType)
	b = protowire.AppendString(b, SessionStartTag)
	b = protowire.AppendTag(b, valueMetadata, protowire.BytesType)
	return protowire.AppendBytes(b, meta), nil
}

func appendDouble(b []byte, num protowire.Number, v float64) []byte {
	b = protowire.AppendTag(b, num, protowire.Fixed64Type)
	return protowire.AppendFixed64(b, math.Float64bits(v))
}

// HParams records this run's hyper-parameters for TensorBoard's HParams
// dashboard (values: numbers, strings or bools). TensorBoard infers the
// experiment from the sessions when no experiment summary exists.
func (w *Writer) HParams(hp map[string]any) error {
	now := w.now()
	v, err := hparamsValue(hp, wallTime(now))
	if err != nil {
		return err
	}
	return w.write(summaryEvent(wallTime(now), 0, [][]byte{v}))
}
