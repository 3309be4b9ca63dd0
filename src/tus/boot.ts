// The machine's current boot. Bytes written but not yet fsynced survive a crash of the server (the kernel
// holds them) but not a crash or reboot of the machine, so a resumable upload records which boot wrote them.
// Linux names each boot (boot_id); elsewhere each start of the server counts as a new boot, which can only
// count fewer bytes than the file holds, never more.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

let current: string | undefined;

export function bootId(): string {
  current ??= readBootId();
  return current;
}

function readBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return randomUUID();
  }
}
