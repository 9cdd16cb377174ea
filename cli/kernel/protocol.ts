/**
 * The Jupyter messaging protocol (5.3) over zeromq: the wire format (identities, `<IDS|MSG>`, an HMAC-SHA256
 * signature over the four JSON frames, then header, parent header, metadata, content) and the three sockets
 * Cellwise needs: shell and control (DEALER) for requests, iopub (SUB) for outputs. stdin is not used
 * (`allow_stdin: false`: a cell asking for input fails instead of hanging) and neither is the heartbeat (the
 * kernel is our child: its exit is seen directly).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Dealer, Subscriber } from 'zeromq';

export interface ConnectionInfo {
  ip: string;
  transport: 'tcp';
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: 'hmac-sha256';
  kernel_name: string;
}

export interface Header {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface Message {
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
}

export type Channel = 'shell' | 'control' | 'iopub';

const DELIMITER = '<IDS|MSG>';

export class Connection {
  private readonly shell = new Dealer({ linger: 0 });
  private readonly control = new Dealer({ linger: 0 });
  private readonly iopub = new Subscriber({ linger: 0 });
  private readonly session = randomUUID();
  private closed = false;

  constructor(
    private readonly info: ConnectionInfo,
    private readonly onMessage: (channel: Channel, message: Message) => void,
  ) {
    const url = (port: number) => `${info.transport}://${info.ip}:${port}`;
    this.shell.connect(url(info.shell_port));
    this.control.connect(url(info.control_port));
    this.iopub.connect(url(info.iopub_port));
    this.iopub.subscribe();
    void this.listen('shell', this.shell);
    void this.listen('control', this.control);
    void this.listen('iopub', this.iopub);
  }

  /**
   * Sends a request with the given msg_id (replies and outputs carry it as their parent's; the caller makes it
   * first so that nothing the kernel answers can arrive before the caller knows what to look for).
   */
  async send(channel: 'shell' | 'control', msgType: string, content: Record<string, unknown>, msgId: string = randomUUID()): Promise<string> {
    const header: Header = {
      msg_id: msgId, msg_type: msgType, session: this.session, username: 'cellwise',
      date: new Date().toISOString(), version: '5.3',
    };
    const frames = [JSON.stringify(header), '{}', '{}', JSON.stringify(content)];
    const socket = channel === 'shell' ? this.shell : this.control;
    await socket.send([DELIMITER, this.sign(frames), ...frames]);
    return header.msg_id;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [this.shell, this.control, this.iopub]) s.close();
  }

  private sign(frames: (string | Buffer)[]): string {
    const hmac = createHmac('sha256', this.info.key);
    for (const f of frames) hmac.update(f);
    return hmac.digest('hex');
  }

  private async listen(channel: Channel, socket: Dealer | Subscriber): Promise<void> {
    try {
      for await (const frames of socket) {
        const message = this.decode(frames);
        if (message) this.onMessage(channel, message);
      }
    } catch {
      // The socket was closed while a receive was pending: the connection is over.
    }
  }

  /** Undefined for frames that are not a correctly signed message (they are dropped, as Jupyter does). */
  private decode(frames: Buffer[]): Message | undefined {
    const at = frames.findIndex((f) => f.length === DELIMITER.length && f.toString() === DELIMITER);
    if (at < 0 || frames.length < at + 6) return undefined;
    const signature = frames[at + 1]!.toString();
    const parts = frames.slice(at + 2, at + 6);
    const expected = this.sign(parts);
    if (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return undefined;
    try {
      const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString('utf8')) as Record<string, unknown>);
      return { header: header as unknown as Header, parent_header: parent as Partial<Header>, metadata: metadata!, content: content! };
    } catch {
      return undefined;
    }
  }
}
