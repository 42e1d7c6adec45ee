"""Writes the PyTorch parity fixtures for textclf's kernels, layers, losses and optimizers.

Every case is one small safetensors file in Tests/Fixtures/core/: the inputs and weights
(rounded to float32, which is what the Swift side reads), and PyTorch's outputs, input and
weight gradients, or parameters after three optimizer steps. Computation runs in float64 on
those float32 inputs, so the stored references carry no float32 rounding of their own.
Integer inputs (token ids, targets, lengths) are stored as float32 too (safetensors F32 only).

Run from the repository root:  /work/venv/bin/python Tests/Fixtures/make_fixtures.py
"""
import os
import sys

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "core")
torch.manual_seed(20241)


def f32(t):
    """Rounds to float32 and back, so the reference sees exactly what Swift reads."""
    return t.to(torch.float32).to(torch.float64)


def rand(*shape, scale=1.0):
    return f32(torch.randn(*shape, dtype=torch.float64) * scale)


def save(name, tensors, **meta):
    stored = {k: v.detach().to(torch.float32).contiguous() for k, v in tensors.items()}
    save_file(stored, os.path.join(OUT, name + ".safetensors"), metadata={k: str(v) for k, v in meta.items()})


def grads_of(output, dy, *inputs):
    return torch.autograd.grad(output, inputs, grad_outputs=dy)


def padded_batch(lengths, T, D):
    """[B·T, D] values with random real steps and random (ignored) padding."""
    x = rand(len(lengths) * T, D)
    mask = torch.zeros(len(lengths), T, dtype=torch.bool)
    for b, n in enumerate(lengths):
        mask[b, :n] = True
    return x, mask


def layers():
    # Linear: y = x Wᵀ + b.
    x = rand(5, 7).requires_grad_()
    w = rand(4, 7, scale=0.4).requires_grad_()
    b = rand(4).requires_grad_()
    y = F.linear(x, w, b)
    dy = rand(5, 4)
    dx, dw, db = grads_of(y, dy, x, w, b)
    save("linear", dict(x=x, weight=w, bias=b, y=y, dy=dy, dx=dx, dweight=dw, dbias=db))

    # Embedding with padding row 0; ids padded with 0 beyond each length.
    V, D, lengths, T = 12, 5, [4, 2, 3], 4
    emb = torch.nn.Embedding(V, D, padding_idx=0).double()
    with torch.no_grad():
        emb.weight.copy_(f32(emb.weight))
    ids = torch.zeros(len(lengths), T, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1, V, (n,))
    ids[0, 1] = ids[1, 0]  # a repeated id sums its gradients
    ids[2, 2] = 0  # a padding id inside a sequence gets no gradient
    y = emb(ids).reshape(-1, D)
    dy = rand(len(lengths) * T, D)
    (dw,) = grads_of(y, dy, emb.weight)
    save("embedding", dict(weight=emb.weight, ids=ids.reshape(-1), lengths=torch.tensor(lengths), y=y, dy=dy, dweight=dw))

    # Mean and max pooling over real positions.
    lengths, T, D = [5, 2, 3, 1], 5, 6
    x, mask = padded_batch(lengths, T, D)
    x.requires_grad_()
    x3 = x.reshape(len(lengths), T, D)
    m = mask.unsqueeze(-1).double()
    mean = (x3 * m).sum(1) / torch.tensor(lengths, dtype=torch.float64).unsqueeze(-1)
    dy = rand(len(lengths), D)
    (dx,) = grads_of(mean, dy, x)
    save("pool_mean", dict(x=x, lengths=torch.tensor(lengths), y=mean, dy=dy, dx=dx))
    maximum = x3.masked_fill(~mask.unsqueeze(-1), float("-inf")).max(dim=1).values
    (dx,) = grads_of(maximum, dy, x)
    save("pool_max", dict(x=x, lengths=torch.tensor(lengths), y=maximum, dy=dy, dx=dx))

    # Dropout with a given keep mask (PyTorch's own mask comes from its own generator).
    p = 0.3
    x = rand(4, 6).requires_grad_()
    keep = (torch.rand(4, 6) >= p).double()
    y = x * keep / (1 - p)
    dy = rand(4, 6)
    (dx,) = grads_of(y, dy, x)
    save("dropout", dict(x=x, keep=keep, y=y, dy=dy, dx=dx), p=p)

    # Activations over a wide range of inputs.
    x = torch.cat([rand(40, scale=3.0), f32(torch.tensor([0.0, -0.0, 1e-4, -1e-4, 20.0, -20.0, 0.3, -0.31]))]).reshape(6, 8)
    for name, fn in [("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("relu", torch.relu),
                     ("gelu", F.gelu), ("softmax", lambda t: torch.softmax(t, dim=1))]:
        xi = x.clone().requires_grad_()
        y = fn(xi)
        dy = rand(6, 8)
        (dx,) = grads_of(y, dy, xi)
        save("activation_" + name, dict(x=xi, y=y, dy=dy, dx=dx))


def losses():
    def case(name, loss_fn, z, **extra):
        z = z.clone().requires_grad_()
        loss = loss_fn(z)
        (dz,) = torch.autograd.grad(loss, z)
        save("loss_" + name, dict(logits=z, loss=loss.reshape(1), dlogits=dz, **extra))

    B, C = 7, 4
    z = rand(B, C, scale=2.0)
    z[0, 1] = 40.0  # far logits: the stable forms must not overflow
    z[1, 2] = -40.0
    y = torch.tensor([1, 0, 3, 2, 1, 1, 0])
    w = f32(torch.tensor([0.5, 2.0, 1.0, 3.0], dtype=torch.float64))
    case("ce", lambda t: F.cross_entropy(t, y), z, targets=y)
    case("ce_weighted", lambda t: F.cross_entropy(t, y, weight=w), z, targets=y, class_weights=w)

    L = 3
    zm = rand(B, L, scale=2.0)
    zm[2, 0] = 30.0
    zm[3, 1] = -30.0
    tm = (torch.rand(B, L) > 0.5).double()
    wl = f32(torch.tensor([1.5, 0.5, 2.0], dtype=torch.float64))
    case("bce_multilabel", lambda t: F.binary_cross_entropy_with_logits(t, tm), zm, targets=tm)
    case("bce_multilabel_weighted", lambda t: F.binary_cross_entropy_with_logits(t, tm, weight=wl.expand(B, L)),
         zm, targets=tm, class_weights=wl)

    zb = rand(B, 1, scale=2.0)
    tb = torch.tensor([[1.0], [0.0], [1.0], [1.0], [0.0], [0.0], [1.0]], dtype=torch.float64)
    wb = f32(torch.tensor([0.7, 1.6], dtype=torch.float64))
    per_row = wb[tb.long().squeeze(1)].unsqueeze(1)
    case("bce_binary", lambda t: F.binary_cross_entropy_with_logits(t, tb), zb, targets=tb)
    case("bce_binary_weighted", lambda t: F.binary_cross_entropy_with_logits(t, tb, weight=per_row),
         zb, targets=tb, class_weights=wb)

    onehot = F.one_hot(y, C).double()
    case("mse", lambda t: F.mse_loss(torch.sigmoid(t), onehot), z, targets=y)
    case("mse_weighted", lambda t: (w[y].unsqueeze(1) * (torch.sigmoid(t) - onehot) ** 2).mean(), z,
         targets=y, class_weights=w)


def optimizers():
    p0 = rand(4, 3)
    grads = [rand(4, 3) for _ in range(3)]
    cases = [
        ("sgd", lambda ps: torch.optim.SGD(ps, lr=0.1), dict(lr=0.1)),
        ("sgd_momentum", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9), dict(lr=0.1, momentum=0.9)),
        ("sgd_nesterov_decay", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01),
         dict(lr=0.05, momentum=0.8, nesterov=1, weight_decay=0.01)),
        ("adam", lambda ps: torch.optim.Adam(ps, lr=0.01), dict(lr=0.01)),
        ("adam_decay", lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.1), dict(lr=0.01, weight_decay=0.1)),
        ("adamw", lambda ps: torch.optim.AdamW(ps, lr=0.01), dict(lr=0.01)),
        ("adamw_decay", lambda ps: torch.optim.AdamW(ps, lr=0.02, weight_decay=0.5, betas=(0.8, 0.99), eps=1e-6),
         dict(lr=0.02, weight_decay=0.5, beta1=0.8, beta2=0.99, eps=1e-6)),
    ]
    for name, make, meta in cases:
        # PyTorch steps in float32 here: the rules are elementwise and Swift runs them in float32.
        p = torch.nn.Parameter(p0.to(torch.float32).clone())
        opt = make([p])
        out = {"param": p0, "grad1": grads[0], "grad2": grads[1], "grad3": grads[2]}
        for i, g in enumerate(grads, start=1):
            p.grad = g.to(torch.float32).clone()
            opt.step()
            out[f"param{i}"] = p.detach().clone()
        save("optim_" + name, out, **meta)

    # Sparse embedding updates: nn.Embedding(sparse=True) with SparseAdam, and with plain SGD.
    V, D, T = 10, 4, 3
    weight0 = f32(torch.randn(V, D, dtype=torch.float64))
    weight0[0] = 0
    steps = []
    for _ in range(3):
        lengths = [3, 1]
        ids = torch.zeros(2, T, dtype=torch.long)
        ids[0] = torch.randint(1, 5, (T,))  # rows 1–4 recur, rows 5–9 seldom: untouched rows keep their moments
        ids[1, 0] = torch.randint(1, V, (1,))
        steps.append((ids, torch.tensor(lengths), rand(2 * T, D)))
    for name, make, meta in [("sparse_adam", lambda ps: torch.optim.SparseAdam(ps, lr=0.05), dict(lr=0.05)),
                             ("sparse_sgd", lambda ps: torch.optim.SGD(ps, lr=0.5), dict(lr=0.5))]:
        emb = torch.nn.Embedding(V, D, padding_idx=0, sparse=True)
        with torch.no_grad():
            emb.weight.copy_(weight0)
        opt = make(list(emb.parameters()))
        out = {"weight": weight0}
        for i, (ids, lengths, dy) in enumerate(steps, start=1):
            opt.zero_grad()
            emb(ids).reshape(-1, D).backward(dy.to(torch.float32))
            opt.step()
            out.update({f"ids{i}": ids.reshape(-1), f"lengths{i}": lengths, f"dy{i}": dy, f"weight{i}": emb.weight.detach().clone()})
        save("optim_" + name, out, **meta)

    # Clipping by global norm over two tensors, once clipping and once not.
    for name, max_norm in [("clip", 1.5), ("clip_inactive", 100.0)]:
        a = torch.nn.Parameter(torch.zeros(3, 4, dtype=torch.float64))
        b = torch.nn.Parameter(torch.zeros(5, dtype=torch.float64))
        a.grad, b.grad = rand(3, 4), rand(5)
        ga, gb = a.grad.clone(), b.grad.clone()
        norm = torch.nn.utils.clip_grad_norm_([a, b], max_norm)
        save("optim_" + name, dict(grad_a=ga, grad_b=gb, clipped_a=a.grad, clipped_b=b.grad, norm=norm.reshape(1)), max_norm=max_norm)


def pool_model():
    """The whole `pool` network on a padded batch: Embedding → mean → Linear → softmax CE."""
    V, D, C, T, lengths = 15, 6, 3, 5, [5, 3, 1, 4]
    emb = torch.nn.Embedding(V, D, padding_idx=0).double()
    fc = torch.nn.Linear(D, C).double()
    with torch.no_grad():
        for t in (emb.weight, fc.weight, fc.bias):
            t.copy_(f32(t))
    ids = torch.zeros(len(lengths), T, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1, V, (n,))
    y = torch.tensor([0, 2, 1, 2])
    mask = (ids != 0).double().unsqueeze(-1)
    pooled = (emb(ids) * mask).sum(1) / torch.tensor(lengths, dtype=torch.float64).unsqueeze(-1)
    logits = fc(pooled)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    save("pool_model", {"embedding.weight": emb.weight, "fc.weight": fc.weight, "fc.bias": fc.bias,
                        "ids": ids.reshape(-1), "lengths": torch.tensor(lengths), "targets": y,
                        "logits": logits, "loss": loss.reshape(1), "dembedding": emb.weight.grad,
                        "dfc.weight": fc.weight.grad, "dfc.bias": fc.bias.grad})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    layers()
    losses()
    optimizers()
    pool_model()
    print("wrote", len(os.listdir(OUT)), "fixtures to", OUT)
    # The sequence layers' fixtures (RNN, LSTM, GRU, Conv1d) come from the same run.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import make_sequence_fixtures
    make_sequence_fixtures.main()
