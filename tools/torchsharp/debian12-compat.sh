#!/usr/bin/env bash
# Makes TorchSharp 0.107's native glue (libLibTorchSharp.so) load where libstdc++ is older than GCC 13's (Debian 12).
# That library asks for GLIBCXX_3.4.32 for one symbol only, std::ios_base_library_init(); ../shared/notes has the
# investigation. For every libLibTorchSharp.so under the given folders that the loader refuses for that reason:
#   1. the symbol loses its version (patchelf), 2. the GLIBCXX_3.4.32 need is marked weak (weaken_version_need.py),
#   3. a two-line library defining the symbol is built beside it and added as a dependency (g++, patchelf).
# A library that already loads is left alone, so this is a no-op on Ubuntu 24.04, Debian 13, macOS and Windows and
# on a second run. The file is patched through a temporary copy: an interrupted run leaves the original in place.
# Exit status: 0 when every library found loads afterwards (or none needed the fix), 1 otherwise, with the reason.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
symbol=_ZSt21ios_base_library_initv
shim=libios_base_library_init.so

if [ "$#" -eq 0 ]; then echo "usage: $0 FOLDER... (folders holding libLibTorchSharp.so)" >&2; exit 2; fi
[ "$(uname -s)" = Linux ] || exit 0

# After the fix ldd still reports the need, as "weak version ... not found", which the loader accepts.
refused() { ldd -r "$1" 2>&1 | grep "GLIBCXX_3.4.32' not found" | grep -qv "weak version"; }
need_tool() {
  command -v "$1" >/dev/null || {
    echo "TorchSharp cannot load here: $2 needs the fix in tools/torchsharp/debian12-compat.sh, which needs $1 (Debian: sudo apt-get install $3)." >&2
    exit 1
  }
}
python=$(command -v /usr/bin/python3 || command -v python3 || true)

status=0
for folder in "$@"; do
  [ -d "$folder" ] || { echo "$0: $folder is not a folder" >&2; exit 2; }
  while IFS= read -r -d '' library; do
    refused "$library" || continue
    need_tool patchelf "$library" patchelf
    need_tool g++ "$library" g++
    [ -n "$python" ] || need_tool python3 "$library" python3
    dir=$(dirname "$library")
    work=$(mktemp -d)
    cp "$library" "$work/lib.so"
    patchelf --clear-symbol-version "$symbol" "$work/lib.so"
    "$python" "$here/weaken_version_need.py" "$work/lib.so" >/dev/null
    g++ -shared -fPIC -O2 -o "$work/$shim" "$here/ios_base_library_init.cpp"
    patchelf --add-needed "$shim" "$work/lib.so"
    cp "$work/$shim" "$dir/$shim.tmp" && mv -f "$dir/$shim.tmp" "$dir/$shim"
    cp "$work/lib.so" "$library.tmp" && mv -f "$library.tmp" "$library"
    rm -rf "$work"
    if refused "$library"; then
      echo "TorchSharp: $library still needs GLIBCXX_3.4.32 after the fix" >&2; status=1
    else
      echo "TorchSharp: made $library load with this system's libstdc++ (Debian 12 fix)"
    fi
  done < <(find "$folder" -name libLibTorchSharp.so -print0)
done
exit "$status"
