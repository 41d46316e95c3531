#!/usr/bin/env bash
# Extra CI (issue 8): the whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer,
# then every libFuzzer target for 60 seconds from its seed corpus.
#
#   scripts/ci-extra.sh            both parts (what .ci/run runs after scripts/test.sh)
#   scripts/ci-extra.sh sanitize   only (a): ASan/UBSan build + nftc_tests
#   scripts/ci-extra.sh fuzz       only (b): fuzz targets, 60 s each (NFTC_FUZZ_SECONDS)
#
# One clang build in build-san/ (never in build/) serves both parts: every object is built
# with -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined
# (CMakeLists.txt, NFTC_FUZZ), so the test suite and the fuzz targets share it (a second,
# g++ sanitizer build doubled this stage's time). Installs what it needs with apt-get
# (Debian 12, as root). Exit 0 only when every test passes and no fuzz target finds
# anything; a fuzz crash leaves its input in build-san/artifacts/<target>/ (add it to
# tests/fuzz/regressions/<target>/ once fixed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WHAT=${1:-all}
FUZZ_SECONDS=${NFTC_FUZZ_SECONDS:-60}
JOBS=$(nproc)
start=$(date +%s)
B=build-san

PKGS=(build-essential cmake pkg-config libnftables-dev nlohmann-json3-dev libre2-dev libcli11-dev catch2
      nftables iptables iproute2 clang clang-14 libclang-rt-14-dev)
scripts/install-packages.sh "${PKGS[@]}"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT}  # relative paths: hits across build folders
fi
cmake -S . -B $B -DNFTC_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" "${launcher[@]}" >/dev/null

# Sanitizer reports end the run with an error; leaks are reported too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ "$WHAT" = all ] || [ "$WHAT" = sanitize ]; then
  echo "== ci-extra (a): clang build with -fsanitize=address,undefined ($B/)"
  cmake --build $B -j"$JOBS" --target nft-coexist nftc_tests
  echo "== ci-extra (a): nftc_tests under ASan+UBSan"
  $B/tests/nftc_tests
  echo "== ci-extra (a): passed after $(( $(date +%s) - start )) s"
fi

if [ "$WHAT" = all ] || [ "$WHAT" = fuzz ]; then
  echo "== ci-extra (b): libFuzzer targets ($B/)"
  targets=()
  for src in tests/fuzz/fuzz_*.cc; do
    t=$(basename "$src" .cc)
    [ "$t" = fuzz_entry ] || targets+=("$t")
  done
  cmake --build $B -j"$JOBS" --target "${targets[@]}"
  rc=0
  for t in "${targets[@]}"; do
    name=${t#fuzz_}
    work=$B/corpus/$name art=$B/artifacts/$name
    rm -rf "$work" && mkdir -p "$work" "$art"
    echo "== ci-extra (b): $t for ${FUZZ_SECONDS} s"
    # New inputs go to the scratch corpus; the committed seeds are only read.
    if ! $B/tests/fuzz/$t -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -timeout=120 \
         -max_len=16384 -print_final_stats=1 -artifact_prefix="$art/" "$work" "tests/fuzz/seeds/$name" \
         >"$B/$t.log" 2>&1; then
      echo "FAIL: $t found a problem (input in $art/):"
      grep -E "ERROR|runtime error|==[0-9]+==|#[0-9]+ " "$B/$t.log" | head -30
      rc=1
    else
      grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$B/$t.log" | tr '\n' ' '
      grep -oE "cov: [0-9]+ ft: [0-9]+" "$B/$t.log" | tail -1
    fi
  done
  [ $rc = 0 ] || exit 1
fi
echo "== ci-extra: all passed in $(( $(date +%s) - start )) s"
