#!/usr/bin/python3
"""Makes the PyTorch reference for the Go ResNet (Debian python3-torch 1.13,
python3-torchvision 0.14).

Builds torchvision's resnet50 topology (Bottleneck, [3, 4, 6, 3], v1.5) at a
given base width with random weights and non-trivial batch norms (random
affine parameters; running statistics measured on random batches in train
mode, so activations stay well scaled through all 16 blocks), then writes:

  <out>/resnet50w<W>-<sha8>.pth  torch.save(model.state_dict()), named with the
                                 prefix of its own SHA-256 as torchvision does
  <out>/cases.safetensors        caseN.input (F16: inputs are rounded to
                                 float16 before torch sees them, so the file
                                 holds them exactly at half the size),
                                 caseN.features (F32, N x 32W pooled) and
                                 caseN.logits (F32, N x classes)

The committed fixture (run from this directory):
  /usr/bin/python3 gen.py --width 8 --classes 10 --out .
The full-width check (torchvision's resnet50 itself, 25,557,032 parameters;
about 100 MB, so not committed):
  /usr/bin/python3 gen.py --width 64 --classes 1000 --out /tmp/resnet50-full
  SVGAI_RESNET_TORCH_DIR=/tmp/resnet50-full go test ./model/resnet/ -run TestMatchesTorchDir -v
"""
import argparse
import hashlib
import json
import os
import struct

import torch
import torchvision
from torchvision.models.resnet import Bottleneck, ResNet

# Input shapes: a small batch, an odd size (padding and pooling edges), and
# the ImageNet size.
CASES = [(2, 3, 64, 64), (1, 3, 37, 53), (1, 3, 224, 224)]


def build(width, classes):
    torch.manual_seed(width)
    if width == 64:
        model = torchvision.models.resnet50(weights=None, num_classes=classes)
    else:
        model = narrow_resnet(width, classes)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            torch.nn.init.uniform_(m.weight, 0.5, 1.5)
            torch.nn.init.uniform_(m.bias, -0.2, 0.2)
            m.momentum = None  # cumulative average over the calibration batches
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(4, 3, 64, 64))
    model.eval()
    return model


def narrow_resnet(width, classes):
    """torchvision's ResNet with every channel count scaled by width/64."""
    model = ResNet.__new__(ResNet)
    torch.nn.Module.__init__(model)
    model._norm_layer = torch.nn.BatchNorm2d
    model.inplanes = width
    model.dilation = 1
    model.groups = 1
    model.base_width = 64
    model.conv1 = torch.nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
    model.bn1 = torch.nn.BatchNorm2d(width)
    model.relu = torch.nn.ReLU(inplace=True)
    model.maxpool = torch.nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
    model.layer1 = model._make_layer(Bottleneck, width, 3)
    model.layer2 = model._make_layer(Bottleneck, width * 2, 4, stride=2)
    model.layer3 = model._make_layer(Bottleneck, width * 4, 6, stride=2)
    model.layer4 = model._make_layer(Bottleneck, width * 8, 3, stride=2)
    model.avgpool = torch.nn.AdaptiveAvgPool2d((1, 1))
    model.fc = torch.nn.Linear(width * 8 * Bottleneck.expansion, classes)
    for m in model.modules():  # ResNet.__init__'s initialisation
        if isinstance(m, torch.nn.Conv2d):
            torch.nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
    return model


def write_safetensors(path, tensors, meta):
    names = {torch.float32: "F32", torch.float16: "F16"}
    header, blobs, off = {"__metadata__": meta}, [], 0
    for k, v in tensors.items():
        raw = v.detach().contiguous().numpy().tobytes()
        header[k] = {"dtype": names[v.dtype], "shape": list(v.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--width", type=int, default=8)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--out", default=".")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    model = build(a.width, a.classes)
    nparams = sum(p.numel() for p in model.parameters())
    print("parameters:", nparams)

    for old in os.listdir(a.out):
        if old.startswith("resnet50w") and old.endswith(".pth"):
            os.remove(os.path.join(a.out, old))
    tmp = os.path.join(a.out, "weights.tmp")
    torch.save(model.state_dict(), tmp)
    digest = hashlib.sha256(open(tmp, "rb").read()).hexdigest()
    os.rename(tmp, os.path.join(a.out, "resnet50w%d-%s.pth" % (a.width, digest[:8])))

    gen = torch.Generator().manual_seed(1)
    out = {}
    with torch.no_grad():
        for i, shape in enumerate(CASES):
            x = (torch.randn(shape, generator=gen) * 1.2).half()
            feats = torch.flatten(model.avgpool(model.layer4(model.layer3(model.layer2(model.layer1(
                model.maxpool(model.relu(model.bn1(model.conv1(x.float()))))))))), 1)
            out["case%d.input" % i] = x
            out["case%d.features" % i] = feats
            out["case%d.logits" % i] = model.fc(feats)
            assert torch.allclose(out["case%d.logits" % i], model(x.float()), atol=1e-5)
    write_safetensors(os.path.join(a.out, "cases.safetensors"), out,
                      {"torch": torch.__version__, "torchvision": torchvision.__version__,
                       "width": str(a.width), "classes": str(a.classes), "parameters": str(nparams)})


if __name__ == "__main__":
    main()
