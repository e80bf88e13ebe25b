#!/usr/bin/env python3
"""PyTorch reference for albench's resnet18 (src/models/resnet.ts): the CIFAR ResNet-18 of
He et al. 2016 in kuangliu/pytorch-cifar's layout (3x3 stem, no max-pool, four stages of
BasicBlocks, widths w, 2w, 4w, 8w, strides 1, 2, 2, 2, batch norm, global average pool, linear).
scripts/bench-backend.mjs runs it beside the tfjs backends; test/models/resnet.test.ts takes its
parameter counts from --count.

Needs Debian's python3-torch; run it with /usr/bin/python3. Prints one JSON object on stdout.

  /usr/bin/python3 scripts/torch_resnet_reference.py --n 256 --epochs 1 --infer 1024 --threads 1
  /usr/bin/python3 scripts/torch_resnet_reference.py --count      (parameters, running statistics)

Training: Adam(1e-3), cross-entropy, minibatch --batch, random 32x32x3 inputs and labels.
"""
import argparse, json, time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        return F.relu(self.b2(self.c2(y)) + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, width=64, depth=2, classes=10, channels=3):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(channels, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        blocks, cin = [], width
        for stage in range(4):
            cout = width * 2 ** stage
            for b in range(depth):
                blocks.append(BasicBlock(cin, cout, 2 if stage > 0 and b == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        return self.fc(F.adaptive_avg_pool2d(self.blocks(self.stem(x)), 1).flatten(1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--depth", type=int, default=2)
    p.add_argument("--n", type=int, default=256)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--infer", type=int, default=1024)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--count", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    m = ResNet(a.width, a.depth)
    if a.count:
        print(json.dumps({"width": a.width, "depth": a.depth,
                          "parameters": sum(t.numel() for t in m.parameters()),
                          "running_statistics": sum(t.numel() for n, t in m.named_buffers() if "running" in n)}))
        return
    g = torch.Generator().manual_seed(a.seed)
    x, y = torch.rand(a.n, 3, 32, 32, generator=g), torch.randint(0, 10, (a.n,), generator=g)
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    loss_fn = nn.CrossEntropyLoss()
    m.train()
    # One untimed step: allocator and kernel warm-up, as the tfjs side warms up.
    opt.zero_grad(); loss_fn(m(x[:a.batch]), y[:a.batch]).backward(); opt.step()
    t0 = time.perf_counter()
    for _ in range(a.epochs):
        perm = torch.randperm(a.n)
        for i in range(0, a.n, a.batch):
            b = perm[i:i + a.batch]
            opt.zero_grad()
            loss_fn(m(x[b]), y[b]).backward()
            opt.step()
    train_s = time.perf_counter() - t0
    m.eval()
    pool = torch.rand(a.infer, 3, 32, 32)
    with torch.no_grad():
        t1 = time.perf_counter()
        for i in range(0, a.infer, 512):
            torch.softmax(m(pool[i:i + 512]), dim=1)
        infer_s = time.perf_counter() - t1
    print(json.dumps({
        "engine": "pytorch-" + torch.__version__, "threads": a.threads, "model": "resnet18",
        "width": a.width, "depth": a.depth, "n": a.n, "epochs": a.epochs, "batch": a.batch,
        "train_s": round(train_s, 4), "train_samples_per_s": round(a.n * a.epochs / train_s, 1),
        "infer_n": a.infer, "infer_s": round(infer_s, 4), "infer_samples_per_s": round(a.infer / infer_s, 1)}))


if __name__ == "__main__":
    main()
