#!/usr/bin/env python3
"""Reference optimizer steps for test/models/optimizer.test.ts, computed by PyTorch 1.13:
torch.optim.SGD (momentum, nesterov, L2 weight decay), torch.optim.AdamW and a LambdaLR cosine
schedule with linear warm-up (transformers' get_cosine_schedule_with_warmup multiplier).

  /usr/bin/python3 scripts/optimizer-reference.py

Problem: one 2x2 kernel θ, loss = ½·Σ a·θ² + Σ b·θ, so ∇ = a·θ + b. Prints θ after each step.
"""
import math

import torch

A = torch.tensor([[1.0, 2.0], [0.5, 3.0]], dtype=torch.float64)
B = torch.tensor([[0.1, -0.2], [0.3, 0.0]], dtype=torch.float64)
THETA0 = [[0.5, -1.0], [2.0, 0.25]]


def run(make_opt, steps, schedule=None):
    theta = torch.tensor(THETA0, dtype=torch.float64, requires_grad=True)
    opt = make_opt([theta])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule) if schedule else None
    out = []
    for _ in range(steps):
        opt.zero_grad()
        loss = 0.5 * (A * theta ** 2).sum() + (B * theta).sum()
        loss.backward()
        opt.step()
        if sched:
            sched.step()
        out.append([round(v, 10) for v in theta.detach().flatten().tolist()])
    return out


def cosine_warmup(warmup, total):
    def f(s):
        if s < warmup:
            return s / warmup
        return 0.5 * (1 + math.cos(math.pi * min(1.0, (s - warmup) / max(1, total - warmup))))
    return f


print("sgd nesterov lr 0.1 momentum 0.9 wd 0.01:", run(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01), 3))
print("sgd momentum lr 0.1 momentum 0.9:", run(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), 3))
print("adamw lr 0.01 wd 0.1 eps 1e-7:", run(lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1, eps=1e-7), 3))
print("adam lr 0.1 eps 1e-7 cosine warmup 2 total 6:", run(lambda p: torch.optim.Adam(p, lr=0.1, eps=1e-7), 6, cosine_warmup(2, 6)))
print("cosine warmup 2 total 6 multipliers:", [round(cosine_warmup(2, 6)(s), 10) for s in range(6)])
