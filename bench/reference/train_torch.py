"""Reference for `train`: the Hu et al. (2020) composition WGAN-GP in PyTorch CPU.

Same sizes as src/ml/compositionGan/model.ts: generator Linear 128→3072, BN, ReLU → 6×4×128 →
ConvT 5×5 s(2,2) → 11×8×64 → ConvT 3×3 s(2,1) → 22×8×32 → 43×8×16 → 85×8×1 sigmoid (BN + ReLU
between); critic tanh(W_e + b_e) embeddings, count-weighted pooling, MLP 128→128→64→32→1.
WGAN-GP λ 10, Adam 1e-4 β (0.5, 0.9), batch 256. One step = n_critic critic updates + one
generator update (as our stepsPerSecond counts it). Usage: train_torch.py THREADS [STEPS] [N_CRITIC]
"""
import json, os, sys, time

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
# Debian's torch does its products through the system BLAS (OpenBLAS), whose own thread pool
# ignores torch.set_num_threads and starts one thread per core: before this line "1 thread" ran
# OpenBLAS on 2. It reads this variable once, when torch loads it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))
import torch  # noqa: E402
from torch import nn  # noqa: E402

steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
n_critic = int(sys.argv[3]) if len(sys.argv) > 3 else 5
torch.set_num_threads(threads)
torch.manual_seed(0)
B, E, S = 256, 85, 8


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(128, 3072), nn.BatchNorm1d(3072), nn.ReLU())
        self.net = nn.Sequential(
            nn.ConvTranspose2d(128, 64, 5, stride=(2, 2), padding=2, output_padding=(0, 1)), nn.BatchNorm2d(64), nn.ReLU(),
            nn.ConvTranspose2d(64, 32, 3, stride=(2, 1), padding=1, output_padding=(1, 0)), nn.BatchNorm2d(32), nn.ReLU(),
            nn.ConvTranspose2d(32, 16, 3, stride=(2, 1), padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 3, stride=(2, 1), padding=1), nn.Sigmoid(),
        )

    def forward(self, z):
        h = self.fc(z).view(-1, 128, 6, 4)
        return self.net(h).view(-1, E, S)


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(E, 128) * 0.1)
        self.b = nn.Parameter(torch.zeros(128))
        self.mlp = nn.Sequential(nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
        self.register_buffer("slots", torch.arange(1, S + 1, dtype=torch.float32))

    def forward(self, x):
        counts = (x * self.slots).sum(-1)  # n_e = Σ_n n · X[e, n-1]
        return self.mlp(counts @ torch.tanh(self.w + self.b))


G, D = Generator(), Critic()
opt_g = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.5, 0.9))
opt_d = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.5, 0.9))
real_pool = torch.zeros(4096, E, S)
idx = torch.randint(0, E, (4096, 3))
cnt = torch.randint(0, 5, (4096, 3))
for i in range(3):
    real_pool[torch.arange(4096), idx[:, i], cnt[:, i]] = 1.0


def step():
    for _ in range(n_critic):
        real = real_pool[torch.randint(0, 4096, (B,))]
        fake = G(torch.randn(B, 128)).detach()
        eps = torch.rand(B, 1, 1)
        mix = (real + eps * (fake - real)).requires_grad_(True)
        grad = torch.autograd.grad(D(mix).sum(), mix, create_graph=True)[0]
        gp = ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
        loss_d = D(fake).mean() - D(real).mean() + 10 * gp
        opt_d.zero_grad(); loss_d.backward(); opt_d.step()
    loss_g = -D(G(torch.randn(B, 128))).mean()
    opt_g.zero_grad(); loss_g.backward(); opt_g.step()


step(); step()  # warm-up
start = time.perf_counter()
cpu_start = time.process_time()  # CPU of every thread of this process: steadier on a shared machine
for _ in range(steps):
    step()
elapsed = time.perf_counter() - start
cpu = time.process_time() - cpu_start
print(json.dumps({"value": steps / elapsed, "perCpuSecond": steps / cpu, "threads": threads, "steps": steps, "n_critic": n_critic, "batch": B}))
