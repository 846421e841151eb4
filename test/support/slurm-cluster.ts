/**
 * A one-node Slurm cluster on this machine, from Debian's packages (`slurmctld`, `slurmd`, `slurm-client`,
 * `munge`), started in a private folder for a test and stopped by it: munged, slurmctld and slurmd, each by the
 * PID it wrote. Everything binds 127.0.0.1.
 *
 * What it takes, as measured with Slurm 22.05: munged refuses a socket unless every folder above it is
 * world-executable; clients need `SLURM_CONF`; `ProctrackType=proctrack/linuxproc` and `TaskPlugin=task/none`
 * need neither systemd nor cgroups; and slurmctld schedules nothing in its first seconds (`sbatch --wait` then
 * just waits longer).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** The daemons a cluster runs, by the name of their PID file. */
const DAEMONS = ['slurmd', 'slurmctld', 'munged'] as const;

/** A running cluster. */
export interface SlurmCluster {
  /** The private folder: configuration, state, logs, sockets. */
  readonly folder: string;
  /** The environment Slurm's commands need (`SLURM_CONF`). */
  readonly env: NodeJS.ProcessEnv;
  /** Stops every daemon it started and removes the folder. */
  stop(): Promise<void>;
}

/** Whether Debian's Slurm and munge are installed (`.ci/run` installs them). */
export function slurmInstalled(): boolean {
  return ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged', '/usr/bin/sbatch'].every((path) => existsSync(path));
}

/**
 * Starts a one-node cluster (one partition, `debug`, of this machine's name) and waits until the node is idle.
 * @throws Error with the daemons' logs when it does not come up within 30 s
 */
export async function startSlurmCluster(): Promise<SlurmCluster> {
  const folder = mkdtempSync(join(tmpdir(), 'ab-slurm-'));
  chmodSync(folder, 0o755);
  for (const sub of ['state', 'spool']) mkdirSync(join(folder, sub));
  writeFileSync(join(folder, 'munge.key'), randomBytes(1024), { mode: 0o400 });
  const [controllerPort, nodePort] = [await freePort(), await freePort()];
  const node = hostname();
  const conf = join(folder, 'slurm.conf');
  writeFileSync(conf, slurmConf(folder, node, controllerPort, nodePort));
  const env = { ...process.env, SLURM_CONF: conf };
  const cluster: SlurmCluster = { folder, env, stop: () => stopCluster(folder) };
  try {
    const at = (name: string): string => join(folder, name);
    execFileSync('/usr/sbin/munged', ['--force', `--key-file=${at('munge.key')}`, `--socket=${at('munge.sock')}`, `--pid-file=${at('munged.pid')}`, `--log-file=${at('munged.log')}`, `--seed-file=${at('munged.seed')}`]);
    execFileSync('/usr/sbin/slurmctld', ['-f', conf], { env });
    execFileSync('/usr/sbin/slurmd', ['-f', conf], { env });
    await waitForIdleNode(env, folder);
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

function slurmConf(folder: string, node: string, controllerPort: number, nodePort: number): string {
  const at = (name: string): string => join(folder, name);
  return `ClusterName=arrowbalance
SlurmctldHost=${node}(127.0.0.1)
SlurmctldPort=${controllerPort}
SlurmdPort=${nodePort}
AuthType=auth/munge
AuthInfo=socket=${at('munge.sock')}
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=${at('state')}
SlurmdSpoolDir=${at('spool')}
SlurmctldPidFile=${at('slurmctld.pid')}
SlurmdPidFile=${at('slurmd.pid')}
SlurmctldLogFile=${at('slurmctld.log')}
SlurmdLogFile=${at('slurmd.log')}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=${node} NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP
`;
}

async function waitForIdleNode(env: NodeJS.ProcessEnv, folder: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    let state = '';
    try {
      state = execFileSync('/usr/bin/sinfo', ['-h', '-o', '%t'], { env, encoding: 'utf8' }).trim();
    } catch {
      // slurmctld is not answering yet
    }
    if (state === 'idle') return;
    if (Date.now() > deadline) throw new Error(`the Slurm node did not come up (state "${state}"); logs:\n${logs(folder)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every daemon's log, for a failure's message. */
export function logs(folder: string): string {
  return ['munged.log', 'slurmctld.log', 'slurmd.log']
    .map((name) => `--- ${name}\n${existsSync(join(folder, name)) ? readFileSync(join(folder, name), 'utf8').slice(-4000) : '(none)'}`)
    .join('\n');
}

/** Stops the daemons by their PID files (TERM, then KILL after 5 s) and removes the folder. */
async function stopCluster(folder: string): Promise<void> {
  const pids = DAEMONS.map((name) => join(folder, `${name}.pid`))
    .filter((path) => existsSync(path))
    .map((path) => Number(readFileSync(path, 'utf8').trim()))
    .filter((pid) => Number.isSafeInteger(pid) && pid > 1);
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const pid of pids.filter(alive)) signal(pid, 'SIGKILL');
  rmSync(folder, { recursive: true, force: true });
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A TCP port free on 127.0.0.1 now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
