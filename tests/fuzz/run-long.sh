#!/usr/bin/env bash
# Long fuzzing runs while developing: every target at once, niced, for SECONDS each
# (default 1800). Needs the clang build: cmake -S . -B build-fuzz -DNFTC_FUZZ=ON
# -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only"
# && cmake --build build-fuzz --target <fuzz targets>.
# Usage: tests/fuzz/run-long.sh [SECONDS] [target...]   (from the project root)
# Corpora grow in build-fuzz/corpus/<target>/ (kept between runs), crashes go to
# build-fuzz/artifacts/<target>/, logs to build-fuzz/fuzz-<target>.log.
set -u
cd "$(dirname "$0")/../.."
SECS=${1:-1800}
shift || true
targets=("$@")
if [ ${#targets[@]} = 0 ]; then
  for src in tests/fuzz/fuzz_*.cc; do
    t=$(basename "$src" .cc); t=${t#fuzz_}
    [ "$t" = entry ] || targets+=("$t")
  done
fi
pids=()
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$t" "build-fuzz/artifacts/$t"
  # -fork=1 -ignore_*: keep fuzzing after a finding, so one run collects all of them.
  nice -n 19 "build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=120 \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -max_len=16384 -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$t/" \
    "build-fuzz/corpus/$t" "tests/fuzz/seeds/$t" >"build-fuzz/fuzz-$t.log" 2>&1 &
  pids+=($!)
  echo "started $t (pid $!)"
done
rc=0
for i in "${!pids[@]}"; do
  wait "${pids[$i]}"
  t=${targets[$i]}
  if [ -n "$(ls -A "build-fuzz/artifacts/$t")" ]; then
    echo "$t: FOUND SOMETHING: $(ls "build-fuzz/artifacts/$t" | tr '\n' ' ')"; rc=1
  fi
done
exit $rc
