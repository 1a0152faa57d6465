#!/usr/bin/env bash
# storyclust against datasketch, rensa, gaoya and scikit-learn/scipy, on one corpus.
#   bash benches/peers/run.sh [CORPUS] [ROUNDS]
# CORPUS defaults to ../shared/data/saudinewsnet.jsonl.gz, ROUNDS to 3. Creates a virtualenv
# in benches/peers/.venv (the peers come from PyPI) and works in target/peers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=${1:-$root/../shared/data/saudinewsnet.jsonl.gz}
rounds=${2:-3}
work=$root/target/peers
venv=$here/.venv
mkdir -p "$work"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
(cd "$root" && cargo build --release --quiet --bin storyclust --example peer_stages)
bin=$root/target/release/storyclust
example=$root/target/release/examples/peer_stages
echo "preparing $corpus (storyclust's normalisation, exact pairs, vectors)"
"$example" "$corpus" "$work" > /dev/null
"$bin" dedup "$corpus" --exact --pairs "$work/exact-pairs.tsv" -q > /dev/null
"$venv/bin/python" "$here/peers.py" --corpus "$corpus" --work "$work" \
  --storyclust "$bin" --example "$example" --rounds "$rounds"
