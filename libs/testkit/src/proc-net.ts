// Whether a local port is bound, read from /proc/net (Linux): how a test learns that a peer it
// started (SIPp as a UAS) is listening, without sending it anything it would count as traffic.
import { readFile } from 'node:fs/promises';

const TCP_LISTEN = '0A';

export async function isPortBound(protocol: 'udp' | 'tcp', port: number): Promise<boolean> {
  const files =
    protocol === 'udp' ? ['/proc/net/udp', '/proc/net/udp6'] : ['/proc/net/tcp', '/proc/net/tcp6'];
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of files) {
    let table: string;
    try {
      table = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of table.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      const local = columns[1];
      const state = columns[3];
      if (!local?.endsWith(`:${hexPort}`)) continue;
      if (protocol === 'udp' || state === TCP_LISTEN) return true;
    }
  }
  return false;
}
