import { cpus, freemem, loadavg, totalmem, platform, release } from "node:os";

/** The machine a result was measured on: figures from different machines do not compare. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  node: string;
  os: string;
  memoryGiB: number;
  freeMemoryGiB: number;
  /** 1-minute load average when the run started: above the core count, other work shared the machine. */
  loadAverage: number;
}

export function describeMachine(): MachineInfo {
  const list = cpus();
  return {
    cores: list.length,
    cpuModel: list[0]?.model.trim() ?? "unknown",
    node: process.version,
    os: `${platform()} ${release()}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}
