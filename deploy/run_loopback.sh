#!/usr/bin/env bash
# Loopback scale-out: N `streamlit run` replicas behind Debian's nginx, all on 127.0.0.1.
#
#   deploy/run_loopback.sh                  # start, print the URL, run until Ctrl-C
#   deploy/run_loopback.sh CMD [ARGS...]    # start, run CMD with the stack up, then stop
#   e.g. deploy/run_loopback.sh python bench/loadtest.py --failover
#
# The replica ports are the `server 127.0.0.1:PORT` lines of deploy/nginx-loopback.conf
# (8511, 8512) and nginx listens on 127.0.0.1:8600. Other ports, for instance free ones
# for a test, can be given without editing the file:
#   ST_LISTEN_PORT=18600 ST_REPLICA_PORTS="18511" deploy/run_loopback.sh ...
# ST_REPLICA_PORTS may name at most as many replicas as the conf has `server` lines: the
# first conf port becomes the first given port and so on, and every line naming a conf
# port left over (its `server` line and its X-Replica name) is dropped. The conf nginx
# runs is that rewritten copy, $RUN_DIR/nginx.conf (identical when no port is given).
#
# Every replica listens on 127.0.0.1 only (server.address), so nothing but nginx can be
# reached from outside this machine. Everything runtime (pid files, logs, nginx temp dirs,
# the conf) lives in a fresh temp dir (kept after exit for the logs; path printed), so
# nothing under /etc/nginx or /var is touched and root is not needed. Whatever this script
# started is stopped on exit, Ctrl-C or TERM, by process id.
#
# CMD sees: ST_URL (the nginx URL), ST_RUN_DIR and ST_REPLICAS ("name:port:pid ...", the
# name being what nginx's X-Replica header says for that replica, e.g. "r1:8511:4242").
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
CONF="$REPO/deploy/nginx-loopback.conf"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
PYTHON="${PYTHON:-python3}"
CONF_LISTEN_PORT="$(sed -n 's/^[[:space:]]*listen[[:space:]]\+127\.0\.0\.1:\([0-9]\+\);.*/\1/p' "$CONF" | head -1)"
mapfile -t CONF_PORTS < <(sed -n 's/^[[:space:]]*server[[:space:]]\+127\.0\.0\.1:\([0-9]\+\).*/\1/p' "$CONF")
LISTEN_PORT="${ST_LISTEN_PORT:-$CONF_LISTEN_PORT}"
read -r -a PORTS <<<"${ST_REPLICA_PORTS:-${CONF_PORTS[*]}}"
URL="http://127.0.0.1:$LISTEN_PORT"
HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-90}"

[ -x "$NGINX" ] || { echo "nginx not found (apt-get install nginx)" >&2; exit 1; }
[ -n "$CONF_LISTEN_PORT" ] || { echo "no 'listen 127.0.0.1:PORT;' in $CONF" >&2; exit 1; }
[ "${#CONF_PORTS[@]}" -ge 1 ] || { echo "no upstream servers in $CONF" >&2; exit 1; }
[ "${#PORTS[@]}" -ge 1 ] || { echo "ST_REPLICA_PORTS names no port" >&2; exit 1; }
[ "${#PORTS[@]}" -le "${#CONF_PORTS[@]}" ] \
  || { echo "$CONF has ${#CONF_PORTS[@]} server lines; add one per extra replica" >&2; exit 1; }
for port in "${PORTS[@]}" "$LISTEN_PORT"; do
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] \
    || { echo "not a port: $port" >&2; exit 1; }
done

RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/st-loopback.XXXXXX")"
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/tmp"

# The conf nginx runs: conf port i -> PORTS[i] (through a placeholder, so a new port that
# equals another old one is not rewritten twice); lines naming a conf port beyond the
# given ones are dropped.
render_conf() {
  local args=(-e "s/^\([[:space:]]*listen[[:space:]]\+127\.0\.0\.1:\)$CONF_LISTEN_PORT;/\1$LISTEN_PORT;/")
  local i old
  for i in "${!CONF_PORTS[@]}"; do
    old="${CONF_PORTS[$i]}"
    if [ "$i" -lt "${#PORTS[@]}" ]; then
      args+=(-e "s/127\.0\.0\.1:$old\([^0-9]\|\$\)/127.0.0.1:@PORT$i@\1/g")
    else
      args+=(-e "/127\.0\.0\.1:$old\([^0-9]\|\$\)/d")
    fi
  done
  for i in "${!PORTS[@]}"; do args+=(-e "s/@PORT$i@/${PORTS[$i]}/g"); done
  sed "${args[@]}" "$CONF" >"$RUN_DIR/nginx.conf"
}
render_conf
CONF="$RUN_DIR/nginx.conf"

replica_name() {  # the X-Replica name the conf's map gives 127.0.0.1:PORT
  sed -n "s/^[[:space:]]*127\.0\.0\.1:$1[[:space:]]\+\([A-Za-z0-9_-]\+\);.*/\1/p" "$CONF" | head -1
}
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

for port in "${PORTS[@]}" "$LISTEN_PORT"; do
  port_free "$port" || { echo "port 127.0.0.1:$port is in use" >&2; exit 1; }
done

cd "$REPO"
for port in "${PORTS[@]}"; do
  # Same code, same bundle, same .streamlit/config.toml; only the port differs. Loopback
  # only (as config.toml already says): visitors reach a replica through nginx alone.
  "$PYTHON" -m streamlit run serve.py \
      --server.address 127.0.0.1 --server.port "$port" \
      --server.headless true --server.fileWatcherType none \
      >"$RUN_DIR/logs/replica-$port.log" 2>&1 &
  PIDS+=("$!")
  REPLICAS+=("$(replica_name "$port"):$port:$!")
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
