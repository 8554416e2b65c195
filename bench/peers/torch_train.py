"""PyTorch peer for bench/train.ts (CPU) and bench/gpu.sh (GPU): the same GPT-2 model as
src/model (tied embeddings, pre-LN blocks, tanh GELU, no dropout) trained with AdamW on random
tokens, eager mode, fp32 (TF32 off on the GPU). Prints one JSON line {"tokens_per_s", "torch",
"threads" | "device"}.
Usage: torch_train.py n_layer n_head n_embd block batch vocab steps threads [cpu|cuda]"""
import json, math, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

L, H, C, T, B, V, STEPS, THREADS = (int(a) for a in sys.argv[1:9])
dev = torch.device(sys.argv[9] if len(sys.argv) > 9 else "cpu")
CUDA = dev.type == "cuda"
if CUDA:
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
else:
    torch.set_num_threads(THREADS)
torch.manual_seed(0)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.c_attn, self.c_proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.fc, self.proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)
        self.register_buffer("mask", torch.tril(torch.ones(T, T)).view(1, 1, T, T))

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (z.view(b, t, H, c // H).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = F.softmax(att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf")), dim=-1)
        x = x + self.c_proj((att @ v).transpose(1, 2).contiguous().view(b, t, c))
        return x + self.proj(F.gelu(self.fc(self.ln_2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        self.h = nn.ModuleList(Block() for _ in range(L))
        self.ln_f = nn.LayerNorm(C)

    def forward(self, idx, y):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1], device=dev))
        for blk in self.h:
            x = blk(x)
        logits = self.ln_f(x) @ self.wte.weight.t()
        return F.cross_entropy(logits.view(-1, V), y.view(-1))


model = GPT().to(dev)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99), weight_decay=0.1)


def step():
    x, y = torch.randint(0, V, (B, T), device=dev), torch.randint(0, V, (B, T), device=dev)
    loss = model(x, y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item()  # one host read per step, as the Trainyard trainer does


def sync():
    if CUDA:
        torch.cuda.synchronize()


for _ in range(2):
    step()
sync()
t0 = time.perf_counter()
for _ in range(STEPS):
    step()
sync()
dt = time.perf_counter() - t0
where = {"device": torch.cuda.get_device_name(0)} if CUDA else {"threads": THREADS}
print(json.dumps({"tokens_per_s": B * T * STEPS / dt, "torch": torch.__version__, **where}))
