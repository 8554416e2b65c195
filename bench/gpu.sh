#!/usr/bin/env bash
# The GPU check for the cuda backend, on a machine with no Node.js and no network. Run from the
# repository root with bench/.gpu-pack/ (made here by `node bench/gpu-pack.mjs`) carried along:
#   bench/gpu.sh              # conformance on `cuda`, tokens/s next to PyTorch eager fp32, Moby Dick
#   bench/gpu.sh --emulate    # the same script on the host-emulation addon (tiny sizes; no GPU needed)
# Results go under $OUT (default ./gpu-out): conformance.tap, bench.json, torch-*.json, summary.txt.
set -uo pipefail
PACK=${PACK:-bench/.gpu-pack}
OUT=${OUT:-gpu-out}
EMULATE=0
[ "${1:-}" = "--emulate" ] && EMULATE=1
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

xz -dc "$PACK/node.xz" > "$WORK/node" && chmod +x "$WORK/node" || { echo "cannot unpack node" >&2; exit 1; }
xz -dc "$PACK/moby-dick.txt.xz" > "$WORK/moby-dick.txt"
NODE="$WORK/node"
export TRAINYARD_CUDA_ADDON="$PWD/$PACK/trainyard_cuda.node" TRAINYARD_CUDA_EMU_ADDON="$PWD/$PACK/trainyard_cuda_emu.node"
export TRAINYARD_TEST=1
if [ "$EMULATE" = 1 ]; then
  export TRAINYARD_CUDA_EMULATE=1
  STEPS=2; SIZE=--small; MOBY="--moby-steps 3 --moby-cpu-steps 2"
else
  # cuBLAS from the nvidia-cublas wheel in this machine's Python.
  CUBLAS=$(python3 -c 'import nvidia.cublas, os; print(os.path.join(list(nvidia.cublas.__path__)[0], "lib"))' 2>/dev/null)
  [ -n "$CUBLAS" ] && export LD_LIBRARY_PATH="$CUBLAS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  STEPS=20; SIZE=; MOBY="--moby-steps 2000 --moby-cpu-steps 10"
  nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1
fi
echo "== node $("$NODE" --version), addon: $("$NODE" -e 'const a=require(process.env.TRAINYARD_CUDA_EMULATE?process.env.TRAINYARD_CUDA_EMU_ADDON:process.env.TRAINYARD_CUDA_ADDON);console.log(JSON.stringify(a.deviceInfo()))')" | tee "$OUT/summary.txt"

echo "== conformance (cuda backend)" | tee -a "$OUT/summary.txt"
timeout 300 "$NODE" --test --test-concurrency=1 "$PACK"/tests/*.mjs > "$OUT/conformance.tap" 2>&1
echo "exit $?" >> "$OUT/conformance.tap"
grep -E '^# (tests|pass|fail|skipped)' "$OUT/conformance.tap" | tee -a "$OUT/summary.txt"
grep -E '^not ok' "$OUT/conformance.tap" | head -20 | tee -a "$OUT/summary.txt"

echo "== trainyard training (cuda)" | tee -a "$OUT/summary.txt"
timeout 420 "$NODE" "$PACK/gpu-bench.mjs" --backend cuda --steps "$STEPS" $SIZE $MOBY --book "$WORK/moby-dick.txt" > "$OUT/bench.json" 2> "$OUT/bench.err"
echo "bench exit $?" >> "$OUT/bench.err"

echo "== pytorch eager fp32" | tee -a "$OUT/summary.txt"
if python3 -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  timeout 120 python3 "$PACK/torch_train.py" 6 6 384 256 16 65 "$STEPS" 1 cuda > "$OUT/torch-6x384.json" 2>&1
  timeout 180 python3 "$PACK/torch_train.py" 12 12 768 1024 8 50304 "$STEPS" 1 cuda > "$OUT/torch-12x768.json" 2>&1
else
  echo "no PyTorch with CUDA here: skipped" | tee -a "$OUT/summary.txt"
fi

"$NODE" -e '
const fs = require("fs"), out = process.argv[1];
const read = (f) => { try { return JSON.parse(fs.readFileSync(`${out}/${f}`, "utf8").trim().split("\n").pop()); } catch { return undefined; } };
const b = read("bench.json"), peers = [read("torch-6x384.json"), read("torch-12x768.json")];
const lines = [];
if (!b) lines.push("bench failed: see bench.err");
else {
  (b.tps ?? []).forEach((r, i) => {
    const t = peers[i]?.tokens_per_s;
    lines.push(`${r.name}: trainyard ${r.tokens_per_s.toFixed(0)} tok/s` + (t ? `, pytorch ${t.toFixed(0)} tok/s, ratio ${(r.tokens_per_s / t).toFixed(2)}` : ""));
  });
  if (b.moby) lines.push(`moby dick char: ${b.moby.device.steps} steps on cuda, final loss ${b.moby.device.final_loss.toFixed(4)} (${b.moby.device.seconds.toFixed(1)} s); first ${b.moby.cpu.steps} steps vs cpu: max loss gap ${b.moby.max_loss_gap_first_steps.toExponential(2)}`);
}
fs.appendFileSync(`${out}/summary.txt`, lines.join("\n") + "\n");
console.log(lines.join("\n"));
' "$OUT"
