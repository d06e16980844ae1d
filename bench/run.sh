#!/usr/bin/env bash
# The TaskQueue benchmark: TaskQueue and its peers (BullMQ, RQ, Hangfire) side by side on ONE Redis.
#
#   bench/run.sh [--quick] [--json FILE] [--systems taskqueue,bullmq,rq,hangfire,ceiling]
#
# Installs what the chosen systems need (npm packages into bench/, Debian packages only when missing,
# NuGet through dotnet build), starts one fresh redis-server on a free loopback port with no persistence,
# runs the harness (bench/harness/bench.py), and stops everything it started on exit.
# Full run: N=20,000, median of 3, under 15 minutes on 2 cores. --quick: N=5,000, one run, under 4.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
TMP="$BENCH/results/tmp"
QUICK=""
JSON="$BENCH/results/latest.json"
SYSTEMS="taskqueue,bullmq,rq,hangfire,ceiling"
PY=/usr/bin/python3   # Debian's python3, where python3-rq lives (a pyenv python3 may come first on PATH)

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK="--quick"; shift ;;
    --json) JSON="$(realpath -m "$2")"; shift 2 ;;
    --json=*) JSON="$(realpath -m "${1#--json=}")"; shift ;;
    --systems) SYSTEMS="$2"; shift 2 ;;
    --systems=*) SYSTEMS="${1#--systems=}"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
wants() { [[ ",$SYSTEMS," == *",$1,"* ]]; }
say() { echo "run.sh: $*" >&2; }

mkdir -p "$TMP"
rm -f "$TMP"/*.log "$TMP"/*.txt "$TMP"/*.resp "$TMP/worker-pids"

REDIS_PID=""
cleanup() {
  # Workers the harness started live in their own process groups; it lists their ids here.
  if [ -f "$TMP/worker-pids" ]; then
    while read -r pid; do kill -KILL -- "-$pid" 2>/dev/null || true; done < "$TMP/worker-pids"
  fi
  if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
    redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || kill "$REDIS_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$REDIS_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

apt_install() {
  say "installing Debian packages: $*"
  if ! apt-get install -y "$@" >"$TMP/apt.log" 2>&1; then
    apt-get update >>"$TMP/apt.log" 2>&1
    apt-get install -y "$@" >>"$TMP/apt.log" 2>&1 || { say "apt-get install $* failed; see $TMP/apt.log"; return 1; }
  fi
}

# Debian packages: only what is missing.
need=()
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || need+=(redis-server)
wants rq && ! $PY -c 'import rq' 2>/dev/null && need+=(python3-rq)
$PY -c 'import redis' 2>/dev/null || need+=(python3-redis)
wants bullmq && ! command -v node >/dev/null && need+=(nodejs npm)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
# The chart wants matplotlib; without it the harness draws an SVG instead, so a failure here is not fatal.
$PY -c 'import matplotlib' 2>/dev/null || apt_install python3-matplotlib || say "no matplotlib: chart falls back to SVG"

UNAVAILABLE=()
if wants bullmq; then
  if [ ! -d "$BENCH/node_modules/bullmq" ] || [ "$BENCH/package-lock.json" -nt "$BENCH/node_modules/.package-lock.json" ]; then
    say "npm ci (bullmq, ioredis)"
    (cd "$BENCH" && npm ci --no-audit --no-fund >"$TMP/npm.log" 2>&1) || { say "npm ci failed; see $TMP/npm.log"; exit 1; }
  fi
fi

build() {  # build PROJECT -> 0 on success
  say "dotnet build $1 (Release)"
  dotnet build "$BENCH/$1" -c Release -nologo "${@:2}" >"$TMP/build-$1.log" 2>&1
}
# The full run publishes the TaskQueue runner as one self-contained composite ReadyToRun image, the worker
# deployment bench/README.md recommends (~1.5 min to compile, not incremental); --quick, a smoke run with a
# 4-minute budget, publishes it framework-dependent ReadyToRun (~20 s) and says so in its notes.
if [ -n "$QUICK" ]; then
  KIND=plain; PUBLISH_ARGS=(--self-contained false -p:PublishReadyToRunComposite=false)
else
  KIND=composite; PUBLISH_ARGS=(--self-contained true)
fi
publish() {  # publish PROJECT (as KIND) into PROJECT/bin/publish -> 0 on success
  local out="$BENCH/$1/bin/publish"
  # Skipped while the last publish was of this kind and no source it reads is newer.
  if [ -f "$out/.published-$KIND" ] && [ -z "$(find "$ROOT/src/TaskQueue" "$BENCH/$1" "$BENCH/Runner" "$ROOT"/Directory.*.props \
        -type f -newer "$out/.published-$KIND" -not -path '*/bin/*' -not -path '*/obj/*' 2>/dev/null | head -1)" ]; then
    say "dotnet publish $1 ($KIND ReadyToRun): up to date"
    return 0
  fi
  say "dotnet publish $1 (Release, $KIND ReadyToRun for this machine's runtime)"
  # From clean: a self-contained publish over a framework-dependent one (or the reverse) can leave a runner that
  # aborts at start.
  rm -rf "$BENCH/$1/bin" "$BENCH/$1/obj"
  dotnet publish "$BENCH/$1" -c Release --use-current-runtime "${PUBLISH_ARGS[@]}" -o "$out" -nologo \
    >"$TMP/build-$1.log" 2>&1 && touch "$out/.published-$KIND"
}
# The runner's publish runs while the Hangfire runner builds.
PUBLISH_PID=""
if wants taskqueue || wants ceiling; then
  publish TaskQueue.Bench &
  PUBLISH_PID=$!
fi
if wants hangfire; then
  build Hangfire.Bench || { say "Hangfire.Bench build failed; see $TMP/build-Hangfire.Bench.log"; [ -z "$PUBLISH_PID" ] || kill "$PUBLISH_PID" 2>/dev/null; exit 1; }
fi
if [ -n "$PUBLISH_PID" ] && ! wait "$PUBLISH_PID"; then
  UNAVAILABLE+=(--unavailable "taskqueue=bench/TaskQueue.Bench does not build against the core on this branch (see bench/results/tmp/build-TaskQueue.Bench.log)")
fi

PORT="$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
say "starting redis-server on 127.0.0.1:$PORT (no persistence)"
redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$TMP" \
  --logfile "$TMP/redis.log" --daemonize no --protected-mode yes &
REDIS_PID=$!
for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
redis-cli -p "$PORT" ping >/dev/null || { say "redis-server did not start; see $TMP/redis.log"; exit 1; }

LIMIT=$([ -n "$QUICK" ] && echo 600 || echo 1800)
timeout --signal=TERM --kill-after=30 "$LIMIT" \
  $PY "$BENCH/harness/bench.py" --url "redis://127.0.0.1:$PORT" --port "$PORT" $QUICK \
  --json "$JSON" --systems "$SYSTEMS" "${UNAVAILABLE[@]}"
