#!/bin/bash
# A Slurm job array of 4 shards of a plan made beforehand with
#   npx arrow-balance plan in/ --label label --seed 7 -o plan.json
# Submit from a folder every node sees (a shared file system), then verify once every task succeeded:
#   job=$(sbatch --parsable slurm-array.sh)
#   sbatch --dependency=afterok:$job --wrap 'npx arrow-balance verify parts/ --plan plan.json'
# Each task gets SLURM_ARRAY_TASK_ID; --shard auto counts it from SLURM_ARRAY_TASK_MIN and takes the count from
# SLURM_ARRAY_TASK_COUNT, so --array=1-4 works as well as 0-3 (a step or a list of IDs is refused).
#SBATCH --job-name=arrow-balance
#SBATCH --array=0-3
#SBATCH --cpus-per-task=2
#SBATCH --output=arrow-balance-%A_%a.log
set -euo pipefail
npx arrow-balance balance --plan plan.json --shard auto -o parts/ --workers "${SLURM_CPUS_PER_TASK:-1}"
