#!/usr/bin/env bash
# The main job on the default data (`npm run main` runs it after the build), end to end and short:
#   1. read the 267 Nb–O structures with our own parsers and tabulate them;
#   2. train the composition GAN (Hu et al. 2020) briefly on the OQMD formulas;
#   3. featurize a few formulas with the trained critic's element embeddings;
#   4. predict band gaps with the shipped model;
#   5. generate compositions with the new GAN and score them (charge neutrality, EN balance, novelty);
#   6. generate Nb–O crystals with the shipped crystal-GAN model, write CIFs and evaluate them.
# Everything lands in one folder (default ./.crystal-gan/quickstart), printed at the end.
# QUICKSTART_STEPS sets the GAN's training steps (default 30: enough for samples to start decoding with the tuned preset, about half a minute with the native kernels; not a trained model).
set -euo pipefail
cd "$(dirname "$0")/.."
CLI=(node bin/crystal-gan.js)
OUT="${QUICKSTART_DIR:-$PWD/.crystal-gan/quickstart}"
STEPS="${QUICKSTART_STEPS:-30}"
rm -rf "$OUT"; mkdir -p "$OUT"
section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

section "1. Nb–O structures read with our POSCAR parser"
"${CLI[@]}" demo | tail -n 25

section "2. Composition GAN: $STEPS training steps on the OQMD formulas (paper settings, batch 256)"
RUN=$("${CLI[@]}" train-composition-gan --max-steps "$STEPS" --eval-every 5 --log-every 5 --out "$OUT/composition-gan" | tail -n 1)
echo "run folder: $RUN"

section "3. GAN features for a few formulas (critic embeddings, first 6 of 128 columns)"
printf 'formula\nFe2O3\nGaAs\nLiFePO4\nBa0.4K0.6Fe2As2\n' > "$OUT/formulas.csv"
"${CLI[@]}" featurize --featurizer gan --model "$RUN" --input "$OUT/formulas.csv" --out "$OUT/formulas.gan.csv"
cut -d, -f1-7 "$OUT/formulas.gan.csv"

section "4. Band gaps from the shipped model (eV)"
"${CLI[@]}" predict --property band-gap Fe2O3 GaAs NaCl Si LiFePO4 ZnO || true

section "5. Compositions from the briefly trained GAN"
"${CLI[@]}" generate-compositions --model "$RUN" --n 2000 --out "$OUT/compositions.csv" | tail -n 12

section "6. Nb–O crystals from the shipped crystal-GAN model"
"${CLI[@]}" generate-crystals --n 20 --seed 1 --out "$OUT/crystals" | tail -n 5
"${CLI[@]}" evaluate-crystals "$OUT/crystals" --reference nbo

section "Done"
echo "Everything is in $OUT (composition-GAN run: $RUN; CIFs: $OUT/crystals)."
