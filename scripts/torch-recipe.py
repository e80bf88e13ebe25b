#!/usr/bin/env python3
"""An independent PyTorch implementation of the recipe check of issue 17, to compare with
`node scripts/recipe-check.mjs` (albench's experiments/recipe-check.*.yaml).

Fashion-MNIST, the albench CNN (conv3x3x16 same relu, maxpool2, conv3x3x32 same relu, maxpool2,
dense 64 relu, dense 10; Glorot-uniform kernels, zero biases), random labelled sets of 300 and
1000 (1000 = the 300 plus 700 more, as albench's random loop draws them), Adam 1e-3 (eps 1e-7 as
tfjs), batch 32, cross-entropy, and either `--recipe epochs` (20 epochs, constant) or
`--recipe steps` (3000 steps or --steps, LambdaLR cosine to 0; --lr, --sizes, --dropout). Augmentation `none` or `shift2flip`: a zero-
padded random shift of up to 2 px (albench `{ name: standard, translate: 0.075 }` on 28 px) and a
horizontal flip with probability 1/2. Test accuracy on the full 10k test set; mean ± sd over seeds.

  /usr/bin/python3 scripts/torch-recipe.py --recipe steps --seeds 5 --idx /usr/share/datasets/fashion-mnist

Runs single-threaded (--threads 1) so it can share a machine; ~1 min per 3000-step run.
"""
import argparse, gzip, json, math, os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load(idx, split):
    prefix = "train" if split == "train" else "t10k"
    with gzip.open(os.path.join(idx, f"{prefix}-images-idx3-ubyte.gz")) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(os.path.join(idx, f"{prefix}-labels-idx1-ubyte.gz")) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    return torch.tensor(x / 255.0, dtype=torch.float32), torch.tensor(y, dtype=torch.long)


def cnn(dropout=0.0):
    # --dropout p as albench's `{ name: cnn, dropout: p }` (models/zoo.ts, Gal et al. 2017's placement):
    # p/2 after the conv stack, p after the hidden dense layer.
    net = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(dropout / 2), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Dropout(dropout), nn.Linear(64, 10))
    for m in net:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return net


def augment(x, g):
    n = x.shape[0]
    padded = F.pad(x, (2, 2, 2, 2))
    dx = torch.randint(0, 5, (n,), generator=g)
    dy = torch.randint(0, 5, (n,), generator=g)
    out = torch.stack([padded[i, :, dy[i]:dy[i] + 28, dx[i]:dx[i] + 28] for i in range(n)])
    flip = torch.rand(n, generator=g) < 0.5
    out[flip] = out[flip].flip(-1)
    return out


def train(x, y, recipe, aug, seed, steps=3000, lr=1e-3, dropout=0.0):
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed + 1000)
    net = cnn(dropout)
    opt = torch.optim.Adam(net.parameters(), lr=lr, eps=1e-7)
    n = x.shape[0]
    per_epoch = math.ceil(n / 32)
    total = steps if recipe == "steps" else 20 * per_epoch
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * s / total))) if recipe == "steps" else None
    step = 0
    net.train()
    while step < total:
        order = torch.randperm(n, generator=g)
        for start in range(0, n, 32):
            if step >= total:
                break
            idx = order[start:start + 32]
            xb = augment(x[idx], g) if aug == "shift2flip" else x[idx]
            loss = F.cross_entropy(net(xb), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            if sched:
                sched.step()
            step += 1
    net.eval()
    return net


@torch.no_grad()
def accuracy(net, x, y):
    return float(sum((net(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum() for i in range(0, len(y), 1000)) / len(y))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--recipe", choices=["epochs", "steps"], default="steps")
    p.add_argument("--aug", choices=["none", "shift2flip", "both"], default="both")
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--idx", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--steps", type=int, default=3000, help="steps of the steps recipe (the presets: 200-450)")
    p.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate (the presets: 3e-3)")
    p.add_argument("--dropout", type=float, default=0.0, help="dropout p of the cnn (parting-with-illusions: 0.5)")
    p.add_argument("--sizes", default="300,1000", help="labelled-set sizes, comma-separated; each the start of the next")
    a = p.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    torch.set_num_threads(a.threads)
    xtr, ytr = load(a.idx, "train")
    xte, yte = load(a.idx, "test")
    rows = []
    for aug in (["none", "shift2flip"] if a.aug == "both" else [a.aug]):
        acc = {b: [] for b in sizes}
        fit = {b: [] for b in sizes}
        for seed in range(a.seeds):
            perm = torch.randperm(len(ytr), generator=torch.Generator().manual_seed(seed))
            for budget in sizes:
                rows_ = perm[:budget]
                net = train(xtr[rows_], ytr[rows_], a.recipe, aug, seed * 10 + budget, a.steps, a.lr, a.dropout)
                acc[budget].append(accuracy(net, xte, yte))
                fit[budget].append(accuracy(net, xtr[rows_], ytr[rows_]))
                print(json.dumps({"recipe": a.recipe, "dropout": a.dropout, "aug": aug, "seed": seed, "labels": budget, "test": acc[budget][-1], "train": fit[budget][-1]}), flush=True)
        cells = [f"{np.mean(acc[b]):.3f} ± {np.std(acc[b], ddof=1):.3f} (n={len(acc[b])}, train {np.mean(fit[b]):.3f})" for b in sizes]
        rows.append(f"| torch {a.recipe} | {aug} | " + " | ".join(cells) + " |")
    print("\n| recipe | augmentation | " + " | ".join(f"{b} labels" for b in sizes) + " |\n|---|---|" + "---|" * len(sizes))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
