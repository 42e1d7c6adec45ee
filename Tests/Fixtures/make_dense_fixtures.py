"""Writes the PyTorch parity fixtures for the dense-feature pieces of textclf: a Sequential
stack (nn.Sequential of Linear, Sigmoid, Linear) and plain mean squared error (nn.MSELoss).

Same conventions as make_fixtures.py: inputs and weights rounded to float32, references
computed in float64 from them and stored as float32. The stack's parameters are stored under
their state_dict names with a `param.` prefix and their gradients with `grad.`, so the Swift
test also checks that Sequential names its parameters as nn.Sequential does.

Run from the repository root:  venv/bin/python Tests/Fixtures/make_dense_fixtures.py
"""
import os

import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "core")
torch.manual_seed(20261130)


def f32(t):
    return t.to(torch.float32).to(torch.float64)


def save(name, tensors):
    stored = {k: v.detach().to(torch.float32).contiguous() for k, v in tensors.items()}
    save_file(stored, os.path.join(OUT, name + ".safetensors"))


def sequential():
    model = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.Sigmoid(), torch.nn.Linear(5, 3)).double()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(f32(p))
    x = f32(torch.randn(6, 4, dtype=torch.float64) * 2).requires_grad_()
    y = model(x)
    dy = f32(torch.randn(6, 3, dtype=torch.float64))
    y.backward(dy)
    tensors = dict(x=x, y=y, dy=dy, dx=x.grad)
    for name, p in model.named_parameters():
        tensors["param." + name] = p
        tensors["grad." + name] = p.grad
    save("sequential_sigmoid", tensors)


def mean_squared_error():
    predictions = f32(torch.randn(5, 3, dtype=torch.float64)).requires_grad_()
    targets = f32(torch.randn(5, 3, dtype=torch.float64))
    loss = torch.nn.MSELoss()(predictions, targets)
    (dpredictions,) = torch.autograd.grad(loss, predictions)
    save("loss_mse_plain", dict(predictions=predictions, targets=targets, loss=loss.reshape(1),
                                dpredictions=dpredictions))


if __name__ == "__main__":
    sequential()
    mean_squared_error()
    print("wrote core/sequential_sigmoid.safetensors and core/loss_mse_plain.safetensors")
