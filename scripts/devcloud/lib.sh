# shellcheck shell=bash
# Shared helpers of scripts/devcloud/*.sh, on the host and inside a release's chroot. Sourced.
#
# Layout
#   $STATE                      machine-wide state of one release's cloud (ports are
#                               machine-wide too, so one cloud runs at a time): secrets, pids,
#                               logs, keystone keys, glance images, nova state. Zed:
#                               /var/lib/devcloud on the host; a newer release: /var/lib/devcloud
#                               inside its chroot.
#   $REPO/.devcloud/            per-checkout view: openrc-*, clouds.yaml, conformance.env,
#                               and symlinks logs -> $STATE/logs, run -> $STATE/run.

export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
PY=/usr/bin/python3
DEVCLOUD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$DEVCLOUD_DIR/../.." && pwd)"
DC="$REPO/.devcloud"
REGION="RegionOne"
COMPUTE_HOST="compute1"
KEYSTONE_URL="http://127.0.0.1:5000/v3"
# Machine-wide home of the chroots of the newer releases (outside every checkout).
DEVCLOUD_HOME="${DEVCLOUD_HOME:-/var/lib/nova-conformance/devcloud}"

# ---------------------------------------------------------------- releases
# Newest first: the first is the default of up.sh.
RELEASES=(2026.2 epoxy zed)
releases_list() { # "2026.2|epoxy|zed", for usage lines
  local IFS='|'
  echo "${RELEASES[*]}"
}
# release_resolve name -> canonical release; accepts Nova's major version and Debian's codename.
release_resolve() {
  case "${1,,}" in
  2026.2 | 34 | sid | unstable) echo 2026.2 ;;
  epoxy | 2025.1 | 31 | trixie) echo epoxy ;;
  zed | 2022.2 | 26 | bookworm) echo zed ;;
  *) return 1 ;;
  esac
}
release_suite() { case "$1" in 2026.2) echo sid ;; epoxy) echo trixie ;; zed) echo bookworm ;; esac; }
release_title() {
  case "$1" in
  2026.2) echo "Nova 34 (2026.2) from Debian sid, in a chroot" ;;
  epoxy) echo "Nova 31 (2025.1 Epoxy) from Debian trixie, in a chroot" ;;
  zed) echo "Nova 26 (Zed) from Debian bookworm, on the host" ;;
  esac
}
# Zed runs on the host; the newer releases in their own chroot.
release_root() { if [[ "$1" == zed ]]; then echo /; else echo "$DEVCLOUD_HOME/$1/root"; fi; }

# use_release release [inside]: set RELEASE, ROOT, PROC_ROOT, STATE, LOGS, RUN, ETC and SERVICES.
#   ROOT       the release's file-system root as seen from here ("/" inside the chroot)
#   PROC_ROOT  what /proc/PID/root of the release's processes must point to, seen from here
#   STATE      machine-wide state of the release's cloud: secrets, configs, pids, logs, keys
#   ETC        where the generated configuration goes. In a chroot that is its own /etc: the
#              packages' uwsgi inis and defaults then find the files where they expect them.
use_release() {
  RELEASE="$1"
  local inside="${2:-}"
  if [[ "$RELEASE" == zed ]]; then
    ROOT=/
    STATE="${DEVCLOUD_STATE:-/var/lib/devcloud}"
    ETC="$STATE/etc"
  elif [[ -n "$inside" ]]; then
    ROOT=/
    STATE=/var/lib/devcloud
    ETC=/etc
  else
    ROOT="$(release_root "$RELEASE")"
    STATE="$ROOT/var/lib/devcloud"
    ETC="$ROOT/etc"
  fi
  PROC_ROOT="$ROOT"
  LOGS="$STATE/logs"
  RUN="$STATE/run"
  # Services in start order. name:port (port 0 = no listening socket of its own).
  if [[ "$RELEASE" == zed ]]; then
    SERVICES=(mariadb:3306 epmd:4369 rabbitmq:5672 memcached:11211 keystone:5000 placement:8778
      glance:9292 neutron:9696 fake-ovs-agent:0 nova-api:8774 nova-conductor:0 nova-scheduler:0
      nova-compute:0)
  else # neutron-server is two programs there: the API under uwsgi and the agents' RPC server
    SERVICES=(mariadb:3306 epmd:4369 rabbitmq:5672 memcached:11211 keystone:5000 placement:8778
      glance:9292 neutron:9696 neutron-rpc:0 fake-ovs-agent:0 nova-api:8774 nova-conductor:0
      nova-scheduler:0 nova-compute:0)
  fi
}

# running_release: the release whose recorded services run (none: empty, status 1).
running_release() {
  local r
  for r in "${RELEASES[@]}"; do
    (
      use_release "$r"
      for s in "${SERVICES[@]}"; do svc_alive "${s%%:*}" && exit 0; done
      exit 1
    ) && {
      echo "$r"
      return 0
    }
  done
  return 1
}

# release_arg "$@": the release named by --release R (or --release=R), else the default.
# Sets RELEASE_ARG (canonical) and REST (the other arguments).
release_arg() {
  RELEASE_ARG=""
  REST=()
  while (($#)); do
    case "$1" in
    --release)
      (($# >= 2)) || die "--release needs a value: ${RELEASES[*]}"
      RELEASE_ARG="$(release_resolve "$2")" || die "unknown release '$2' (known: ${RELEASES[*]}; also 34, 31, 26, sid, trixie, bookworm)"
      shift 2
      ;;
    --release=*)
      RELEASE_ARG="$(release_resolve "${1#*=}")" || die "unknown release '${1#*=}' (known: ${RELEASES[*]}; also 34, 31, 26, sid, trixie, bookworm)"
      shift
      ;;
    *)
      REST+=("$1")
      shift
      ;;
    esac
  done
}

# up.sh passes its start to services.sh, so the elapsed times of one run add up.
T0="${DEVCLOUD_T0:-$(date +%s.%N)}"
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
# The root directory of a process as seen from here ("" if it is gone).
proc_root() { readlink "/proc/$1/root" 2>/dev/null || true; }
# A service is alive if its recorded pid runs, still leads its own session (every service is
# started with setsid) and has the release's root: that guards against pid reuse, and keeps a
# chroot's pid files from ever naming a host process (or the reverse).
svc_alive() {
  local pid sid
  pid="$(svc_pid "$1")"
  [[ -n "$pid" ]] || return 1
  sid="$(ps -o sid= -p "$pid" 2>/dev/null | tr -d ' ')" || return 1
  [[ "$sid" == "$pid" && "$(proc_root "$pid")" == "$PROC_ROOT" ]]
}
# Processes of a service: everything in the session its leader created, under the release's root.
svc_procs() {
  local pid p
  pid="$(svc_pid "$1")"
  [[ -n "$pid" ]] || return 0
  # zombies count as gone (PID 1 of a container may reap them late)
  for p in $(ps -e -o pid=,sid=,stat= | awk -v s="$pid" '$2 == s && $3 !~ /^Z/ { print $1 }'); do
    [[ "$(proc_root "$p")" == "$PROC_ROOT" ]] && echo "$p"
  done
  return 0
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

# devcloud_lock: one up or down at a time on this machine (they share the ports and the state).
# The lock lives as long as this shell's descriptor; run_unlocked gives children none, so no
# daemon started below keeps it. A down.sh run by a locked up.sh (RESET) needs no lock of its own.
devcloud_lock() {
  [[ -z "${DEVCLOUD_LOCKED:-}" ]] || return 0
  mkdir -p /run/lock
  exec {LOCKFD}>/run/lock/nova-conformance-devcloud.lock
  if ! flock -n "$LOCKFD"; then
    say "another devcloud up or down runs on this machine: waiting for it (at most 15 min)"
    flock -w 900 "$LOCKFD" || die "another devcloud up or down still runs after 15 min"
  fi
  export DEVCLOUD_LOCKED=1
}
# Neither the lock nor die()'s copy of stderr may reach the daemons services.sh starts: a daemon
# holding the write end of the caller's pipe keeps `npm run devcloud:up | tail` waiting forever.
run_unlocked() {
  if [[ -n "${LOCKFD:-}" ]]; then "$@" {LOCKFD}>&- {ERRFD}>&-; else "$@" {ERRFD}>&-; fi
}

# Remember which checkout started the cloud (down.sh in another checkout leaves it alone).
owner_claim() {
  if ! svc_alive mariadb && ! svc_alive nova-api; then echo "$REPO" >"$STATE/owner"; fi
  [[ -s "$STATE/owner" ]] || echo "$REPO" >"$STATE/owner"
}

# Pids of every process whose root is the given chroot (the recorded ones and any other).
procs_in_root() {
  local d p
  for d in /proc/[0-9]*; do
    p="${d#/proc/}"
    [[ "$(proc_root "$p")" == "$1" ]] && echo "$p"
  done
  return 0
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

# in_chroot root cmd... : run with a clean environment (the host's PATH holds a pyenv python).
in_chroot() {
  local r="$1"
  shift
  chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    TERM=dumb CI=true DEBIAN_FRONTEND=noninteractive "$@"
}
# SQL as MariaDB's root, through the socket of the release's root (in the chroot for a newer one).
mysql_root() {
  if [[ "$ROOT" == / ]]; then
    mariadb --protocol=socket --socket=/run/mysqld/mysqld.sock -uroot "$@"
  else
    in_chroot "$ROOT" mariadb --protocol=socket --socket=/run/mysqld/mysqld.sock -uroot "$@"
  fi
}
