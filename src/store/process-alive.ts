/** Whether a process with this pid exists on this host. Signal 0 checks without delivering anything. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user — alive all the same.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
