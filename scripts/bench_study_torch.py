#!/usr/bin/env python3
"""The PyTorch twin of one `npm run bench:study` protocol (scripts/bench-study.mjs): the same AL
loop albench runs, written directly in PyTorch, so the two CPU times compare like for like.

Per seed: a random initial labelled set; the model's initial weights are drawn once and every
round retrains from them (albench's default protocol, `retrain`); round 0 is trained once per seed
and shared by the strategies, as albench shares its round-0 model. Each round: train (Adam, lr,
minibatch, shuffled every epoch), evaluate on the test set, and, for entropy and margin, score the
whole unlabelled pool (softmax in batches of 512) and take the top k. Random takes k at random.
Training is by epochs, or by a fixed number of optimiser steps (--steps) when the protocol says so.

Models (albench's src/models/zoo.ts):
  mlp: 784 -> 256 relu -> 128 relu -> 10
  cnn: conv3x3x16 'same' relu, maxpool2, conv3x3x32 'same' relu, maxpool2, dense 64 relu, dense 10
Single thread (torch.set_num_threads(1)): albench runs one worker per core.

  /usr/bin/python3 scripts/bench_study_torch.py --protocol '{"model":"mlp", ...}'   (JSON, as bench-study.mjs passes it)

Prints one JSON line: the protocol name, rounds run, final accuracies, and its own CPU seconds
(resource.getrusage; bench-study.mjs measures the whole process from outside as well).
"""
import argparse, gzip, json, os, resource

import numpy as np
import torch
import torch.nn as nn


def idx(path, offset):
    with gzip.open(path) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load(dir_, pool_size, test_size, rng):
    x = idx(os.path.join(dir_, "train-images-idx3-ubyte.gz"), 16).reshape(-1, 1, 28, 28)
    y = idx(os.path.join(dir_, "train-labels-idx1-ubyte.gz"), 8)
    tx = idx(os.path.join(dir_, "t10k-images-idx3-ubyte.gz"), 16).reshape(-1, 1, 28, 28)
    ty = idx(os.path.join(dir_, "t10k-labels-idx1-ubyte.gz"), 8)
    if pool_size:
        keep = rng.permutation(len(y))[:pool_size]
        x, y = x[keep], y[keep]
    if test_size:
        keep = rng.permutation(len(ty))[:test_size]
        tx, ty = tx[keep], ty[keep]
    f = lambda a: torch.tensor(a / 255.0, dtype=torch.float32)
    return f(x), torch.tensor(y, dtype=torch.long), f(tx), torch.tensor(ty, dtype=torch.long)


def make_model(kind):
    if kind == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10))
    if kind == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    raise SystemExit(f"bench_study_torch: unknown model {kind!r}; allowed: mlp, cnn")


def train(model, init, x, y, t, gen):
    model.load_state_dict(init)
    opt = torch.optim.Adam(model.parameters(), lr=t["learningRate"])
    loss_fn = nn.CrossEntropyLoss()
    n, b = len(y), t["batchSize"]
    model.train()
    steps = t.get("steps")
    done = 0
    while True:
        order = torch.randperm(n, generator=gen)
        for s in range(0, n, b):
            i = order[s:s + b]
            opt.zero_grad()
            loss_fn(model(x[i]), y[i]).backward()
            opt.step()
            done += 1
            if steps and done >= steps:
                return
        if not steps and done >= t["epochs"] * ((n + b - 1) // b):
            return


@torch.no_grad()
def probs(model, x):
    model.eval()
    return torch.cat([torch.softmax(model(x[s:s + 512]), 1) for s in range(0, len(x), 512)])


def scores(strategy, pr):
    if strategy == "entropy":
        return -(pr * torch.log(pr.clamp_min(1e-12))).sum(1)
    top2 = pr.topk(2, 1).values
    return -(top2[:, 0] - top2[:, 1])  # margin: smallest gap first


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--protocol", required=True, help="JSON protocol, as bench-study.mjs passes it")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = ap.parse_args()
    p = json.loads(a.protocol)
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    x, y, tx, ty = load(a.data, p["dataset"].get("poolSize"), p["dataset"].get("testSize"), rng)
    model = make_model(p["model"])
    rounds = 0
    finals = {}
    for seed in p["seeds"]:
        torch.manual_seed(seed)
        init = {k: v.clone() for k, v in make_model(p["model"]).state_dict().items()}
        srng = np.random.default_rng(seed)
        initial = srng.permutation(len(y))[:p["initialSize"]]
        round0 = None
        for strategy in p["strategies"]:
            labelled = np.zeros(len(y), bool)
            labelled[initial] = True
            gen = torch.Generator().manual_seed(seed)
            while True:
                rows = torch.tensor(np.flatnonzero(labelled))
                if round0 is not None and labelled.sum() == p["initialSize"]:
                    model.load_state_dict(round0)  # the shared round-0 model
                else:
                    train(model, init, x[rows], y[rows], p["training"], gen)
                    if labelled.sum() == p["initialSize"]:
                        round0 = {k: v.clone() for k, v in model.state_dict().items()}
                acc = (probs(model, tx).argmax(1) == ty).float().mean().item()
                rounds += 1
                remaining = p["budget"] - int(labelled.sum())
                if remaining <= 0:
                    break
                k = min(p["batchSize"], remaining)
                pool = np.flatnonzero(~labelled)
                if strategy == "random":
                    pick = srng.choice(pool, k, replace=False)
                else:
                    pick = pool[scores(strategy, probs(model, x[torch.tensor(pool)])).topk(k).indices.numpy()]
                labelled[pick] = True
            finals.setdefault(strategy, []).append(round(acc, 4))
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"engine": "pytorch", "torch": torch.__version__, "protocol": p["name"], "rounds": rounds,
                      "final_accuracy": finals, "cpu_s": round(ru.ru_utime + ru.ru_stime, 2)}))


if __name__ == "__main__":
    main()
