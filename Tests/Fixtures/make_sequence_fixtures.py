#!/usr/bin/env python3
"""Writes the PyTorch parity fixtures of the sequence layers: Tests/Fixtures/sequence_*.safetensors.

Run from anywhere with the project's venv (torch, safetensors): python make_sequence_fixtures.py

Each recurrent fixture holds a padded batch with unequal lengths, the weights of an nn.RNN / nn.LSTM /
nn.GRU (batch_first, PyTorch's state_dict names), the unpacked output of pack_padded_sequence, the
`last` pooling read from h_n, two upstream gradients and the gradients of
loss = sum(output * output_grad) + sum(last * last_grad) with respect to the input and every weight.
Each convolution fixture does the same for a bank of nn.Conv1d with ReLU and max or mean pooling over
each sequence's valid positions, a sequence shorter than the largest kernel padded up to it.

Weights and inputs are drawn in float32; the computation runs in float64 so that the stored
references carry no float32 rounding of their own.
"""
import json
from pathlib import Path

import torch
from safetensors.torch import save_file
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

HERE = Path(__file__).resolve().parent
LENGTHS = [5, 2, 4, 1]   # unsorted, one of length 1, longest shorter than T
T = 6
D = 4
H = 3


def padded_input(generator, lengths, t, d):
    x = torch.randn(len(lengths), t, d, generator=generator)
    for b, length in enumerate(lengths):
        x[b, length:] = 0
    return x


def f32(tensors):
    return {name: value.detach().to(torch.float32).contiguous() for name, value in tensors.items()}


def recurrent_case(arch, layers, bidirectional, seed):
    generator = torch.Generator().manual_seed(seed)
    module_type = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[arch]
    torch.manual_seed(seed)
    module = module_type(D, H, num_layers=layers, bidirectional=bidirectional, batch_first=True)
    module = module.double()
    dirs = 2 if bidirectional else 1
    x = padded_input(generator, LENGTHS, T, D).double().requires_grad_(True)
    output_grad = torch.randn(len(LENGTHS), T, H * dirs, generator=generator).double()
    for b, length in enumerate(LENGTHS):
        output_grad[b, length:] = 0
    last_grad = torch.randn(len(LENGTHS), H * dirs, generator=generator).double()

    packed = pack_padded_sequence(x, torch.tensor(LENGTHS), batch_first=True, enforce_sorted=False)
    packed_output, state = module(packed)
    output, _ = pad_packed_sequence(packed_output, batch_first=True, total_length=T)
    h_n = state[0] if arch == "lstm" else state
    last = torch.cat([h_n[-dirs + d] for d in range(dirs)], dim=1)
    loss = (output * output_grad).sum() + (last * last_grad).sum()
    loss.backward()

    tensors = {"input": x, "lengths": torch.tensor(LENGTHS, dtype=torch.float64), "output": output,
               "last": last, "output_grad": output_grad, "last_grad": last_grad, "grad.input": x.grad}
    for name, parameter in module.named_parameters():
        tensors[name] = parameter
        tensors["grad." + name] = parameter.grad
    config = {"arch": arch, "layers": layers, "bidirectional": bidirectional, "dim": D, "hidden": H, "max_length": T}
    name = f"sequence_{arch}_l{layers}_{'bi' if bidirectional else 'uni'}.safetensors"
    save_file(f32(tensors), str(HERE / name), metadata={"config": json.dumps(config, sort_keys=True)})
    return name


def conv_case(pooling, seed):
    kernel_sizes = [2, 4, 3]   # not sorted: the bank keeps the given order
    filters = 3
    lengths = [6, 2, 4, 3]     # 2 and 3 are shorter than the largest kernel
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    convs = [torch.nn.Conv1d(D, filters, k).double() for k in kernel_sizes]
    x = padded_input(generator, lengths, T, D).double().requires_grad_(True)
    largest = max(kernel_sizes)
    rows = []
    for b, length in enumerate(lengths):
        # The sequence padded with the padding id (a zero embedding) up to the largest kernel.
        window = x[b, :length]
        if length < largest:
            window = torch.cat([window, torch.zeros(largest - length, D, dtype=x.dtype)])
        window = window.t().unsqueeze(0)
        pooled = []
        for conv in convs:
            activation = torch.relu(conv(window))[0]
            pooled.append(activation.max(dim=1).values if pooling == "max" else activation.mean(dim=1))
        rows.append(torch.cat(pooled))
    output = torch.stack(rows)
    output_grad = torch.randn(output.shape, generator=generator).double()
    (output * output_grad).sum().backward()

    tensors = {"input": x, "lengths": torch.tensor(lengths, dtype=torch.float64), "output": output,
               "output_grad": output_grad, "grad.input": x.grad}
    for q, conv in enumerate(convs):
        for name, parameter in conv.named_parameters():
            tensors[f"conv.{q}.{name}"] = parameter
            tensors[f"grad.conv.{q}.{name}"] = parameter.grad
    config = {"kernel_sizes": kernel_sizes, "filters": filters, "dim": D, "pooling": pooling, "max_length": T}
    name = f"sequence_conv_{pooling}.safetensors"
    save_file(f32(tensors), str(HERE / name), metadata={"config": json.dumps(config, sort_keys=True)})
    return name


def main():
    torch.set_default_dtype(torch.float32)
    seed = 100
    for arch in ["rnn", "lstm", "gru"]:
        for layers in [1, 2]:
            for bidirectional in [False, True]:
                seed += 1
                print(recurrent_case(arch, layers, bidirectional, seed))
    for pooling in ["max", "mean"]:
        seed += 1
        print(conv_case(pooling, seed))


if __name__ == "__main__":
    main()
