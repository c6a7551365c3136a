#!/usr/bin/python3
"""PyTorch eager reference for BenchmarkForward: torchvision resnet50 (random
weights), eval mode, no_grad, 224 x 224, batch 1 and 16: ms/image and CPU
ms/image (all threads; note OpenMP threads spin while waiting, which counts).

  /usr/bin/python3 model/resnet/testdata/bench_torch.py --threads 2
"""
import argparse
import time

import torch
import torchvision


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iters", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model = torchvision.models.resnet50(weights=None).eval()
    with torch.no_grad():
        for n in (1, 16):
            x = torch.randn(n, 3, 224, 224)
            model(x)  # warm-up
            t, c = time.perf_counter(), time.process_time()
            for _ in range(a.iters):
                model(x)
            ms = (time.perf_counter() - t) / (a.iters * n) * 1e3
            cpu = (time.process_time() - c) / (a.iters * n) * 1e3
            print("torch-%s/threads=%d/batch=%d\t%.1f ms/image\t%.1f images/s\t%.1f cpu-ms/image" % (
                torch.__version__, a.threads, n, ms, 1e3 / ms, cpu))


if __name__ == "__main__":
    main()
