"""Write an albench query strategy in Python (NumPy).

A spec names the script in its strategy axis::

    matrix:
      strategy:
        - random
        - { name: my-margin, command: [python3, strategies/my_margin.py], needs: [probs] }

and the script is three lines around a ``select`` function::

    import numpy as np
    from albench_strategy import serve, top_k

    def select(ctx):
        top2 = np.sort(ctx.probs, axis=1)[:, -2:]      # ctx.probs: float32 [len(ctx.pool), ctx.num_classes]
        return top_k(top2[:, 0] - top2[:, 1], ctx)     # smallest margin first

    serve(select)

albench starts the script once per cell, with this folder on PYTHONPATH, and sends one request
per round. ``select(ctx)`` returns the chosen training-set indices, in the order chosen; albench
checks them (right count, distinct, unlabelled) as it checks its own strategies.

``ctx`` fields: ``round``, ``batch_size``, ``seed`` (an int for this round: seed your own
``np.random.default_rng(ctx.seed)`` so runs repeat), ``num_classes``; ``pool``, ``labeled``,
``labeled_y`` (np.int64 arrays of training-set indices and the revealed labels); ``tie_rank``
(np.int64 [pool]: a seeded random rank per pool row; ``top_k(scores, ctx)`` breaks ties by it
exactly as albench's built-in strategies do, so a port of one selects what it selects); and each declared
need as a float32 array: ``probs`` [pool, classes], ``labeled_probs`` [labeled, classes],
``mc_probs`` [T, pool, classes], ``committee_probs`` [K, pool, classes], ``embeddings`` [pool, d]
with ``labeled_embeddings`` [labeled, d], ``grad_scale`` [pool, classes] with ``grad_features``
[pool, d] (BADGE's factorised gradient embedding), ``inputs`` [train, features] (the whole training
set, indexed by training-set index), ``epoch_probs`` [epochs, pool, classes].

stdout carries the protocol, so ``serve`` sends ``print`` (and anything else written to file
descriptor 1) to stderr, where albench shows it when the strategy fails.

The framing (albench's src/strategies/pipe-protocol.ts): request = b"ALBQ" + u32 LE header length
+ JSON header + the arrays' raw little-endian bytes in header order; response = b"ALBR" + u32 LE
length + JSON ``{"indices": [...]}``.
"""

import json
import os
import struct
import sys
from types import SimpleNamespace

import numpy as np

PROTOCOL_VERSION = 1
_DTYPES = {"int32": np.dtype("<i4"), "float32": np.dtype("<f4")}
_INDEX_ARRAYS = ("pool", "labeled", "labeled_y", "tie_rank")

__all__ = ["serve", "top_k", "parse_request", "encode_response"]


def top_k(scores, ctx, k=None):
    """Training-set indices of the ``k`` (default ``ctx.batch_size``) highest ``scores`` [pool],
    highest first, ties broken by ``ctx.tie_rank`` as albench's selectTopK does."""
    k = ctx.batch_size if k is None else k
    order = np.lexsort((ctx.tie_rank, -np.asarray(scores)))
    return ctx.pool[order[:k]]


def _read_exact(stream, n):
    chunks = []
    while n > 0:
        chunk = stream.read(n)
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def parse_request(header, payload, cache=None):
    """The ``ctx`` of one request: its JSON header (a dict) and the bytes of its arrays."""
    if header.get("version") != PROTOCOL_VERSION:
        raise RuntimeError(
            "albench speaks protocol version %r; this albench_strategy.py speaks %d: use the helper shipped with your albench"
            % (header.get("version"), PROTOCOL_VERSION)
        )
    ctx = SimpleNamespace(
        round=int(header["round"]),
        batch_size=int(header["batch_size"]),
        seed=int(header["seed"]),
        num_classes=int(header["num_classes"]),
    )
    offset = 0
    for spec in header["arrays"]:
        dtype = _DTYPES[spec["dtype"]]
        shape = tuple(spec["shape"])
        count = int(np.prod(shape, dtype=np.int64))
        arr = np.frombuffer(payload, dtype=dtype, count=count, offset=offset).reshape(shape)
        offset += count * dtype.itemsize
        name = spec["name"]
        # Indices and labels as int64, so they index and compare without surprises.
        setattr(ctx, name, arr.astype(np.int64) if name in _INDEX_ARRAYS else arr)
    if cache is not None:
        # The training inputs are sent with the first request only.
        if hasattr(ctx, "inputs"):
            cache["inputs"] = ctx.inputs
        elif "inputs" in cache:
            ctx.inputs = cache["inputs"]
    return ctx


def encode_response(indices):
    """The response frame for a selection (a sequence of training-set indices)."""
    body = json.dumps({"indices": [int(i) for i in np.asarray(indices).reshape(-1)]}).encode("utf-8")
    return b"ALBR" + struct.pack("<I", len(body)) + body


def serve(select):
    """Answers albench's requests with ``select(ctx)`` until albench closes the pipe."""
    stdin = sys.stdin.buffer
    # Keep the real stdout for frames; everything else written to fd 1 (print, C extensions) goes to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    cache = {}
    while True:
        prefix = _read_exact(stdin, 8)
        if prefix is None:
            return
        if prefix[:4] != b"ALBQ":
            raise RuntimeError("expected an albench request frame on stdin, got %r" % prefix)
        (length,) = struct.unpack("<I", prefix[4:])
        header = json.loads(_read_exact(stdin, length).decode("utf-8"))
        size = sum(int(np.prod(a["shape"], dtype=np.int64)) * _DTYPES[a["dtype"]].itemsize for a in header["arrays"])
        payload = _read_exact(stdin, size) if size else b""
        if payload is None:
            return
        chosen = select(parse_request(header, payload, cache))
        out.write(encode_response(chosen))
        out.flush()
