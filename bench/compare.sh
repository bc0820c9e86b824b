#!/usr/bin/env bash
# Side-by-side timing of the Java implementation (`dualmtgan bench`) and the PyTorch reference
# (bench/pytorch_reference.py) on the same config, batch, shapes and thread count, in alternating
# rounds, so that both see the same machine state. The reference runs twice per round: with
# PyTorch's default oneDNN instruction set and with ONEDNN_MAX_CPU_ISA=AVX, the cap the Java side
# applied until 2026-12-01 (model/CpuIsaGuard.java; now an option). Prints per-step times, inference latencies and the ratios
# Java / PyTorch (below 1: Java is faster; the target is <= 0.8).
#
# Needs the built jar (mvn -q -DskipTests package) and, on Debian,
#   apt-get install python3-torch libopenblas0-pthread
# (without libopenblas0-pthread Debian's PyTorch uses a reference BLAS about 30x slower).
#
# Usage: bench/compare.sh [--config C] [--batch B] [--steps N] [--warmup N] [--runs N] [--rounds K]
#                         [--threads N] [--frames T] [--size S] [--width W] [--out DIR]
# Environment: DUALMTGAN_CMD (default: ./dualmtgan), PYTHON (default: /usr/bin/python3).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."

config=weizmann-64 batch=16 steps=5 warmup=2 runs=5 rounds=2 threads=$(nproc) out=""
shape=()
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --frames|--size|--width) shape+=("$1" "$2"); shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
java_cmd=${DUALMTGAN_CMD:-./dualmtgan}
python=${PYTHON:-/usr/bin/python3}
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "error: $python cannot import torch; on Debian: apt-get install python3-torch libopenblas0-pthread" >&2
  exit 2
fi
dir=${out:-$(mktemp -d)}
mkdir -p "$dir"
common=(--config "$config" --batch "$batch" --steps "$steps" --warmup "$warmup" --runs "$runs" --threads "$threads" "${shape[@]}")

for ((r = 1; r <= rounds; r++)); do
  # Alternate who goes first, so neither always meets a warmer or cooler machine.
  order=(java ref ref-avx)
  if ((r % 2 == 0)); then order=(ref-avx ref java); fi
  for who in "${order[@]}"; do
    echo "round $r/$rounds: $who" >&2
    case "$who" in
      java) $java_cmd bench "${common[@]}" --what train,transfer,generate --out "$dir/java-$r" >/dev/null ;;
      ref) env -u ONEDNN_MAX_CPU_ISA "$python" bench/pytorch_reference.py "${common[@]}" | sed -n 's/^REFERENCE //p' >"$dir/ref-$r.json" ;;
      ref-avx) ONEDNN_MAX_CPU_ISA=AVX "$python" bench/pytorch_reference.py "${common[@]}" | sed -n 's/^REFERENCE //p' >"$dir/ref-avx-$r.json" ;;
    esac
  done
done

"$python" - "$dir" "$rounds" <<'EOF'
import json, statistics, sys
d, rounds = sys.argv[1], int(sys.argv[2])
java = [json.load(open(f"{d}/java-{r}.json")) for r in range(1, rounds + 1)]
ref = [json.load(open(f"{d}/ref-{r}.json")) for r in range(1, rounds + 1)]
avx = [json.load(open(f"{d}/ref-avx-{r}.json")) for r in range(1, rounds + 1)]
med = statistics.median
j_step = med(x["train"]["median_step_seconds"] for x in java)
j_tr = med(x["transfer"]["median_ms"] for x in java)
j_gen = med(x["generate"]["median_ms"] for x in java)
c = java[0]["config"]
m = java[0]["machine"]
print(f"# Java vs PyTorch: {c['name']} ({c['size']}x{c['size']}, T {c['frames']}, width {c['width']}), batch {c['batch']}, "
      f"{ref[0]['threads']} threads, {rounds} alternating rounds (medians)\n")
print(f"Machine: {m['cpu']}, {m['cores']} cores; Java engine threads {m['engine_threads']}, oneDNN cap {m['onednn_max_cpu_isa']}; "
      f"reference: torch {ref[0]['torch']}; load average at the first Java start {m['load_average_start']}\n")
jp = java[0]["config"]["parameters"]
rp = ref[0]["parameters"]
print("Parameter counts " + ("match" if jp == rp else f"DIFFER: Java {jp}, PyTorch {rp}") + f": {rp}\n")
print("| measurement | Java | PyTorch (default ISA) | Java / PyTorch | PyTorch (ISA AVX) | Java / PyTorch AVX |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
def row(name, jv, key, unit, fmt):
    rv = med(x[key] for x in ref)
    av = med(x[key] for x in avx)
    print(f"| {name} | {jv:{fmt}} {unit} | {rv:{fmt}} {unit} | {jv / rv:.2f} | {av:{fmt}} {unit} | {jv / av:.2f} |")
row("training step", j_step, "median_step_seconds", "s", ".3f")
row("transfer (1 clip)", j_tr, "transfer_median_ms", "ms", ".1f")
row("generate (8 samples)", j_gen, "generate_median_ms", "ms", ".1f")
print("\nPer round (Java s/step | PyTorch s/step | PyTorch AVX s/step): "
      + "; ".join(f"{a['train']['median_step_seconds']:.3f} | {b['median_step_seconds']:.3f} | {v['median_step_seconds']:.3f}"
                  for a, b, v in zip(java, ref, avx)))
print("Target: Java / PyTorch <= 0.8 for the training step and for inference.")
print(f"Raw results: {d}")
EOF
