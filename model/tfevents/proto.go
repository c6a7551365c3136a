package tfevents

import (
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers from tensorflow/core/util/event.proto,
// tensorflow/core/framework/summary.proto, tensor.proto and
// tensor_shape.proto.
const (
	eventWallTime    = 1 // double
	eventStep        = 2 // int64
	eventFileVersion = 3 // string
	eventSummary     = 5 // Summary

	summaryValue = 1 // repeated Summary.Value

	valueTag         = 1 // string
	valueSimpleValue = 2 // float
	valueTensor      = 8 // TensorProto
	valueMetadata    = 9 // SummaryMetadata

	metadataPluginData = 1 // SummaryMetadata.PluginData
	metadataDataClass  = 4 // DataClass enum
	pluginName         = 1 // string
	pluginContent      = 2 // bytes

	tensorDtype     = 1 // DataType enum
	tensorShape     = 2 // TensorShapeProto
	tensorStringVal = 8 // repeated bytes

	dtString        = 7 // DT_STRING
	dataClassTensor = 2 // DATA_CLASS_TENSOR
)

// FileVersion is the version string of the first event of every file.
const FileVersion = "brain.Event:2"

func appendEventHeader(b []byte, wallTime float64, step int64) []byte {
	b = protowire.AppendTag(b, eventWallTime, protowire.Fixed64Type)
	b = protowire.AppendFixed64(b, math.Float64bits(wallTime))
	if step != 0 {
		b = protowire.AppendTag(b, eventStep, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(step))
	}
	return b
}

func fileVersionEvent(wallTime float64) []byte {
	b := appendEventHeader(nil, wallTime, 0)
	b = protowire.AppendTag(b, eventFileVersion, protowire.BytesType)
	return protowire.AppendString(b, FileVersion)
}

func summaryEvent(wallTime float64, step int64, values [][]byte) []byte {
	var s []byte
	for _, v := range values {
		s = protowire.AppendTag(s, summaryValue, protowire.BytesType)
		s = protowire.AppendBytes(s, v)
	}
	b := appendEventHeader(nil, wallTime, step)
	b = protowire.AppendTag(b, eventSummary, protowire.BytesType)
	return protowire.AppendBytes(b, s)
}

func scalarValue(tag string, v float32) []byte {
	b := protowire.AppendTag(nil, valueTag, protowire.BytesType)
	b = protowire.AppendString(b, tag)
	b = protowire.AppendTag(b, valueSimpleValue, protowire.Fixed32Type)
	return protowire.AppendFixed32(b, math.Float32bits(v))
}

// textValue is what tf.summary.text writes: a scalar DT_STRING tensor
// tagged for the "text" plugin, data class TENSOR.
func textValue(tag, text string) []byte {
	var plugin []byte
	plugin = protowire.AppendTag(plugin, pluginName, protowire.BytesType)
	plugin = protowire.AppendString(plugin, "text")
	var meta []byte
	meta = protowire.AppendTag(meta, metadataPluginData, protowire.BytesType)
	meta = protowire.AppendBytes(meta, plugin)
	meta = protowire.AppendTag(meta, metadataDataClass, protowire.VarintType)
	meta = protowire.AppendVarint(meta, dataClassTensor)
	var tensor []byte
	tensor = protowire.AppendTag(tensor, tensorDtype, protowire.VarintType)
	tensor = protowire.AppendVarint(tensor, dtString)
	tensor = protowire.AppendTag(tensor, tensorShape, protowire.BytesType)
	tensor = protowire.AppendBytes(tensor, nil) // rank 0
	tensor = protowire.AppendTag(tensor, tensorStringVal, protowire.BytesType)
	tensor = protowire.AppendString(tensor, text)

	b := protowire.AppendTag(nil, valueTag, protowire.BytesType)
	b = protowire.AppendString(b, tag)
	b = protowire.AppendTag(b, valueMetadata, protowire.BytesType)
	b = protowire.AppendBytes(b, meta)
	b = protowire.AppendTag(b, valueTensor, protowire.BytesType)
	return protowire.AppendBytes(b, tensor)
}
