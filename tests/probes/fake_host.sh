#!/bin/sh
# Gives each rank of an mpirun job a made-up host name, so that one machine can stand for several
# hosts (the comm probe's --split groups): sh fake_host.sh "a a b b" PROGRAM ARGS... runs PROGRAM
# with TRAINPLAN_PROBE_HOST set to the rank's word of the list (rank 0 the first).
names=$1
shift
rank=${OMPI_COMM_WORLD_RANK:-${PMIX_RANK:-${PMI_RANK:-}}}
if [ -z "$rank" ]; then
  echo "fake_host.sh: cannot tell this process's MPI rank (no OMPI_COMM_WORLD_RANK, PMIX_RANK or PMI_RANK)" >&2
  exit 2
fi
set -f
i=0
for name in $names; do
  if [ "$i" -eq "$rank" ]; then
    TRAINPLAN_PROBE_HOST=$name
    export TRAINPLAN_PROBE_HOST
    exec "$@"
  fi
  i=$((i + 1))
done
echo "fake_host.sh: no host name for rank $rank in '$names'" >&2
exit 2
