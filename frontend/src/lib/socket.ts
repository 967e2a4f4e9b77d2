// The one websocket: connect, reconnect with backoff, send commands, decode events.

import { decode } from "@msgpack/msgpack";
import type { ClientCommand, ServerEvent } from "./protocol.gen";

export type ConnectionState = "connecting" | "open" | "closed";

export interface SocketHandlers {
  onEvent(event: ServerEvent): void;
  onState(state: ConnectionState): void;
}

/** The subset of the DOM WebSocket this module uses (tests pass a fake). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}

const OPEN = 1;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

// Checked against the union, so a new event type fails to compile until it is listed here.
const EVENT_TYPES: Record<ServerEvent["type"], true> = {
  hello: true,
  settings: true,
  dataset: true,
  frame: true,
  error: true,
  inspection: true,
  overfit_result: true,
  setup_file: true,
};

/** The websocket URL on the page's own host, ws: or wss: to match the page. */
export function socketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws`;
}

/** Milliseconds to wait before reconnect attempt `attempt` (0-based): doubling, capped. */
export function reconnectDelay(attempt: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
}

/** Decodes one websocket message: JSON text, or msgpack bytes. Null for an unknown type. */
export function decodeEvent(data: unknown): ServerEvent | null {
  let value: unknown;
  if (typeof data === "string") value = JSON.parse(data);
  else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) value = decode(data);
  else throw new Error(`unexpected websocket payload ${typeof data}`);
  if (typeof value !== "object" || value === null || !("type" in value)) {
    throw new Error("server message without a type");
  }
  const type = (value as { type: unknown }).type;
  return typeof type === "string" && type in EVENT_TYPES ? (value as ServerEvent) : null;
}

/** One logical connection to /ws that survives drops by reconnecting. */
export class PlaygroundSocket {
  private socket: WebSocketLike | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly handlers: SocketHandlers,
    private readonly open: (url: string) => WebSocketLike = (url) =>
      new WebSocket(url) as unknown as WebSocketLike,
  ) {}

  /** Opens the connection (and keeps reopening it until close()). */
  connect(): void {
    this.stopped = false;
    this.timer = null;
    this.handlers.onState("connecting");
    const socket = this.open(this.url);
    socket.binaryType = "arraybuffer";
    socket.onopen = () => {
      this.attempt = 0;
      this.handlers.onState("open");
    };
    socket.onmessage = (message) => this.receive(message.data);
    socket.onclose = () => this.dropped(socket);
    socket.onerror = () => socket.close();
    this.socket = socket;
  }

  /** Sends one command; false when the socket is not open (the command is dropped). */
  send(command: ClientCommand): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(command));
    return true;
  }

  /** Closes for good: no more reconnects. */
  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
    this.handlers.onState("closed");
  }

  private receive(data: unknown): void {
    let event: ServerEvent | null;
    try {
      event = decodeEvent(data);
    } catch (error) {
      const message = `unreadable message from the server: ${(error as Error).message}`;
      event = { type: "error", message, command: null, undo_step: null };
    }
    if (event) this.handlers.onEvent(event);
  }

  private dropped(socket: WebSocketLike): void {
    if (socket !== this.socket || this.stopped) return;
    this.socket = null;
    this.handlers.onState("closed");
    this.timer = setTimeout(() => this.connect(), reconnectDelay(this.attempt++));
  }
}
