#!/usr/bin/env bash
# Builds and runs the SharpGrad-vs-TorchSharp comparison: bash benchmarks/SharpGrad.VsTorchSharp/run.sh [rounds]
#
# libtorch 2.10's LibTorchSharp needs libstdc++ with GLIBCXX_3.4.32 (GCC 13). Debian 12's is older, so on such a
# machine this script fetches Debian 13's libstdc++6, libgcc-s1 and libc6 into a private folder (nothing is installed
# system-wide) and runs a copy of the app host whose ELF interpreter is that folder's loader (needs patchelf).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dotnet build "$here" -c Release -v quiet -nologo
bin="$here/bin/Release/net10.0"
native="$bin/runtimes/linux-x64/native"
if grep -q GLIBCXX_3.4.32 /lib/x86_64-linux-gnu/libstdc++.so.6 2>/dev/null; then
  exec "$bin/SharpGrad.VsTorchSharp" "$@"
fi
libs="${SHARPGRAD_NEWER_LIBC:-/tmp/sharpgrad-trixie}"
if [ ! -e "$libs/x/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.33" ]; then
  mkdir -p "$libs/src" "$libs/lists/partial" "$libs/cache" "$libs/x"
  printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > "$libs/src/trixie.sources"
  apt=(-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$libs/src" -o Dir::State::Lists="$libs/lists" -o Dir::Cache="$libs/cache")
  apt-get "${apt[@]}" update -qq
  (cd "$libs" && apt-get "${apt[@]}" download libstdc++6 libgcc-s1 libc6 2>/dev/null)
  for deb in "$libs"/*.deb; do dpkg -x "$deb" "$libs/x"; done
fi
lib="$libs/x/usr/lib/x86_64-linux-gnu"
command -v patchelf >/dev/null || { echo "patchelf is needed (apt-get install patchelf)" >&2; exit 1; }
cp "$bin/SharpGrad.VsTorchSharp" "$bin/SharpGrad.VsTorchSharp.newer-libc"
patchelf --set-interpreter "$lib/ld-linux-x86-64.so.2" "$bin/SharpGrad.VsTorchSharp.newer-libc"
LD_LIBRARY_PATH="$lib:$native" exec "$bin/SharpGrad.VsTorchSharp.newer-libc" "$@"
