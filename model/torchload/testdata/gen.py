#!/usr/bin/python3
"""Regenerates the torchload fixtures with PyTorch (Debian python3-torch 1.13).

Run from this directory: /usr/bin/python3 gen.py
Writes:
  basic.pth           torch.save of a state dict covering dtypes, strided and
                      shared storages, an nn.Parameter, scalars, empty tensors
  basic-big.pth       the same archive rewritten with byteorder "big"
  basic.safetensors   the same tensors, written by hand (the format is simple)
  tiny-<sha8>.pth     a file named with the prefix of its own SHA-256
  legacy.pth          the pre-1.6 non-zip format (must be refused)
  evil.pth            a pickle that calls builtins.print (must be refused)
  expected.json       shapes, dtypes and values the Go reader must return
"""
import collections
import hashlib
import json
import os
import struct
import zipfile

import torch

torch.manual_seed(0)


def state_dict():
    conv = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3, bias=False), torch.nn.BatchNorm2d(3))
    conv[1].running_mean.uniform_(-1, 1)
    conv[1].running_var.uniform_(0.5, 2)
    conv[1].num_batches_tracked += 7
    sd = conv.state_dict()  # an OrderedDict carrying _metadata
    base = torch.arange(24, dtype=torch.float32) / 8 - 1
    sd["shared.full"] = base
    sd["shared.slice"] = base[5:17].view(3, 4)  # offset 5 into a shared storage
    sd["shared.transposed"] = base[:12].view(3, 4).t()  # stride (1, 4)
    sd["shared.every_other"] = base[1::2]  # stride 2
    sd["f64"] = torch.linspace(-2, 2, 5, dtype=torch.float64)
    sd["f16"] = torch.tensor([0.5, -1.25, 65504.0, 6.1035e-05, 5.96e-08], dtype=torch.float16)
    sd["bf16"] = torch.tensor([1.0, -3.5, 1e30], dtype=torch.bfloat16)
    sd["i32"] = torch.tensor([[-7, 0], [3, 2**20]], dtype=torch.int32)
    sd["u8"] = torch.tensor([0, 255, 17], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["scalar"] = torch.tensor(3.25)
    sd["empty"] = torch.zeros(0, 3)
    sd["param"] = torch.nn.Parameter(torch.tensor([[1.5, -2.0]]))  # _rebuild_parameter
    return sd


def expected(sd):
    out = {}
    for k, v in sd.items():
        v = v.detach()
        out[k] = {
            "shape": list(v.shape),
            "dtype": str(v.dtype).replace("torch.", ""),
            "values": [float(x) for x in v.reshape(-1).to(torch.float64).tolist()],
        }
    return out


SAFE_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
               torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8", torch.bool: "BOOL"}


def write_safetensors(path, sd):
    header, blobs, off = {"__metadata__": {"source": "gen.py"}}, [], 0
    for k, v in sd.items():
        v = v.detach().contiguous()
        raw = v.view(torch.int16).numpy().tobytes() if v.dtype == torch.bfloat16 else v.numpy().tobytes()
        header[k] = {"dtype": SAFE_DTYPES[v.dtype], "shape": list(v.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def big_endian_copy(src, dst):
    """Rewrite a zip checkpoint as a big-endian machine would have saved it."""
    esize = storage_element_sizes(src)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        prefix = [n for n in zin.namelist() if n.endswith("/data.pkl")][0][: -len("data.pkl")]
        for n in zin.namelist():
            data = zin.read(n)
            if n.startswith(prefix + "data/"):
                es = esize[n[len(prefix + "data/"):]]
                data = b"".join(data[i:i + es][::-1] for i in range(0, len(data), es))
            if n != prefix + "byteorder":
                zout.writestr(zipfile.ZipInfo(n), data)
        zout.writestr(zipfile.ZipInfo(prefix + "byteorder"), b"big")


def storage_element_sizes(path):
    import pickle
    sizes = {}

    class Loader(pickle.Unpickler):
        def find_class(self, mod, name):
            if name.endswith("Storage"):
                return name
            return super().find_class(mod, name)

        def persistent_load(self, pid):
            _, typ, key, _, numel = pid
            sizes[key] = {"FloatStorage": 4, "DoubleStorage": 8, "HalfStorage": 2, "BFloat16Storage": 2,
                          "LongStorage": 8, "IntStorage": 4, "ByteStorage": 1, "BoolStorage": 1}[typ]
            return torch.zeros(numel).storage()

    with zipfile.ZipFile(path) as z:
        pkl = [n for n in z.namelist() if n.endswith("/data.pkl")][0]
        with z.open(pkl) as f:
            try:
                Loader(f).load()
            except Exception:
                pass  # only the persistent ids are wanted
    return sizes


class Evil:
    def __reduce__(self):
        return (print, ("a checkpoint must never run this",))


def main():
    sd = state_dict()
    torch.save(sd, "basic.pth")
    big_endian_copy("basic.pth", "basic-big.pth")
    write_safetensors("basic.safetensors", sd)
    for old in [n for n in os.listdir(".") if n.startswith("tiny-")]:
        os.remove(old)
    tiny = collections.OrderedDict(w=torch.ones(2, 2))
    torch.save(tiny, "tiny.tmp")
    digest = hashlib.sha256(open("tiny.tmp", "rb").read()).hexdigest()
    os.rename("tiny.tmp", "tiny-%s.pth" % digest[:8])
    torch.save(tiny, "legacy.pth", _use_new_zipfile_serialization=False)
    torch.save({"x": Evil()}, "evil.pth")
    with open("expected.json", "w") as f:
        exp = expected(sd)
        f.write("{\n" + ",\n".join(json.dumps(k) + ": " + json.dumps(v) for k, v in exp.items()) + "\n}\n")


if __name__ == "__main__":
    main()
