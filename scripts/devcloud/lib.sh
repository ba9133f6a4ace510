# shellcheck shell=bash
# Shared helpers for scripts/devcloud/{up,down,status}.sh. Sourced, not run.
#
# Layout
#   $STATE (/var/lib/devcloud)  machine-wide state of the one cloud this machine runs
#                               (ports are machine-wide too): secrets, configs, pids, logs,
#                               keystone keys, glance images, nova state.
#   $REPO/.devcloud/            per-checkout view: openrc-*, clouds.yaml, conformance.env,
#                               and symlinks logs -> $STATE/logs, run -> $STATE/run.

export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
PY=/usr/bin/python3
DEVCLOUD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$DEVCLOUD_DIR/../.." && pwd)"
DC="$REPO/.devcloud"
STATE="${DEVCLOUD_STATE:-/var/lib/devcloud}"
LOGS="$STATE/logs"
RUN="$STATE/run"
ETC="$STATE/etc"
REGION="RegionOne"
COMPUTE_HOST="compute1"
KEYSTONE_URL="http://127.0.0.1:5000/v3"

# Services in start order. name:port (port 0 = no listening socket of its own).
SERVICES=(mariadb:3306 epmd:4369 rabbitmq:5672 keystone:5000 placement:8778 glance:9292
  neutron:9696 fake-ovs-agent:0 nova-api:8774 nova-conductor:0 nova-scheduler:0 nova-compute:0)

T0="$(date +%s.%N)"
# die() writes here, so a failure inside a silenced poll condition is still reported
exec {ERRFD}>&2
CURRENT_STEP=""
CURRENT_LOG=""

elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%6.1f", b - a }'; }
say() { printf '[devcloud %ss] %s\n' "$(elapsed)" "$*"; }
# step "message" [log file to read if it fails]
step() {
  CURRENT_STEP="$1"
  CURRENT_LOG="${2:-}"
  say "==> $1"
}
warn() { printf '[devcloud %ss] WARNING: %s\n' "$(elapsed)" "$*" >&2; }
die() {
  local msg="$1" logf="${2:-$CURRENT_LOG}"
  {
    printf '[devcloud %ss] ERROR: %s\n' "$(elapsed)" "$msg"
    if [[ -n "$logf" && -f "$logf" ]]; then
      printf '  ---- last 25 lines of %s ----\n' "$logf"
      tail -n 25 "$logf" | sed 's/^/  | /'
      printf '  ---- read the whole log: %s\n' "$logf"
    elif [[ -n "$logf" ]]; then
      printf '  (log: %s)\n' "$logf"
    fi
  } >&"$ERRFD"
  exit 1
}
on_err() {
  local rc=$? line=$1
  trap - ERR
  local where="step '${CURRENT_STEP:-?}'"
  die "command failed (exit $rc) at ${BASH_SOURCE[1]:-?}:$line during $where" "$CURRENT_LOG"
}

# poll "what" deadline_seconds cmd...  -- re-run cmd every 0.5 s until it succeeds.
poll() {
  local what="$1" deadline="$2"
  shift 2
  local end=$((SECONDS + deadline))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= end)); then
      die "timed out after ${deadline}s waiting for: $what"
    fi
    sleep 0.5
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
http_answers() { # any HTTP status at all means the server answers
  local code
  code="$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null || true)"
  [[ -n "$code" && "$code" != "000" ]]
}

svc_port() {
  local s
  for s in "${SERVICES[@]}"; do [[ "${s%%:*}" == "$1" ]] && { echo "${s##*:}"; return; }; done
  echo 0
}
svc_pid() { [[ -f "$RUN/$1.pid" ]] && cat "$RUN/$1.pid" || true; }
# A service is alive if its recorded pid runs and still leads its own session
# (every service is started with setsid), which guards against pid reuse.
svc_alive() {
  local pid sid
  pid="$(svc_pid "$1")"
  [[ -n "$pid" ]] || return 1
  sid="$(ps -o sid= -p "$pid" 2>/dev/null | tr -d ' ')" || return 1
  [[ "$sid" == "$pid" ]]
}
# Processes of a service: everything in the session its leader created.
svc_procs() {
  local pid
  pid="$(svc_pid "$1")"
  [[ -n "$pid" ]] || return 0
  # zombies count as gone (PID 1 of a container may reap them late)
  ps -e -o pid=,sid=,stat= | awk -v s="$pid" '$2 == s && $3 !~ /^Z/ { print $1 }'
}

# start_svc name cmd... -- run in a new session, output to $LOGS/name.log, pid to $RUN/name.pid
start_svc() {
  local name="$1"
  shift
  mkdir -p "$LOGS" "$RUN"
  printf '\n===== %s starting %s =====\n' "$(date -Is)" "$name" >>"$LOGS/$name.log"
  setsid "$@" </dev/null >>"$LOGS/$name.log" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- {ERRFD}>&- &
  echo $! >"$RUN/$name.pid"
}

# stop_svc name -- TERM the whole session, wait (deadline) until gone, then KILL.
stop_svc() {
  local name="$1" pid procs end
  pid="$(svc_pid "$name")"
  if [[ -z "$pid" ]]; then return 0; fi
  procs="$(svc_procs "$name")"
  if [[ -n "$procs" ]]; then
    # shellcheck disable=SC2086
    kill -TERM $procs 2>/dev/null || true
    end=$((SECONDS + 30))
    while [[ -n "$(svc_procs "$name")" ]]; do
      if ((SECONDS >= end)); then
        warn "$name did not stop within 30s after TERM; sending KILL"
        procs="$(svc_procs "$name")"
        # shellcheck disable=SC2086
        [[ -n "$procs" ]] && kill -KILL $procs 2>/dev/null || true
        end=$((SECONDS + 10))
        while [[ -n "$(svc_procs "$name")" ]]; do
          ((SECONDS < end)) || { warn "$name: processes still present: $(svc_procs "$name" | tr '\n' ' ')"; return 1; }
          sleep 0.2
        done
        break
      fi
      sleep 0.2
    done
  fi
  rm -f "$RUN/$name.pid"
}

# Load (or create on first use) the random secrets of this machine's cloud.
load_secrets() {
  mkdir -p "$STATE"
  chmod 700 "$STATE"
  if [[ ! -s "$STATE/secrets.env" ]]; then
    umask 077
    {
      local k
      for k in DB RABBIT ADMIN DEMO READER ALT SERVICE; do
        printf '%s_PASS=%s\n' "$k" "$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
      done
    } >"$STATE/secrets.env"
    umask 022
  fi
  # shellcheck disable=SC1091
  . "$STATE/secrets.env"
}

mysql_root() { mariadb --protocol=socket -uroot "$@"; }
