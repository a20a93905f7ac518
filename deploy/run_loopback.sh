#!/usr/bin/env bash
# Loopback scale-out: N `streamlit run` replicas behind Debian's nginx, all on 127.0.0.1.
#
#   deploy/run_loopback.sh                  # start, print the URL, run until Ctrl-C
#   deploy/run_loopback.sh CMD [ARGS...]    # start, run CMD with the stack up, then stop
#   e.g. deploy/run_loopback.sh python bench/loadtest.py --failover
#
# The replica ports are the `server 127.0.0.1:PORT` lines of deploy/nginx-loopback.conf
# (8511, 8512) and nginx listens on 127.0.0.1:8600. Everything runtime (pid files, logs,
# nginx temp dirs) lives in a fresh temp dir (kept after exit for the logs; path printed),
# so nothing under /etc/nginx or /var is touched and root is not needed. Whatever this
# script started is stopped on exit, Ctrl-C or TERM, by process id.
#
# CMD sees: ST_URL (the nginx URL), ST_RUN_DIR, ST_REPLICAS ("port:pid port:pid ...").
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
CONF="$REPO/deploy/nginx-loopback.conf"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
PYTHON="${PYTHON:-python3}"
LISTEN="$(sed -n 's/^[[:space:]]*listen[[:space:]]\+\(127\.0\.0\.1:[0-9]\+\);.*/\1/p' "$CONF" | head -1)"
mapfile -t PORTS < <(sed -n 's/^[[:space:]]*server[[:space:]]\+127\.0\.0\.1:\([0-9]\+\).*/\1/p' "$CONF")
URL="http://$LISTEN"
HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-90}"

[ -x "$NGINX" ] || { echo "nginx not found (apt-get install nginx)" >&2; exit 1; }
[ "${#PORTS[@]}" -ge 1 ] || { echo "no upstream servers in $CONF" >&2; exit 1; }

RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/st-loopback.XXXXXX")"
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/tmp"
PIDS=()
REPLICAS=()
NGINX_PID=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  echo "stopping (logs kept in $RUN_DIR/logs)" >&2
  if [ -n "$NGINX_PID" ]; then kill -QUIT "$NGINX_PID" 2>/dev/null || true; fi
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for pid in "${PIDS[@]}" $NGINX_PID; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pid in "${PIDS[@]}" $NGINX_PID; do kill -KILL "$pid" 2>/dev/null || true; done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() {
  "$PYTHON" - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT leftovers are fine
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
}

wait_http() {  # wait_http URL SECONDS -> 0 once it answers 200
  "$PYTHON" - "$1" "$2" <<'PY'
import sys, time, urllib.request
url, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        if urllib.request.urlopen(url, timeout=2).status == 200:
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.5)
sys.exit(1)
PY
}

for port in "${PORTS[@]}" "${LISTEN##*:}"; do
  port_free "$port" || { echo "port 127.0.0.1:$port is in use" >&2; exit 1; }
done

cd "$REPO"
for port in "${PORTS[@]}"; do
  # Same code, same bundle, same .streamlit/config.toml; only the port differs.
  "$PYTHON" -m streamlit run app.py \
      --server.address 127.0.0.1 --server.port "$port" \
      --server.headless true --server.fileWatcherType none \
      >"$RUN_DIR/logs/replica-$port.log" 2>&1 &
  PIDS+=("$!")
  REPLICAS+=("$port:$!")
  echo "$!" >"$RUN_DIR/replica-$port.pid"
done

for port in "${PORTS[@]}"; do
  wait_http "http://127.0.0.1:$port/_stcore/health" "$HEALTH_TIMEOUT" \
    || { echo "replica $port not healthy; see $RUN_DIR/logs/replica-$port.log" >&2; exit 1; }
done

# As root nginx would switch its workers to `nobody`: let them write the temp dirs.
GLOBAL="daemon off;"
if [ "$(id -u)" = 0 ]; then
  chown -R nobody "$RUN_DIR/tmp"
  GLOBAL="$GLOBAL user nobody nogroup;"
fi
"$NGINX" -p "$RUN_DIR" -e logs/error.log -c "$CONF" -t -q -g "$GLOBAL"
"$NGINX" -p "$RUN_DIR" -e logs/error.log -c "$CONF" -g "$GLOBAL" &
NGINX_PID="$!"
echo "$NGINX_PID" >"$RUN_DIR/nginx.master.pid"

wait_http "$URL/_stcore/health" 30 || { echo "nginx not answering; see $RUN_DIR/logs/error.log" >&2; exit 1; }

echo "replicas: ${REPLICAS[*]}   nginx pid: $NGINX_PID   run dir: $RUN_DIR"
echo "open $URL"

export ST_URL="$URL" ST_RUN_DIR="$RUN_DIR" ST_REPLICAS="${REPLICAS[*]}"
if [ "$#" -gt 0 ]; then
  set +e
  "$@"
  exit "$?"
fi
# No command: stay up until a signal or until nginx or every replica stops.
while kill -0 "$NGINX_PID" 2>/dev/null; do
  any=0
  for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && any=1; done
  [ "$any" = 1 ] || { echo "all replicas have stopped" >&2; exit 1; }
  sleep 1
done
echo "nginx has stopped" >&2
exit 1
