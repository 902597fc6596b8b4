#!/usr/bin/env bash
# A real Slurm cluster of two nodes (n1, n2, one CPU each) in a folder of its own, for the Slurm specs and benchmarks.
#   tests/slurm/cluster.sh start DIR   brings it up (installing slurm-wlm and munge first when missing and this is a
#                                       root shell with apt), waits until both nodes are idle, and prints
#                                       SLURM_CONF=DIR/slurm.conf for the caller to export.
#   tests/slurm/cluster.sh stop DIR    stops every daemon it started, by process id.
# Its ports come from the caller's free ones; nothing is written outside DIR. No systemd is needed.
set -euo pipefail

command=${1:?start or stop}; dir=$(mkdir -p "${2:?folder}" && cd "$2" && pwd)

stop() {
  local pids=()
  for file in "$dir"/munged.pid "$dir"/slurmctld.pid "$dir"/slurmd-n1.pid "$dir"/slurmd-n2.pid; do
    [ -f "$file" ] && pids+=("$(cat "$file")")
  done
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}

if [ "$command" = stop ]; then stop; exit 0; fi

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    { DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge \
      || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge; }; } >"$dir/install.log" 2>&1 \
      || { echo "Installing slurm-wlm and munge failed; see $dir/install.log" >&2; exit 1; }
  else
    echo "Slurm is not installed. Install it with: sudo apt-get install -y slurm-wlm munge" >&2
    exit 1
  fi
fi

# Free loopback ports for the controller and the two nodes.
read -r ctld n1 n2 < <(python3 -c 'import socket
ports = []
socks = []
for _ in range(3):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s); ports.append(s.getsockname()[1])
print(*ports)')

user=$(id -un)
mkdir -p "$dir/state" "$dir/spool-n1" "$dir/spool-n2"
mungekey --create --keyfile="$dir/munge.key" --force >/dev/null 2>&1 || mungekey -c -k "$dir/munge.key" -f
chmod 600 "$dir/munge.key"
munged --force --socket="$dir/munge.socket" --key-file="$dir/munge.key" --pid-file="$dir/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munge.seed"

cat > "$dir/slurm.conf" <<CONF
ClusterName=dagdog
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld
SlurmdPort=$n1
SlurmUser=$user
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool-%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd-%n.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=200
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/jobcomp.txt
MailProg=/bin/true
ReturnToService=2
MinJobAge=300
MpiDefault=none
NodeName=n1 NodeAddr=127.0.0.1 Port=$n1 CPUs=1 RealMemory=1000 State=UNKNOWN
NodeName=n2 NodeAddr=127.0.0.1 Port=$n2 CPUs=1 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=n1,n2 Default=YES MaxTime=INFINITE State=UP
CONF

export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N n1
slurmd -f "$SLURM_CONF" -N n2

for _ in $(seq 100); do
  if [ "$(sinfo -h -N -o %T 2>/dev/null | sort -u)" = idle ]; then echo "SLURM_CONF=$SLURM_CONF"; exit 0; fi
  sleep 0.2
done
echo "The test cluster did not come up in 20 s; logs are in $dir" >&2
stop
exit 1
