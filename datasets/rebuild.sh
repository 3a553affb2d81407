#!/usr/bin/env bash
# Rebuilds datasets/fashion-mnist (the embedded subset and SHA256SUMS) from the official Fashion-MNIST files.
# Usage: datasets/rebuild.sh [folder with the four official .gz files]
# Default source: the Debian/Ubuntu package dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="${1:-/usr/share/datasets/fashion-mnist}"
cd "$here/.."
dotnet run -c Release --project tools/Datasets -- --from "$source_dir" --out datasets/fashion-mnist
