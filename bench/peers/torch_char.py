"""PyTorch peer for bench/parity.ts: nanoGPT's training loop (train.py) on a token file, with the
same model as src/model/gpt.ts (GPT-2 layout with biases, learned positions, pre-LN, tanh GELU,
lm_head tied to wte, no dropout; nanoGPT's init: N(0, 0.02), c_proj N(0, 0.02/sqrt(2L)), biases 0).
Weights are kept as Hugging Face GPT-2 Conv1D parameters ([in, out]) under the names our side uses,
so --init can load our initial weights for controlled experiments.

Reads one JSON object (the recipe and file paths) from argv[1]; prints one JSON line:
{"seed", "steps", "val_loss" (final, on the fixed windows), "curve": [{"step", "val_loss"}],
 "train_loss": [{"step", "loss", "lr", "grad_norm"}] (a few steps), "seconds", "torch"}.

Recipe keys: n_layer n_head n_embd block_size batch_size vocab_size steps lr min_lr warmup_steps
decay_steps weight_decay beta1 beta2 eps grad_clip seed threads eval_at (steps to evaluate before;
the end is always evaluated). Files: train, val (uint16 tokens), eval (int32 window offsets into
val, batch_size per batch). Optional: init (float32 weights in gpt.ts paramShapes order),
batches (int32 train offsets, batch_size per step: replaces torch.randint), log_steps (steps whose
train loss is reported; default a few), save (writes the final weights there, float32 in the init file's layout), bias (false: nanoGPT train.py's default model, no biases in
Linear and LayerNorm) and gelu ("none": nanoGPT's exact nn.GELU; default "tanh", ours): variants to
compare with, not our model.
"""
import json, math, sys, time
import numpy as np
import torch
import torch.nn.functional as F

cfg = json.loads(sys.argv[1])
torch.set_num_threads(int(cfg.get("threads", 1)))
torch.manual_seed(int(cfg["seed"]))
L, H, C, T, B, V = (int(cfg[k]) for k in ("n_layer", "n_head", "n_embd", "block_size", "batch_size", "vocab_size"))
BIAS = bool(cfg.get("bias", True))
GELU = cfg.get("gelu", "tanh")


def param_shapes():
    """The parameter names and shapes of src/model/gpt.ts paramShapes, in its order."""
    out = [("transformer.wte.weight", (V, C)), ("transformer.wpe.weight", (T, C))]
    for i in range(L):
        p = f"transformer.h.{i}"
        out += [(f"{p}.ln_1.weight", (C,)), (f"{p}.ln_1.bias", (C,)),
                (f"{p}.attn.c_attn.weight", (C, 3 * C)), (f"{p}.attn.c_attn.bias", (3 * C,)),
                (f"{p}.attn.c_proj.weight", (C, C)), (f"{p}.attn.c_proj.bias", (C,)),
                (f"{p}.ln_2.weight", (C,)), (f"{p}.ln_2.bias", (C,)),
                (f"{p}.mlp.c_fc.weight", (C, 4 * C)), (f"{p}.mlp.c_fc.bias", (4 * C,)),
                (f"{p}.mlp.c_proj.weight", (4 * C, C)), (f"{p}.mlp.c_proj.bias", (C,))]
    out += [("transformer.ln_f.weight", (C,)), ("transformer.ln_f.bias", (C,))]
    return out if BIAS else [(n, s) for n, s in out if not n.endswith(".bias")]


def init_params():
    """nanoGPT's _init_weights (normal 0.02, c_proj 0.02/sqrt(2L), zero biases, unit LN gains), or --init."""
    shapes = param_shapes()
    params = {}
    if cfg.get("init"):
        flat = np.fromfile(cfg["init"], dtype=np.float32)
        assert flat.size == sum(math.prod(s) for _, s in shapes), "init file size does not match the config"
        off = 0
        for name, s in shapes:
            n = math.prod(s)
            params[name] = torch.tensor(flat[off:off + n].reshape(s))
            off += n
    else:
        for name, s in shapes:
            if ".ln_" in name:
                params[name] = torch.ones(s) if name.endswith(".weight") else torch.zeros(s)
            elif name.endswith(".weight"):
                std = 0.02 / math.sqrt(2 * L) if name.endswith("c_proj.weight") else 0.02
                params[name] = torch.randn(s) * std
            else:
                params[name] = torch.zeros(s)
    return {k: v.requires_grad_(True) for k, v in params.items()}


P = init_params()
MASK = torch.tril(torch.ones(T, T, dtype=torch.bool)).view(1, 1, T, T)


def b_(name):
    """A bias, or None in the bias-free variant."""
    return P[name] if BIAS else None


def lin(x, name):
    y = x @ P[f"{name}.weight"]
    return y + P[f"{name}.bias"] if BIAS else y


def forward(idx, targets):
    b, t = idx.shape
    x = P["transformer.wte.weight"][idx] + P["transformer.wpe.weight"][:t]  # [b, t, C]
    for i in range(L):
        p = f"transformer.h.{i}"
        h = F.layer_norm(x, (C,), P[f"{p}.ln_1.weight"], b_(f"{p}.ln_1.bias"), 1e-5)
        q, k, v = lin(h, f"{p}.attn.c_attn").split(C, dim=2)
        q, k, v = (z.view(b, t, H, C // H).transpose(1, 2) for z in (q, k, v))  # [b, H, t, hs]
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(C // H))
        att = F.softmax(att.masked_fill(~MASK[:, :, :t, :t], float("-inf")), dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, C)
        x = x + lin(y, f"{p}.attn.c_proj")
        h = F.layer_norm(x, (C,), P[f"{p}.ln_2.weight"], b_(f"{p}.ln_2.bias"), 1e-5)
        h = F.gelu(lin(h, f"{p}.mlp.c_fc"), approximate=GELU)
        x = x + lin(h, f"{p}.mlp.c_proj")
    x = F.layer_norm(x, (C,), P["transformer.ln_f.weight"], b_("transformer.ln_f.bias"), 1e-5)
    logits = x @ P["transformer.wte.weight"].t()  # tied lm_head
    return F.cross_entropy(logits.view(-1, V), targets.view(-1))


train = torch.from_numpy(np.fromfile(cfg["train"], dtype=np.uint16).astype(np.int64))
val = torch.from_numpy(np.fromfile(cfg["val"], dtype=np.uint16).astype(np.int64))
eval_offsets = torch.from_numpy(np.fromfile(cfg["eval"], dtype=np.int32).astype(np.int64))
fixed = torch.from_numpy(np.fromfile(cfg["batches"], dtype=np.int32).astype(np.int64)) if cfg.get("batches") else None


def windows(data, ix):
    x = torch.stack([data[i:i + T] for i in ix])
    y = torch.stack([data[i + 1:i + 1 + T] for i in ix])
    return x, y


def get_batch(step):
    """nanoGPT's get_batch('train'), or the step's offsets from --batches."""
    ix = fixed[step * B:(step + 1) * B] if fixed is not None else torch.randint(len(train) - T, (B,))
    return windows(train, ix)


@torch.no_grad()
def val_loss():
    """Mean loss over the fixed validation windows, batch_size windows per batch."""
    n = len(eval_offsets) // B
    return sum(forward(*windows(val, eval_offsets[j * B:(j + 1) * B])).item() for j in range(n)) / n


def get_lr(it):
    """nanoGPT's get_lr."""
    warmup, decay, lr, min_lr = int(cfg["warmup_steps"]), int(cfg["decay_steps"]), cfg["lr"], cfg["min_lr"]
    if it < warmup:
        return lr * (it + 1) / (warmup + 1)
    if it > decay:
        return min_lr
    ratio = (it - warmup) / (decay - warmup)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (lr - min_lr)


# nanoGPT's configure_optimizers: weight decay on >= 2-D parameters only.
decay = [p for p in P.values() if p.dim() >= 2]
no_decay = [p for p in P.values() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg["weight_decay"]}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=cfg["lr"], betas=(cfg["beta1"], cfg["beta2"]), eps=cfg["eps"])

steps = int(cfg["steps"])
eval_at = set(int(s) for s in cfg.get("eval_at", []))
log_steps = set(int(s) for s in cfg.get("log_steps", [0, 1, 2, 99, 100, steps // 2, steps - 1]))
curve, train_log = [], []
t0 = time.perf_counter()
for it in range(steps):
    if it in eval_at:
        curve.append({"step": it, "val_loss": val_loss()})
    lr = get_lr(it)
    for g in opt.param_groups:
        g["lr"] = lr
    x, y = get_batch(it)
    loss = forward(x, y)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(list(P.values()), cfg["grad_clip"]) if cfg["grad_clip"] > 0 else torch.tensor(float("nan"))
    opt.step()
    opt.zero_grad(set_to_none=True)
    if it in log_steps:
        train_log.append({"step": it, "loss": loss.item(), "lr": lr, "grad_norm": float(norm)})
if cfg.get("save"):
    np.concatenate([p.detach().numpy().ravel() for p in P.values()]).astype(np.float32).tofile(cfg["save"])
final = val_loss()
curve.append({"step": steps, "val_loss": final})
print(json.dumps({"seed": cfg["seed"], "steps": steps, "val_loss": final, "curve": curve, "train_loss": train_log,
                  "seconds": time.perf_counter() - t0, "torch": torch.__version__}))
